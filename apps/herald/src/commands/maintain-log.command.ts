import { loadConfig } from '@herald/config';
import {
  createDataSource,
  databaseEnv,
  LogMaintenance,
  LogPartitionsRepository,
  WorkspaceRepository,
  type LogMaintenanceReport,
} from '@herald/persistence';
import { retentionEnv, retentionSettingsFromEnv } from '@herald/retention';

/**
 * `herald maintain-log`: one maintenance run of the delivery log now (what the projector does every
 * HERALD_RETENTION_INTERVAL): creates the coming days' partitions, drops those past retention and sweeps
 * what partitions cannot drop, printing each step. Exits 1 when another run holds the lock.
 */
export async function maintainLogCommand(
  env: NodeJS.ProcessEnv = process.env,
): Promise<LogMaintenanceReport> {
  const database = loadConfig(databaseEnv, env);
  const settings = retentionSettingsFromEnv(loadConfig(retentionEnv, env));
  const db = createDataSource({ ...database, applicationName: 'herald-maintain-log' });
  await db.initialize();
  try {
    const maintenance = new LogMaintenance(new LogPartitionsRepository(db), new WorkspaceRepository(db));
    const say = (line: string) => process.stdout.write(`herald: ${line}\n`);
    const report = await maintenance.run(settings, { progress: say });
    if (!report) throw new Error('another maintenance run holds the lock; try again when it ends');
    say(
      `delivery log maintained in ${report.ms} ms: ${report.created.length} partition(s) created, ` +
        `${report.dropped.length} dropped, ${report.moved} row(s) moved, ${report.swept} swept`,
    );
    return report;
  } finally {
    await db.destroy();
  }
}
