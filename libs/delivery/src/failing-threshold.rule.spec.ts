import { announcesRecovery, crossedFailingThreshold } from './failing-threshold.rule';

const WINDOW = 10_000;
const at = (elapsed: number, announced?: 50 | 70 | 90) =>
  crossedFailingThreshold({ failingSince: 1_000, announced, now: 1_000 + elapsed, windowMs: WINDOW });

describe('crossedFailingThreshold', () => {
  it('announces nothing before half the window', () => {
    expect(at(0)).toBeNull();
    expect(at(4_999)).toBeNull();
  });

  it('announces 50, 70 and 90 % exactly when reached', () => {
    expect(at(5_000)).toBe(50);
    expect(at(7_000, 50)).toBe(70);
    expect(at(9_000, 70)).toBe(90);
  });

  it('announces each level once per streak', () => {
    expect(at(6_000, 50)).toBeNull();
    expect(at(8_500, 70)).toBeNull();
    expect(at(9_999, 90)).toBeNull();
  });

  it('announces the level really reached when attempts skip some, never a lower one late', () => {
    expect(at(7_500)).toBe(70);
    expect(at(9_500, 50)).toBe(90);
  });

  it('announces nothing once the window is over: the disable is announced instead', () => {
    expect(at(10_000)).toBeNull();
    expect(at(50_000, 50)).toBeNull();
    expect(
      crossedFailingThreshold({ failingSince: 0, announced: undefined, now: 5, windowMs: 0 }),
    ).toBeNull();
  });
});

describe('announcesRecovery', () => {
  it('only a streak that crossed at least the first level ends with endpoint.recovered', () => {
    expect(announcesRecovery(undefined)).toBe(false);
    expect(announcesRecovery({})).toBe(false);
    expect(announcesRecovery({ threshold: 50 })).toBe(true);
    expect(announcesRecovery({ threshold: 90 })).toBe(true);
  });
});
