import { EndpointLimiter } from '@herald/delivery';
import { heraldMetrics } from '@herald/telemetry';

export type SlotOutcome = 'acquired' | 'concurrency' | 'rate' | 'global';

interface Waiter {
  wake: () => void;
}

/**
 * Async front of the limiter: a delivery waits briefly, in arrival order, for its endpoint's in-flight
 * slot or rate token, never past its deadline, and is otherwise deferred by the caller. A release
 * wakes only the next waiter of that endpoint (and the next one held by the global cap), so thousands
 * of queued deliveries cost nothing until their turn.
 */
export class EndpointSlots {
  private readonly limiter: EndpointLimiter;
  private readonly endpointQueues = new Map<string, Waiter[]>();
  private readonly globalQueue: Waiter[] = [];

  constructor(globalCap: number) {
    this.limiter = new EndpointLimiter(globalCap);
  }

  private waiting = 0;

  async acquire(
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    deadline: number,
  ): Promise<SlotOutcome> {
    this.waiting += 1;
    try {
      return await this.acquireSlot(endpointId, maxInFlight, ratePerSecond, deadline);
    } finally {
      this.waiting -= 1;
      this.report();
    }
  }

  private async acquireSlot(
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    deadline: number,
  ): Promise<SlotOutcome> {
    // Queue behind earlier waiters of the same endpoint, so order holds and nobody starves.
    if ((this.endpointQueues.get(endpointId)?.length ?? 0) > 0) {
      const woken = await this.wait(this.queueOf(endpointId), deadline - Date.now());
      if (!woken) return 'concurrency';
    }
    for (;;) {
      const now = Date.now();
      const result = this.limiter.tryAcquire(endpointId, maxInFlight, ratePerSecond, now);
      if (result === 'ok') {
        this.wakeNext(endpointId);
        return 'acquired';
      }
      const remaining = deadline - now;
      if (remaining <= 0) return result;
      if (result === 'rate') {
        const untilToken = Math.max(1, this.limiter.msUntilToken(endpointId, ratePerSecond));
        // No token before the deadline: say so now rather than sleep for nothing.
        if (untilToken > remaining) return result;
        await sleep(untilToken);
      } else {
        const queue = result === 'global' ? this.globalQueue : this.queueOf(endpointId);
        if (!(await this.wait(queue, remaining, true))) return result;
      }
    }
  }

  release(endpointId: string): void {
    this.limiter.release(endpointId);
    this.wakeNext(endpointId);
    this.globalQueue.shift()?.wake();
    this.report();
  }

  private report(): void {
    heraldMetrics.dispatchSlots.set({ state: 'in_flight' }, this.limiter.inFlight());
    heraldMetrics.dispatchSlots.set({ state: 'waiting' }, this.waiting);
  }

  inFlight(endpointId?: string): number {
    return this.limiter.inFlight(endpointId);
  }

  private queueOf(endpointId: string): Waiter[] {
    let queue = this.endpointQueues.get(endpointId);
    if (!queue) {
      queue = [];
      this.endpointQueues.set(endpointId, queue);
    }
    return queue;
  }

  private wakeNext(endpointId: string): void {
    const queue = this.endpointQueues.get(endpointId);
    if (!queue) return;
    queue.shift()?.wake();
    if (queue.length === 0) this.endpointQueues.delete(endpointId);
  }

  /** Resolves true when woken, false when `ms` passed first (the waiter then leaves the queue). */
  private wait(queue: Waiter[], ms: number, front = false): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        resolve(false);
      }, ms);
      // A waiter woken but beaten to the slot keeps its place at the head.
      if (front) queue.unshift(waiter);
      else queue.push(waiter);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
