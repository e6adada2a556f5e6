import { EndpointLimiter, type LimiterCaps } from '@herald/delivery';
import { heraldMetrics } from '@herald/telemetry';

export type SlotOutcome = 'acquired' | 'concurrency' | 'rate' | 'global' | 'workspace';

interface Waiter {
  wake: () => void;
}

/**
 * Async front of the limiter: a delivery waits briefly, in arrival order, for its endpoint's in-flight
 * slot or rate token (and its workspace's share of the global slots), never past its deadline, and is
 * otherwise deferred by the caller. A release wakes only the next waiter of that endpoint, of its
 * workspace and of the global cap, so thousands of queued deliveries cost nothing until their turn.
 */
export class EndpointSlots {
  private readonly limiter: EndpointLimiter;
  private readonly endpointQueues = new Map<string, Waiter[]>();
  private readonly workspaceQueues = new Map<string, Waiter[]>();
  private readonly globalQueue: Waiter[] = [];

  /** A number is a global cap with no workspace share below it. */
  constructor(caps: LimiterCaps | number) {
    this.limiter = new EndpointLimiter(caps);
  }

  private waiting = 0;

  async acquire(
    workspaceId: string,
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    deadline: number,
  ): Promise<SlotOutcome> {
    this.waiting += 1;
    try {
      return await this.acquireSlot(workspaceId, endpointId, maxInFlight, ratePerSecond, deadline);
    } finally {
      this.waiting -= 1;
      this.report();
    }
  }

  private async acquireSlot(
    workspaceId: string,
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    deadline: number,
  ): Promise<SlotOutcome> {
    // Queue behind earlier waiters of the same endpoint, so order holds and nobody starves.
    if ((this.endpointQueues.get(endpointId)?.length ?? 0) > 0) {
      const woken = await this.wait(queueOf(this.endpointQueues, endpointId), deadline - Date.now());
      if (!woken) {
        dropIfEmpty(this.endpointQueues, endpointId);
        return 'concurrency';
      }
    }
    for (;;) {
      const now = Date.now();
      const result = this.limiter.tryAcquire(workspaceId, endpointId, maxInFlight, ratePerSecond, now);
      if (result === 'ok') {
        wakeNext(this.endpointQueues, endpointId);
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
        const queue =
          result === 'global'
            ? this.globalQueue
            : result === 'workspace'
              ? queueOf(this.workspaceQueues, workspaceId)
              : queueOf(this.endpointQueues, endpointId);
        if (!(await this.wait(queue, remaining, true))) {
          dropIfEmpty(this.workspaceQueues, workspaceId);
          dropIfEmpty(this.endpointQueues, endpointId);
          return result;
        }
      }
    }
  }

  release(endpointId: string): void {
    const workspaceId = this.limiter.release(endpointId);
    wakeNext(this.endpointQueues, endpointId);
    if (workspaceId !== undefined) wakeNext(this.workspaceQueues, workspaceId);
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

  workspaceInFlight(workspaceId: string): number {
    return this.limiter.workspaceInFlight(workspaceId);
  }

  /** Endpoints and workspaces with state held: the limiter's and the wait queues'. */
  get size(): { endpoints: number; workspaces: number; queues: number } {
    return { ...this.limiter.size, queues: this.endpointQueues.size + this.workspaceQueues.size };
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

function queueOf(queues: Map<string, Waiter[]>, key: string): Waiter[] {
  let queue = queues.get(key);
  if (!queue) {
    queue = [];
    queues.set(key, queue);
  }
  return queue;
}

function wakeNext(queues: Map<string, Waiter[]>, key: string): void {
  const queue = queues.get(key);
  if (!queue) return;
  queue.shift()?.wake();
  if (queue.length === 0) queues.delete(key);
}

/** A waiter that timed out leaves its queue; an empty queue is dropped, so idle keys cost nothing. */
function dropIfEmpty(queues: Map<string, Waiter[]>, key: string): void {
  if (queues.get(key)?.length === 0) queues.delete(key);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
