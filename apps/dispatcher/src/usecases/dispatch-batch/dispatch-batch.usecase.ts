import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { KafkaHeaders } from '@herald/contracts';
import { readHeader, type BatchOutcome } from '@herald/kafka';
import { startConsumerSpan, traced } from '@herald/telemetry';
import { PartitionProgress } from '../../delivery/partition-progress';
import { DISPATCHER_ENV, DISPATCHER_GROUP_ID, type DispatcherEnv } from '../../dispatcher.env';
import { DispatchDeliveryUseCase } from '../dispatch-delivery/dispatch-delivery.usecase';

export interface DispatchBatchCommand {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

/** Pause before re-reading records whose results could not be written. */
const RESUME_AFTER_FAILURE_MS = 1_000;
/** Longest an attempt can take (the timeout cap), so shutdown never waits longer. */
const SHUTDOWN_DRAIN_MS = 30_000;

/**
 * Starts every delivery of a batch at once (each bounded by its endpoint's slots and the global cap)
 * and waits at most HERALD_DISPATCH_BATCH_HOLD for them. Attempts still running then (a slow or hung
 * endpoint, at most its in-flight cap) carry on in the background while the partition is read on;
 * commits stop below the oldest of them, so a restart reads them again. One endpoint's slow attempts
 * therefore never stall the other endpoints sharing its partition.
 */
@Injectable()
export class DispatchBatchUseCase implements BeforeApplicationShutdown {
  private readonly log = new Logger(DispatchBatchUseCase.name);
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(DISPATCHER_ENV) private readonly env: DispatcherEnv,
    @Inject(PartitionProgress) private readonly progress: PartitionProgress,
    @Inject(DispatchDeliveryUseCase) private readonly dispatchDelivery: DispatchDeliveryUseCase,
  ) {}

  /** Lets attempts already running finish and be recorded before the producer goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.running.size === 0) return;
    this.log.log(`waiting for ${this.running.size} attempt(s) in flight`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.running),
      new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_DRAIN_MS))),
    ]);
    clearTimeout(timer);
  }

  async execute(command: DispatchBatchCommand): Promise<BatchOutcome> {
    const { topic, partition, messages } = command;
    const started: Promise<void>[] = [];
    const failed: bigint[] = [];
    for (const message of messages) {
      const offset = message.offset;
      if (this.progress.state(topic, partition, offset)) continue;
      this.progress.start(topic, partition, offset);
      // The process span continues the record's traceparent: the router's send or the scheduler's forward.
      const span = startConsumerSpan({
        topic,
        partition,
        group: DISPATCHER_GROUP_ID,
        offset,
        key: message.key,
        traceparent: readHeader(message.headers, KafkaHeaders.traceparent),
      });
      const work = traced(span, () =>
        this.dispatchDelivery.execute({
          offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        }),
      ).then(
        () => this.progress.finish(topic, partition, offset),
        (error: unknown) => {
          this.progress.abandon(topic, partition, offset);
          failed.push(BigInt(offset));
          this.log.error(
            `delivery at ${topic}:${partition}:${offset} not finished, will be read again: ${(error as Error).message}`,
          );
        },
      );
      this.running.add(work);
      void work.finally(() => this.running.delete(work));
      started.push(work);
    }

    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(started),
      new Promise((resolve) => (timer = setTimeout(resolve, this.env.HERALD_DISPATCH_BATCH_HOLD))),
    ]);
    clearTimeout(timer);

    const last = messages[messages.length - 1].offset;
    let commitBefore = this.progress.oldestInFlight(topic, partition);
    if (failed.length > 0) {
      const firstFailed = failed.reduce((a, b) => (b < a ? b : a));
      if (commitBefore === undefined || firstFailed < BigInt(commitBefore))
        commitBefore = firstFailed.toString();
      const processedThrough =
        firstFailed > BigInt(messages[0].offset) ? (firstFailed - 1n).toString() : null;
      return { processedThrough, resumeAt: Date.now() + RESUME_AFTER_FAILURE_MS, commitBefore };
    }
    this.progress.prune(topic, partition, commitBefore ?? (BigInt(last) + 1n).toString());
    return commitBefore === undefined ? undefined : { processedThrough: last, commitBefore };
  }
}
