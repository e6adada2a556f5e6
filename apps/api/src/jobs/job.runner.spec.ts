import type { JobEntity, JobRepository } from '@herald/persistence';
import { ErrorCode } from '@herald/contracts';
import { JobRunner, type JobControl } from './job.runner';

/** The rows a JobRunner writes, kept in memory; cancel requests are set as another instance would. */
class MemoryJobs {
  readonly rows = new Map<string, JobEntity>();

  insertIfAdmitted(job: JobEntity, admit: (active: JobEntity[]) => boolean) {
    const active = [...this.rows.values()].filter(
      (row) => row.workspaceId === job.workspaceId && ['queued', 'running'].includes(row.state),
    );
    if (!admit(active)) return Promise.resolve(null);
    this.rows.set(job.id, { ...job });
    return Promise.resolve(job);
  }
  updateRunning(id: string, changes: Partial<JobEntity>) {
    const row = this.rows.get(id)!;
    if (row.state === 'running') Object.assign(row, changes);
    return Promise.resolve();
  }
  finish(id: string, end: Partial<JobEntity>) {
    const row = this.rows.get(id)!;
    if (row.state !== 'running') return Promise.resolve(false);
    Object.assign(row, end, { finishedAt: new Date() });
    return Promise.resolve(true);
  }
  cancelRequested(ids: string[]) {
    return Promise.resolve(ids.filter((id) => this.rows.get(id)?.cancelRequestedAt));
  }
  touch() {
    return Promise.resolve();
  }
  failInterrupted() {
    return Promise.resolve(0);
  }
}

/** Work that reads until told to stop, one item every 10 ms. */
const readUntilStopped = async (job: JobControl) => {
  await job.setTotal(1_000);
  while (!job.signal.aborted) {
    await job.advance(1, 0);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('JobRunner', () => {
  let jobs: MemoryJobs;
  let runner: JobRunner;
  const spec = (timeLimitMs: number) => ({
    kind: 'backfill' as const,
    workspaceId: 'ws',
    endpointId: 'ep',
    params: {},
    timeLimitMs,
    maxActive: 2,
  });

  beforeEach(async () => {
    jobs = new MemoryJobs();
    runner = new JobRunner(jobs as unknown as JobRepository);
    await runner.onApplicationBootstrap();
  });
  afterEach(() => runner.onApplicationShutdown());

  it('ends a job past its time limit as timed_out with the progress it made', async () => {
    const job = await runner.start(spec(100), readUntilStopped);
    const row = jobs.rows.get(job.id)!;
    await until(() => row.state !== 'running');
    expect(row.state).toBe('timed_out');
    expect(row.processed).toBeGreaterThan(0);
    expect(row.total).toBe(1_000);
    expect(row.error).toBeNull();
  });

  it('stops a job cancelled through another instance within the poll interval', async () => {
    const job = await runner.start(spec(60_000), readUntilStopped);
    const row = jobs.rows.get(job.id)!;
    await until(() => row.processed > 0);
    row.cancelRequestedAt = new Date();
    const asked = Date.now();
    await until(() => row.state !== 'running');
    expect(row.state).toBe('cancelled');
    expect(Date.now() - asked).toBeLessThan(2_000);
  });

  it('ends a job its work finished as succeeded, one that threw as failed with the message', async () => {
    const ok = await runner.start(spec(60_000), (job) => job.advance(3, 1));
    const bad = await runner.start(spec(60_000), () => Promise.reject(new Error('broker gone')));
    await until(
      () => jobs.rows.get(ok.id)!.state !== 'running' && jobs.rows.get(bad.id)!.state !== 'running',
    );
    expect(jobs.rows.get(ok.id)).toMatchObject({ state: 'succeeded', processed: 3, produced: 1 });
    expect(jobs.rows.get(bad.id)).toMatchObject({ state: 'failed', error: 'broker gone' });
  });

  it('fails a job interrupted by shutdown, after its work stopped', async () => {
    const job = await runner.start(spec(60_000), readUntilStopped);
    await runner.onApplicationShutdown();
    expect(jobs.rows.get(job.id)).toMatchObject({ state: 'failed', error: 'interrupted by shutdown' });
  });

  it('refuses a third job in a workspace running two with 429 JOB_LIMIT_REACHED, and starts one once a job ended', async () => {
    const first = await runner.start(spec(60_000), readUntilStopped);
    await runner.start(spec(60_000), readUntilStopped);
    await expect(runner.start(spec(60_000), readUntilStopped)).rejects.toMatchObject({
      code: ErrorCode.JobLimitReached,
      details: { limit: 2, retryAfterSeconds: 60 },
    });
    expect(jobs.rows.size).toBe(2);
    // Another workspace has its own places.
    await runner.start({ ...spec(60_000), workspaceId: 'other' }, readUntilStopped);
    runner.stop(first.id, 'cancelled');
    await until(() => jobs.rows.get(first.id)!.state === 'cancelled');
    await expect(runner.start(spec(60_000), readUntilStopped)).resolves.toMatchObject({ state: 'running' });
  });
});
