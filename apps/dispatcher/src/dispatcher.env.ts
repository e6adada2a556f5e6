import { z } from 'zod';
import { MAX_ATTEMPT_TIMEOUT_MS } from '@herald/contracts';
import { envDuration, envInt, envList } from '@herald/config';
import { parseCidrs } from '@herald/egress';

export const DISPATCHER_GROUP_ID = 'herald-dispatcher';

/** Dispatcher settings; retry delays come from the retry lib's env, master keys from the signing lib's. */
export const dispatcherEnv = z
  .object({
    /** Attempts in flight across all endpoints in this process. */
    HERALD_GLOBAL_CONCURRENCY: envInt(512, 1, 100_000),
    /**
     * Attempts in flight across one workspace's endpoints in this process, so one tenant's hung
     * receivers cannot hold every global slot. Unset: a quarter of HERALD_GLOBAL_CONCURRENCY (see
     * workspaceConcurrency); equal to it: no share.
     */
    HERALD_WORKSPACE_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).optional(),
    /** In-flight cap for endpoints whose snapshot sets none. */
    HERALD_ENDPOINT_CONCURRENCY: envInt(10, 1, 10_000),
    /** Attempt timeout for endpoints whose snapshot sets none; never above 30s. */
    HERALD_DEFAULT_TIMEOUT: envDuration('15s').refine(
      (ms) => ms > 0 && ms <= MAX_ATTEMPT_TIMEOUT_MS,
      `must be between 1ms and ${MAX_ATTEMPT_TIMEOUT_MS / 1000}s`,
    ),
    /** CIDRs reachable even though private (e.g. 10.20.0.0/16,fd00::/8). */
    HERALD_EGRESS_ALLOW_CIDRS: envList([]).refine((list) => {
      try {
        parseCidrs(list);
        return true;
      } catch {
        return false;
      }
    }, 'expected a comma list of CIDRs, e.g. 10.20.0.0/16,fd00::/8'),
    /** An endpoint failing without a single success for this long is disabled. */
    HERALD_AUTO_DISABLE_AFTER: envDuration('5d'),
    /** Failure ratio over the window that opens an endpoint's circuit. */
    HERALD_BREAKER_FAILURE_RATE: z.coerce.number().gt(0).max(1).default(0.5),
    /** Attempts the window must hold before the ratio counts. */
    HERALD_BREAKER_MIN_ATTEMPTS: envInt(20, 1, 1_000_000),
    HERALD_BREAKER_WINDOW: envDuration('60s'),
    /** How long an open circuit waits before one probe. */
    HERALD_BREAKER_OPEN_FOR: envDuration('30s'),
    /**
     * How long a delivery waits for its endpoint's in-flight slot or rate token while none is freed,
     * before it is deferred to a retry tier: a slow endpoint that keeps freeing slots keeps its queue,
     * a hung one sends it back after this long.
     */
    HERALD_DISPATCH_SLOT_WAIT: envDuration('1s'),
    /** Deliveries one endpoint may have waiting for a slot; beyond it they are deferred at once. */
    HERALD_DISPATCH_MAX_WAITING_PER_ENDPOINT: envInt(1_000, 1, 1_000_000),
    /** Deliveries waiting for a slot in this process, which bounds the memory their records hold. */
    HERALD_DISPATCH_MAX_WAITING: envInt(10_000, 1, 10_000_000),
    /**
     * Longest a batch handler waits for its deliveries to get a slot (or be deferred) before reading on;
     * attempts always finish in the background, so a hung endpoint never holds the partition.
     */
    HERALD_DISPATCH_BATCH_HOLD: envDuration('2s'),
    /**
     * How long attempt records (and retries, dead letters) wait to share a produce request with others.
     * Larger means fewer requests (less CPU) and fuller projector batches; the HTTP attempt is not delayed.
     */
    HERALD_DISPATCH_OUTPUT_LINGER: envDuration('50ms').refine(
      (ms) => ms >= 0 && ms <= 1_000,
      'must be between 0 and 1s',
    ),
    /**
     * Longest a batch waits for the endpoint directory to read herald.subscriptions up to an endpoint
     * it has not heard of (or a newer version than it holds) before dispatching; on timeout the batch
     * is read again later rather than dead-lettered as endpoint_not_found.
     */
    HERALD_DISPATCH_CATCH_UP_TIMEOUT: envDuration('5s').refine(
      (ms) => ms >= 100 && ms <= 60_000,
      'must be between 100ms and 60s',
    ),
    /** Partitions of herald.deliveries processed at once. */
    HERALD_DISPATCHER_PARTITIONS_CONCURRENTLY: envInt(8, 1, 1024),
    /** Keep-alive connections per receiver origin. */
    HERALD_CONNECTIONS_PER_ORIGIN: envInt(32, 1, 4096),
  })
  .refine(
    (env) =>
      env.HERALD_WORKSPACE_CONCURRENCY === undefined ||
      env.HERALD_WORKSPACE_CONCURRENCY <= env.HERALD_GLOBAL_CONCURRENCY,
    { message: 'must not exceed HERALD_GLOBAL_CONCURRENCY', path: ['HERALD_WORKSPACE_CONCURRENCY'] },
  );

export type DispatcherEnv = z.infer<typeof dispatcherEnv>;
export const DISPATCHER_ENV = Symbol('DISPATCHER_ENV');

/** Share of the global slots when none is set: four hung tenants at most fill the process. */
export const DEFAULT_WORKSPACE_SHARE = 0.25;

/** The per-workspace in-flight cap in force: the setting, or a quarter of the global cap. */
export function workspaceConcurrency(env: DispatcherEnv): number {
  return (
    env.HERALD_WORKSPACE_CONCURRENCY ??
    Math.max(1, Math.floor(env.HERALD_GLOBAL_CONCURRENCY * DEFAULT_WORKSPACE_SHARE))
  );
}
