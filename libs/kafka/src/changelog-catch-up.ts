/** One partition's offsets as ListOffsets reports them. */
export interface PartitionWatermark {
  partition: number;
  high: string;
  low: string;
}

/** Next offset to apply per partition: the last applied record's offset plus one. */
export type AppliedPositions = ReadonlyMap<number, bigint>;

/**
 * The position each partition must reach to have applied everything below its high watermark;
 * a partition with nothing between its low and high watermarks needs nothing.
 */
export function catchUpTargets(watermarks: readonly PartitionWatermark[]): Map<number, bigint> {
  const targets = new Map<number, bigint>();
  for (const { partition, high, low } of watermarks) {
    if (BigInt(high) > BigInt(low)) targets.set(partition, BigInt(high));
  }
  return targets;
}

/** Whether every partition's applied position reached its target. */
export function reached(applied: AppliedPositions, targets: ReadonlyMap<number, bigint>): boolean {
  for (const [partition, target] of targets) {
    const position = applied.get(partition);
    if (position === undefined || position < target) return false;
  }
  return true;
}

/**
 * The position after a batch, from kafkajs's lastOffset() rather than the last handed-over message:
 * records it filters out (control records, aborted ones) may follow that message, and the high
 * watermark counts them.
 */
export function positionAfter(lastOffset: string): bigint {
  return BigInt(lastOffset) + 1n;
}

interface Waiter {
  targets: ReadonlyMap<number, bigint>;
  resolve(reached: boolean): void;
  timer?: NodeJS.Timeout;
}

/** Callers waiting for the applied positions to reach their targets, each with its own bound. */
export class CatchUpWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly applied: AppliedPositions) {}

  get size(): number {
    return this.waiters.size;
  }

  /** Resolves true once the targets are reached, false after `timeoutMs` (unbounded when omitted). */
  wait(targets: ReadonlyMap<number, bigint>, timeoutMs?: number): Promise<boolean> {
    if (reached(this.applied, targets)) return Promise.resolve(true);
    if (timeoutMs !== undefined && timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = { targets, resolve };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs);
        waiter.timer.unref();
      }
      this.waiters.add(waiter);
    });
  }

  /** Call after the applied positions moved. */
  notify(): void {
    for (const waiter of this.waiters) {
      if (!reached(this.applied, waiter.targets)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(true);
    }
  }

  /** Fails every waiter at once (the reader stopped). */
  cancelAll(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters.clear();
  }
}
