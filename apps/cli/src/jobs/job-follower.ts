import { Presets, SingleBar } from 'cli-progress';
import type { HeraldApi } from '../api-client';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../output/exit-codes';
import { Interrupt } from '../interrupt';
import {
  jobEnded,
  progressChanged,
  renderDetachHint,
  renderJobSummary,
  renderProgressLine,
  type JobSnapshot,
} from './job-progress';

/** Draws progress: a bar on a terminal, otherwise one plain line per change. */
interface ProgressView {
  update(job: JobSnapshot): void;
  stop(): void;
}

function barView(context: CliContext): ProgressView {
  const bar = new SingleBar(
    {
      format: '{kind} {id} [{bar}] {percentage}% | {value}/{total} processed | {produced} produced | {state}',
      hideCursor: true,
      stream: context.stdout,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(job) {
      const payload = { kind: job.kind, id: job.id, produced: job.produced, state: job.state };
      const total = Math.max(job.total ?? 0, job.processed, 1);
      if (!started) bar.start(total, job.processed, payload);
      else {
        bar.setTotal(total);
        bar.update(job.processed, payload);
      }
      started = true;
    },
    stop: () => bar.stop(),
  };
}

function lineView(write: (line: string) => void): ProgressView {
  let last: JobSnapshot | undefined;
  return {
    update(job) {
      // The summary line reports the end; a progress line for it would say the same twice.
      if (!jobEnded(job) && progressChanged(last, job)) write(renderProgressLine(job));
      last = job;
    },
    stop: () => undefined,
  };
}

/**
 * Polls a job until it ends and prints its final counts; exit 1 unless it succeeded. Ctrl-C stops
 * following only: the job runs on in the API, and the hint says how to watch it again (exit 130).
 */
export async function followJob(
  context: CliContext,
  api: HeraldApi,
  started: JobSnapshot,
  intervalMs: number,
): Promise<void> {
  // With --json, stdout carries one document (the final job); progress goes to stderr.
  const info = (line: string) => (context.json ? context.stderr : context.stdout).write(`${line}\n`);
  const view = context.stdout.isTTY && !context.json ? barView(context) : lineView(info);
  const interrupt = new Interrupt();
  const path = context.path(`/jobs/${encodeURIComponent(started.id)}`);
  let job = started;
  try {
    view.update(job);
    while (!jobEnded(job)) {
      await interrupt.sleep(intervalMs);
      if (interrupt.interrupted) {
        view.stop();
        info(renderDetachHint(job));
        throw new CliError(`stopped following ${job.kind} ${job.id}`, ExitCode.Interrupted);
      }
      job = await api.get<JobSnapshot>(path);
      view.update(job);
    }
    view.stop();
  } finally {
    interrupt.dispose();
  }
  if (context.json) context.line(JSON.stringify(job, null, 2));
  else context.line(renderJobSummary(job));
  if (job.state !== 'succeeded') {
    throw new CliError(
      `${job.kind} ${job.id} ended ${job.state}${job.error ? `: ${job.error}` : ''}`,
      ExitCode.Failed,
    );
  }
}
