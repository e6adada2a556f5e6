import type { AttemptOutcome } from '@herald/contracts';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

/**
 * What a delivery's attempts add up to. The log derives it when read (the view delivery_log, migration
 * 1764900000000); this is the reference the projection tests check that SQL against.
 */
export interface DeliverySummary {
  attemptCount: number;
  anySuccess: boolean;
  /** The "last" attempt by (attempt, startedAt, attemptId): the one whose outcome decides the status. */
  last: { attempt: number; startedAt: number; attemptId: string; outcome: AttemptOutcome } | null;
  /** The latest start of any attempt. */
  lastAttemptAt: number | null;
}

export const EMPTY_SUMMARY: DeliverySummary = {
  attemptCount: 0,
  anySuccess: false,
  last: null,
  lastAttemptAt: null,
};

export interface SummaryAttempt {
  attempt: number;
  startedAt: number;
  attemptId: string;
  outcome: AttemptOutcome;
}

/** True when `a` orders after `b` (the later attempt wins; ties on start time, then id). */
function after(a: SummaryAttempt, b: SummaryAttempt | null): boolean {
  if (!b) return true;
  if (a.attempt !== b.attempt) return a.attempt > b.attempt;
  if (a.startedAt !== b.startedAt) return a.startedAt > b.startedAt;
  return a.attemptId > b.attemptId;
}

/**
 * Merges two summaries of disjoint attempt sets. Commutative and associative, so the summary does not
 * depend on the order or batching in which attempts arrive. Each attempt must be merged once: the
 * caller dedupes by attempt id.
 */
export function mergeSummaries(a: DeliverySummary, b: DeliverySummary): DeliverySummary {
  const last = b.last && after(b.last, a.last) ? b.last : a.last;
  const times = [a.lastAttemptAt, b.lastAttemptAt].filter((t): t is number => t !== null);
  return {
    attemptCount: a.attemptCount + b.attemptCount,
    anySuccess: a.anySuccess || b.anySuccess,
    last,
    lastAttemptAt: times.length ? Math.max(...times) : null,
  };
}

export function summaryOf(attempt: SummaryAttempt): DeliverySummary {
  return {
    attemptCount: 1,
    anySuccess: attempt.outcome === 'succeeded',
    last: attempt,
    lastAttemptAt: attempt.startedAt,
  };
}

/**
 * pending (no attempt) -> retrying -> succeeded (any attempt succeeded) or failed (the last attempt
 * gave up). A request for a later attempt than the last one seen means a retry is on its way.
 * Mirrored by the SQL function herald_delivery_status (migration 1764850000000), which delivery_log uses.
 */
export function deliveryStatus(summary: DeliverySummary, maxRequestedAttempt: number): DeliveryStatus {
  if (summary.anySuccess) return 'succeeded';
  if (!summary.last) return 'pending';
  if (maxRequestedAttempt > summary.last.attempt) return 'retrying';
  if (summary.last.outcome === 'exhausted' || summary.last.outcome === 'endpoint_disabled') return 'failed';
  return 'retrying';
}
