import { AttemptDeadline } from './attempt-deadline';

describe('AttemptDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts once, with a TimeoutError, when the time is up', () => {
    const deadline = new AttemptDeadline(1_000);
    const listener = jest.fn();
    deadline.once('abort', listener);
    jest.advanceTimersByTime(999);
    expect(deadline.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(deadline.aborted).toBe(true);
    expect(deadline.reason).toMatchObject({
      name: 'TimeoutError',
      message: 'no complete answer within 1000 ms',
    });
  });

  it('never aborts once cleared', () => {
    const deadline = new AttemptDeadline(1_000);
    const listener = jest.fn();
    deadline.once('abort', listener);
    deadline.clear();
    jest.advanceTimersByTime(5_000);
    expect(listener).not.toHaveBeenCalled();
    expect(deadline.aborted).toBe(false);
  });
});
