/**
 * Where seen webhook ids live. `claim` must be atomic (Redis `SET key 1 NX PX ttl`, an INSERT with a
 * unique key): true when the id was not there and now is, false when it already was.
 */
export interface DedupeStore {
  claim(key: string, ttlMs: number): Promise<boolean> | boolean;
  /** Forgets a claim, so a delivery whose handler failed can be processed on Herald's retry. */
  release(key: string): Promise<void> | void;
}

/** In-process store with expiry; fine for one instance and for tests, not shared between servers. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.set(key, now + ttlMs);
    if (this.expiries.size % 1024 === 0) this.sweep(now);
    return true;
  }

  release(key: string): void {
    this.expiries.delete(key);
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(now: number): void {
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
  }
}

export interface DedupeOptions {
  store?: DedupeStore;
  /** How long an id is remembered. Default 24 h: longer than a retry is likely to come back. */
  ttlSeconds?: number;
  /** Keys several receivers sharing one store apart. */
  prefix?: string;
}

export interface Deduper {
  /**
   * Runs `handler` unless this webhook-id was already processed within the TTL; returns whether it ran.
   * A handler that throws releases the id, so Herald's retry is processed.
   */
  once(id: string | null | undefined, handler: () => Promise<void> | void): Promise<boolean>;
}

export function createDeduper(options: DedupeOptions = {}): Deduper {
  const store = options.store ?? new MemoryDedupeStore();
  const ttlMs = (options.ttlSeconds ?? 86_400) * 1000;
  const prefix = options.prefix ?? 'herald:webhook:';
  return {
    async once(id, handler) {
      // Without an id there is nothing to dedupe on: run it (raw profiles may be configured so).
      if (!id) {
        await handler();
        return true;
      }
      const key = prefix + id;
      if (!(await store.claim(key, ttlMs))) return false;
      try {
        await handler();
      } catch (error) {
        await store.release(key);
        throw error;
      }
      return true;
    },
  };
}
