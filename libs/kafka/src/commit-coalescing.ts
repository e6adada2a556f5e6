export interface PartitionCommit {
  topic: string;
  partition: number;
  offset: string;
}

/** Whether a commit goes out at once rather than joining the next periodic one. */
export function commitsAtOnce(options: { forced: boolean; intervalMs: number; closing: boolean }): boolean {
  return options.forced || options.intervalMs <= 0 || options.closing;
}

const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * The offsets waiting for the next periodic commit, latest per partition, and the partitions
 * committed at least once (pausing those is safe from kafkajs #1599). State only, no I/O.
 */
export class CommitCoalescer {
  private readonly pending = new Map<string, PartitionCommit>();
  private readonly committed = new Set<string>();

  get size(): number {
    return this.pending.size;
  }

  /** Holds `commit` for the next flush, replacing an older offset of the same partition. */
  hold(commit: PartitionCommit): void {
    this.pending.set(keyOf(commit.topic, commit.partition), commit);
  }

  /** Forgets the held offset of a partition that is being committed on its own. */
  drop(topic: string, partition: number): void {
    this.pending.delete(keyOf(topic, partition));
  }

  /** Everything held, for one commit request; the coalescer is empty afterwards. */
  take(): PartitionCommit[] {
    const offsets = [...this.pending.values()];
    this.pending.clear();
    return offsets;
  }

  /** Puts back offsets whose commit failed, unless a newer offset of the same partition arrived meanwhile. */
  restore(offsets: readonly PartitionCommit[]): void {
    for (const entry of offsets) {
      const key = keyOf(entry.topic, entry.partition);
      if (!this.pending.has(key)) this.pending.set(key, entry);
    }
  }

  markCommitted(offsets: readonly PartitionCommit[]): void {
    for (const entry of offsets) this.committed.add(keyOf(entry.topic, entry.partition));
  }

  hasCommitted(topic: string, partition: number): boolean {
    return this.committed.has(keyOf(topic, partition));
  }
}
