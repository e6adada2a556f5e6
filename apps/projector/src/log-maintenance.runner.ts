import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LogMaintenance } from '@herald/persistence';
import type { RetentionSettings } from '@herald/retention';
import { PROJECTOR_ENV, PROJECTOR_RETENTION, type ProjectorEnv } from './projector.env';

/** A failed run (Postgres away, migrations not applied yet) is tried again this soon, not an interval later. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * Keeps the delivery log's partitions: once at start, so today's and the coming days' partitions exist
 * before the first write, then every HERALD_RETENTION_INTERVAL. The projector runs it because it owns
 * the log's writes; replicas take turns through an advisory lock.
 */
@Injectable()
export class LogMaintenanceRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('LogMaintenance');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(LogMaintenance) private readonly maintenance: LogMaintenance,
    @Inject(PROJECTOR_RETENTION) private readonly settings: RetentionSettings,
    @Inject(PROJECTOR_ENV) private readonly env: ProjectorEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.HERALD_LOG_MAINTENANCE === 'external') return;
    await this.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async runOnce(): Promise<void> {
    let next = this.settings.intervalMs;
    this.running = this.maintenance
      .run(this.settings, { progress: (line) => this.log.log(line) })
      .then((report) => {
        if (!report) return this.log.log('another replica is maintaining the delivery log');
        this.log.log(
          `done in ${report.ms} ms: ${report.created.length} partition(s) created, ${report.dropped.length} dropped, ` +
            `${report.moved} row(s) moved from default partitions, ${report.swept} swept`,
        );
      })
      .catch((error: unknown) => {
        next = Math.min(next, RETRY_AFTER_FAILURE_MS);
        this.log.error(`maintenance failed, retrying in ${next} ms: ${(error as Error).message}`);
      });
    await this.running;
    this.running = undefined;
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.runOnce(), next);
      this.timer.unref();
    }
  }
}
