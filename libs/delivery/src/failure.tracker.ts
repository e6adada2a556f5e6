/**
 * Remembers since when each endpoint has failed without a single success, for auto-disable. Held in
 * the dispatcher that owns the endpoint's partition; a restart starts the count again, which only
 * ever delays a disable, never causes a wrong one.
 */
export class FailureTracker {
  private readonly failingSince = new Map<string, number>();

  constructor(private readonly disableAfterMs: number) {}

  /** Records one result; true when the endpoint has now failed continuously long enough to disable. */
  record(endpointId: string, failed: boolean, now: number): boolean {
    if (!failed) {
      this.failingSince.delete(endpointId);
      return false;
    }
    const since = this.failingSince.get(endpointId) ?? now;
    this.failingSince.set(endpointId, since);
    return now - since >= this.disableAfterMs;
  }

  since(endpointId: string): number | null {
    return this.failingSince.get(endpointId) ?? null;
  }

  forget(endpointId: string): void {
    this.failingSince.delete(endpointId);
  }
}
