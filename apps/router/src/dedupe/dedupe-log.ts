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
import { dedupeTombstone, parseDedupeMarker } from './dedupe-marker';
import { MarkerLedger } from './marker-ledger';

const PRUNE_EVERY_MS = 60_000;
const TOMBSTONES_PER_PRUNE = 10_000;

/**
 * Rebuilds the dedupe window from the compacted `herald.dedupe` topic at start-up and follows it
 * (so routers share what each has seen). Expired markers are tombstoned so compaction drops them.
 */
@Injectable()
export class DedupeLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DedupeLog.name);
  private readonly changelog: ChangelogFollower;
  private pruneTimer?: NodeJS.Timeout;
  private readonly markers: MarkerLedger;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(DedupeWindow) private readonly window: DedupeWindow,
    @Inject(HeraldProducer) private readonly producer: HeraldProducer,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
  ) {
    this.markers = new MarkerLedger(window.maxEntries);
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
        remove: (key) => {
          this.markers.forget(key);
          this.window.forget(key); // a one-event marker from an older router is keyed by the event
        },
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
    // A malformed marker only weakens duplicate suppression for its ids.
    const marker = parseDedupeMarker(key, value);
    if (!marker) return;
    const now = Date.now();
    for (const eventKey of marker.keys) this.window.record(eventKey, marker.seenAt, now);
    // Kept even when already expired, so the next prune tombstones it.
    this.markers.seen(key, marker.seenAt);
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    this.window.prune(now);
    const expired = this.markers.takeExpired(now - this.window.windowMs, TOMBSTONES_PER_PRUNE);
    if (expired.length === 0) return;
    try {
      await this.producer.send(expired.map(dedupeTombstone));
    } catch (error) {
      this.markers.restore(expired);
      this.log.warn(
        `could not tombstone ${expired.length} expired dedupe marker(s): ${(error as Error).message}`,
      );
    }
  }
}
