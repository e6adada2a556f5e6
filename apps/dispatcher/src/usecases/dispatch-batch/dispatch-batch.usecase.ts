import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { KafkaHeaders } from '@herald/contracts';
import { readHeader, type BatchOutcome } from '@herald/kafka';
import { startConsumerSpan, traced } from '@herald/telemetry';
import { PartitionProgress } from '../../delivery/partition-progress';
import { DISPATCHER_ENV, DISPATCHER_GROUP_ID, type DispatcherEnv } from '../../dispatcher.env';
import { EndpointDirectory } from '../../endpoints/endpoint-directory';
import { type EndpointRef, endpointRefOf } from '../../endpoints/endpoint-freshness.policy';
import { DispatchDeliveryUseCase } from '../dispatch-delivery/dispatch-delivery.usecase';

export interface DispatchBatchCommand {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Commits the partition after the handler returned, as background attempts finish; false when refused. */
  commitLater?: (offset: string) => Promise<boolean>;
  /** Reads the partition again from an offset whose results failed to be written in the background. */
  rewindLater?: (offset: string) => void;
}

/** Pause before re-reading records whose results could not be written. */
const RESUME_AFTER_FAILURE_MS = 1_000;
/** Longest an attempt can take (the timeout cap), so shutdown never waits longer. */
const SHUTDOWN_DRAIN_MS = 30_000;
/** Background completions are committed together, at most this often per partition. */
const COMMIT_DEBOUNCE_MS = 500;

/**
 * Starts every delivery of a batch at once and returns as soon as each one holds its endpoint's slot
 * (or was deferred, or finished), at most HERALD_DISPATCH_BATCH_HOLD later. The attempts then run in
 * the background while the partition is read on, so fetching overlaps with sending and the in-flight
 * caps, not the batch boundary, bound the work. Commits stop below the oldest unfinished attempt (a
 * restart reads it again) and advance from the background as attempts finish. One endpoint's slow
 * attempts therefore never stall the other endpoints sharing its partition.
 */
@Injectable()
export class DispatchBatchUseCase implements BeforeApplicationShutdown {
  private readonly log = new Logger(DispatchBatchUseCase.name);
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(DISPATCHER_ENV) private readonly env: DispatcherEnv,
    @Inject(PartitionProgress) private readonly progress: PartitionProgress,
    @Inject(DispatchDeliveryUseCase) private readonly dispatchDelivery: DispatchDeliveryUseCase,
    @Inject(EndpointDirectory) private readonly directory: Pick<EndpointDirectory, 'catchUpFor'>,
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
    for (const pending of this.timers.values()) clearTimeout(pending);
  }

  async execute(command: DispatchBatchCommand): Promise<BatchOutcome> {
    const { topic, partition, messages } = command;
    // Results of an earlier record failed to be written: read again from there first.
    const failedBefore = this.progress.firstFailed(topic, partition);
    if (failedBefore !== undefined && BigInt(failedBefore) < BigInt(messages[0].offset)) {
      return this.rewind(topic, partition, failedBefore);
    }
    // An endpoint the API created (or changed) just before its event must not be judged on a view
    // that has not read it yet: catch up first, and read the batch again if that takes too long.
    const refs = messages.map(endpointRefOf).filter((ref): ref is EndpointRef => ref !== undefined);
    if (!(await this.directory.catchUpFor(refs, this.env.HERALD_DISPATCH_CATCH_UP_TIMEOUT))) {
      this.log.warn(
        `${topic}:${partition}: endpoint directory did not catch up with herald.subscriptions in time; the batch will be read again`,
      );
      return this.rewind(topic, partition, messages[0].offset);
    }
    const dispatched: Promise<void>[] = [];
    let returned = false;
    for (const message of messages) {
      const offset = message.offset;
      if (!this.progress.shouldStart(topic, partition, offset)) continue;
      this.progress.start(topic, partition, offset);
      let onDispatched!: () => void;
      dispatched.push(new Promise<void>((resolve) => (onDispatched = resolve)));
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
          onDispatched,
        }),
      ).then(
        () => this.progress.finish(topic, partition, offset),
        (error: unknown) => {
          this.progress.fail(topic, partition, offset);
          this.log.error(
            `delivery at ${topic}:${partition}:${offset} not finished, will be read again: ${(error as Error).message}`,
          );
          // The batch already returned, and an idle partition may bring no later batch to rewind it.
          if (returned && command.rewindLater) this.scheduleRewind(topic, partition, command.rewindLater);
        },
      );
      void work.finally(() => {
        onDispatched();
        this.running.delete(work);
        if (command.commitLater) this.scheduleCommit(topic, partition, command.commitLater);
      });
      this.running.add(work);
    }

    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(dispatched),
      new Promise((resolve) => (timer = setTimeout(resolve, this.env.HERALD_DISPATCH_BATCH_HOLD))),
    ]);
    clearTimeout(timer);
    returned = true;

    const failed = this.progress.firstFailed(topic, partition);
    if (failed !== undefined) return this.rewind(topic, partition, failed);
    const last = messages[messages.length - 1].offset;
    const commitBefore = this.progress.oldestUnfinished(topic, partition);
    this.progress.prune(topic, partition, commitBefore ?? (BigInt(last) + 1n).toString());
    return commitBefore === undefined ? undefined : { processedThrough: last, commitBefore };
  }

  private rewind(topic: string, partition: number, from: string): BatchOutcome {
    return {
      processedThrough: null,
      rewindTo: from,
      resumeAt: Date.now() + RESUME_AFTER_FAILURE_MS,
      commitBefore: this.progress.oldestUnfinished(topic, partition) ?? from,
    };
  }

  /** Seeks back to the oldest failed offset after a pause, once per pause per partition. */
  private scheduleRewind(topic: string, partition: number, rewind: (offset: string) => void): void {
    this.once(`rewind:${topic}:${partition}`, RESUME_AFTER_FAILURE_MS, () => {
      const from = this.progress.firstFailed(topic, partition);
      if (from !== undefined) rewind(from);
    });
  }

  /**
   * Commits what background attempts finished, once per debounce window per partition. Finished
   * offsets are forgotten only once committed: after a refused commit (a rebalance) the partition is
   * read again from below them, and they must be skipped rather than sent twice.
   */
  private scheduleCommit(
    topic: string,
    partition: number,
    commit: (offset: string) => Promise<boolean>,
  ): void {
    this.once(`commit:${topic}:${partition}`, COMMIT_DEBOUNCE_MS, () => {
      const point = this.progress.commitPoint(topic, partition);
      if (point === undefined) return;
      void commit(point).then((committed) => {
        if (committed) this.progress.prune(topic, partition, point);
      });
    });
  }

  /** Runs `fn` after `ms` unless a run under the same key is already pending. */
  private once(key: string, ms: number, fn: () => void): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }
}
