interface Slot {
  workspaceId: string;
  inFlight: number;
  /** Null: no rate limit, so an idle slot holds nothing worth keeping. */
  ratePerSecond: number | null;
  tokens: number;
  refilledAt: number;
}

export type LimiterRefusal = 'global' | 'workspace' | 'concurrency' | 'rate';

/** How the process's attempt slots are shared; both caps count attempts in flight. */
export interface LimiterCaps {
  /** Attempts in flight across every endpoint. */
  global: number;
  /** Attempts in flight across the endpoints of one workspace; at most `global`. */
  workspace: number;
}

/** How often idle rate-limited slots are swept; a bucket refills completely within one second. */
const SWEEP_EVERY_MS = 1_000;

/**
 * In-flight caps per endpoint, per workspace and globally, plus an optional token bucket per
 * endpoint (burst of one second's worth). Callers never wait on it: a refused acquire means "defer
 * this delivery", so one saturated endpoint never holds the others back, and the workspace cap keeps
 * one tenant's hung receivers from holding every global slot. State is kept only for endpoints and
 * workspaces with attempts in flight (and, for a second at most, for buckets still refilling).
 */
export class EndpointLimiter {
  private readonly slots = new Map<string, Slot>();
  private readonly workspaces = new Map<string, number>();
  private globalInFlight = 0;
  private lastSweep = 0;
  readonly caps: LimiterCaps;

  constructor(caps: LimiterCaps | number) {
    const global = Math.max(1, typeof caps === 'number' ? caps : caps.global);
    const workspace = typeof caps === 'number' ? global : caps.workspace;
    this.caps = { global, workspace: Math.min(global, Math.max(1, workspace)) };
  }

  /** The endpoint's own cap as it applies here: never above the workspace share or the global cap. */
  endpointCap(maxInFlight: number): number {
    return Math.min(Math.max(1, maxInFlight), this.caps.workspace, this.caps.global);
  }

  tryAcquire(
    workspaceId: string,
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    now: number,
  ): 'ok' | LimiterRefusal {
    this.sweep(now);
    if (this.globalInFlight >= this.caps.global) return 'global';
    const slot = this.slots.get(endpointId);
    const inFlight = slot?.inFlight ?? 0;
    if (inFlight >= this.endpointCap(maxInFlight)) return 'concurrency';
    // Attempts in flight count against the workspace they were taken for, so releases match them.
    const owner = slot && inFlight > 0 ? slot.workspaceId : workspaceId;
    if ((this.workspaces.get(owner) ?? 0) >= this.caps.workspace) return 'workspace';
    const rate = ratePerSecond && ratePerSecond > 0 ? ratePerSecond : null;
    let tokens = 0;
    if (rate !== null) {
      const previous = slot?.ratePerSecond ? slot : undefined;
      tokens = previous
        ? Math.min(rate, previous.tokens + ((now - previous.refilledAt) / 1000) * rate)
        : rate;
      if (slot) {
        slot.tokens = tokens;
        slot.refilledAt = now;
        slot.ratePerSecond = rate;
      }
      if (tokens < 1) {
        // Keep the drained bucket, or a refusal would hand out a fresh burst next time.
        if (!slot)
          this.slots.set(endpointId, {
            workspaceId,
            inFlight: 0,
            ratePerSecond: rate,
            tokens,
            refilledAt: now,
          });
        return 'rate';
      }
      tokens -= 1;
    }
    if (slot) {
      slot.workspaceId = owner;
      slot.inFlight += 1;
      slot.ratePerSecond = rate;
      slot.tokens = tokens;
      slot.refilledAt = now;
    } else {
      this.slots.set(endpointId, { workspaceId, inFlight: 1, ratePerSecond: rate, tokens, refilledAt: now });
    }
    this.workspaces.set(owner, (this.workspaces.get(owner) ?? 0) + 1);
    this.globalInFlight += 1;
    return 'ok';
  }

  /**
   * Gives back one slot of the endpoint and of its workspace, whose id it returns; a release without
   * an acquire does nothing and returns undefined.
   */
  release(endpointId: string, now = Date.now()): string | undefined {
    const slot = this.slots.get(endpointId);
    if (!slot || slot.inFlight === 0) return undefined;
    slot.inFlight -= 1;
    this.globalInFlight -= 1;
    const held = (this.workspaces.get(slot.workspaceId) ?? 1) - 1;
    if (held > 0) this.workspaces.set(slot.workspaceId, held);
    else this.workspaces.delete(slot.workspaceId);
    if (slot.inFlight === 0 && bucketFull(slot, now)) this.slots.delete(endpointId);
    return slot.workspaceId;
  }

  /** Milliseconds until the endpoint's bucket holds a token again. */
  msUntilToken(endpointId: string, ratePerSecond: number | null): number {
    const slot = this.slots.get(endpointId);
    if (!slot || !ratePerSecond) return 0;
    return Math.max(0, Math.ceil(((1 - slot.tokens) / ratePerSecond) * 1000));
  }

  inFlight(endpointId?: string): number {
    return endpointId === undefined ? this.globalInFlight : (this.slots.get(endpointId)?.inFlight ?? 0);
  }

  workspaceInFlight(workspaceId: string): number {
    return this.workspaces.get(workspaceId) ?? 0;
  }

  /** Endpoints and workspaces the limiter holds state for (to show that idle ones are dropped). */
  get size(): { endpoints: number; workspaces: number } {
    return { endpoints: this.slots.size, workspaces: this.workspaces.size };
  }

  /** Drops idle slots whose bucket has refilled: recreating them full changes nothing. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, slot] of this.slots)
      if (slot.inFlight === 0 && bucketFull(slot, now)) this.slots.delete(id);
  }
}

function bucketFull(slot: Slot, now: number): boolean {
  const rate = slot.ratePerSecond;
  if (!rate) return true;
  return slot.tokens + ((now - slot.refilledAt) / 1000) * rate >= rate;
}
