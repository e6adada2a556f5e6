/** Why a record's due time was not taken from its header as-is. */
export type DueTimeProblem = 'missing' | 'invalid' | 'clamped';

export interface ResolvedDueTime {
  dueAt: number;
  problem?: DueTimeProblem;
}

/**
 * A record waits at most this many tier delays past the moment it was produced. The dispatcher's
 * due times stay within the tier delay plus jitter; a header far beyond that would hold every record
 * behind it in the partition, so it is clamped instead of trusted.
 */
export const MAX_TIER_DELAY_FACTOR = 2;

/**
 * The due time travels in the `herald-due-at` header (epoch ms), so a restart or rebalance recomputes
 * it exactly. A record without a usable header falls back to its produce time plus the tier delay:
 * it is still forwarded, never dropped.
 */
export function resolveDueAt(
  header: string | undefined,
  producedAt: number,
  tierDelayMs: number,
): ResolvedDueTime {
  const fallback = producedAt + tierDelayMs;
  if (header === undefined || header.trim() === '') return { dueAt: fallback, problem: 'missing' };
  const parsed = Number(header.trim());
  if (!Number.isSafeInteger(parsed) || parsed < 0) return { dueAt: fallback, problem: 'invalid' };
  const latest = producedAt + MAX_TIER_DELAY_FACTOR * tierDelayMs + 1_000;
  if (Number.isFinite(producedAt) && parsed > latest) return { dueAt: latest, problem: 'clamped' };
  return { dueAt: parsed };
}
