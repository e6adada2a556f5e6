type OffsetState = 'in_flight' | 'done' | 'failed';

interface Partition {
  states: Map<string, OffsetState>;
  /** Highest offset ever started: with nothing unfinished, commits may reach just past it. */
  highest?: bigint;
}

/**
 * Which offsets of each partition are being worked on, are durably finished, or failed to be written.
 * Attempts outlive their batch; the consumer reads on, commits stop below the oldest unfinished
 * offset, and records seen again (after a seek or rebalance) that are done or in flight are skipped
 * rather than sent twice. A failed offset holds commits until it is read again and finishes.
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Partition>();

  private partitionOf(topic: string, partition: number): Partition {
    const key = `${topic}:${partition}`;
    let entry = this.partitions.get(key);
    if (!entry) {
      entry = { states: new Map() };
      this.partitions.set(key, entry);
    }
    return entry;
  }

  state(topic: string, partition: number, offset: string): OffsetState | undefined {
    return this.partitions.get(`${topic}:${partition}`)?.states.get(offset);
  }

  /** True when the record must be (re)started: never seen, or its earlier run failed. */
  shouldStart(topic: string, partition: number, offset: string): boolean {
    const state = this.state(topic, partition, offset);
    return state === undefined || state === 'failed';
  }

  start(topic: string, partition: number, offset: string): void {
    const entry = this.partitionOf(topic, partition);
    entry.states.set(offset, 'in_flight');
    const value = BigInt(offset);
    if (entry.highest === undefined || value > entry.highest) entry.highest = value;
  }

  finish(topic: string, partition: number, offset: string): void {
    this.partitionOf(topic, partition).states.set(offset, 'done');
  }

  /** The record's results were not written: commits stay below it until it is read again. */
  fail(topic: string, partition: number, offset: string): void {
    this.partitionOf(topic, partition).states.set(offset, 'failed');
  }

  /** The oldest failed offset, to read again from. */
  firstFailed(topic: string, partition: number): string | undefined {
    return this.oldest(topic, partition, (state) => state === 'failed');
  }

  /** The oldest offset not yet durably done: commits must stay below it. */
  oldestUnfinished(topic: string, partition: number): string | undefined {
    return this.oldest(topic, partition, (state) => state !== 'done');
  }

  /** Where the partition may be committed to now (exclusive), or undefined when nothing was started. */
  commitPoint(topic: string, partition: number): string | undefined {
    const unfinished = this.oldestUnfinished(topic, partition);
    if (unfinished !== undefined) return unfinished;
    const highest = this.partitions.get(`${topic}:${partition}`)?.highest;
    return highest === undefined ? undefined : (highest + 1n).toString();
  }

  /** Drops bookkeeping of finished offsets below `before`, which are committed. */
  prune(topic: string, partition: number, before: string): void {
    const states = this.partitions.get(`${topic}:${partition}`)?.states;
    if (!states) return;
    const limit = BigInt(before);
    for (const [offset, state] of states) {
      if (state === 'done' && BigInt(offset) < limit) states.delete(offset);
    }
  }

  private oldest(
    topic: string,
    partition: number,
    match: (state: OffsetState) => boolean,
  ): string | undefined {
    const states = this.partitions.get(`${topic}:${partition}`)?.states;
    if (!states) return undefined;
    let oldest: bigint | undefined;
    for (const [offset, state] of states) {
      if (!match(state)) continue;
      const value = BigInt(offset);
      if (oldest === undefined || value < oldest) oldest = value;
    }
    return oldest?.toString();
  }
}
