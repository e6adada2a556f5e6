import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Topics } from '@herald/contracts';
import { HeraldProducer } from '@herald/kafka';
import {
  EndpointRepository,
  toEndpointSnapshot,
  WorkspaceRepository,
  type EndpointEntity,
} from '@herald/persistence';

/** Snapshots per produce request when a workspace's endpoints are republished together. */
const REPUBLISH_CHUNK = 100;

/**
 * Every endpoint change is written to Postgres and published to `herald.subscriptions` in one step:
 * the snapshot is produced (acks=all) inside the transaction, before commit. If producing fails the
 * transaction rolls back; if the commit fails after producing, the projector applies the published
 * snapshot back into Postgres, so the two never disagree silently. Each snapshot carries its
 * workspace's egress allowlist, read in the same transaction.
 */
@Injectable()
export class EndpointSnapshotPublisher {
  constructor(
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
  ) {}

  async publish(manager: EntityManager, endpoint: EndpointEntity) {
    const secrets = await this.endpoints.secrets(endpoint.id, manager);
    const allow = await this.workspaces.egressAllowCidrs(endpoint.workspaceId, manager);
    const snapshot = toEndpointSnapshot(endpoint, secrets, allow);
    await this.producer.send([
      { topic: Topics.subscriptions, key: endpoint.id, value: JSON.stringify(snapshot) },
    ]);
    return { snapshot, secrets };
  }

  /** Publishes endpoints of one workspace whose allowlist is `allow`, in few produce requests. */
  async publishAll(manager: EntityManager, endpoints: EndpointEntity[], allow: readonly string[]) {
    for (let start = 0; start < endpoints.length; start += REPUBLISH_CHUNK) {
      const records = [];
      for (const endpoint of endpoints.slice(start, start + REPUBLISH_CHUNK)) {
        const secrets = await this.endpoints.secrets(endpoint.id, manager);
        const snapshot = toEndpointSnapshot(endpoint, secrets, allow);
        records.push({ topic: Topics.subscriptions, key: endpoint.id, value: JSON.stringify(snapshot) });
      }
      await this.producer.send(records);
    }
  }

  async publishTombstone(endpointId: string): Promise<void> {
    await this.producer.send([{ topic: Topics.subscriptions, key: endpointId, value: null }]);
  }
}
