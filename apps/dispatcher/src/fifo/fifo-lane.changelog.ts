import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { KafkaHeaders, Topics } from '@herald/contracts';
import { ChangelogFollower, KAFKA_CLIENT, readHeader } from '@herald/kafka';
import { ReadinessRegistry } from '@herald/telemetry';
import { EndpointDirectory } from '../endpoints/endpoint-directory';
import { FifoGate } from './fifo-gate';

/**
 * Loads FIFO lanes from the compacted `herald.fifo` topic before consumption starts, and keeps
 * following it: when a rebalance hands this process a partition, the lanes of its endpoints are as
 * the previous owner last wrote them.
 */
@Injectable()
export class FifoLaneChangelog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(FifoLaneChangelog.name);
  private readonly follower: ChangelogFollower;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(ReadinessRegistry) readiness: ReadinessRegistry,
    @Inject(FifoGate) private readonly gate: FifoGate,
    @Inject(EndpointDirectory) private readonly directory: EndpointDirectory,
  ) {
    this.follower = new ChangelogFollower(
      kafka,
      {
        topic: Topics.fifo,
        groupPrefix: 'herald-dispatcher-fifo',
        readiness,
        readinessCheck: 'fifo-lanes',
        loadingMessage: 'FIFO lanes are still loading',
      },
      {
        upsert: (key, value, headers) =>
          gate.applyChangelog(key, value, readHeader(headers, KafkaHeaders.fifoWriter)),
        remove: (key, headers) =>
          gate.applyChangelog(key, null, readHeader(headers, KafkaHeaders.fifoWriter)),
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.follower.start(), this.directory.loaded()]);
    // Endpoints deleted or switched off FIFO while no dispatcher followed them leave lanes behind.
    this.gate.sweep((id) => this.directory.get(id)?.fifo === true);
    this.log.log('FIFO lanes loaded');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
  }
}
