import { decideCancel, finalJobState, isTerminal, jobPercent } from './job-state';
import { resolveTimeLimit } from './job-time-limit.policy';

describe('finalJobState', () => {
  it('ends a job told to stop in the state the stop names, even though its work returned', () => {
    expect(finalJobState({ stop: 'cancelled', error: false }).state).toBe('cancelled');
    expect(finalJobState({ stop: 'timed_out', error: false }).state).toBe('timed_out');
    expect(finalJobState({ stop: 'timed_out', error: true }).state).toBe('timed_out');
    expect(finalJobState({ stop: 'shutdown', error: false })).toEqual({
      state: 'failed',
      error: 'interrupted by shutdown',
    });
  });

  it('succeeds or fails a job that ran out of work', () => {
    expect(finalJobState({ stop: null, error: false }).state).toBe('succeeded');
    expect(finalJobState({ stop: null, error: true }).state).toBe('failed');
  });

  it('never ends a job as running', () => {
    for (const stop of ['cancelled', 'timed_out', 'shutdown', null] as const)
      for (const error of [true, false]) expect(isTerminal(finalJobState({ stop, error }).state)).toBe(true);
  });
});

describe('decideCancel', () => {
  it('cancels a running job, repeats a cancelled one and refuses a finished one', () => {
    expect(decideCancel('running')).toBe('request');
    expect(decideCancel('cancelled')).toBe('already_cancelled');
    for (const state of ['succeeded', 'failed', 'timed_out']) expect(decideCancel(state)).toBe('conflict');
  });
});

describe('jobPercent', () => {
  it('is 100 only for a succeeded job, and the true share otherwise', () => {
    expect(jobPercent({ state: 'succeeded', total: 10, processed: 3 })).toBe(100);
    expect(jobPercent({ state: 'cancelled', total: 10, processed: 3 })).toBe(30);
    expect(jobPercent({ state: 'running', total: null, processed: 3 })).toBeNull();
    expect(jobPercent({ state: 'running', total: 0, processed: 0 })).toBe(0);
  });
});

describe('resolveTimeLimit', () => {
  it('uses the configured limit unless the request asks for a shorter one', () => {
    expect(resolveTimeLimit(undefined, 900_000)).toBe(900_000);
    expect(resolveTimeLimit(5_000, 900_000)).toBe(5_000);
    expect(resolveTimeLimit(900_001, 900_000)).toBeNull();
    expect(resolveTimeLimit(0, 900_000)).toBeNull();
  });
});
