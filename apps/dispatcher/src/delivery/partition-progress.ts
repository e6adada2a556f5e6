type OffsetState = 'in_flight' | 'done';

/**
 * Which offsets of each partition are being worked on or are durably finished. Attempts may outlive
 * their batch (a slow endpoint); the consumer reads on, commits stop below the oldest attempt still
 * in flight, and records seen again (after a failed write, seek or rebalance) that are done or in
 * flight are skipped rather than sent twice.
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Map<string, OffsetState>>();

  private states(topic: string, partition: number): Map<string, OffsetState> {
    const key = `${topic}:${partition}`;
    let states = this.partitions.get(key);
    if (!states) {
      states = new Map();
      this.partitions.set(key, states);
    }
    return states;
  }

  state(topic: string, partition: number, offset: string): OffsetState | undefined {
    return this.partitions.get(`${topic}:${partition}`)?.get(offset);
  }

  start(topic: string, partition: number, offset: string): void {
    this.states(topic, partition).set(offset, 'in_flight');
  }

  finish(topic: string, partition: number, offset: string): void {
    this.states(topic, partition).set(offset, 'done');
  }

  /** Forgets an offset whose work failed, so it is picked up again on the next read. */
  abandon(topic: string, partition: number, offset: string): void {
    this.states(topic, partition).delete(offset);
  }

  /** The oldest offset still in flight: commits must stay below it. */
  oldestInFlight(topic: string, partition: number): string | undefined {
    let oldest: bigint | undefined;
    for (const [offset, state] of this.states(topic, partition)) {
      if (state !== 'in_flight') continue;
      const value = BigInt(offset);
      if (oldest === undefined || value < oldest) oldest = value;
    }
    return oldest?.toString();
  }

  /** Drops bookkeeping of finished offsets below `before`, which are committed. */
  prune(topic: string, partition: number, before: string): void {
    const states = this.partitions.get(`${topic}:${partition}`);
    if (!states) return;
    const limit = BigInt(before);
    for (const [offset, state] of states) {
      if (state === 'done' && BigInt(offset) < limit) states.delete(offset);
    }
  }
}
