import { Body, Controller, HttpCode, Inject, Param, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import { PurgeRequestDto } from '../dto/purge.dto';
import { ApiIdempotent, ApiStandardErrors } from '../http/api-docs.decorators';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { JobView } from '../jobs/job.view';
import { PurgePayloadsUseCase } from '../usecases/purge-payloads/purge-payloads.usecase';

/** Erasure requests: a workspace's stored payloads and response bodies, removed by a purge job. */
@ApiTags('purges')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws/purges')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
export class PurgesController {
  constructor(@Inject(PurgePayloadsUseCase) private readonly purge: PurgePayloadsUseCase) {}

  @Post()
  @ApiIdempotent()
  @Requires('data.purge')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: JobView,
    description:
      'A purge job; follow it at GET /v1/workspaces/:ws/jobs/:jobId, its result counting the deliveries, ' +
      'attempts and bytes erased. Owner and admin keys only.',
  })
  start(@Param('ws') ws: string, @Body() body: PurgeRequestDto): Promise<JobView> {
    return this.purge.execute({ ...body, workspaceId: ws });
  }
}
