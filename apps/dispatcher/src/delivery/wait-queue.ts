interface Waiter {
  /** When this waiter started its current wait. */
  since: number;
  timer?: NodeJS.Timeout;
  wake: () => void;
  giveUp: () => void;
}

/**
 * Deliveries waiting, in arrival order, for one kind of slot (an endpoint's, a workspace's share, the
 * global cap). A waiter gives up only when the queue stalls: nobody in it was woken for `stallMs`,
 * counted from the later of its arrival and the last wake. So a slow endpoint that keeps freeing slots
 * keeps its queue, however long, and only one that frees none (hung, or every slot stuck) sends its
 * waiters back to be deferred.
 */
export class WaitQueue {
  private readonly waiters: Waiter[] = [];
  private progressAt = 0;

  constructor(private readonly stallMs: number) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Resolves true when woken, false when the queue stalled first (the waiter then leaves it). */
  wait(front = false): Promise<boolean> {
    if (this.stallMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        since: Date.now(),
        wake: () => {
          clearTimeout(waiter.timer);
          resolve(true);
        },
        giveUp: () => resolve(false),
      };
      this.arm(waiter, this.stallMs);
      // A waiter woken but beaten to the slot keeps its place at the head.
      if (front) this.waiters.unshift(waiter);
      else this.waiters.push(waiter);
    });
  }

  /** Wakes the head waiter, if any; that counts as progress for everyone behind it. */
  wakeNext(): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    this.progressAt = Date.now();
    waiter.wake();
  }

  /** One timer per waiter, re-armed on expiry when the queue moved meanwhile: O(1) per wake. */
  private arm(waiter: Waiter, ms: number): void {
    waiter.timer = setTimeout(() => {
      const left = Math.max(waiter.since, this.progressAt) + this.stallMs - Date.now();
      if (left > 0) return this.arm(waiter, left);
      const index = this.waiters.indexOf(waiter);
      if (index >= 0) this.waiters.splice(index, 1);
      waiter.giveUp();
    }, ms);
  }
}
