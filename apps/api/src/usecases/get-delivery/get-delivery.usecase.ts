import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository } from '@herald/persistence';
import type { DeliveryDetailView } from '../../dto/delivery.dto';
import { removedView, toAttemptView, toDeliveryView } from '../list-deliveries/delivery.view';

/** One delivery with every attempt's request, response, outcome and duration. */
@Injectable()
export class GetDeliveryUseCase {
  constructor(@Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository) {}

  async execute(command: { workspaceId: string; deliveryId: string }): Promise<DeliveryDetailView> {
    const delivery = await this.deliveries.find(command.workspaceId, command.deliveryId);
    if (!delivery) throw new DomainError(ErrorCode.NotFound, `delivery ${command.deliveryId} not found`);
    const attempts = await this.deliveries.attempts(command.workspaceId, command.deliveryId);
    return {
      ...toDeliveryView(delivery),
      payload: delivery.payload,
      payloadRemoved: removedView(delivery.payloadRemovedAt, delivery.payloadRemovedReason),
      attempts: attempts.map(toAttemptView),
    };
  }
}
