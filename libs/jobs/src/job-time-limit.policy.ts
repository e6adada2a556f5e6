/**
 * A job's time limit: the configured one, or a shorter one the request asks for. Returns null when the
 * request asks for more than the configured limit allows (the caller answers 422).
 */
export function resolveTimeLimit(requestedMs: number | undefined, maxMs: number): number | null {
  if (requestedMs === undefined) return maxMs;
  if (!Number.isFinite(requestedMs) || requestedMs <= 0 || requestedMs > maxMs) return null;
  return requestedMs;
}
