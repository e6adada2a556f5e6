/**
 * The `herald.dedupe` records a router knows of and when each was written: what it must tombstone once
 * the window has passed, so compaction drops them. Bounded; a record forgotten here is tombstoned by
 * the next router that loads it.
 */
export class MarkerLedger {
  /** Record key -> seenAt, in (roughly) seen order. */
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.seenAt.size;
  }

  seen(key: string, at: number): void {
    if (this.seenAt.has(key)) return;
    this.seenAt.set(key, at);
    if (this.seenAt.size > this.maxEntries) this.seenAt.delete(this.seenAt.keys().next().value!);
  }

  forget(key: string): void {
    this.seenAt.delete(key);
  }

  /** Removes and returns up to `limit` keys written at or before `cutoff`. */
  takeExpired(cutoff: number, limit: number): string[] {
    const expired: string[] = [];
    for (const [key, at] of this.seenAt) {
      if (expired.length >= limit) break;
      if (at <= cutoff) expired.push(key);
    }
    for (const key of expired) this.seenAt.delete(key);
    return expired;
  }

  /** Puts back keys whose tombstones could not be written, due at once. */
  restore(keys: readonly string[]): void {
    for (const key of keys) this.seenAt.set(key, 0);
  }
}
