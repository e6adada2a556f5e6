import { loadConfig } from '@herald/config';
import { retentionEnv } from './retention.env';
import { retentionSettingsFromEnv } from './retention.policy';

describe('retentionEnv', () => {
  it('defaults to 30 days of records, 7 of bodies, overrides within 1..90, 3 days ahead, hourly', () => {
    expect(retentionSettingsFromEnv(loadConfig(retentionEnv, {}))).toEqual({
      recordsDays: 30,
      bodiesDays: 7,
      minDays: 1,
      maxDays: 90,
      partitionsAheadDays: 3,
      intervalMs: 3_600_000,
    });
  });

  it('refuses bodies kept longer than records', () => {
    expect(() =>
      loadConfig(retentionEnv, { HERALD_RETENTION_DAYS: '5', HERALD_BODY_RETENTION_DAYS: '6' }),
    ).toThrow(/HERALD_BODY_RETENTION_DAYS .*must be <= HERALD_RETENTION_DAYS \(5\)/);
  });

  it('refuses a default outside the override bounds', () => {
    expect(() => loadConfig(retentionEnv, { HERALD_RETENTION_DAYS: '100' })).toThrow(
      /HERALD_RETENTION_DAYS .*1\.\.90/,
    );
    expect(() =>
      loadConfig(retentionEnv, { HERALD_RETENTION_MIN_DAYS: '10', HERALD_BODY_RETENTION_DAYS: '3' }),
    ).not.toThrow();
    expect(() => loadConfig(retentionEnv, { HERALD_RETENTION_MIN_DAYS: '31' })).toThrow(
      /HERALD_RETENTION_DAYS/,
    );
  });

  it('refuses min above max', () => {
    expect(() =>
      loadConfig(retentionEnv, { HERALD_RETENTION_MIN_DAYS: '20', HERALD_RETENTION_MAX_DAYS: '10' }),
    ).toThrow(/HERALD_RETENTION_MIN_DAYS/);
  });

  it('refuses zero days and a bad interval', () => {
    expect(() => loadConfig(retentionEnv, { HERALD_RETENTION_DAYS: '0' })).toThrow(/HERALD_RETENTION_DAYS/);
    expect(() => loadConfig(retentionEnv, { HERALD_RETENTION_INTERVAL: 'soon' })).toThrow(
      /HERALD_RETENTION_INTERVAL/,
    );
  });
});
