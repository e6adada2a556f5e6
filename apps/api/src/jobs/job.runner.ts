import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { JobRepository, type JobEntity, type JobKind } from '@herald/persistence';

const HEARTBEAT_MS = 10_000;
/** A running job not updated for this long belongs to a process that is gone. */
const STALE_AFTER_MS = 60_000;

export interface JobProgress {
  setTotal(total: number): Promise<void>;
  /** Adds to the counters; written to Postgres at most every 250 ms. */
  advance(processed: number, produced: number): Promise<void>;
  /** False once the API is shutting down: stop at the next safe point. */
  running: boolean;
}

/**
 * Runs replay jobs in the background of the API process and keeps their progress in Postgres, where
 * `GET /jobs/:id` reads it. Running jobs beat every 10 s; a job whose process stopped beating is marked
 * failed by whichever API instance notices. Re-running one is safe: its requests keep their delivery ids.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JobRunner.name);
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private readonly running = new Map<string, JobProgress>();
  private heartbeat?: NodeJS.Timeout;

  constructor(@Inject(JobRepository) private readonly jobs: JobRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Beats for this instance's jobs, and fails jobs whose instance stopped beating. */
  private async beat(): Promise<void> {
    try {
      await this.jobs.touch([...this.running.keys()]);
      await this.sweep();
    } catch (error) {
      this.log.warn(`job heartbeat failed: ${(error as Error).message}`);
    }
  }

  private async sweep(): Promise<void> {
    const interrupted = await this.jobs.failInterrupted(new Date(Date.now() - STALE_AFTER_MS));
    if (interrupted > 0)
      this.log.warn(`${interrupted} replay job(s) lost their process and were marked failed`);
  }

  async start(
    kind: JobKind,
    workspaceId: string,
    endpointId: string,
    params: Record<string, unknown>,
    work: (progress: JobProgress) => Promise<void>,
  ): Promise<JobEntity> {
    const now = new Date();
    const job = await this.jobs.insert({
      id: randomUUID(),
      workspaceId,
      endpointId,
      kind,
      state: 'running',
      params,
      total: null,
      processed: 0,
      produced: 0,
      error: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    });
    const counters = { processed: 0, produced: 0, flushedAt: 0 };
    const progress: JobProgress = {
      setTotal: (total) => this.jobs.update(job.id, { total }),
      advance: async (processed, produced) => {
        counters.processed += processed;
        counters.produced += produced;
        if (Date.now() - counters.flushedAt < 250) return;
        counters.flushedAt = Date.now();
        await this.jobs.update(job.id, { processed: counters.processed, produced: counters.produced });
      },
      running: true,
    };
    this.running.set(job.id, progress);
    const run = (async () => {
      try {
        await work(progress);
        if (this.stopping) throw new Error('interrupted by shutdown');
        await this.jobs.update(job.id, {
          state: 'succeeded',
          processed: counters.processed,
          produced: counters.produced,
          finishedAt: new Date(),
        });
      } catch (error) {
        this.log.warn(`job ${job.id} (${kind}) failed: ${(error as Error).message}`);
        await this.jobs
          .update(job.id, {
            state: 'failed',
            error: (error as Error).message,
            processed: counters.processed,
            produced: counters.produced,
            finishedAt: new Date(),
          })
          .catch(() => undefined);
      }
    })();
    this.active.add(run);
    void run.finally(() => {
      this.active.delete(run);
      this.running.delete(job.id);
    });
    return job;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    for (const progress of this.running.values()) progress.running = false;
    await Promise.allSettled([...this.active]);
  }
}

export function toJobView(job: JobEntity) {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    endpointId: job.endpointId,
    params: job.params,
    total: job.total,
    processed: job.processed,
    produced: job.produced,
    percent:
      job.state === 'succeeded'
        ? 100
        : job.total === null
          ? null
          : job.total === 0
            ? 100
            : Math.min(100, Math.floor((job.processed / job.total) * 100)),
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
  };
}
