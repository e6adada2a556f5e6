import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { IHeaders, Kafka } from 'kafkajs';
import { decodeEndpointHealth, KafkaHeaders, Topics } from '@herald/contracts';
import { FailureStreaks } from '@herald/delivery';
import { ChangelogFollower, KAFKA_CLIENT, readHeader } from '@herald/kafka';
import { ReadinessRegistry } from '@herald/telemetry';
import { PROCESS_WRITER_ID } from '../dispatcher.tokens';
import { EndpointDirectory } from '../endpoints/endpoint-directory';

/**
 * Loads failure streaks from the compacted `herald.endpoint-health` topic before consumption starts,
 * and keeps following it, so a restarted dispatcher, or one handed a partition, keeps counting
 * towards auto-disable. Records this process wrote are skipped: its memory is newer.
 */
@Injectable()
export class EndpointHealthChangelog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EndpointHealthChangelog.name);
  private readonly follower: ChangelogFollower;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
    @Inject(FailureStreaks) private readonly streaks: FailureStreaks,
    @Inject(EndpointDirectory) private readonly directory: EndpointDirectory,
    @Inject(PROCESS_WRITER_ID) private readonly writerId: string,
  ) {
    this.follower = new ChangelogFollower(
      kafka,
      {
        topic: Topics.endpointHealth,
        groupPrefix: 'herald-dispatcher-health',
        readiness,
        readinessCheck: 'endpoint-health',
        loadingMessage: 'endpoint failure streaks are still loading',
      },
      {
        upsert: (key, value, headers) => this.apply(key, value, headers),
        remove: (key, headers) => this.apply(key, null, headers),
      },
    );
  }

  /** One record as read back: a streak, or its end (tombstone). */
  apply(key: string, value: Buffer | null, headers: IHeaders): void {
    if (readHeader(headers, KafkaHeaders.healthWriter) === this.writerId) return;
    if (value === null) {
      this.streaks.delete(key);
      return;
    }
    const health = decodeEndpointHealth(value);
    if (!health || health.endpointId !== key) {
      this.log.error(`herald.endpoint-health record ${key} is not an EndpointHealth; ignored`);
      return;
    }
    this.streaks.set(key, {
      version: health.version,
      failingSince: Date.parse(health.failingSince),
      ...(health.threshold ? { threshold: health.threshold } : {}),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.follower.start(), this.directory.loaded()]);
    // Streaks of endpoints deleted, or edited since, while no dispatcher followed them are void.
    for (const id of this.streaks.endpointIds()) {
      const endpoint = this.directory.get(id);
      if (!endpoint) this.streaks.delete(id);
      else this.streaks.pruneBelow(id, endpoint.version);
    }
    this.log.log(`endpoint failure streaks loaded: ${this.streaks.size}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
  }
}
