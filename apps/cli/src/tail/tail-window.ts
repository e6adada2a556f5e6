import type { DeliverySummary } from '../output/delivery-lines';

/**
 * What `deliveries tail` has already printed. Each poll re-reads a window of recent deliveries (the
 * projector may write a delivery after a later one), so the same delivery comes back many times; it
 * is printed again only when its status or attempt count moved on. Entries older than the window are
 * forgotten, which keeps memory flat however long the tail runs.
 */
export class TailWindow {
  private readonly seen = new Map<string, { signature: string; createdAtMs: number }>();

  constructor(
    /** Deliveries requested before this are never shown (the tail started then). */
    private readonly startedAtMs: number,
    /** How far back each poll reads. */
    private readonly lookbackMs: number,
  ) {}

  /** The `since` of the next poll: the window's start, never before the tail started. */
  since(nowMs: number): string {
    return new Date(Math.max(this.startedAtMs, nowMs - this.lookbackMs)).toISOString();
  }

  /** New deliveries and those that changed, oldest first, each once per state. */
  observe(deliveries: DeliverySummary[], nowMs: number): DeliverySummary[] {
    const fresh: DeliverySummary[] = [];
    for (const delivery of deliveries) {
      const createdAtMs = Date.parse(delivery.createdAt);
      if (createdAtMs < this.startedAtMs) continue;
      const signature = `${delivery.status}/${delivery.attemptCount}`;
      if (this.seen.get(delivery.id)?.signature === signature) continue;
      this.seen.set(delivery.id, { signature, createdAtMs });
      fresh.push(delivery);
    }
    this.forget(nowMs);
    return fresh.sort(
      (a, b) =>
        Date.parse(a.lastAttemptAt ?? a.createdAt) - Date.parse(b.lastAttemptAt ?? b.createdAt) ||
        a.id.localeCompare(b.id),
    );
  }

  /** How many deliveries it remembers (for tests of the forgetting). */
  get size(): number {
    return this.seen.size;
  }

  private forget(nowMs: number): void {
    // A margin past the lookback, so a delivery at the window's edge is not printed twice.
    const horizon = nowMs - 2 * this.lookbackMs;
    for (const [id, entry] of this.seen) if (entry.createdAtMs < horizon) this.seen.delete(id);
  }
}
