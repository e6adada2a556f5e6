import { EndpointLimiter } from '@herald/delivery';

export type SlotOutcome = 'acquired' | 'concurrency' | 'rate' | 'global';

/**
 * Async front of the limiter: a delivery waits briefly for its endpoint's in-flight slot or rate
 * token, never longer than its deadline, and is otherwise deferred by the caller. Waiting happens per
 * delivery, so a saturated endpoint only delays its own deliveries.
 */
export class EndpointSlots {
  private readonly limiter: EndpointLimiter;
  private waiters: Array<() => void> = [];

  constructor(globalCap: number) {
    this.limiter = new EndpointLimiter(globalCap);
  }

  async acquire(
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    deadline: number,
  ): Promise<SlotOutcome> {
    for (;;) {
      const now = Date.now();
      const result = this.limiter.tryAcquire(endpointId, maxInFlight, ratePerSecond, now);
      if (result === 'ok') return 'acquired';
      const remaining = deadline - now;
      if (remaining <= 0) return result;
      const wait =
        result === 'rate'
          ? Math.min(remaining, Math.max(1, this.limiter.msUntilToken(endpointId, ratePerSecond)))
          : remaining;
      await this.waitForRelease(wait, result !== 'rate');
    }
  }

  release(endpointId: string): void {
    this.limiter.release(endpointId);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  inFlight(endpointId?: string): number {
    return this.limiter.inFlight(endpointId);
  }

  private waitForRelease(ms: number, wakeOnRelease: boolean): Promise<void> {
    return new Promise((resolve) => {
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeOnRelease) this.waiters.push(done);
    });
  }
}
