import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { keyActorOf, type Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import {
  ApiKeyView,
  CreateApiKeyDto,
  CreatedApiKeyView,
  CreateWorkspaceDto,
  EgressAllowlistDto,
  EgressAllowlistView,
  WorkspaceRetentionDto,
  WorkspaceRetentionView,
  WorkspaceView,
} from '../dto/workspace.dto';
import { DynamicStatus, replyWith } from '../http/dynamic-status';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { CreateApiKeyUseCase } from '../usecases/create-api-key/create-api-key.usecase';
import { CreateWorkspaceUseCase } from '../usecases/create-workspace/create-workspace.usecase';
import { GetEgressAllowlistUseCase } from '../usecases/egress-allowlist/get-egress-allowlist.usecase';
import { SetEgressAllowlistUseCase } from '../usecases/egress-allowlist/set-egress-allowlist.usecase';
import { GetWorkspaceUseCase } from '../usecases/get-workspace/get-workspace.usecase';
import { ListApiKeysUseCase } from '../usecases/list-api-keys/list-api-keys.usecase';
import { RevokeApiKeyUseCase } from '../usecases/revoke-api-key/revoke-api-key.usecase';
import { WorkspaceRetentionUseCase } from '../usecases/workspace-retention/workspace-retention.usecase';
import { ApiIdempotent, ApiStandardErrors } from '../http/api-docs.decorators';

@ApiTags('workspaces')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
export class WorkspacesController {
  constructor(
    @Inject(CreateWorkspaceUseCase) private readonly createWorkspace: CreateWorkspaceUseCase,
    @Inject(CreateApiKeyUseCase) private readonly createApiKey: CreateApiKeyUseCase,
    @Inject(GetWorkspaceUseCase) private readonly getWorkspace: GetWorkspaceUseCase,
    @Inject(ListApiKeysUseCase) private readonly listApiKeys: ListApiKeysUseCase,
    @Inject(RevokeApiKeyUseCase) private readonly revokeApiKey: RevokeApiKeyUseCase,
    @Inject(GetEgressAllowlistUseCase) private readonly getEgressAllowlist: GetEgressAllowlistUseCase,
    @Inject(SetEgressAllowlistUseCase) private readonly setEgressAllowlist: SetEgressAllowlistUseCase,
    @Inject(WorkspaceRetentionUseCase) private readonly retention: WorkspaceRetentionUseCase,
  ) {}

  @Post()
  @ApiIdempotent()
  @Requires('operator')
  @DynamicStatus()
  @ApiCreatedResponse({ type: WorkspaceView, description: 'Created; 200 when the id already exists' })
  async create(@Body() body: CreateWorkspaceDto, @Res() res: Response): Promise<void> {
    const { workspace, created } = await this.createWorkspace.execute(body);
    replyWith(res, created ? 201 : 200, workspace);
  }

  @Get(':ws')
  @Requires('read')
  @ApiOkResponse({ type: WorkspaceView })
  get(@Param('ws') ws: string): Promise<WorkspaceView> {
    return this.getWorkspace.execute({ workspaceId: ws });
  }

  @Post(':ws/api-keys')
  @ApiIdempotent()
  @Requires('keys.manage')
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The key is shown only in this response' })
  createKey(
    @Param('ws') ws: string,
    @Body() body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyView> {
    const actor = keyActorOf(principal);
    return this.createApiKey.execute({ workspaceId: ws, name: body.name, role: body.role, actor });
  }

  @Get(':ws/api-keys')
  @Requires('keys.manage')
  @ApiOkResponse({ type: [ApiKeyView] })
  listKeys(@Param('ws') ws: string): Promise<{ data: ApiKeyView[] }> {
    return this.listApiKeys.execute({ workspaceId: ws });
  }

  @Delete(':ws/api-keys/:keyId')
  @Requires('keys.manage')
  @HttpCode(204)
  revokeKey(
    @Param('ws') ws: string,
    @Param('keyId', UuidIdPipe) keyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.revokeApiKey.execute({ workspaceId: ws, keyId, actor: keyActorOf(principal) });
  }

  @Get(':ws/egress-allowlist')
  @Requires('egress.manage')
  @ApiOkResponse({ type: EgressAllowlistView })
  egressAllowlist(@Param('ws') ws: string): Promise<EgressAllowlistView> {
    return this.getEgressAllowlist.execute({ workspaceId: ws });
  }

  @Put(':ws/egress-allowlist')
  @Requires('egress.manage')
  @ApiOkResponse({
    type: EgressAllowlistView,
    description: "Stored; the workspace's endpoints are republished",
  })
  replaceEgressAllowlist(
    @Param('ws') ws: string,
    @Body() body: EgressAllowlistDto,
  ): Promise<EgressAllowlistView> {
    return this.setEgressAllowlist.execute({ workspaceId: ws, cidrs: body.cidrs });
  }

  @Get(':ws/retention')
  @Requires('read')
  @ApiOkResponse({ type: WorkspaceRetentionView })
  getRetention(@Param('ws') ws: string): Promise<WorkspaceRetentionView> {
    return this.retention.get(ws);
  }

  // Shortening retention erases older records for good, so it takes the roles that may purge.
  @Put(':ws/retention')
  @Requires('data.purge')
  @ApiOkResponse({
    type: WorkspaceRetentionView,
    description: 'Stored; reads apply it at once, partition maintenance on its next run',
  })
  replaceRetention(
    @Param('ws') ws: string,
    @Body() body: WorkspaceRetentionDto,
  ): Promise<WorkspaceRetentionView> {
    return this.retention.set(ws, {
      retentionDays: body.retentionDays ?? null,
      bodyRetentionDays: body.bodyRetentionDays ?? null,
    });
  }
}
