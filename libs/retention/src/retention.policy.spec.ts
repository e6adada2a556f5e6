import {
  bodyRemovedAt,
  checkRetentionOverride,
  effectiveRetention,
  readCutoffs,
  type RetentionSettings,
} from './retention.policy';

const settings: RetentionSettings = {
  recordsDays: 30,
  bodiesDays: 7,
  minDays: 2,
  maxDays: 90,
  partitionsAheadDays: 3,
  intervalMs: 3_600_000,
};

describe('effectiveRetention', () => {
  it('uses the operator defaults without an override', () => {
    expect(effectiveRetention(settings)).toEqual({ recordsDays: 30, bodiesDays: 7 });
    expect(effectiveRetention(settings, { recordsDays: null, bodiesDays: null })).toEqual({
      recordsDays: 30,
      bodiesDays: 7,
    });
  });

  it('takes a workspace override', () => {
    expect(effectiveRetention(settings, { recordsDays: 60, bodiesDays: 14 })).toEqual({
      recordsDays: 60,
      bodiesDays: 14,
    });
  });

  it('never keeps bodies longer than records', () => {
    expect(effectiveRetention(settings, { recordsDays: 3 })).toEqual({ recordsDays: 3, bodiesDays: 3 });
  });

  it('clamps a stored override to bounds that moved since', () => {
    expect(effectiveRetention(settings, { recordsDays: 365, bodiesDays: 1 })).toEqual({
      recordsDays: 90,
      bodiesDays: 2,
    });
  });
});

describe('readCutoffs', () => {
  it('is now minus each retention', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(readCutoffs({ recordsDays: 3, bodiesDays: 1 }, now)).toEqual({
      recordsSince: new Date('2026-03-07T12:00:00Z'),
      bodiesSince: new Date('2026-03-09T12:00:00Z'),
    });
  });

  it('bodyRemovedAt is creation plus body retention', () => {
    expect(bodyRemovedAt(new Date('2026-03-01T05:00:00Z'), { recordsDays: 3, bodiesDays: 1 })).toEqual(
      new Date('2026-03-02T05:00:00Z'),
    );
  });
});

describe('checkRetentionOverride', () => {
  it('accepts values within bounds, and no override at all', () => {
    expect(checkRetentionOverride(settings, { recordsDays: 10, bodiesDays: 5 })).toBeUndefined();
    expect(checkRetentionOverride(settings, {})).toBeUndefined();
  });

  it('names the bounds when a value is outside them', () => {
    expect(checkRetentionOverride(settings, { recordsDays: 1 })).toMatchObject({
      code: 'RETENTION_OUT_OF_BOUNDS',
      field: 'retentionDays',
      bounds: { minDays: 2, maxDays: 90 },
    });
    expect(checkRetentionOverride(settings, { bodiesDays: 91 })).toMatchObject({
      field: 'bodyRetentionDays',
    });
    expect(checkRetentionOverride(settings, { recordsDays: 2.5 })).toMatchObject({ field: 'retentionDays' });
  });

  it('refuses bodies kept longer than the records they belong to', () => {
    expect(checkRetentionOverride(settings, { recordsDays: 5, bodiesDays: 6 })).toMatchObject({
      field: 'bodyRetentionDays',
      bounds: { minDays: 2, maxDays: 5 },
    });
    expect(checkRetentionOverride(settings, { bodiesDays: 31 })).toMatchObject({
      field: 'bodyRetentionDays',
    });
  });
});
