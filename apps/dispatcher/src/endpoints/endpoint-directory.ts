import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { type EndpointSnapshot, Topics } from '@herald/contracts';
import { ChangelogReader, KAFKA_CLIENT } from '@herald/kafka';
import { ReadinessRegistry } from '@herald/telemetry';

/**
 * The dispatcher's view of endpoints, followed from the compacted `herald.subscriptions` topic, so
 * the hot path never reads Postgres. Start-up (and so consumption) waits until the topic is loaded.
 */
@Injectable()
export class EndpointDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EndpointDirectory.name);
  private readonly endpoints = new Map<string, EndpointSnapshot>();
  private readonly removedListeners: Array<(id: string) => void> = [];
  private reader?: ChangelogReader;
  private loaded = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
  ) {
    readiness.register('endpoint-directory', async () => {
      if (!this.loaded) throw new Error('endpoint directory is still loading');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.reader = new ChangelogReader(this.kafka, Topics.subscriptions, 'herald-dispatcher-endpoints', {
      upsert: (key, value) => this.apply(key, value),
      remove: (key) => this.remove(key),
    });
    await this.reader.start();
    await this.reader.ready;
    this.loaded = true;
    this.log.log(`endpoint directory ready: ${this.endpoints.size} endpoint(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader?.stop();
  }

  get(id: string): EndpointSnapshot | undefined {
    return this.endpoints.get(id);
  }

  /** Applies a snapshot this process produced, ahead of reading it back from the changelog. */
  applyLocal(snapshot: EndpointSnapshot): void {
    this.upsert(snapshot);
  }

  onRemoved(listener: (id: string) => void): void {
    this.removedListeners.push(listener);
  }

  private apply(key: string, value: Buffer): void {
    let snapshot: EndpointSnapshot;
    try {
      snapshot = JSON.parse(value.toString('utf8')) as EndpointSnapshot;
    } catch {
      this.log.error(`endpoint ${key}: snapshot is not JSON; ignored`);
      return;
    }
    if (
      !snapshot ||
      snapshot.id !== key ||
      typeof snapshot.url !== 'string' ||
      typeof snapshot.version !== 'number'
    ) {
      this.log.error(`endpoint ${key}: snapshot lacks id, url or version; ignored`);
      return;
    }
    this.upsert(snapshot);
  }

  private upsert(snapshot: EndpointSnapshot): void {
    const held = this.endpoints.get(snapshot.id);
    if (held && held.version > snapshot.version) return;
    this.endpoints.set(snapshot.id, snapshot);
  }

  private remove(key: string): void {
    this.endpoints.delete(key);
    for (const listener of this.removedListeners) listener(key);
  }
}
