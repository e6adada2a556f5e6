import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import { PageQueryDto } from '../dto/delivery.dto';
import { ApiStandardErrors } from '../http/api-docs.decorators';
import {
  ListWorkspacesUseCase,
  WorkspaceListView,
} from '../usecases/list-workspaces/list-workspaces.usecase';
import { SystemStatusUseCase } from '../usecases/system-status/system-status.usecase';
import { SystemStatusView } from '../usecases/system-status/system.view';

/** What the operator token alone may see: every workspace, and the state of Herald itself. */
@ApiTags('operators')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1')
@UseGuards(AuthGuard)
export class OperatorsController {
  constructor(
    @Inject(ListWorkspacesUseCase) private readonly listWorkspaces: ListWorkspacesUseCase,
    @Inject(SystemStatusUseCase) private readonly system: SystemStatusUseCase,
  ) {}

  @Get('workspaces')
  @Requires('operator')
  @ApiOkResponse({ type: WorkspaceListView, description: 'Every workspace, oldest first' })
  workspaces(@Query() query: PageQueryDto): Promise<WorkspaceListView> {
    return this.listWorkspaces.execute({ limit: query.limit, cursor: query.cursor });
  }

  @Get('system')
  @Requires('operator')
  @ApiOkResponse({
    type: SystemStatusView,
    description:
      'Services (Kafka, Postgres, each consumer group), consumer lag per topic, dead-letter counts',
  })
  status(): Promise<SystemStatusView> {
    return this.system.execute();
  }
}
