import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { BatchOutcome } from '@herald/kafka';
import { PartitionProgress } from '../../delivery/partition-progress';
import { DISPATCHER_ENV, type DispatcherEnv } from '../../dispatcher.env';
import { DispatchDeliveryUseCase } from '../dispatch-delivery/dispatch-delivery.usecase';

export interface DispatchBatchCommand {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

/** Pause after a partial batch before the partition is read again. */
const RESUME_AFTER_PARTIAL_MS = 200;
const RESUME_AFTER_FAILURE_MS = 1_000;

/**
 * Runs every delivery of a batch at once (each bounded by its endpoint's slots and the global cap)
 * and waits at most HERALD_DISPATCH_BATCH_HOLD. What finished is committed; attempts still running
 * (a slow or hung endpoint) carry on in the background and the partition is re-read from the first
 * unfinished record, skipping those already done or in flight. So one endpoint's slow attempts never
 * stall the other endpoints that share its partition.
 */
@Injectable()
export class DispatchBatchUseCase {
  private readonly log = new Logger(DispatchBatchUseCase.name);
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(DISPATCHER_ENV) private readonly env: DispatcherEnv,
    @Inject(PartitionProgress) private readonly progress: PartitionProgress,
    @Inject(DispatchDeliveryUseCase) private readonly dispatchDelivery: DispatchDeliveryUseCase,
  ) {}

  async execute(command: DispatchBatchCommand): Promise<BatchOutcome> {
    const { topic, partition, messages } = command;
    const waiting: Promise<unknown>[] = [];
    let failed = false;
    for (const message of messages) {
      const key = `${topic}:${partition}:${message.offset}`;
      const state = this.progress.state(topic, partition, message.offset);
      if (state === 'done') continue;
      if (state === 'in_flight') {
        const already = this.running.get(key);
        if (already) waiting.push(already);
        continue;
      }
      this.progress.start(topic, partition, message.offset);
      const work = this.dispatchDelivery
        .execute({
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        })
        .then(
          () => this.progress.finish(topic, partition, message.offset),
          (error: unknown) => {
            failed = true;
            this.progress.abandon(topic, partition, message.offset);
            this.log.error(
              `delivery at ${key} not finished, will be read again: ${(error as Error).message}`,
            );
          },
        )
        .finally(() => this.running.delete(key));
      this.running.set(key, work);
      waiting.push(work);
    }

    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(waiting),
      new Promise((resolve) => (timer = setTimeout(resolve, this.env.HERALD_DISPATCH_BATCH_HOLD))),
    ]);
    clearTimeout(timer);

    const offsets = messages.map((m) => m.offset);
    const through = this.progress.doneThrough(topic, partition, offsets);
    if (through !== null) this.progress.prune(topic, partition, through);
    if (through === offsets[offsets.length - 1]) return undefined;
    return {
      processedThrough: through,
      resumeAt: Date.now() + (failed ? RESUME_AFTER_FAILURE_MS : RESUME_AFTER_PARTIAL_MS),
    };
  }
}
