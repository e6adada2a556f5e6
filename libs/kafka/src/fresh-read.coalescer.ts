/**
 * Shares one read among concurrent callers, but only a read that started after the caller asked:
 * a read already in flight may have been answered before the caller's write, so late callers wait
 * for the next one, which starts as soon as the current one settles. N callers cost at most two
 * reads, and each caller's answer is at least as fresh as its call.
 */
export class FreshReadCoalescer<T> {
  private running?: Promise<T>;
  /** Whether `running` has been issued yet; until then it is fresh for any caller. */
  private issued = false;
  private queued?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  /** A read that starts no earlier than this call. */
  next(): Promise<T> {
    // The queued read has not started yet, so it is fresh enough for this caller too.
    if (this.queued) return this.queued;
    if (!this.running) return this.begin();
    if (!this.issued) return this.running;
    const settled = this.running.then(
      () => undefined,
      () => undefined,
    );
    const queued = settled.then(() => {
      this.queued = undefined;
      return this.begin();
    });
    this.queued = queued;
    return queued;
  }

  private begin(): Promise<T> {
    this.issued = false;
    // Issued on the next microtask, so callers in the same tick share it.
    const read = Promise.resolve().then(() => {
      this.issued = true;
      return this.read();
    });
    this.running = read;
    const clear = () => {
      if (this.running === read) this.running = undefined;
    };
    read.then(clear, clear);
    return read;
  }
}
