import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Topics } from '@herald/contracts';
import { HeraldProducer } from '@herald/kafka';
import { EndpointRepository, toEndpointSnapshot, type EndpointEntity } from '@herald/persistence';

/**
 * Every endpoint change is written to Postgres and published to `herald.subscriptions` in one step:
 * the snapshot is produced (acks=all) inside the transaction, before commit. If producing fails the
 * transaction rolls back; if the commit fails after producing, the projector applies the published
 * snapshot back into Postgres, so the two never disagree silently.
 */
@Injectable()
export class EndpointSnapshotPublisher {
  constructor(
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
  ) {}

  async publish(manager: EntityManager, endpoint: EndpointEntity) {
    const secrets = await this.endpoints.secrets(endpoint.id, manager);
    const snapshot = toEndpointSnapshot(endpoint, secrets);
    await this.producer.send([
      { topic: Topics.subscriptions, key: endpoint.id, value: JSON.stringify(snapshot) },
    ]);
    return { snapshot, secrets };
  }

  async publishTombstone(endpointId: string): Promise<void> {
    await this.producer.send([{ topic: Topics.subscriptions, key: endpointId, value: null }]);
  }
}
