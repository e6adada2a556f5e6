import { DAY_MS, type RetentionSettings } from './retention.policy';

export interface PlannedPartition {
  table: string;
  /** YYYYMMDD (UTC) */
  day: string;
}

/** A partition to create: it holds rows created in [from, to), i.e. that UTC day. */
export interface PlannedCreate extends PlannedPartition {
  from: Date;
  to: Date;
}

export interface PartitionPlanInput {
  now: Date;
  settings: RetentionSettings;
  /** The longest override any workspace has; partitions must keep at least that long. */
  longestOverride: { recordsDays?: number; bodiesDays?: number };
  existing: PlannedPartition[];
  tables: { records: readonly string[]; bodies: readonly string[] };
}

export interface PartitionPlan {
  create: PlannedCreate[];
  drop: PlannedPartition[];
  /** Rows older than these are past every workspace's retention (sweep them from default partitions). */
  sweepCutoffs: { records: Date; bodies: Date };
}

/** 20261202 for 2026-12-02T13:00Z. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10).replace(/-/g, '');
}

/** The first instant of a YYYYMMDD day, UTC, in ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`);
}

/** `deliveries_p20261202`: the daily partition of `table` holding that UTC day. */
export function partitionName(table: string, day: string): string {
  return `${table}_p${day}`;
}

const PARTITION_NAME = /^(.+)_p(\d{8})$/;

/** The table and day a partitionName() names; undefined for any other name (e.g. a default partition). */
export function parsePartitionName(name: string): PlannedPartition | undefined {
  const match = PARTITION_NAME.exec(name);
  if (!match) return undefined;
  const [, table, day] = match as unknown as [string, string, string];
  // Reject names like _p20261332 that are no real day (and would not round-trip).
  const start = dayStartMs(day);
  if (Number.isNaN(start) || dayKey(new Date(start)) !== day) return undefined;
  return { table, day };
}

/**
 * Which daily partitions the delivery log needs now. Each table keeps as long as the longest
 * retention that applies to it (records tables: the records retention, body tables: the body
 * retention, either raised by a workspace's longer override, clamped to the operator's maximum), so:
 * - every day from the first one still inside that window through `partitionsAheadDays` ahead gets a
 *   partition, so a write for a retained day always lands in one;
 * - a partition is dropped only once its whole day is past the window (its end at or before the cutoff).
 */
export function planPartitionMaintenance(input: PartitionPlanInput): PartitionPlan {
  const { settings, now } = input;
  const clamp = (days: number) => Math.min(settings.maxDays, Math.max(settings.minDays, days));
  const recordsDays = Math.max(settings.recordsDays, clamp(input.longestOverride.recordsDays ?? 0));
  const bodiesDays = Math.min(
    recordsDays,
    Math.max(settings.bodiesDays, clamp(input.longestOverride.bodiesDays ?? 0)),
  );
  const cutoffs = {
    records: new Date(now.getTime() - recordsDays * DAY_MS),
    bodies: new Date(now.getTime() - bodiesDays * DAY_MS),
  };
  const existing = new Set(input.existing.map((p) => `${p.table}|${p.day}`));
  const lastDay = dayStartMs(dayKey(now)) + settings.partitionsAheadDays * DAY_MS;
  const create: PlannedCreate[] = [];
  const drop: PlannedPartition[] = [];
  const groups: [readonly string[], Date][] = [
    [input.tables.records, cutoffs.records],
    [input.tables.bodies, cutoffs.bodies],
  ];
  for (const [tables, cutoff] of groups) {
    for (const table of tables) {
      for (let day = dayStartMs(dayKey(cutoff)); day <= lastDay; day += DAY_MS) {
        const key = dayKey(new Date(day));
        if (!existing.has(`${table}|${key}`)) {
          create.push({ table, day: key, from: new Date(day), to: new Date(day + DAY_MS) });
        }
      }
    }
    for (const p of input.existing) {
      if (tables.includes(p.table) && dayStartMs(p.day) + DAY_MS <= cutoff.getTime()) drop.push(p);
    }
  }
  return { create, drop, sweepCutoffs: cutoffs };
}
