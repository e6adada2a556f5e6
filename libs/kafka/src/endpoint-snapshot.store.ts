import type { Kafka } from 'kafkajs';
import { type EndpointSnapshot, supersedes, Topics } from '@herald/contracts';
import type { ReadinessRegistry } from '@herald/telemetry';
import { ChangelogFollower } from './changelog.follower';
import type { CatchUpOptions } from './changelog.reader';

export interface EndpointSnapshotStoreOptions {
  /** Prefix of the fresh consumer group this service reads `herald.subscriptions` with. */
  groupPrefix: string;
  readiness: Pick<ReadinessRegistry, 'register'>;
  readinessCheck: string;
  loadingMessage: string;
  /** Runs once, when the topic as it stood at start-up has been applied. */
  onLoaded?: () => void;
  /**
   * Fields this service cannot work without, beyond a matching id and a numeric version; a snapshot
   * that lacks them is logged and ignored. `description` names them in the log line.
   */
  requires: { description: string; check(snapshot: EndpointSnapshot): boolean };
  log: { error(message: string): void };
}

/**
 * Endpoint snapshots by id, followed from the compacted `herald.subscriptions` topic: JSON records
 * are parsed and checked, an older version never replaces a newer one, tombstones delete. Services
 * keep their own indexes on top through `onUpsert` / `onRemove`.
 */
export class EndpointSnapshotStore {
  private readonly snapshots = new Map<string, EndpointSnapshot>();
  private readonly upsertListeners: Array<(snapshot: EndpointSnapshot) => void> = [];
  private readonly removeListeners: Array<(id: string) => void> = [];
  private readonly follower: ChangelogFollower;

  constructor(
    kafka: Kafka,
    private readonly options: EndpointSnapshotStoreOptions,
  ) {
    this.follower = new ChangelogFollower(
      kafka,
      {
        topic: Topics.subscriptions,
        groupPrefix: options.groupPrefix,
        readiness: options.readiness,
        readinessCheck: options.readinessCheck,
        loadingMessage: options.loadingMessage,
        onLoaded: options.onLoaded,
      },
      { upsert: (key, value) => this.apply(key, value), remove: (key) => this.remove(key) },
    );
  }

  /** Resolves once the topic as it stood at start-up is applied; idempotent. */
  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /**
   * Resolves true once every snapshot in the topic when called is applied (read-your-writes for a
   * change another process acknowledged), false after the bound.
   */
  catchUp(options: CatchUpOptions): Promise<boolean> {
    return this.follower.catchUp(options);
  }

  get loaded(): boolean {
    return this.follower.loaded;
  }

  get size(): number {
    return this.snapshots.size;
  }

  get(id: string): EndpointSnapshot | undefined {
    return this.snapshots.get(id);
  }

  /** Applies a snapshot this process produced, ahead of reading it back from the changelog. */
  applyLocal(snapshot: EndpointSnapshot): void {
    this.upsert(snapshot);
  }

  /** Called with each snapshot that is taken (not with older versions). */
  onUpsert(listener: (snapshot: EndpointSnapshot) => void): void {
    this.upsertListeners.push(listener);
  }

  /** Called with the id of each tombstone. */
  onRemove(listener: (id: string) => void): void {
    this.removeListeners.push(listener);
  }

  /** A record as read from the topic; exposed for tests. */
  apply(key: string, value: Buffer): void {
    let snapshot: EndpointSnapshot;
    try {
      snapshot = JSON.parse(value.toString('utf8')) as EndpointSnapshot;
    } catch {
      this.options.log.error(`endpoint ${key}: snapshot is not JSON; ignored`);
      return;
    }
    if (
      typeof snapshot !== 'object' ||
      snapshot === null ||
      snapshot.id !== key ||
      typeof snapshot.version !== 'number' ||
      !this.options.requires.check(snapshot)
    ) {
      this.options.log.error(`endpoint ${key}: snapshot lacks ${this.options.requires.description}; ignored`);
      return;
    }
    this.upsert(snapshot);
  }

  /** A tombstone as read from the topic; exposed for tests. */
  remove(id: string): void {
    this.snapshots.delete(id);
    for (const listener of this.removeListeners) listener(id);
  }

  private upsert(snapshot: EndpointSnapshot): void {
    if (!supersedes(this.snapshots.get(snapshot.id), snapshot)) return;
    this.snapshots.set(snapshot.id, snapshot);
    for (const listener of this.upsertListeners) listener(snapshot);
  }
}
