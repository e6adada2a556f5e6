import { RetryTiers, tierRescanMs } from './retry-tiers';
import { schedulerEnv } from './scheduler.env';

describe('RetryTiers', () => {
  it('maps HERALD_RETRY_TIERS to tier topics in ascending order', () => {
    const tiers = new RetryTiers(schedulerEnv.parse({ HERALD_RETRY_TIERS: '5m,5s,1m' }));
    expect(tiers.topics).toEqual(['herald.retry.5s', 'herald.retry.1m', 'herald.retry.5m']);
    expect(tiers.forTopic('herald.retry.1m')?.delayMs).toBe(60_000);
  });

  it('rescans a tier before any record appended after the last look can fall due', () => {
    const tiers = new RetryTiers(schedulerEnv.parse({}));
    const rescan = Object.fromEntries(tiers.all.map((t) => [t.label, t.rescanMs]));
    // the first tier has no smaller tier: Retry-After may ask for any delay, so the floor applies
    expect(rescan['5s']).toBe(1_000);
    // 1m: a Retry-After record could be due 5s after it was produced
    expect(rescan['1m']).toBe(5_000);
    expect(rescan['5m']).toBe(60_000);
    expect(rescan['1d']).toBe(10 * 3_600_000); // 24h is labelled 1d
  });

  it('never goes below the configured floor', () => {
    expect(tierRescanMs(200, 0, 1_000)).toBe(1_000);
    expect(tierRescanMs(2_000, 1_000, 250)).toBe(1_000);
    expect(tierRescanMs(2_000, 1_900, 250)).toBe(1_600);
  });
});
