interface Slot {
  inFlight: number;
  tokens: number;
  refilledAt: number;
}

/**
 * In-flight caps per endpoint and globally, plus an optional token bucket per endpoint (burst of one
 * second's worth). Callers never wait on it: a refused acquire means "defer this delivery", so one
 * saturated endpoint never holds the others back.
 */
export class EndpointLimiter {
  private readonly slots = new Map<string, Slot>();
  private globalInFlight = 0;

  constructor(private readonly globalCap: number) {}

  tryAcquire(
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    now: number,
  ): 'ok' | 'concurrency' | 'rate' | 'global' {
    if (this.globalInFlight >= this.globalCap) return 'global';
    let slot = this.slots.get(endpointId);
    if (!slot) {
      slot = { inFlight: 0, tokens: ratePerSecond ?? 0, refilledAt: now };
      this.slots.set(endpointId, slot);
    }
    if (slot.inFlight >= Math.max(1, maxInFlight)) return 'concurrency';
    if (ratePerSecond && ratePerSecond > 0) {
      slot.tokens = Math.min(ratePerSecond, slot.tokens + ((now - slot.refilledAt) / 1000) * ratePerSecond);
      slot.refilledAt = now;
      if (slot.tokens < 1) return 'rate';
      slot.tokens -= 1;
    }
    slot.inFlight += 1;
    this.globalInFlight += 1;
    return 'ok';
  }

  release(endpointId: string): void {
    const slot = this.slots.get(endpointId);
    if (slot && slot.inFlight > 0) slot.inFlight -= 1;
    if (this.globalInFlight > 0) this.globalInFlight -= 1;
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
}
