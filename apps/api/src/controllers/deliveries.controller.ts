import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@herald/contracts';
import { JobRepository } from '@herald/persistence';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import {
  DeliveryDetailView,
  DeliveryListQueryDto,
  DeliveryListView,
  JobView,
  PageQueryDto,
  RetryAcceptedView,
} from '../dto/delivery.dto';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { toJobView } from '../jobs/job.runner';
import { GetDeliveryUseCase } from '../usecases/get-delivery/get-delivery.usecase';
import { ListDeliveriesUseCase } from '../usecases/list-deliveries/list-deliveries.usecase';
import { RetryDeliveryUseCase } from '../usecases/retry-delivery/retry-delivery.usecase';
import { ApiIdempotent, ApiStandardErrors } from '../http/api-docs.decorators';

@ApiTags('deliveries')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/workspaces/:ws')
@UseGuards(AuthGuard)
@UseInterceptors(IdempotencyInterceptor)
export class DeliveriesController {
  constructor(
    @Inject(ListDeliveriesUseCase) private readonly listDeliveries: ListDeliveriesUseCase,
    @Inject(GetDeliveryUseCase) private readonly getDelivery: GetDeliveryUseCase,
    @Inject(RetryDeliveryUseCase) private readonly retryDelivery: RetryDeliveryUseCase,
    @Inject(JobRepository) private readonly jobs: JobRepository,
  ) {}

  @Get('deliveries')
  @Requires('read')
  @ApiOkResponse({ type: DeliveryListView })
  list(@Param('ws') ws: string, @Query() query: DeliveryListQueryDto): Promise<DeliveryListView> {
    return this.listDeliveries.execute({ ...query, workspaceId: ws });
  }

  @Get('deliveries/:id')
  @Requires('read')
  @ApiOkResponse({ type: DeliveryDetailView })
  get(@Param('ws') ws: string, @Param('id') id: string): Promise<DeliveryDetailView> {
    return this.getDelivery.execute({ workspaceId: ws, deliveryId: id });
  }

  @Post('deliveries/:id/retry')
  @ApiIdempotent()
  @Requires('replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetryAcceptedView })
  retry(@Param('ws') ws: string, @Param('id') id: string): Promise<RetryAcceptedView> {
    return this.retryDelivery.execute({ workspaceId: ws, deliveryId: id });
  }

  @Get('events/:eventId/deliveries')
  @Requires('read')
  @ApiOkResponse({ type: DeliveryListView, description: 'What happened to this event, per endpoint' })
  byEvent(
    @Param('ws') ws: string,
    @Param('eventId') eventId: string,
    @Query() query: PageQueryDto,
  ): Promise<DeliveryListView> {
    return this.listDeliveries.execute({
      workspaceId: ws,
      eventId,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Get('jobs/:jobId')
  @Requires('read')
  @ApiOkResponse({ type: JobView })
  async job(@Param('ws') ws: string, @Param('jobId', UuidIdPipe) jobId: string): Promise<JobView> {
    const job = await this.jobs.find(ws, jobId);
    if (!job) throw new DomainError(ErrorCode.NotFound, `job ${jobId} not found`);
    return toJobView(job);
  }
}
