import { DomainError, ErrorCode, parseDuration } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import {
  jittered,
  maxAttempts,
  parseRetryAfter,
  planDeferral,
  planRetry,
  tierCovering,
  validateRetrySchedule,
} from './retry-tier.policy';
import { retryEnv } from './retry.env';

const TIERS = ['5s', '1m', '5m', '30m', '2h', '5h', '10h', '24h'].map(parseDuration);
const SCHEDULE = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'].map(parseDuration);

/** Small seeded generator so property runs are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('validateRetrySchedule', () => {
  it('accepts schedules made of tier delays', () => {
    expect(validateRetrySchedule(['1m', '5m', '30m', '2h', '24h'], TIERS)).toEqual([
      60_000, 300_000, 1_800_000, 7_200_000, 86_400_000,
    ]);
  });

  it.each([
    [[], ErrorCode.InvalidRetrySchedule],
    [['soon'], ErrorCode.InvalidRetrySchedule],
    [['7m'], ErrorCode.UnknownRetryTier],
    [Array(21).fill('5s'), ErrorCode.InvalidRetrySchedule],
  ])('rejects %j with %s', (schedule, code) => {
    try {
      validateRetrySchedule(schedule as string[], TIERS);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
    }
  });

  it('names the available tiers', () => {
    expect(() => validateRetrySchedule(['7m'], TIERS)).toThrow(/no retry tier; available tiers: 5s, 1m, 5m/);
  });
});

describe('tierCovering', () => {
  it('picks the smallest tier at least as long, clamped to the largest', () => {
    expect(tierCovering(1, TIERS)).toBe(5_000);
    expect(tierCovering(5_000, TIERS)).toBe(5_000);
    expect(tierCovering(5_001, TIERS)).toBe(60_000);
    expect(tierCovering(3 * 86_400_000, TIERS)).toBe(86_400_000);
  });

  it('property: the tier covers the delay unless clamped, and no smaller tier does', () => {
    const random = seeded(42);
    for (let i = 0; i < 5_000; i++) {
      const delay = Math.floor(random() * 2 * 86_400_000);
      const tier = tierCovering(delay, TIERS);
      expect(TIERS).toContain(tier);
      if (delay <= Math.max(...TIERS)) expect(tier).toBeGreaterThanOrEqual(delay);
      else expect(tier).toBe(Math.max(...TIERS));
      for (const smaller of TIERS.filter((t) => t < tier)) expect(smaller).toBeLessThan(delay);
    }
  });
});

describe('planRetry', () => {
  const now = 1_000_000;

  it('gives 8 attempts with the default schedule, then exhaustion', () => {
    expect(maxAttempts(SCHEDULE)).toBe(8);
    for (let attempt = 1; attempt <= 7; attempt++) {
      const plan = planRetry({ attempt, scheduleMs: SCHEDULE, tiersMs: TIERS, now, random: () => 0.5 });
      expect(plan).toEqual({
        kind: 'retry',
        nextAttempt: attempt + 1,
        tierMs: SCHEDULE[attempt - 1],
        topic: expect.stringMatching(/^herald\.retry\./),
        dueAt: now + SCHEDULE[attempt - 1],
      });
    }
    expect(planRetry({ attempt: 8, scheduleMs: SCHEDULE, tiersMs: TIERS, now })).toEqual({
      kind: 'exhausted',
    });
    expect(planRetry({ attempt: 1, scheduleMs: SCHEDULE, tiersMs: TIERS, now })).toMatchObject({
      topic: 'herald.retry.5s',
    });
  });

  it('property: due times stay within ±20% of the scheduled delay and the tier matches it', () => {
    const random = seeded(7);
    for (let i = 0; i < 5_000; i++) {
      const attempt = 1 + Math.floor(random() * SCHEDULE.length);
      const plan = planRetry({ attempt, scheduleMs: SCHEDULE, tiersMs: TIERS, now, random });
      if (plan.kind !== 'retry') throw new Error('expected a retry');
      const delay = SCHEDULE[attempt - 1];
      expect(plan.dueAt - now).toBeGreaterThanOrEqual(Math.floor(delay * 0.8));
      expect(plan.dueAt - now).toBeLessThanOrEqual(Math.ceil(delay * 1.2));
      expect(plan.tierMs).toBe(delay);
    }
  });

  it('property: Retry-After is never undercut, is clamped to the largest tier, and picks the covering tier', () => {
    const random = seeded(99);
    for (let i = 0; i < 5_000; i++) {
      const retryAfterMs = Math.floor(random() * 3 * 86_400_000);
      const plan = planRetry({ attempt: 1, scheduleMs: SCHEDULE, tiersMs: TIERS, now, random, retryAfterMs });
      if (plan.kind !== 'retry') throw new Error('expected a retry');
      const wanted = Math.min(Math.max(retryAfterMs, SCHEDULE[0]), 86_400_000);
      expect(plan.dueAt - now).toBeGreaterThanOrEqual(Math.floor(wanted * 0.8));
      if (retryAfterMs > SCHEDULE[0]) {
        expect(plan.dueAt - now).toBeGreaterThanOrEqual(wanted);
        expect(plan.dueAt - now).toBeLessThanOrEqual(Math.ceil(wanted * 1.1));
        expect(plan.tierMs).toBe(tierCovering(wanted, TIERS));
      }
    }
  });

  it('moves a 90 s Retry-After to the 5m tier', () => {
    const plan = planRetry({
      attempt: 1,
      scheduleMs: SCHEDULE,
      tiersMs: TIERS,
      now,
      retryAfterMs: 90_000,
      random: () => 0,
    });
    expect(plan).toMatchObject({ tierMs: 300_000, topic: 'herald.retry.5m', dueAt: now + 90_000 });
  });
});

describe('planDeferral and jitter', () => {
  it('defers to the shortest tier', () => {
    expect(planDeferral(TIERS, 0, 0, () => 0.5)).toEqual({
      tierMs: 5_000,
      topic: 'herald.retry.5s',
      dueAt: 5_000,
    });
    expect(planDeferral(TIERS, 0, 20_000, () => 0.5)).toMatchObject({
      topic: 'herald.retry.1m',
      dueAt: 60_000,
    });
  });

  it('jitters within bounds', () => {
    expect(jittered(1000, () => 0)).toBe(800);
    expect(jittered(1000, () => 0.999999)).toBe(1200);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
  });
});

describe('retryEnv', () => {
  it('defaults to an 8-attempt schedule over the default tiers', () => {
    const env = loadConfig(retryEnv, {});
    expect(env.HERALD_RETRY_SCHEDULE).toEqual(SCHEDULE);
    expect(env.HERALD_RETRY_TIERS).toEqual(TIERS);
  });

  it('refuses a schedule delay with no tier', () => {
    expect(() => loadConfig(retryEnv, { HERALD_RETRY_SCHEDULE: '7m' })).toThrow(/HERALD_RETRY_SCHEDULE/);
  });
});
