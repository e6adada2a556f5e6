import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, TEST_PING_TRIGGER } from '@herald/contracts';
import { DeliveryQueryRepository } from '@herald/persistence';
import type { RetryAcceptedView } from '../../dto/delivery.dto';
import { WorkspaceRetentionService } from '../../retention/workspace-retention.service';
import { payloadRemoval } from '../list-deliveries/delivery.view';
import { DeliveryRequestProducer } from './delivery-request.producer';

/** Retries one delivery now: a DeliveryRequested (manual-retry) with the stored bytes and the next attempt number. */
@Injectable()
export class RetryDeliveryUseCase {
  constructor(
    @Inject(DeliveryQueryRepository) private readonly deliveries: DeliveryQueryRepository,
    @Inject(DeliveryRequestProducer) private readonly requests: DeliveryRequestProducer,
    @Inject(WorkspaceRetentionService) private readonly retention: WorkspaceRetentionService,
  ) {}

  async execute(command: { workspaceId: string; deliveryId: string }): Promise<RetryAcceptedView> {
    const retention = await this.retention.forWorkspace(command.workspaceId);
    const delivery = await this.deliveries.find(
      command.workspaceId,
      command.deliveryId,
      retention.recordsSince,
    );
    if (!delivery) throw new DomainError(ErrorCode.NotFound, `delivery ${command.deliveryId} not found`);
    // A request on herald.deliveries would have a dispatcher send the ping and count it toward the
    // endpoint's circuit and health; a fresh ping is one POST .../test away.
    if (delivery.trigger === TEST_PING_TRIGGER) {
      throw new DomainError(
        ErrorCode.TestDeliveryNotRetriable,
        'a test ping is not retried; send another with POST /v1/workspaces/:ws/endpoints/:id/test',
      );
    }
    // The bytes are gone on purpose; "try again shortly" below would never come true.
    const removed = payloadRemoval(delivery, retention);
    if (removed) {
      throw new DomainError(
        ErrorCode.PayloadRemoved,
        `this delivery's payload was removed (${removed.reason}) and cannot be sent again`,
        { reason: removed.reason, at: removed.at.toISOString() },
      );
    }
    if (delivery.payload === null) {
      throw new DomainError(ErrorCode.Conflict, 'this delivery has no stored payload yet; try again shortly');
    }
    const request = this.requests.toRequest(delivery, 'manual-retry');
    await this.requests.send([request]);
    return { deliveryId: request.deliveryId, attempt: request.attempt };
  }
}
