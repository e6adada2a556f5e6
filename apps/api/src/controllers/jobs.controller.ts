import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { endpointScopeOf, type Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import { PageQueryDto } from '../dto/delivery.dto';
import { ApiStandardErrors, ErrorView } from '../http/api-docs.decorators';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { JobListView, JobView } from '../jobs/job.view';
import { CancelJobUseCase } from '../usecases/cancel-job/cancel-job.usecase';
import { GetJobUseCase } from '../usecases/get-job/get-job.usecase';
import { ListJobsUseCase } from '../usecases/list-jobs/list-jobs.usecase';

/** Backfill, recover and purge jobs: started from their endpoint (or POST .../purges), followed and cancelled here. */
@ApiTags('jobs')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/jobs')
@UseGuards(AuthGuard)
export class JobsController {
  constructor(
    @Inject(ListJobsUseCase) private readonly listJobs: ListJobsUseCase,
    @Inject(GetJobUseCase) private readonly getJob: GetJobUseCase,
    @Inject(CancelJobUseCase) private readonly cancelJob: CancelJobUseCase,
  ) {}

  @Get()
  @Requires('read')
  @ApiOkResponse({ type: JobListView, description: 'The most recent jobs, newest first' })
  list(
    @Param('ws') ws: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<JobListView> {
    return this.listJobs.execute({
      workspaceId: ws,
      limit: query.limit,
      endpointIds: endpointScopeOf(principal),
    });
  }

  @Get(':jobId')
  @Requires('read')
  @ApiOkResponse({ type: JobView })
  get(@Param('ws') ws: string, @Param('jobId', UuidIdPipe) jobId: string): Promise<JobView> {
    return this.getJob.execute({ workspaceId: ws, jobId });
  }

  @Post(':jobId/cancel')
  @Requires('replay')
  @HttpCode(200)
  @ApiOkResponse({
    type: JobView,
    description: 'The job, cancelled (or still stopping on another API instance); repeating it is harmless',
  })
  @ApiConflictResponse({
    type: ErrorView,
    description: 'The job already ended succeeded, failed or timed_out',
  })
  cancel(@Param('ws') ws: string, @Param('jobId', UuidIdPipe) jobId: string): Promise<JobView> {
    return this.cancelJob.execute({ workspaceId: ws, jobId });
  }
}
