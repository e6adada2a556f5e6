import { Injectable } from '@nestjs/common';

/**
 * Offsets of tier records already forwarded but not yet committed, because a not-yet-due record
 * sits before them in the partition. Held in memory only: after a crash they are forwarded again,
 * which at-least-once delivery allows. Entries are dropped as soon as the commit passes them, so the
 * size stays within one fetched batch per partition.
 */
@Injectable()
export class ForwardedOffsetsRegistry {
  private readonly byPartition = new Map<string, Set<string>>();

  has(topic: string, partition: number, offset: string): boolean {
    return this.byPartition.get(key(topic, partition))?.has(offset) ?? false;
  }

  add(topic: string, partition: number, offsets: readonly string[]): void {
    if (offsets.length === 0) return;
    const k = key(topic, partition);
    const set = this.byPartition.get(k) ?? new Set<string>();
    for (const offset of offsets) set.add(offset);
    this.byPartition.set(k, set);
  }

  /** Forgets every offset below `nextOffset` (the partition's next offset to commit). */
  releaseBelow(topic: string, partition: number, nextOffset: string): void {
    const k = key(topic, partition);
    const set = this.byPartition.get(k);
    if (!set) return;
    const limit = BigInt(nextOffset);
    for (const offset of set) if (BigInt(offset) < limit) set.delete(offset);
    if (set.size === 0) this.byPartition.delete(k);
  }

  size(): number {
    let total = 0;
    for (const set of this.byPartition.values()) total += set.size;
    return total;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
