import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { dayStartMs, parsePartitionName, partitionName } from '@herald/retention';

/** The delivery log's partitioned tables and the column each is partitioned by. */
export const LOG_TABLES = {
  deliveries: 'created_at',
  attempts: 'delivery_created_at',
  operational_events: 'at',
  delivery_payloads: 'created_at',
  attempt_bodies: 'delivery_created_at',
} as const;
export type LogTable = keyof typeof LOG_TABLES;
export const RECORD_TABLES: LogTable[] = ['deliveries', 'attempts', 'operational_events'];
export const BODY_TABLES: LogTable[] = ['delivery_payloads', 'attempt_bodies'];

/** One daily partition: `<table>_pYYYYMMDD` holds [day 00:00Z, next day 00:00Z). */
export interface LogPartition {
  table: LogTable;
  /** YYYYMMDD */
  day: string;
}

const DAY_MS = 86_400_000;

/**
 * DDL and bulk deletes on the log's partitions, for the maintenance run (log-maintenance.ts). All of it
 * runs on one connection holding a session advisory lock, so one replica maintains at a time; statements
 * wait at most `lockTimeoutMs` for a table lock, so a busy table is left for the next run rather than
 * queueing the projector's writes behind it.
 */
@Injectable()
export class LogPartitionsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Runs `work` holding the maintenance lock; returns undefined when another replica holds it. */
  async exclusively<T>(
    lockTimeoutMs: number,
    work: (session: LogPartitionSession) => Promise<T>,
  ): Promise<T | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [LOCK_KEY])) as {
        locked: boolean;
      }[];
      if (!locked) return undefined;
      try {
        await runner.query(`SET lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
        return await work(new LogPartitionSession(runner));
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [LOCK_KEY]);
        await runner.query(`RESET lock_timeout`);
      }
    } finally {
      await runner.release();
    }
  }
}

/** Arbitrary, fixed: the key of Herald's log-maintenance advisory lock. */
const LOCK_KEY = 4_807_019;

export class LogPartitionSession {
  constructor(private readonly runner: QueryRunner) {}

  /** Every daily partition of the log's tables. */
  async partitions(): Promise<LogPartition[]> {
    const rows = (await this.runner.query(
      `SELECT parent.relname AS parent, child.relname AS child
         FROM pg_inherits i
         JOIN pg_class parent ON parent.oid = i.inhparent
         JOIN pg_class child ON child.oid = i.inhrelid
         JOIN pg_namespace n ON n.oid = parent.relnamespace
        WHERE n.nspname = current_schema() AND parent.relname = ANY($1)`,
      [Object.keys(LOG_TABLES)],
    )) as { parent: LogTable; child: string }[];
    return rows.flatMap(({ parent, child }) => {
      const named = parsePartitionName(child);
      return named?.table === parent ? [{ table: parent, day: named.day }] : [];
    });
  }

  /**
   * Creates one day's partition. Rows of that day already waiting in the default partition (written
   * while the day had none) are moved into it in the same transaction, since Postgres refuses to
   * attach a range the default partition holds rows of. Returns how many rows moved.
   */
  async create(p: LogPartition): Promise<number> {
    const name = partitionName(p.table, p.day);
    const column = LOG_TABLES[p.table];
    const from = new Date(dayStartMs(p.day));
    const to = new Date(from.getTime() + DAY_MS);
    // Room on each page keeps a delivery row's rare in-place updates (a retry's request, a purge) HOT.
    const storage = p.table === 'deliveries' ? 'WITH (fillfactor = 80)' : '';
    const bounds = `FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
    await this.runner.startTransaction();
    try {
      const [{ waiting }] = (await this.runner.query(
        `SELECT EXISTS (SELECT 1 FROM ${p.table}_default WHERE ${column} >= $1 AND ${column} < $2) AS waiting`,
        [from, to],
      )) as { waiting: boolean }[];
      let moved = 0;
      if (!waiting) {
        await this.runner.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${p.table} ${bounds} ${storage}`,
        );
      } else {
        await this.runner.query(`CREATE TABLE ${name} (LIKE ${p.table} INCLUDING DEFAULTS) ${storage}`);
        const result = (await this.runner.query(
          `WITH moved AS (DELETE FROM ${p.table}_default WHERE ${column} >= $1 AND ${column} < $2 RETURNING *)
           INSERT INTO ${name} SELECT * FROM moved RETURNING 1`,
          [from, to],
        )) as unknown;
        moved = affected(result);
        await this.runner.query(`ALTER TABLE ${p.table} ATTACH PARTITION ${name} ${bounds}`);
      }
      await this.runner.commitTransaction();
      return moved;
    } catch (error) {
      await this.runner.rollbackTransaction();
      throw error;
    }
  }

  /** Drops a whole day: no row is read or rewritten. */
  async drop(p: LogPartition): Promise<void> {
    await this.runner.query(`DROP TABLE IF EXISTS ${partitionName(p.table, p.day)}`);
  }

  /** Deletes up to `limit` rows of the default partition older than `before`; returns how many. */
  async sweepDefault(table: LogTable, before: Date, limit: number): Promise<number> {
    const column = LOG_TABLES[table];
    const result = (await this.runner.query(
      `DELETE FROM ${table}_default WHERE ctid IN
         (SELECT ctid FROM ${table}_default WHERE ${column} < $1 LIMIT ${Math.trunc(limit)})`,
      [before],
    )) as unknown;
    return affected(result);
  }

  /**
   * Deletes up to `limit` rows of one workspace older than `before` from one table (a workspace whose
   * override keeps less than the partitions do). Body tables have no workspace column: they are matched
   * through their delivery's or attempt's row, so they must be swept before those.
   */
  async sweepWorkspace(table: LogTable, workspaceId: string, before: Date, limit: number): Promise<number> {
    const column = LOG_TABLES[table];
    // ctid is only unique within one partition, so rows are keyed by (tableoid, ctid).
    const select =
      table === 'delivery_payloads'
        ? `SELECT b.tableoid, b.ctid FROM delivery_payloads b JOIN deliveries d
             ON d.delivery_id = b.delivery_id AND d.created_at = b.created_at
           WHERE d.workspace_id = $1 AND d.created_at < $2 AND b.created_at < $2`
        : table === 'attempt_bodies'
          ? `SELECT b.tableoid, b.ctid FROM attempt_bodies b JOIN attempts a ON a.delivery_id = b.delivery_id
               AND a.delivery_created_at = b.delivery_created_at AND a.attempt_id = b.attempt_id
             WHERE a.workspace_id = $1 AND a.delivery_created_at < $2 AND b.delivery_created_at < $2`
          : `SELECT tableoid, ctid FROM ${table} WHERE workspace_id = $1 AND ${column} < $2`;
    const result = (await this.runner.query(
      `DELETE FROM ${table} WHERE (tableoid, ctid) IN (${select} LIMIT ${Math.trunc(limit)})`,
      [workspaceId, before],
    )) as unknown;
    return affected(result);
  }
}

/** Rows a statement touched: pg's count for DELETE/UPDATE ([rows, count]), else the rows returned. */
function affected(result: unknown): number {
  if (!Array.isArray(result)) return 0;
  return result.length === 2 && typeof result[1] === 'number' ? result[1] : result.length;
}
