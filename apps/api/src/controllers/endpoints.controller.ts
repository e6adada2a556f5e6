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
import { DomainError, ErrorCode } from '@herald/contracts';
import { EndpointRepository } from '@herald/persistence';
import { API_ENV, type ApiEnv } from '../api.env';
import { AuthGuard } from '../auth/auth.guard';
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
import { forPrincipal, toEndpointView } from '../endpoints/endpoint.view';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { BackfillEndpointUseCase } from '../usecases/backfill-endpoint/backfill-endpoint.usecase';
import { CreateEndpointUseCase } from '../usecases/create-endpoint/create-endpoint.usecase';
import { DeleteEndpointUseCase, isUuid } from '../usecases/delete-endpoint/delete-endpoint.usecase';
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
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(CreateEndpointUseCase) private readonly createEndpoint: CreateEndpointUseCase,
    @Inject(UpdateEndpointUseCase) private readonly updateEndpoint: UpdateEndpointUseCase,
    @Inject(DeleteEndpointUseCase) private readonly deleteEndpoint: DeleteEndpointUseCase,
    @Inject(SendTestEventUseCase) private readonly sendTest: SendTestEventUseCase,
    @Inject(RevealSecretUseCase) private readonly revealSecret: RevealSecretUseCase,
    @Inject(RotateSecretUseCase) private readonly rotateSecret: RotateSecretUseCase,
    @Inject(RecoverEndpointUseCase) private readonly recover: RecoverEndpointUseCase,
    @Inject(BackfillEndpointUseCase) private readonly backfill: BackfillEndpointUseCase,
    @Inject(API_ENV) private readonly env: ApiEnv,
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
      'Created, with its secret shown once; 200 with the existing endpoint when the URL is already registered',
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
    if (test || testQuery)
      view.test = await this.sendTest.execute({ workspaceId: ws, endpointId: result.endpoint.id });
    replyWith(res, 201, view);
  }

  @Get()
  @Requires('read')
  @ApiOkResponse({ type: EndpointListView })
  async list(
    @Param('ws') ws: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EndpointListView> {
    const limit = query.limit ?? this.env.HERALD_API_DEFAULT_PAGE_SIZE;
    if (limit > this.env.HERALD_API_MAX_PAGE_SIZE) {
      throw new DomainError(
        ErrorCode.LimitExceeded,
        `limit is at most ${this.env.HERALD_API_MAX_PAGE_SIZE}`,
        {
          fields: [{ field: 'limit', message: `at most ${this.env.HERALD_API_MAX_PAGE_SIZE}` }],
        },
      );
    }
    const after = query.cursor ? Buffer.from(query.cursor, 'base64url').toString('utf8') : undefined;
    if (after !== undefined && !isUuid(after)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'cursor is not one this API returned', {
        fields: [{ field: 'cursor', message: 'not a cursor this API returned' }],
      });
    }
    const rows = await this.endpoints.list({ workspaceId: ws, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const data = await Promise.all(
      page.map(async (e) => forPrincipal(toEndpointView(e, await this.endpoints.secrets(e.id)), principal)),
    );
    return {
      data,
      nextCursor: rows.length > limit ? Buffer.from(page[page.length - 1].id).toString('base64url') : null,
    };
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
  async get(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EndpointView> {
    const endpoint = await this.endpoints.find(ws, id);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, `endpoint ${id} not found`);
    return forPrincipal(toEndpointView(endpoint, await this.endpoints.secrets(endpoint.id)), principal);
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
    return this.rotateSecret.execute({ workspaceId: ws, endpointId: id, gracePeriod: body.gracePeriod });
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
