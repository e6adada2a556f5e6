/** A job as GET /v1/workspaces/:ws/jobs/:id answers it (the fields the CLI reads). */
export interface JobSnapshot {
  id: string;
  kind: string;
  state: string;
  endpointId: string | null;
  total: number | null;
  processed: number;
  produced: number;
  percent: number | null;
  error: string | null;
  result: Record<string, unknown> | null;
}

export const TERMINAL_JOB_STATES = ['succeeded', 'failed', 'timed_out', 'cancelled'];

export function jobEnded(job: JobSnapshot): boolean {
  return TERMINAL_JOB_STATES.includes(job.state);
}

function percentOf(job: JobSnapshot): string {
  if (job.percent !== null) return `${job.percent}%`;
  if (job.total) return `${Math.floor((job.processed / job.total) * 100)}%`;
  return '?%';
}

/** The plain progress line printed when stdout is not a terminal: no bar, no control codes. */
export function renderProgressLine(job: JobSnapshot): string {
  const total = job.total === null ? '?' : String(job.total);
  return `${job.kind} ${job.id} ${job.state}: ${job.processed}/${total} processed (${percentOf(job)}), ${job.produced} produced`;
}

/** Whether a plain line is worth printing: something a reader would see changed. */
export function progressChanged(previous: JobSnapshot | undefined, next: JobSnapshot): boolean {
  return (
    !previous ||
    previous.state !== next.state ||
    previous.processed !== next.processed ||
    previous.produced !== next.produced ||
    previous.total !== next.total
  );
}

/** The last line: how the job ended and its final counts. */
export function renderJobSummary(job: JobSnapshot): string {
  const total = job.total === null ? '?' : String(job.total);
  const extra = Object.entries(job.result ?? {})
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${key} ${String(value)}`);
  const error = job.error ? `; error: ${job.error}` : '';
  return (
    `${job.kind} ${job.id} ${job.state}: ${job.processed} of ${total} processed, ${job.produced} produced` +
    (extra.length > 0 ? ` (${extra.join(', ')})` : '') +
    error
  );
}

/** What Ctrl-C prints: the job is not cancelled, and how to follow (or stop) it again. */
export function renderDetachHint(job: Pick<JobSnapshot, 'id' | 'kind'>): string {
  return (
    `${job.kind} ${job.id} keeps running; watch it again with: herald jobs watch ${job.id}` +
    ` (cancel it with: herald jobs cancel ${job.id})`
  );
}
