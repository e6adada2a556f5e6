import { Inject, Injectable } from '@nestjs/common';
import {
  effectiveRetention,
  partitionName,
  planPartitionMaintenance,
  readCutoffs,
  type RetentionSettings,
} from '@herald/retention';
import {
  BODY_TABLES,
  LogPartitionsRepository,
  RECORD_TABLES,
  type LogPartitionSession,
  type LogTable,
} from './repositories/log-partitions.repository';
import { WorkspaceRepository } from './repositories/workspace.repository';

export interface LogMaintenanceReport {
  created: string[];
  dropped: string[];
  /** Rows moved out of a default partition into the day's new partition. */
  moved: number;
  /** Rows deleted row by row: from default partitions, and of workspaces keeping less than the partitions. */
  swept: number;
  ms: number;
}

export interface LogMaintenanceOptions {
  now?: Date;
  /** Rows per delete statement, so no sweep holds locks or bloats WAL for long. */
  batchSize?: number;
  lockTimeoutMs?: number;
  progress?: (line: string) => void;
}

/**
 * One maintenance run of the delivery log: the planner (libs/retention) decides which daily partitions
 * to create and drop from the settings, the workspaces' overrides and what exists; this carries it out,
 * then deletes the few rows that partitions cannot: those in default partitions past retention, and
 * those of workspaces whose override keeps less than the partitions do. Returns undefined when another
 * replica is running it.
 */
@Injectable()
export class LogMaintenance {
  constructor(
    @Inject(LogPartitionsRepository) private readonly partitions: LogPartitionsRepository,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
  ) {}

  async run(
    settings: RetentionSettings,
    options: LogMaintenanceOptions = {},
  ): Promise<LogMaintenanceReport | undefined> {
    const started = Date.now();
    const now = options.now ?? new Date();
    const batch = options.batchSize ?? 5000;
    const say = options.progress ?? (() => undefined);
    const overrides = await this.workspaces.retentionOverrides();
    return this.partitions.exclusively(options.lockTimeoutMs ?? 5000, async (session) => {
      const plan = planPartitionMaintenance({
        now,
        settings,
        longestOverride: {
          recordsDays: max(overrides.map((o) => o.recordsDays)),
          bodiesDays: max(overrides.map((o) => o.bodiesDays)),
        },
        existing: await session.partitions(),
        tables: { records: RECORD_TABLES, bodies: BODY_TABLES },
      });
      const report: LogMaintenanceReport = { created: [], dropped: [], moved: 0, swept: 0, ms: 0 };
      for (const p of plan.create) {
        const partition = { table: p.table as LogTable, day: p.day };
        report.moved += await session.create(partition);
        report.created.push(partitionName(partition.table, partition.day));
      }
      if (plan.create.length) say(`created ${plan.create.length} partition(s)`);
      for (const p of plan.drop) {
        await session.drop({ table: p.table as LogTable, day: p.day });
        report.dropped.push(partitionName(p.table, p.day));
        say(`dropped ${partitionName(p.table, p.day)}`);
      }
      for (const table of [...BODY_TABLES, ...RECORD_TABLES]) {
        const cutoff = BODY_TABLES.includes(table) ? plan.sweepCutoffs.bodies : plan.sweepCutoffs.records;
        report.swept += await drain(
          (limit) => session.sweepDefault(table, cutoff, limit),
          batch,
          (n) => say(`${table}_default: ${n} row(s) past retention deleted`),
        );
      }
      report.swept += await this.sweepShorterOverrides(
        session,
        settings,
        overrides,
        plan.sweepCutoffs,
        now,
        batch,
        say,
      );
      report.ms = Date.now() - started;
      return report;
    });
  }

  /** Rows of workspaces that keep less than the partitions do (bodies first: they are found through their rows). */
  private async sweepShorterOverrides(
    session: LogPartitionSession,
    settings: RetentionSettings,
    overrides: Awaited<ReturnType<WorkspaceRepository['retentionOverrides']>>,
    kept: { records: Date; bodies: Date },
    now: Date,
    batch: number,
    say: (line: string) => void,
  ): Promise<number> {
    let swept = 0;
    for (const o of overrides) {
      const cutoffs = readCutoffs(effectiveRetention(settings, o), now);
      const steps: [LogTable, Date][] = [];
      if (cutoffs.bodiesSince > kept.bodies)
        steps.push(...BODY_TABLES.map((t): [LogTable, Date] => [t, cutoffs.bodiesSince]));
      if (cutoffs.recordsSince > kept.records) {
        // A record's bodies go with it, before it (they are found through it).
        steps.push(...BODY_TABLES.map((t): [LogTable, Date] => [t, cutoffs.recordsSince]));
        steps.push(...RECORD_TABLES.map((t): [LogTable, Date] => [t, cutoffs.recordsSince]));
      }
      for (const [table, before] of steps) {
        swept += await drain(
          (limit) => session.sweepWorkspace(table, o.workspaceId, before, limit),
          batch,
          (n) => say(`${table}: ${n} row(s) of workspace ${o.workspaceId} past its retention deleted`),
        );
      }
    }
    return swept;
  }
}

/** Repeats a batched delete until a batch comes back short; reports the total when it did anything. */
async function drain(
  step: (limit: number) => Promise<number>,
  limit: number,
  done: (n: number) => void,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step(limit);
    total += n;
    if (n < limit) break;
  }
  if (total > 0) done(total);
  return total;
}

function max(values: (number | null)[]): number | undefined {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.max(...present) : undefined;
}
