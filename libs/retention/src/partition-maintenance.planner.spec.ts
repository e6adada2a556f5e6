import {
  parsePartitionName,
  partitionName,
  planPartitionMaintenance,
  type PartitionPlanInput,
} from './partition-maintenance.planner';
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

  it('creates through exactly partitionsAheadDays after today, each spanning its UTC day', () => {
    const ahead = plan({ settings: { ...settings, partitionsAheadDays: 5 } }).create;
    expect(days(ahead, 'deliveries').at(-1)).toBe('20261215');
    // Just before midnight the ahead window still counts from today, not from tomorrow.
    const late = plan({ now: new Date('2026-12-10T23:59:59.999Z') }).create;
    expect(days(late, 'deliveries').at(-1)).toBe('20261212');
    expect(late.find((p) => p.table === 'deliveries' && p.day === '20261212')).toEqual({
      table: 'deliveries',
      day: '20261212',
      from: new Date('2026-12-12T00:00:00Z'),
      to: new Date('2026-12-13T00:00:00Z'),
    });
  });

  it('creates back to the start of a longer override, so writes for any retained day have a partition', () => {
    const { create } = plan({ longestOverride: { recordsDays: 5, bodiesDays: 3 } });
    // 5 days before 2026-12-10T12:00Z is 2026-12-05T12:00Z; bodies: 2026-12-07T12:00Z.
    expect(days(create, 'deliveries')[0]).toBe('20261205');
    expect(days(create, 'delivery_payloads')[0]).toBe('20261207');
  });

  it('drops body partitions at the body cutoff and records partitions at the records cutoff', () => {
    const existing = [
      { table: 'deliveries', day: '20261208' },
      { table: 'delivery_payloads', day: '20261208' },
    ];
    // Bodies cutoff 2026-12-09T12:00Z: the payloads of the 8th go, the records of the 8th stay.
    expect(plan({ existing }).drop).toEqual([{ table: 'delivery_payloads', day: '20261208' }]);
    // A 3-day body override keeps them.
    expect(plan({ existing, longestOverride: { bodiesDays: 3 } }).drop).toEqual([]);
  });

  it('leaves alone partitions of tables it was not given', () => {
    const existing = [{ table: 'other', day: '20200101' }];
    expect(plan({ existing }).drop).toEqual([]);
  });
});

describe('partitionName / parsePartitionName', () => {
  it('round-trips table and day', () => {
    expect(partitionName('attempt_bodies', '20261202')).toBe('attempt_bodies_p20261202');
    expect(parsePartitionName('attempt_bodies_p20261202')).toEqual({
      table: 'attempt_bodies',
      day: '20261202',
    });
  });

  it('rejects default partitions, other names and impossible days', () => {
    expect(parsePartitionName('deliveries_default')).toBeUndefined();
    expect(parsePartitionName('deliveries_p2026120')).toBeUndefined();
    expect(parsePartitionName('deliveries_p20261332')).toBeUndefined();
    expect(parsePartitionName('deliveries_p20260230')).toBeUndefined();
  });
});
