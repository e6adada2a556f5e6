import { Inject, Injectable } from '@nestjs/common';
import { deliveryRequested, deliveryRequestedRecord, type DeliveryRequested } from '@herald/contracts';
import { HeraldProducer } from '@herald/kafka';
import type { DeliveryWithPayload } from '@herald/persistence';

/** Asks the dispatchers for one more attempt of a stored delivery, with its exact stored bytes. */
@Injectable()
export class DeliveryRequestProducer {
  constructor(@Inject(HeraldProducer) private readonly producer: HeraldProducer) {}

  toRequest(delivery: DeliveryWithPayload, trigger: DeliveryRequested['trigger']): DeliveryRequested {
    return deliveryRequested({
      deliveryId: delivery.deliveryId,
      workspaceId: delivery.workspaceId,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      occurredAt: (delivery.occurredAt ?? delivery.createdAt).toISOString(),
      attempt: delivery.attemptCount + 1,
      payload: delivery.payload!,
      requestedAt: new Date().toISOString(),
      // The stored row's partition key: this attempt's records must land on the same row.
      createdAt: delivery.createdAt.toISOString(),
      trigger,
    });
  }

  /** Keyed by endpoint id, like fan-out, so one endpoint's records stay in order. */
  async send(requests: DeliveryRequested[]): Promise<void> {
    await this.producer.send(requests.map((request) => deliveryRequestedRecord(request)));
  }
}
