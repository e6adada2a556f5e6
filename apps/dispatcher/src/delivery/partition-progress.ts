type OffsetState = 'in_flight' | 'done';

/**
 * Which offsets of each partition are being worked on or are durably finished. A batch handler may
 * return before its slow attempts end; the partition is then re-read from the first unfinished offset
 * and the records already done or still in flight are skipped instead of sent twice.
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

  /** The last offset of the leading run of finished offsets, or null when the first is unfinished. */
  doneThrough(topic: string, partition: number, offsets: readonly string[]): string | null {
    const states = this.states(topic, partition);
    let through: string | null = null;
    for (const offset of offsets) {
      if (states.get(offset) !== 'done') break;
      through = offset;
    }
    return through;
  }

  /** Drops bookkeeping for offsets now committed. */
  prune(topic: string, partition: number, through: string): void {
    const states = this.partitions.get(`${topic}:${partition}`);
    if (!states) return;
    const limit = BigInt(through);
    for (const [offset, state] of states) {
      if (state === 'done' && BigInt(offset) <= limit) states.delete(offset);
    }
  }
}
