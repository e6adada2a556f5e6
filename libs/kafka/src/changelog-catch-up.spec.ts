import { CatchUpWaiters, catchUpTargets, positionAfter, reached } from './changelog-catch-up';

describe('catch-up positions', () => {
  it('targets every partition holding records at its high watermark', () => {
    const targets = catchUpTargets([
      { partition: 0, low: '0', high: '12' },
      { partition: 1, low: '0', high: '0' },
      { partition: 2, low: '7', high: '7' },
    ]);
    expect([...targets]).toEqual([[0, 12n]]);
  });

  it('counts a partition reached only once its next offset is at the target', () => {
    const targets = new Map([
      [0, 12n],
      [1, 3n],
    ]);
    expect(reached(new Map([[0, 12n]]), targets)).toBe(false);
    expect(
      reached(
        new Map([
          [0, 12n],
          [1, 2n],
        ]),
        targets,
      ),
    ).toBe(false);
    expect(
      reached(
        new Map([
          [0, 13n],
          [1, 3n],
        ]),
        targets,
      ),
    ).toBe(true);
    expect(reached(new Map(), new Map())).toBe(true);
  });

  it('moves past the last offset of a batch', () => {
    expect(positionAfter('41')).toBe(42n);
  });
});

describe('CatchUpWaiters', () => {
  it('resolves at once when the targets are already reached', async () => {
    const waiters = new CatchUpWaiters(new Map([[0, 5n]]));
    await expect(waiters.wait(new Map([[0, 5n]]), 1_000)).resolves.toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('resolves once the applied positions reach the targets', async () => {
    const applied = new Map<number, bigint>();
    const waiters = new CatchUpWaiters(applied);
    const done = waiters.wait(
      new Map([
        [0, 3n],
        [1, 1n],
      ]),
      5_000,
    );
    applied.set(0, 3n);
    waiters.notify();
    expect(waiters.size).toBe(1);
    applied.set(1, 1n);
    waiters.notify();
    await expect(done).resolves.toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('resolves false after its bound when the positions never get there', async () => {
    jest.useFakeTimers();
    try {
      const waiters = new CatchUpWaiters(new Map([[0, 1n]]));
      const done = waiters.wait(new Map([[0, 2n]]), 500);
      jest.advanceTimersByTime(499);
      waiters.notify();
      expect(waiters.size).toBe(1);
      jest.advanceTimersByTime(1);
      await expect(done).resolves.toBe(false);
      expect(waiters.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails every waiter when cancelled', async () => {
    const waiters = new CatchUpWaiters(new Map());
    const done = waiters.wait(new Map([[0, 1n]]));
    waiters.cancelAll();
    await expect(done).resolves.toBe(false);
  });
});
