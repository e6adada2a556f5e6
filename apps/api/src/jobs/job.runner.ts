import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { finalJobState, type JobStopReason } from '@herald/jobs';
import { JobRepository, type JobEntity, type JobKind } from '@herald/persistence';
import { decideJobStart, jobLimitError } from './job-limit.policy';

const HEARTBEAT_MS = 10_000;
/** A running job not updated for this long belongs to a process that is gone. */
const STALE_AFTER_MS = 60_000;
/** How often this instance looks for cancel requests made through another instance. */
const CANCEL_POLL_MS = 500;
const FLUSH_MS = 250;

/** What a job's work sees of its job. */
export interface JobControl {
  /** Aborted (reason: a JobStopReason) when the job must stop: cancelled, past its deadline, shutdown. */
  readonly signal: AbortSignal;
  setTotal(total: number): Promise<void>;
  /** Adds to the counters; written to Postgres at most every 250 ms while the job runs. */
  advance(processed: number, produced: number): Promise<void>;
  /** Facts for the job's result beyond its counters, kept whatever state it ends in. */
  setResult(result: Record<string, unknown>): void;
}

export interface JobSpec {
  kind: JobKind;
  workspaceId: string;
  /** Null for a job not tied to one endpoint (a purge by event or by time). */
  endpointId: string | null;
  params: Record<string, unknown>;
  timeLimitMs: number;
  /** How many jobs the workspace may run at once (HERALD_WORKSPACE_MAX_ACTIVE_JOBS). */
  maxActive: number;
}

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs replay jobs in the background of the API process and keeps their progress in Postgres. Every job
 * ends: its work returns, or it is stopped by a cancel request, its deadline or shutdown, and its last
 * counters are written with the terminal state. Running jobs beat every 10 s; a job whose process
 * stopped beating is ended by whichever API instance notices. Re-running one is safe: its requests
 * keep their delivery ids.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JobRunner.name);
  private readonly running = new Map<string, RunningJob>();
  private heartbeat?: NodeJS.Timeout;
  private cancelPoll?: NodeJS.Timeout;

  constructor(@Inject(JobRepository) private readonly jobs: JobRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.cancelPoll = setInterval(() => void this.pollCancels(), CANCEL_POLL_MS);
    this.cancelPoll.unref();
  }

  /** Beats for this instance's jobs, and ends jobs whose instance stopped beating. */
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
    if (interrupted > 0) this.log.warn(`${interrupted} replay job(s) lost their process and were ended`);
  }

  private async pollCancels(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      for (const id of await this.jobs.cancelRequested([...this.running.keys()])) this.stop(id, 'cancelled');
    } catch (error) {
      this.log.warn(`job cancel poll failed: ${(error as Error).message}`);
    }
  }

  /** Stops a job this instance runs; false when it runs elsewhere (or not at all). */
  stop(id: string, reason: JobStopReason): boolean {
    const job = this.running.get(id);
    if (!job) return false;
    if (!job.controller.signal.aborted) job.controller.abort(reason);
    return true;
  }

  /** Resolves when this instance's run of the job has ended, or after `timeoutMs`. */
  async settled(id: string, timeoutMs: number): Promise<void> {
    const job = this.running.get(id);
    if (!job) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Starts the job, or refuses with 429 JOB_LIMIT_REACHED when its workspace runs `maxActive` already. */
  async start(spec: JobSpec, work: (job: JobControl) => Promise<void>): Promise<JobEntity> {
    const now = new Date();
    let retryAfterSeconds = 0;
    const row: JobEntity = {
      id: randomUUID(),
      workspaceId: spec.workspaceId,
      endpointId: spec.endpointId,
      kind: spec.kind,
      state: 'running',
      params: { ...spec.params, timeLimitMs: spec.timeLimitMs },
      total: null,
      processed: 0,
      produced: 0,
      error: null,
      result: null,
      deadlineAt: new Date(now.getTime() + spec.timeLimitMs),
      cancelRequestedAt: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    const job = await this.jobs.insertIfAdmitted(row, (active) => {
      const decision = decideJobStart(active, spec.maxActive, now);
      if (!decision.start) retryAfterSeconds = decision.retryAfterSeconds;
      return decision.start;
    });
    if (!job) throw jobLimitError(spec.maxActive, retryAfterSeconds);
    const controller = new AbortController();
    const deadline = setTimeout(
      () => controller.abort('timed_out' satisfies JobStopReason),
      spec.timeLimitMs,
    );
    const counters = { processed: 0, produced: 0, flushedAt: 0 };
    let result: Record<string, unknown> | null = null;
    const control: JobControl = {
      signal: controller.signal,
      setTotal: (total) => this.jobs.updateRunning(job.id, { total }),
      advance: async (processed, produced) => {
        counters.processed += processed;
        counters.produced += produced;
        if (Date.now() - counters.flushedAt < FLUSH_MS) return;
        counters.flushedAt = Date.now();
        await this.jobs.updateRunning(job.id, { processed: counters.processed, produced: counters.produced });
      },
      setResult: (facts) => (result = { ...result, ...facts }),
    };
    const done = (async () => {
      let failure: Error | null = null;
      try {
        await work(control);
      } catch (error) {
        failure = error as Error;
      }
      clearTimeout(deadline);
      const stop = controller.signal.aborted ? (controller.signal.reason as JobStopReason) : null;
      const end = finalJobState({ stop, error: failure !== null });
      if (end.state === 'failed' && stop === null)
        this.log.warn(`job ${job.id} (${spec.kind}) failed: ${failure?.message}`);
      await this.jobs
        .finish(job.id, {
          state: end.state,
          error: end.error ?? (end.state === 'failed' ? (failure?.message ?? null) : null),
          processed: counters.processed,
          produced: counters.produced,
          result,
        })
        .catch((error: Error) => this.log.warn(`job ${job.id} could not be ended: ${error.message}`));
    })();
    this.running.set(job.id, { controller, done });
    void done.finally(() => this.running.delete(job.id));
    return job;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.cancelPoll);
    const runs = [...this.running.values()];
    for (const id of this.running.keys()) this.stop(id, 'shutdown');
    await Promise.allSettled(runs.map((r) => r.done));
  }
}
