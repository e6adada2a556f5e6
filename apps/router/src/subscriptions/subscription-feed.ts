import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { EndpointSnapshotStore, KAFKA_CLIENT } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { ReadinessRegistry } from '@herald/telemetry';
import { ROUTER_ENV, type RouterEnv } from '../router.env';

/**
 * Keeps the subscription index in step with the compacted `herald.subscriptions` topic. Start-up
 * waits until the whole topic is applied, so the router never routes against a partial index, and
 * catchUp() lets each batch wait for snapshots written before it was fetched.
 */
@Injectable()
export class SubscriptionFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SubscriptionFeed.name);
  private readonly store: EndpointSnapshotStore;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(SubscriptionIndex) private readonly index: SubscriptionIndex,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
    @Inject(ROUTER_ENV)
    private readonly env: Pick<RouterEnv, 'HERALD_ROUTER_CATCH_UP' | 'HERALD_ROUTER_CATCH_UP_TIMEOUT'>,
  ) {
    this.store = new EndpointSnapshotStore(kafka, {
      groupPrefix: 'herald-router-subscriptions',
      readiness,
      readinessCheck: 'subscription-index',
      loadingMessage: 'subscription index is still loading',
      onLoaded: () => this.log.log(`subscription index ready: ${this.index.endpointCount} endpoint(s)`),
      requires: {
        description: 'id, workspaceId, version or eventTypes',
        check: (s) => typeof s.workspaceId === 'string' && Array.isArray(s.eventTypes),
      },
      log: this.log,
    });
    this.store.onUpsert((snapshot) => {
      if (this.index.upsert(snapshot) === 'rejected') {
        this.log.error(
          `endpoint ${snapshot.id}: invalid event type pattern or filter; it will not match until fixed`,
        );
      }
    });
    this.store.onRemove((id) => this.index.remove(id));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.store.start();
  }

  /**
   * Resolves true once the index holds every snapshot written to the topic before this call (or at
   * once when HERALD_ROUTER_CATCH_UP is off), false after HERALD_ROUTER_CATCH_UP_TIMEOUT.
   */
  catchUp(): Promise<boolean> {
    if (!this.env.HERALD_ROUTER_CATCH_UP) return Promise.resolve(true);
    return this.store.catchUp({ timeoutMs: this.env.HERALD_ROUTER_CATCH_UP_TIMEOUT });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.stop();
  }
}
