/**
 * Shares one read among the callers of the same tick, and never hands a caller a read that started
 * before it asked: a read already in flight may have been answered before the caller's write. A
 * later caller starts its own read at once rather than queueing behind the one in flight, which
 * would cost it up to a second read's time (the router's catch-up waited 4 ms p50 for a 2.5 ms read,
 * bench/README.md "Router catch-up"). Overlapping reads are bounded by the callers, each of which
 * waits for its own.
 */
export class FreshReadCoalescer<T> {
  /** The read created this tick and not yet issued; fresh for any caller until it is. */
  private pending?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  /** A read that starts no earlier than this call. */
  next(): Promise<T> {
    if (this.pending) return this.pending;
    // Issued on the next microtask, so callers in the same tick share it.
    const read = Promise.resolve().then(() => {
      this.pending = undefined;
      return this.read();
    });
    this.pending = read;
    return read;
  }
}
