import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseBoolPipe,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { endpointScopeOf, type Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import { JobView, PageQueryDto } from '../dto/delivery.dto';
import {
  BackfillDto,
  CreatedEndpointView,
  CreateEndpointDto,
  DeleteEndpointByBodyDto,
  EndpointListView,
  EndpointView,
  ReplayWindowDto,
  RevealedSecretView,
  RotatedSecretView,
  RotateSecretDto,
  TestResultView,
  UpdateEndpointDto,
} from '../dto/endpoint.dto';
import { DynamicStatus, replyWith } from '../http/dynamic-status';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { BackfillEndpointUseCase } from '../usecases/backfill-endpoint/backfill-endpoint.usecase';
import { CreateEndpointUseCase } from '../usecases/create-endpoint/create-endpoint.usecase';
import { DeleteEndpointUseCase } from '../usecases/delete-endpoint/delete-endpoint.usecase';
import { GetEndpointUseCase } from '../usecases/get-endpoint/get-endpoint.usecase';
import { ListEndpointsUseCase } from '../usecases/list-endpoints/list-endpoints.usecase';
import { RecoverEndpointUseCase } from '../usecases/recover-endpoint/recover-endpoint.usecase';
import { RevealSecretUseCase } from '../usecases/reveal-secret/reveal-secret.usecase';
import { RotateSecretUseCase } from '../usecases/rotate-secret/rotate-secret.usecase';
import { SendTestEventUseCase } from '../usecases/send-test-event/send-test-event.usecase';
import { UpdateEndpointUseCase } from '../usecases/update-endpoint/update-endpoint.usecase';
import { ApiIdempotent, ApiStandardErrors } from '../http/api-docs.decorators';

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/endpoints')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
export class EndpointsController {
  constructor(
    @Inject(ListEndpointsUseCase) private readonly listEndpoints: ListEndpointsUseCase,
    @Inject(GetEndpointUseCase) private readonly getEndpoint: GetEndpointUseCase,
    @Inject(CreateEndpointUseCase) private readonly createEndpoint: CreateEndpointUseCase,
    @Inject(UpdateEndpointUseCase) private readonly updateEndpoint: UpdateEndpointUseCase,
    @Inject(DeleteEndpointUseCase) private readonly deleteEndpoint: DeleteEndpointUseCase,
    @Inject(SendTestEventUseCase) private readonly sendTest: SendTestEventUseCase,
    @Inject(RevealSecretUseCase) private readonly revealSecret: RevealSecretUseCase,
    @Inject(RotateSecretUseCase) private readonly rotateSecret: RotateSecretUseCase,
    @Inject(RecoverEndpointUseCase) private readonly recover: RecoverEndpointUseCase,
    @Inject(BackfillEndpointUseCase) private readonly backfill: BackfillEndpointUseCase,
  ) {}

  @Post()
  @ApiIdempotent()
  @Requires('endpoints.write')
  @DynamicStatus()
  @ApiQuery({
    name: 'test',
    required: false,
    type: Boolean,
    description: 'Send a signed test event after creating',
  })
  @ApiCreatedResponse({
    type: CreatedEndpointView,
    description:
      'Created, with its secret shown once. When the workspace already has the URL: 200 with that ' +
      'endpoint after the event types and settings sent were applied (no secret; same version if ' +
      'nothing differed)',
  })
  async create(
    @Param('ws') ws: string,
    @Body() body: CreateEndpointDto,
    @Res() res: Response,
    @Query('test', new ParseBoolPipe({ optional: true })) testQuery?: boolean,
  ): Promise<void> {
    const { test, ...fields } = body;
    const result = await this.createEndpoint.execute({ ...fields, workspaceId: ws });
    if (!result.created) return replyWith(res, 200, result.endpoint);
    const view: CreatedEndpointView = {
      ...result.endpoint,
      secret: result.secret,
      publicKey: result.publicKey,
    };
    if (result.verification) view.verification = result.verification;
    if (test || testQuery)
      view.test = await this.sendTest.execute({ workspaceId: ws, endpointId: result.endpoint.id });
    replyWith(res, 201, view);
  }

  @Get()
  @Requires('read')
  @ApiOkResponse({ type: EndpointListView })
  list(
    @Param('ws') ws: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EndpointListView> {
    return this.listEndpoints.execute({
      workspaceId: ws,
      limit: query.limit,
      cursor: query.cursor,
      endpointIds: endpointScopeOf(principal),
    });
  }

  /** Messages.dev deletes by id in the body. */
  @Delete()
  @Requires('endpoints.write')
  @HttpCode(204)
  async removeByBody(@Param('ws') ws: string, @Body() body: DeleteEndpointByBodyDto): Promise<void> {
    await this.deleteEndpoint.execute({ workspaceId: ws, endpointId: body.id });
  }

  @Get(':id')
  @Requires('read')
  @ApiOkResponse({ type: EndpointView })
  get(@Param('ws') ws: string, @Param('id', UuidIdPipe) id: string): Promise<EndpointView> {
    return this.getEndpoint.execute({ workspaceId: ws, endpointId: id });
  }

  @Patch(':id')
  @Requires('endpoints.write')
  @ApiOkResponse({ type: EndpointView })
  update(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointView> {
    return this.updateEndpoint.execute({ ...body, workspaceId: ws, endpointId: id });
  }

  @Delete(':id')
  @Requires('endpoints.write')
  @HttpCode(204)
  async remove(@Param('ws') ws: string, @Param('id', UuidIdPipe) id: string): Promise<void> {
    await this.deleteEndpoint.execute({ workspaceId: ws, endpointId: id });
  }

  @Post(':id/test')
  @ApiIdempotent()
  @Requires('endpoints.write')
  @HttpCode(200)
  @ApiOkResponse({ type: TestResultView })
  test(@Param('ws') ws: string, @Param('id', UuidIdPipe) id: string): Promise<TestResultView> {
    return this.sendTest.execute({ workspaceId: ws, endpointId: id });
  }

  @Get(':id/secret')
  @Requires('secrets.read')
  @ApiOkResponse({ type: RevealedSecretView })
  secret(@Param('ws') ws: string, @Param('id', UuidIdPipe) id: string): Promise<RevealedSecretView> {
    return this.revealSecret.execute({ workspaceId: ws, endpointId: id });
  }

  @Post(':id/secret/rotate')
  @ApiIdempotent()
  @Requires('endpoints.write')
  @ApiCreatedResponse({ type: RotatedSecretView })
  rotate(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Body() body: RotateSecretDto,
  ): Promise<RotatedSecretView> {
    return this.rotateSecret.execute({
      workspaceId: ws,
      endpointId: id,
      gracePeriod: body.gracePeriod,
      secret: body.secret,
    });
  }

  @Post(':id/recover')
  @ApiIdempotent()
  @Requires('replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobView, description: 'Follow the job at GET /v1/workspaces/:ws/jobs/:jobId' })
  startRecover(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Body() body: ReplayWindowDto,
  ): Promise<JobView> {
    return this.recover.execute({ ...body, workspaceId: ws, endpointId: id });
  }

  @Post(':id/backfill')
  @ApiIdempotent()
  @Requires('replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobView, description: 'Follow the job at GET /v1/workspaces/:ws/jobs/:jobId' })
  startBackfill(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Body() body: BackfillDto,
  ): Promise<JobView> {
    return this.backfill.execute({ ...body, workspaceId: ws, endpointId: id });
  }
}
