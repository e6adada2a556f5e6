import { EndpointLimiter, type LimiterCaps } from '@herald/delivery';
import { heraldMetrics, observeDispatchSlots } from '@herald/telemetry';
import { WaitQueue } from './wait-queue';

/** `queue_full`: too many deliveries already wait (for the endpoint, or in the process). */
export type SlotOutcome = 'acquired' | 'concurrency' | 'rate' | 'global' | 'workspace' | 'queue_full';

export interface SlotWaitSettings {
  /** A waiter gives up once its queue freed no slot for this long (HERALD_DISPATCH_SLOT_WAIT). */
  stallMs: number;
  /** Deliveries one endpoint may have waiting; more are deferred at once. */
  maxWaitingPerEndpoint: number;
  /** Deliveries the whole process may have waiting, which bounds the memory they hold. */
  maxWaiting: number;
}

const UNBOUNDED = { maxWaitingPerEndpoint: Number.MAX_SAFE_INTEGER, maxWaiting: Number.MAX_SAFE_INTEGER };

/**
 * Async front of the limiter: a delivery waits, in arrival order, for its endpoint's in-flight slot
 * or rate token (and its workspace's share of the global slots) for as long as that queue keeps
 * moving, and is deferred by the caller once it stalls or is full. A release wakes only the next
 * waiter of that endpoint, of its workspace and of the global cap, so thousands of queued deliveries
 * cost nothing until their turn.
 */
export class EndpointSlots {
  private readonly limiter: EndpointLimiter;
  private readonly settings: SlotWaitSettings;
  private readonly endpointQueues = new Map<string, WaitQueue>();
  private readonly workspaceQueues = new Map<string, WaitQueue>();
  private readonly globalQueue: WaitQueue;
  private waiting = 0;

  /** A number is a global cap with no workspace share below it. */
  constructor(caps: LimiterCaps | number, settings: Partial<SlotWaitSettings> & { stallMs: number }) {
    this.limiter = new EndpointLimiter(caps);
    this.settings = { ...UNBOUNDED, ...settings };
    this.globalQueue = new WaitQueue(settings.stallMs);
    // Read at scrape time: nothing per delivery.
    observeDispatchSlots(() => ({ inFlight: this.limiter.inFlight(), waiting: this.waiting }));
  }

  async acquire(
    workspaceId: string,
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
  ): Promise<SlotOutcome> {
    const queued = this.endpointQueues.get(endpointId)?.length ?? 0;
    if (queued > 0 || this.limiter.inFlight(endpointId) >= maxInFlight) {
      if (queued >= this.settings.maxWaitingPerEndpoint || this.waiting >= this.settings.maxWaiting) {
        heraldMetrics.slotDeferrals.inc({ reason: 'queue_full' });
        return 'queue_full';
      }
    }
    this.waiting += 1;
    try {
      const outcome = await this.acquireSlot(workspaceId, endpointId, maxInFlight, ratePerSecond, queued > 0);
      if (outcome !== 'acquired') heraldMetrics.slotDeferrals.inc({ reason: outcome });
      return outcome;
    } finally {
      this.waiting -= 1;
    }
  }

  private async acquireSlot(
    workspaceId: string,
    endpointId: string,
    maxInFlight: number,
    ratePerSecond: number | null,
    behindOthers: boolean,
  ): Promise<SlotOutcome> {
    // Queue behind earlier waiters of the same endpoint, so order holds and nobody starves.
    if (behindOthers && !(await this.waitIn(this.endpointQueues, endpointId, false))) return 'concurrency';
    for (;;) {
      const now = Date.now();
      const result = this.limiter.tryAcquire(workspaceId, endpointId, maxInFlight, ratePerSecond, now);
      if (result === 'ok') {
        this.wakeNext(this.endpointQueues, endpointId);
        return 'acquired';
      }
      if (result === 'rate') {
        const untilToken = Math.max(1, this.limiter.msUntilToken(endpointId, ratePerSecond));
        // A token further away than a stall: say so now rather than sleep for nothing.
        if (untilToken > this.settings.stallMs) return result;
        await sleep(untilToken);
      } else {
        let woken: boolean;
        if (result === 'global') woken = await this.globalQueue.wait(true);
        else if (result === 'workspace') woken = await this.waitIn(this.workspaceQueues, workspaceId, true);
        else woken = await this.waitIn(this.endpointQueues, endpointId, true);
        if (!woken) return result;
      }
    }
  }

  release(endpointId: string): void {
    const workspaceId = this.limiter.release(endpointId);
    this.wakeNext(this.endpointQueues, endpointId);
    if (workspaceId !== undefined) this.wakeNext(this.workspaceQueues, workspaceId);
    this.globalQueue.wakeNext();
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

  /** Waits in the keyed queue; an emptied queue is dropped, so idle keys cost nothing. */
  private async waitIn(queues: Map<string, WaitQueue>, key: string, front: boolean): Promise<boolean> {
    let queue = queues.get(key);
    if (!queue) {
      queue = new WaitQueue(this.settings.stallMs);
      queues.set(key, queue);
    }
    const woken = await queue.wait(front);
    if (queue.length === 0 && queues.get(key) === queue) queues.delete(key);
    return woken;
  }

  private wakeNext(queues: Map<string, WaitQueue>, key: string): void {
    const queue = queues.get(key);
    if (!queue) return;
    queue.wakeNext();
    if (queue.length === 0) queues.delete(key);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
