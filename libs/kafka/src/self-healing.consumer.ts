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

/** Backoff before a consumer that crashed for good is replaced: doubling from 1 s up to 30 s. */
export function crashRestartDelayMs(failures: number): number {
  return Math.min(30_000, 1_000 * 2 ** failures);
}

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
 * and when even stopping hangs (a fetch to a broker cut off holds stop() for the request timeout) it
 * is abandoned and replaced by a new consumer in the same group. A consumer that kafkajs gave up on
 * after a crash it deems not retriable (seen: "Failed to find group coordinator" while every broker
 * was down) is replaced too; kafkajs only disconnects it, and the watchdog never sees it again.
 */
export class SelfHealingConsumer {
  private readonly log = new Logger(SelfHealingConsumer.name);
  private consumer?: Consumer;
  private watchdog?: ConsumerStallWatchdog;
  private closed = false;
  private crashReplacements = 0;
  private crashTimer?: NodeJS.Timeout;

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
      const { error, restart } = event.payload;
      this.log.error(
        `consumer ${config.groupId} crashed${restart ? '' : ' for good, replacing it'}: ${String(error)}`,
      );
      if (!restart) this.replaceLater(consumer);
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
    this.crashReplacements = 0;
  }

  /** Replaces a consumer kafkajs stopped for good, after a backoff; again while starting fails. */
  private replaceLater(crashed: Consumer): void {
    if (this.closed || crashed !== this.consumer || this.crashTimer) return;
    const delay = crashRestartDelayMs(this.crashReplacements);
    this.crashReplacements += 1;
    this.crashTimer = setTimeout(() => {
      this.crashTimer = undefined;
      if (this.closed || crashed !== this.consumer) return;
      void (async () => {
        await this.watchdog?.stop();
        await crashed.disconnect().catch(() => undefined);
        try {
          await this.start();
        } catch (error) {
          this.log.error(
            `consumer ${this.options.config.groupId} did not start again: ${(error as Error).message}`,
          );
          this.replaceLater(this.consumer!);
        }
      })();
    }, delay);
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
    clearTimeout(this.crashTimer);
    await this.watchdog?.stop();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
