import { DomainError, ErrorCode } from '@herald/contracts';

/** A job of the workspace still queued or running: it holds one of the workspace's places. */
export interface ActiveJob {
  /** Null only on rows from before jobs had a time limit. */
  deadlineAt: Date | null;
}

export type JobStartDecision = { start: true } | { start: false; retryAfterSeconds: number };

/** The longest Retry-After a refusal gives: a job usually ends well before its deadline. */
const MAX_RETRY_AFTER_S = 60;

/**
 * A workspace runs at most `max` backfill and recover jobs at once; ended jobs (succeeded, failed,
 * timed_out, cancelled) hold no place. A refusal's Retry-After is when the first place frees at the
 * latest (the earliest deadline), between 1 s and 60 s.
 */
export function decideJobStart(active: readonly ActiveJob[], max: number, now: Date): JobStartDecision {
  if (active.length < max) return { start: true };
  const deadlines = active.flatMap((job) => (job.deadlineAt ? [job.deadlineAt.getTime()] : []));
  const seconds = deadlines.length
    ? Math.ceil((Math.min(...deadlines) - now.getTime()) / 1000)
    : MAX_RETRY_AFTER_S;
  return { start: false, retryAfterSeconds: Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds)) };
}

/** 429 JOB_LIMIT_REACHED with Retry-After. */
export function jobLimitError(max: number, retryAfterSeconds: number): DomainError {
  return new DomainError(
    ErrorCode.JobLimitReached,
    `this workspace already runs ${max} backfill or recover job(s), its limit; retry after ${retryAfterSeconds}s or cancel one`,
    { limit: max, retryAfterSeconds },
  );
}
