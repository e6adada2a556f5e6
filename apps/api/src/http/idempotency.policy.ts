/** Status stored while the first request with a key is still running (no HTTP status is 0). */
export const IN_PROGRESS_STATUS = 0;

export interface StoredIdempotency {
  route: string;
  requestHash: string;
  statusCode: number;
  createdAt: Date;
}

export interface IdempotencyContext {
  route: string;
  requestHash: string;
  now: number;
  /** How long a finished response is replayed. */
  ttlMs: number;
  /** A claim older than this belongs to a request that died (a crashed process); it may be taken over. */
  abandonedAfterMs: number;
}

/**
 * What a request carrying an Idempotency-Key does, given the row stored for its key:
 * - `claim`: no row; insert the claim (only one of several concurrent inserts wins) and run;
 * - `expire`: the stored response is past its TTL; delete it, then decide again;
 * - `mismatch`: the key was used for another route or body (422);
 * - `replay`: the first request finished; answer with its stored response;
 * - `wait`: the first request is still running; look again shortly;
 * - `take-over`: the claim was abandoned; take it (only one taker wins) and run.
 */
export type IdempotencyDecision = 'claim' | 'expire' | 'mismatch' | 'replay' | 'wait' | 'take-over';

export function decideIdempotency(
  stored: StoredIdempotency | null,
  context: IdempotencyContext,
): IdempotencyDecision {
  if (!stored) return 'claim';
  const age = context.now - stored.createdAt.getTime();
  const running = stored.statusCode === IN_PROGRESS_STATUS;
  if (!running && age >= context.ttlMs) return 'expire';
  if (stored.route !== context.route || stored.requestHash !== context.requestHash) return 'mismatch';
  if (!running) return 'replay';
  return age >= context.abandonedAfterMs ? 'take-over' : 'wait';
}
