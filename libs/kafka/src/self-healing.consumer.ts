import { Logger } from '@nestjs/common';
import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { consumerSessionEnv } from './consumer-session.env';
import { ConsumerStallWatchdog } from './consumer-stall.watchdog';

export interface SelfHealingConsumerOptions {
  kafka: Kafka;
  /** Without a sessionTimeout, KAFKA_SESSION_TIMEOUT applies. */
  config: ConsumerConfig;
  topics: string[];
  fromBeginning: boolean;
  run: ConsumerRunConfig;
  /** Whether the group commits offsets (the watchdog then reads them as positions). */
  commits: boolean;
  isPaused?: (topic: string, partition: number) => boolean;
}

/** How long a stuck consumer gets to stop before it is abandoned for a new one. */
const STOP_GRACE_MS = 10_000;

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/**
 * A kafkajs consumer that recovers from stalls its watchdog detects: it is stopped and run again,
 * and when even stopping hangs (seen after injected Fetch errors) it is abandoned and replaced by a
 * new consumer in the same group.
 */
export class SelfHealingConsumer {
  private readonly log = new Logger(SelfHealingConsumer.name);
  private consumer?: Consumer;
  private watchdog?: ConsumerStallWatchdog;
  private closed = false;

  constructor(private readonly options: SelfHealingConsumerOptions) {}

  /** The consumer now in charge; commits, seeks and pauses go to it. */
  get current(): Consumer {
    if (!this.consumer) throw new Error('consumer not started');
    return this.consumer;
  }

  async start(): Promise<void> {
    const { kafka, topics, fromBeginning, run, commits, isPaused } = this.options;
    const config: ConsumerConfig = {
      ...this.options.config,
      sessionTimeout:
        this.options.config.sessionTimeout ?? loadConfig(consumerSessionEnv).KAFKA_SESSION_TIMEOUT,
    };
    const consumer = kafka.consumer(config);
    consumer.on(consumer.events.CRASH, (event) => {
      this.log.error(`consumer ${config.groupId} crashed: ${String(event.payload.error)}`);
    });
    this.consumer = consumer;
    this.watchdog = new ConsumerStallWatchdog({
      kafka,
      consumer,
      groupId: config.groupId,
      useCommittedOffsets: commits,
      fromBeginning,
      isPaused,
      restart: () => this.recover(consumer),
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    await consumer.run(run);
    this.watchdog.start();
  }

  /** The watchdog saw the consumer's position not move for its stall timeout. */
  noteProgress(topic: string, partition: number, nextOffset: string): void {
    this.watchdog?.noteProgress(topic, partition, nextOffset);
  }

  private async recover(stalled: Consumer): Promise<void> {
    if (this.closed || stalled !== this.consumer) return;
    if (await settlesWithin(stalled.stop(), STOP_GRACE_MS)) {
      if (!this.closed) await stalled.run(this.options.run);
      return;
    }
    this.log.warn(
      `consumer ${this.options.config.groupId} did not stop within ${STOP_GRACE_MS} ms; replacing it`,
    );
    await this.watchdog?.stop();
    void settlesWithin(stalled.disconnect(), STOP_GRACE_MS);
    if (!this.closed) await this.start();
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.watchdog?.stop();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
