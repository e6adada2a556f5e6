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
import { type EndpointRef, isBehind } from './endpoint-freshness.policy';

/**
 * The dispatcher's view of endpoints, followed from the compacted `herald.subscriptions` topic, so
 * the hot path never reads Postgres. Start-up (and so consumption) waits until the topic is loaded;
 * a delivery for an endpoint not heard of yet (or at an older version than routed) waits for
 * catchUpFor() before it is judged.
 */
@Injectable()
export class EndpointDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EndpointDirectory.name);
  private readonly store: EndpointSnapshotStore;
  /** Ids whose tombstone was read: no catch-up will bring them back. */
  private readonly tombstoned = new Set<string>();

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
    this.store.onRemove((id) => this.tombstoned.add(id));
    this.store.onUpsert((snapshot) => this.tombstoned.delete(snapshot.id));
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

  /**
   * Resolves true at once when every ref's endpoint is held at (at least) the version it was routed
   * against or is known deleted; otherwise reads herald.subscriptions up to its high watermark and
   * resolves true once there, false after `timeoutMs`.
   */
  async catchUpFor(refs: readonly EndpointRef[], timeoutMs: number): Promise<boolean> {
    const behind = refs.some((ref) =>
      isBehind(ref, this.store.get(ref.endpointId), this.tombstoned.has(ref.endpointId)),
    );
    if (!behind) return true;
    return this.store.catchUp({ timeoutMs });
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
