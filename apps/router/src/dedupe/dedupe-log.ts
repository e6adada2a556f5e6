import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics } from '@herald/contracts';
import { ChangelogFollower, HeraldProducer, KAFKA_CLIENT } from '@herald/kafka';
import { ReadinessRegistry } from '@herald/telemetry';
import { DedupeWindow } from './dedupe-window';
import { dedupeTombstone, type DedupeMarker } from './dedupe-marker';

const PRUNE_EVERY_MS = 60_000;

/**
 * Rebuilds the dedupe window from the compacted `herald.dedupe` topic at start-up and follows it
 * (so routers share what each has seen). Expired ids are tombstoned so compaction drops them.
 */
@Injectable()
export class DedupeLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DedupeLog.name);
  private readonly changelog: ChangelogFollower;
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(DedupeWindow) private readonly window: DedupeWindow,
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
  ) {
    this.changelog = new ChangelogFollower(
      kafka,
      {
        topic: Topics.dedupe,
        groupPrefix: 'herald-router-dedupe',
        readiness,
        readinessCheck: 'dedupe-window',
        loadingMessage: 'dedupe window is still loading',
        onLoaded: () => {
          this.log.log(`dedupe window ready: ${this.window.size} event id(s)`);
          this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
          this.pruneTimer.unref();
        },
      },
      {
        upsert: (key, value) => this.apply(key, value),
        remove: (key) => this.window.forget(key),
      },
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.changelog.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.changelog.stop();
  }

  private apply(key: string, value: Buffer): void {
    try {
      const marker = JSON.parse(value.toString('utf8')) as DedupeMarker;
      if (typeof marker.seenAt === 'number') this.window.record(key, marker.seenAt, Date.now());
    } catch {
      // A malformed marker only weakens duplicate suppression for one id.
    }
  }

  private async prune(): Promise<void> {
    const expired = this.window.prune(Date.now());
    if (expired.length === 0) return;
    try {
      await this.producer.send(expired.map(dedupeTombstone));
    } catch (error) {
      this.log.warn(
        `could not tombstone ${expired.length} expired dedupe id(s): ${(error as Error).message}`,
      );
    }
  }
}
