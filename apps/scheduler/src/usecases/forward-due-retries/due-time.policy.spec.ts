import { MAX_TIER_DELAY_FACTOR, resolveDueAt } from './due-time.policy';

describe('resolveDueAt', () => {
  it('takes the header when it is a plausible epoch', () => {
    expect(resolveDueAt('1700000005500', 1_700_000_000_000, 5000)).toEqual({ dueAt: 1_700_000_005_500 });
  });

  it('falls back to produce time plus tier delay when the header is missing or bad', () => {
    expect(resolveDueAt(undefined, 1000, 5000)).toEqual({ dueAt: 6000, problem: 'missing' });
    expect(resolveDueAt('soon', 1000, 5000)).toEqual({ dueAt: 6000, problem: 'invalid' });
    expect(resolveDueAt('-5', 1000, 5000)).toEqual({ dueAt: 6000, problem: 'invalid' });
  });

  it('clamps a due time far past the tier so one bad record cannot hold its partition', () => {
    const latest = 1000 + MAX_TIER_DELAY_FACTOR * 5000 + 1000;
    expect(resolveDueAt(String(10 ** 13), 1000, 5000)).toEqual({ dueAt: latest, problem: 'clamped' });
    // jitter of +20 % is well inside the bound
    expect(resolveDueAt(String(1000 + 6000), 1000, 5000)).toEqual({ dueAt: 7000 });
  });
});
