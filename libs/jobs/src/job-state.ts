/** Where a replay job is. Every job ends in exactly one terminal state; none goes back to running. */
export type JobState = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];

export function isTerminal(state: string): boolean {
  return (TERMINAL_JOB_STATES as readonly string[]).includes(state);
}

/** Why a running job's work was asked to stop before it ran out of work. */
export type JobStopReason = 'cancelled' | 'timed_out' | 'shutdown';

/**
 * The state a job ends in. A stop request wins over "the work returned", since work that was told to
 * stop returns early with its range unfinished; an error with no stop request is a failure.
 */
export function finalJobState(outcome: { stop: JobStopReason | null; error: boolean }): {
  state: Exclude<JobState, 'running'>;
  error: string | null;
} {
  if (outcome.stop === 'cancelled') return { state: 'cancelled', error: null };
  if (outcome.stop === 'timed_out') return { state: 'timed_out', error: null };
  if (outcome.stop === 'shutdown') return { state: 'failed', error: 'interrupted by shutdown' };
  return outcome.error ? { state: 'failed', error: null } : { state: 'succeeded', error: null };
}

/** What a cancel request does to a job in `state`. */
export type CancelDecision = 'request' | 'already_cancelled' | 'conflict';

export function decideCancel(state: string): CancelDecision {
  if (state === 'running' || state === 'queued') return 'request';
  if (state === 'cancelled') return 'already_cancelled';
  return 'conflict';
}

/** Share of the job done; only a succeeded job is complete, and an unknown total has no percent. */
export function jobPercent(job: { state: string; total: number | null; processed: number }): number | null {
  if (job.state === 'succeeded') return 100;
  if (job.total === null) return null;
  if (job.total === 0) return 0;
  return Math.min(100, Math.floor((job.processed / job.total) * 100));
}
