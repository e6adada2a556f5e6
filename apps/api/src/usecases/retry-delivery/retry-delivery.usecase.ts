import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';
import { DeliveryQueryRepository } from '@herald/persistence';
import type { RetryAcceptedView } from '../../dto/delivery.dto';
import { DeliveryRequestProducer } from './delivery-request.producer';

/** Retries one delivery now: a DeliveryRequested (manual-retry) with the stored bytes and the next attempt number. */
@Injectable()
export class RetryDeliveryUseCase {
  constructor(
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(DeliveryRequestProducer) private readonly requests: DeliveryRequestProducer,
  ) {}

  async execute(command: { workspaceId: string; deliveryId: string }): Promise<RetryAcceptedView> {
    const delivery = await this.deliveries.find(command.workspaceId, command.deliveryId);
    if (!delivery) throw new DomainError(ErrorCode.NotFound, `delivery ${command.deliveryId} not found`);
    if (delivery.payload === null) {
      throw new DomainError(ErrorCode.Conflict, 'this delivery has no stored payload yet; try again shortly');
    }
    const request = this.requests.toRequest(delivery, 'manual-retry');
    await this.requests.send([request]);
    return { deliveryId: request.deliveryId, attempt: request.attempt };
  }
}
