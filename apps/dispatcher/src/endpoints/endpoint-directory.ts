import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { EndpointSnapshot } from '@herald/contracts';
import { EndpointSnapshotStore, KAFKA_CLIENT } from '@herald/kafka';
import { ReadinessRegistry } from '@herald/telemetry';

/**
 * The dispatcher's view of endpoints, followed from the compacted `herald.subscriptions` topic, so
 * the hot path never reads Postgres. Start-up (and so consumption) waits until the topic is loaded.
 */
@Injectable()
export class EndpointDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EndpointDirectory.name);
  private readonly store: EndpointSnapshotStore;

  constructor(@Inject(KAFKA_CLIENT) kafka: Kafka, @Inject(ReadinessRegistry) readiness: ReadinessRegistry) {
    this.store = new EndpointSnapshotStore(kafka, {
      groupPrefix: 'herald-dispatcher-endpoints',
      readiness,
      readinessCheck: 'endpoint-directory',
      loadingMessage: 'endpoint directory is still loading',
      onLoaded: () => this.log.log(`endpoint directory ready: ${this.store.size} endpoint(s)`),
      requires: { description: 'id, url or version', check: (s) => typeof s.url === 'string' },
      log: this.log,
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.store.start();
  }

  /** Resolves once the topic as it stood at start-up is applied (starts loading if need be). */
  loaded(): Promise<void> {
    return this.store.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.stop();
  }

  get(id: string): EndpointSnapshot | undefined {
    return this.store.get(id);
  }

  /** Applies a snapshot this process produced, ahead of reading it back from the changelog. */
  applyLocal(snapshot: EndpointSnapshot): void {
    this.store.applyLocal(snapshot);
  }

  onRemoved(listener: (id: string) => void): void {
    this.store.onRemove(listener);
  }

  /** Called with each snapshot taken (newer than the one held). */
  onUpdated(listener: (snapshot: EndpointSnapshot) => void): void {
    this.store.onUpsert(listener);
  }
}
