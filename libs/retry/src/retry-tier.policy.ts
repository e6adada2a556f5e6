import { DomainError, ErrorCode, formatDuration, parseDuration, retryTierTopic } from '@herald/contracts';

/** Longest schedule an endpoint may ask for; keeps a delivery's life bounded. */
export const MAX_RETRY_SCHEDULE_LENGTH = 20;
/** Due times spread ±20% around the scheduled delay so a burst of failures does not retry in lockstep. */
export const RETRY_JITTER = 0.2;

/**
 * Parses and checks a retry schedule (delays of the retries after the immediate first attempt)
 * against the tier delays that have a topic. Returns the delays in milliseconds.
 */
export function validateRetrySchedule(schedule: readonly string[], tiersMs: readonly number[]): number[] {
  if (!Array.isArray(schedule) || schedule.length === 0) {
    throw new DomainError(
      ErrorCode.InvalidRetrySchedule,
      'a retry schedule lists at least one delay, e.g. ["5s","5m","30m"]',
    );
  }
  if (schedule.length > MAX_RETRY_SCHEDULE_LENGTH) {
    throw new DomainError(
      ErrorCode.InvalidRetrySchedule,
      `a retry schedule lists at most ${MAX_RETRY_SCHEDULE_LENGTH} delays, got ${schedule.length}`,
    );
  }
  const tiers = new Set(tiersMs);
  return schedule.map((label, index) => {
    let delay: number;
    try {
      delay = parseDuration(String(label));
    } catch {
      throw new DomainError(
        ErrorCode.InvalidRetrySchedule,
        `retry delay #${index + 1} ("${label}") is not a duration like 5s, 5m, 2h`,
        {
          index,
        },
      );
    }
    if (!tiers.has(delay)) {
      throw new DomainError(
        ErrorCode.UnknownRetryTier,
        `retry delay "${label}" has no retry tier; available tiers: ${[...tiers]
          .sort((a, b) => a - b)
          .map(formatDuration)
          .join(', ')}`,
        { index, delay: label },
      );
    }
    return delay;
  });
}

/** The smallest tier covering `delayMs`, clamped to the largest tier. Tiers must be non-empty. */
export function tierCovering(delayMs: number, tiersMs: readonly number[]): number {
  const sorted = [...tiersMs].sort((a, b) => a - b);
  return sorted.find((tier) => tier >= delayMs) ?? sorted[sorted.length - 1];
}

export function tierTopic(tierMs: number): string {
  return retryTierTopic(formatDuration(tierMs));
}

export interface RetryPlanInput {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** Delays of the retries after the first attempt. */
  scheduleMs: readonly number[];
  tiersMs: readonly number[];
  /** What the receiver asked for with Retry-After, if anything. */
  retryAfterMs?: number | null;
  now: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

export type RetryPlan =
  | { kind: 'retry'; nextAttempt: number; tierMs: number; topic: string; dueAt: number }
  | { kind: 'exhausted' };

/**
 * What to do after a retryable failure: the next attempt's tier and due time, or exhaustion after
 * the last scheduled attempt. A Retry-After longer than the scheduled delay wins, clamped to the
 * largest tier, and moves the record to the smallest tier covering it.
 */
export function planRetry(input: RetryPlanInput): RetryPlan {
  const index = input.attempt - 1;
  if (index >= input.scheduleMs.length) return { kind: 'exhausted' };
  const random = input.random ?? Math.random;
  const scheduled = input.scheduleMs[index];
  const largest = Math.max(...input.tiersMs);
  if (input.retryAfterMs && input.retryAfterMs > scheduled) {
    const wanted = Math.min(input.retryAfterMs, largest);
    // Never earlier than asked; a little later so receivers coming back are not hit all at once.
    const dueAt = input.now + Math.round(wanted * (1 + RETRY_JITTER * random() * 0.5));
    const tierMs = tierCovering(wanted, input.tiersMs);
    return { kind: 'retry', nextAttempt: input.attempt + 1, tierMs, topic: tierTopic(tierMs), dueAt };
  }
  const tierMs = tierCovering(scheduled, input.tiersMs);
  return {
    kind: 'retry',
    nextAttempt: input.attempt + 1,
    tierMs,
    topic: tierTopic(tierMs),
    dueAt: input.now + jittered(scheduled, random),
  };
}

/**
 * Where a delivery goes when it was not attempted (endpoint saturated or its circuit open): the
 * shortest tier, attempt number unchanged.
 */
export function planDeferral(
  tiersMs: readonly number[],
  now: number,
  minimumDelayMs = 0,
  random: () => number = Math.random,
) {
  const tierMs = tierCovering(minimumDelayMs, tiersMs);
  const delay = Math.max(minimumDelayMs, jittered(tierMs, random));
  return { tierMs, topic: tierTopic(tierMs), dueAt: now + delay };
}

export function jittered(delayMs: number, random: () => number = Math.random): number {
  return Math.round(delayMs * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

/** Total attempts a schedule allows: the immediate one plus one per delay. */
export function maxAttempts(scheduleMs: readonly number[]): number {
  return scheduleMs.length + 1;
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`; null if absent or unusable. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
