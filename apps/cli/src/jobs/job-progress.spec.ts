import {
  jobEnded,
  progressChanged,
  renderDetachHint,
  renderJobSummary,
  renderProgressLine,
  type JobSnapshot,
} from './job-progress';
import { resolveTimeFlag } from './time-flags';

const job: JobSnapshot = {
  id: 'j1',
  kind: 'recover',
  state: 'running',
  endpointId: 'e1',
  total: 200,
  processed: 50,
  produced: 48,
  percent: null,
  error: null,
  result: null,
};

describe('job progress lines', () => {
  it('renders a plain line without control codes', () => {
    const line = renderProgressLine(job);
    expect(line).toBe('recover j1 running: 50/200 processed (25%), 48 produced');
    expect(line).not.toMatch(new RegExp('[' + String.fromCharCode(27, 13) + ']'));
    expect(renderProgressLine({ ...job, total: null })).toBe(
      'recover j1 running: 50/? processed (?%), 48 produced',
    );
    expect(renderProgressLine({ ...job, percent: 100, state: 'succeeded' })).toContain('(100%)');
  });

  it('prints a line only when something moved', () => {
    expect(progressChanged(undefined, job)).toBe(true);
    expect(progressChanged(job, { ...job })).toBe(false);
    expect(progressChanged(job, { ...job, processed: 51 })).toBe(true);
    expect(progressChanged(job, { ...job, state: 'succeeded' })).toBe(true);
  });

  it('sums up the end with the numeric results and the error', () => {
    expect(jobEnded(job)).toBe(false);
    const done = {
      ...job,
      state: 'succeeded',
      processed: 200,
      produced: 190,
      result: { recordsRead: 200, note: 'x' },
    };
    expect(jobEnded(done)).toBe(true);
    expect(renderJobSummary(done)).toBe(
      'recover j1 succeeded: 200 of 200 processed, 190 produced (recordsRead 200)',
    );
    expect(renderJobSummary({ ...job, state: 'failed', error: 'boom' })).toBe(
      'recover j1 failed: 50 of 200 processed, 48 produced; error: boom',
    );
    expect(renderDetachHint(job)).toContain('herald jobs watch j1');
  });
});

describe('time flags', () => {
  const now = new Date('2026-12-02T12:00:00.000Z');
  it('takes ISO times as given and durations back from now', () => {
    expect(resolveTimeFlag('--since', '2026-12-01T00:00:00Z', now)).toBe('2026-12-01T00:00:00Z');
    expect(resolveTimeFlag('--since', '2h', now)).toBe('2026-12-02T10:00:00.000Z');
    expect(resolveTimeFlag('--since', '1d', now)).toBe('2026-12-01T12:00:00.000Z');
  });
  it('refuses anything else, naming the flag', () => {
    expect(() => resolveTimeFlag('--since', 'yesterday', now)).toThrow(/--since "yesterday"/);
    expect(() => resolveTimeFlag('--until', '15', now)).toThrow(/--until/);
  });
});
