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
import { SubscriptionIndex } from '@herald/matching';
import { ReadinessRegistry } from '@herald/telemetry';

/**
 * Keeps the subscription index in step with the compacted `herald.subscriptions` topic. Start-up
 * waits until the whole topic is applied, so the router never routes against a partial index.
 */
@Injectable()
export class SubscriptionFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SubscriptionFeed.name);
  private readonly reader: ChangelogReader;
  private started?: Promise<void>;
  private ready = false;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(SubscriptionIndex) private readonly index: SubscriptionIndex,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
  ) {
    this.reader = new ChangelogReader(kafka, Topics.subscriptions, 'herald-router-subscriptions', {
      upsert: (key, value) => this.apply(key, value),
      remove: (key) => this.index.remove(key),
    });
    readiness.register('subscription-index', async () => {
      if (!this.ready) throw new Error('subscription index is still loading');
    });
  }

  onApplicationBootstrap(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  private async start(): Promise<void> {
    await this.reader.start();
    await this.reader.ready;
    this.ready = true;
    this.log.log(`subscription index ready: ${this.index.endpointCount} endpoint(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader.stop();
  }

  private apply(key: string, value: Buffer): void {
    let snapshot: EndpointSnapshot;
    try {
      snapshot = JSON.parse(value.toString('utf8')) as EndpointSnapshot;
    } catch {
      this.log.error(`endpoint ${key}: snapshot is not JSON; ignored`);
      return;
    }
    if (!isSnapshot(snapshot) || snapshot.id !== key) {
      this.log.error(`endpoint ${key}: snapshot lacks id, workspaceId, version or eventTypes; ignored`);
      return;
    }
    if (this.index.upsert(snapshot) === 'rejected') {
      this.log.error(`endpoint ${key}: invalid event type pattern or filter; it will not match until fixed`);
    }
  }
}

function isSnapshot(value: unknown): value is EndpointSnapshot {
  const s = value as Partial<EndpointSnapshot> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.workspaceId === 'string' &&
    typeof s.version === 'number' &&
    Array.isArray(s.eventTypes)
  );
}
