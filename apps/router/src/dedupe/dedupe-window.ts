/**
 * Event ids seen recently, per workspace. An id seen at T is a duplicate until T + window. Memory is
 * bounded: past `maxEntries` the oldest ids are forgotten first (a forgotten id that comes back is
 * fanned out again, and its deterministic delivery ids let downstream collapse it).
 */
export class DedupeWindow {
  /** Insertion order is (roughly) seen order, so the oldest entries sit at the front. */
  private readonly seenAt = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.seenAt.size;
  }

  static key(workspaceId: string, eventId: string): string {
    // Length-prefixed so no workspace/event pair can collide with another.
    return `${workspaceId.length}:${workspaceId}:${eventId}`;
  }

  has(key: string, now: number): boolean {
    const at = this.seenAt.get(key);
    if (at === undefined) return false;
    if (at + this.windowMs <= now) {
      this.seenAt.delete(key);
      return false;
    }
    return true;
  }

  /** Remembers a key; an older sighting is kept (the window runs from the first one). */
  record(key: string, at: number, now: number): void {
    if (at + this.windowMs <= now) return;
    const existing = this.seenAt.get(key);
    if (existing !== undefined && existing <= at) return;
    this.seenAt.delete(key);
    this.seenAt.set(key, at);
    while (this.seenAt.size > this.maxEntries) {
      const oldest = this.seenAt.keys().next().value as string;
      this.seenAt.delete(oldest);
    }
  }

  forget(key: string): void {
    this.seenAt.delete(key);
  }

  /** Drops expired entries from the front, at most `limit`, and returns their keys. */
  prune(now: number, limit = 10_000): string[] {
    const expired: string[] = [];
    for (const [key, at] of this.seenAt) {
      if (expired.length >= limit || at + this.windowMs > now) break;
      expired.push(key);
    }
    for (const key of expired) this.seenAt.delete(key);
    return expired;
  }
}
