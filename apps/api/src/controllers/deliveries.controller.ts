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
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { endpointScopeOf, type Principal } from '../auth/principal';
import { Requires } from '../auth/requires.decorator';
import {
  DeliveryDetailView,
  DeliveryListQueryDto,
  DeliveryListView,
  OperationalEventListView,
  PageQueryDto,
  RetryAcceptedView,
} from '../dto/delivery.dto';
import { UuidIdPipe } from '../http/endpoint-id.pipe';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { GetDeliveryUseCase } from '../usecases/get-delivery/get-delivery.usecase';
import { ListDeliveriesUseCase } from '../usecases/list-deliveries/list-deliveries.usecase';
import { ListOperationalEventsUseCase } from '../usecases/list-operational-events/list-operational-events.usecase';
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
    @Inject(ListOperationalEventsUseCase) private readonly listOperational: ListOperationalEventsUseCase,
  ) {}

  @Get('deliveries')
  @Requires('read')
  @ApiOkResponse({ type: DeliveryListView })
  list(
    @Param('ws') ws: string,
    @Query() query: DeliveryListQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeliveryListView> {
    return this.listDeliveries.execute({
      ...query,
      workspaceId: ws,
      endpointIds: endpointScopeOf(principal),
    });
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
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeliveryListView> {
    return this.listDeliveries.execute({
      workspaceId: ws,
      endpointIds: endpointScopeOf(principal),
      eventId,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Get('endpoints/:id/operational-events')
  @Requires('read')
  @ApiOkResponse({
    type: OperationalEventListView,
    description: 'Why an endpoint was disabled or its circuit opened: nothing changes silently',
  })
  operationalEvents(
    @Param('ws') ws: string,
    @Param('id', UuidIdPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<OperationalEventListView> {
    return this.listOperational.execute({ workspaceId: ws, endpointId: id, limit: query.limit });
  }
}
