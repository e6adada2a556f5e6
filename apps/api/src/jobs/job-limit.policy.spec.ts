import { ErrorCode } from '@herald/contracts';
import { decideJobStart, jobLimitError } from './job-limit.policy';

describe('concurrent jobs per workspace', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const endingIn = (seconds: number) => ({ deadlineAt: new Date(now.getTime() + seconds * 1000) });

  it('starts while fewer than the limit run', () => {
    expect(decideJobStart([], 2, now)).toEqual({ start: true });
    expect(decideJobStart([endingIn(900)], 2, now)).toEqual({ start: true });
  });

  it('refuses at the limit, retrying when the earliest deadline frees a place', () => {
    expect(decideJobStart([endingIn(900), endingIn(12.2)], 2, now)).toEqual({
      start: false,
      retryAfterSeconds: 13,
    });
  });

  it('keeps Retry-After between 1 s and 60 s', () => {
    expect(decideJobStart([endingIn(3600)], 1, now)).toEqual({ start: false, retryAfterSeconds: 60 });
    // Past its deadline but not yet ended (its process is gone and no sweep ran yet).
    expect(decideJobStart([endingIn(-30)], 1, now)).toEqual({ start: false, retryAfterSeconds: 1 });
    expect(decideJobStart([{ deadlineAt: null }], 1, now)).toEqual({ start: false, retryAfterSeconds: 60 });
  });

  it('refuses with a code, the limit and when to retry', () => {
    const error = jobLimitError(2, 13);
    expect(error.code).toBe(ErrorCode.JobLimitReached);
    expect(error.details).toEqual({ limit: 2, retryAfterSeconds: 13 });
    expect(error.message).toMatch(/already runs 2 .*limit; retry after 13s/);
  });
});
