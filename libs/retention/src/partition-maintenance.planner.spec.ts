import { planPartitionMaintenance, type PartitionPlanInput } from './partition-maintenance.planner';
import type { RetentionSettings } from './retention.policy';

const settings: RetentionSettings = {
  recordsDays: 3,
  bodiesDays: 1,
  minDays: 1,
  maxDays: 10,
  partitionsAheadDays: 2,
  intervalMs: 3_600_000,
};
const tables = { records: ['deliveries'], bodies: ['delivery_payloads'] };
const plan = (over: Partial<PartitionPlanInput> = {}) =>
  planPartitionMaintenance({
    now: new Date('2026-12-10T12:00:00Z'),
    settings,
    longestOverride: {},
    existing: [],
    tables,
    ...over,
  });
const days = (list: { table: string; day: string }[], table: string) =>
  list.filter((p) => p.table === table).map((p) => p.day);

describe('planPartitionMaintenance', () => {
  it('creates every retained day through the days ahead, per table group', () => {
    const { create } = plan();
    // Records cutoff 2026-12-07T12:00Z: that day is still partly retained.
    expect(days(create, 'deliveries')).toEqual([
      '20261207',
      '20261208',
      '20261209',
      '20261210',
      '20261211',
      '20261212',
    ]);
    expect(days(create, 'delivery_payloads')).toEqual(['20261209', '20261210', '20261211', '20261212']);
  });

  it('creates only what is missing', () => {
    const existing = ['20261207', '20261208', '20261209', '20261210'].map((day) => ({
      table: 'deliveries',
      day,
    }));
    expect(days(plan({ existing }).create, 'deliveries')).toEqual(['20261211', '20261212']);
  });

  it('drops a partition only once its whole day is past the cutoff', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    const existing = ['20261206', '20261207', '20261208'].map((day) => ({ table: 'deliveries', day }));
    // Cutoff 2026-12-07T00:00Z: the 6th ends exactly there and goes; the 7th stays.
    expect(plan({ now, existing }).drop).toEqual([{ table: 'deliveries', day: '20261206' }]);
    const later = new Date('2026-12-10T00:00:01Z');
    expect(plan({ now: later, existing }).drop).toEqual([{ table: 'deliveries', day: '20261206' }]);
    const earlier = new Date('2026-12-09T23:59:59Z');
    expect(plan({ now: earlier, existing }).drop).toEqual([]);
  });

  it('keeps partitions for the longest workspace override, never beyond the maximum', () => {
    const existing = ['20261201', '20261202', '20261203'].map((day) => ({ table: 'deliveries', day }));
    // An 8-day override keeps from 2026-12-02T12:00Z; the 1st goes, the 2nd stays.
    const longer = plan({ existing, longestOverride: { recordsDays: 8 } });
    expect(longer.drop).toEqual([{ table: 'deliveries', day: '20261201' }]);
    expect(longer.sweepCutoffs.records).toEqual(new Date('2026-12-02T12:00:00Z'));
    const huge = plan({ existing, longestOverride: { recordsDays: 400 } });
    expect(huge.sweepCutoffs.records).toEqual(new Date('2026-11-30T12:00:00Z'));
  });

  it('never lets a shorter override shorten what the partitions keep', () => {
    const shorter = plan({ longestOverride: { recordsDays: 1, bodiesDays: 1 } });
    expect(shorter.sweepCutoffs).toEqual({
      records: new Date('2026-12-07T12:00:00Z'),
      bodies: new Date('2026-12-09T12:00:00Z'),
    });
  });

  it('keeps bodies no longer than records', () => {
    const out = plan({ longestOverride: { bodiesDays: 9 } });
    expect(out.sweepCutoffs.bodies).toEqual(out.sweepCutoffs.records);
  });
});
