import type { RetentionEnv } from './retention.env';

export const DAY_MS = 86_400_000;

/** Operator retention settings, in days. Overrides of a workspace must lie within [minDays, maxDays]. */
export interface RetentionSettings {
  recordsDays: number;
  bodiesDays: number;
  minDays: number;
  maxDays: number;
  partitionsAheadDays: number;
  intervalMs: number;
}

/** A workspace's own retention (null / absent: the operator default). */
export interface RetentionOverride {
  recordsDays?: number | null;
  bodiesDays?: number | null;
}

export interface EffectiveRetention {
  recordsDays: number;
  bodiesDays: number;
}

/** Rows created before recordsSince are invisible; bodies of rows created before bodiesSince are reported removed. */
export interface ReadCutoffs {
  recordsSince: Date;
  bodiesSince: Date;
}

export function retentionSettingsFromEnv(env: RetentionEnv): RetentionSettings {
  return {
    recordsDays: env.HERALD_RETENTION_DAYS,
    bodiesDays: env.HERALD_BODY_RETENTION_DAYS,
    minDays: env.HERALD_RETENTION_MIN_DAYS,
    maxDays: env.HERALD_RETENTION_MAX_DAYS,
    partitionsAheadDays: env.HERALD_PARTITIONS_AHEAD_DAYS,
    intervalMs: env.HERALD_RETENTION_INTERVAL,
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * What a workspace keeps. Overrides are clamped to the operator's current bounds (the bounds may have moved since
 * the override was stored), and bodies are never kept longer than the records they belong to.
 */
export function effectiveRetention(
  settings: RetentionSettings,
  override?: RetentionOverride | null,
): EffectiveRetention {
  const recordsDays =
    override?.recordsDays != null
      ? clamp(override.recordsDays, settings.minDays, settings.maxDays)
      : settings.recordsDays;
  const bodies =
    override?.bodiesDays != null
      ? clamp(override.bodiesDays, settings.minDays, settings.maxDays)
      : settings.bodiesDays;
  return { recordsDays, bodiesDays: Math.min(bodies, recordsDays) };
}

export function readCutoffs(effective: EffectiveRetention, now: Date): ReadCutoffs {
  return {
    recordsSince: new Date(now.getTime() - effective.recordsDays * DAY_MS),
    bodiesSince: new Date(now.getTime() - effective.bodiesDays * DAY_MS),
  };
}

/** When a body created at createdAt ages out under this retention (the `at` of a retention removal marker). */
export function bodyRemovedAt(createdAt: Date, effective: EffectiveRetention): Date {
  return new Date(createdAt.getTime() + effective.bodiesDays * DAY_MS);
}

export type RetentionOverrideProblem = {
  code: 'RETENTION_OUT_OF_BOUNDS';
  field: 'retentionDays' | 'bodyRetentionDays';
  message: string;
  bounds: { minDays: number; maxDays: number };
};

/**
 * Checks an override a workspace asks for: each value within the operator bounds, and bodies no longer than the
 * records it would keep. Returns the first problem, or undefined when it is acceptable.
 */
export function checkRetentionOverride(
  settings: RetentionSettings,
  override: RetentionOverride,
): RetentionOverrideProblem | undefined {
  const bounds = { minDays: settings.minDays, maxDays: settings.maxDays };
  const fields = [
    ['retentionDays', override.recordsDays],
    ['bodyRetentionDays', override.bodiesDays],
  ] as const;
  for (const [field, value] of fields) {
    if (value == null) continue;
    if (!Number.isInteger(value) || value < settings.minDays || value > settings.maxDays) {
      return {
        code: 'RETENTION_OUT_OF_BOUNDS',
        field,
        bounds,
        message: `${field} must be a whole number of days between ${settings.minDays} and ${settings.maxDays}`,
      };
    }
  }
  const records = override.recordsDays ?? settings.recordsDays;
  if (override.bodiesDays != null && override.bodiesDays > records) {
    return {
      code: 'RETENTION_OUT_OF_BOUNDS',
      field: 'bodyRetentionDays',
      bounds: { minDays: settings.minDays, maxDays: Math.min(settings.maxDays, records) },
      message: `bodyRetentionDays must not exceed the records retention (${records} days)`,
    };
  }
  return undefined;
}
