import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Endpoint health reads one endpoint's attempts by outcome and start time (counts and latency in a
 * window, the last success and failure). Created on the partitioned table, so every partition, and
 * each one log maintenance adds later, carries it. duration_ms is included for index-only scans.
 */
export class AttemptsHealthIndex1764870000000 implements MigrationInterface {
  name = 'AttemptsHealthIndex1764870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX attempts_ws_endpoint_outcome_started_idx
         ON attempts (workspace_id, endpoint_id, outcome, started_at) INCLUDE (duration_ms)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX attempts_ws_endpoint_outcome_started_idx`);
  }
}
