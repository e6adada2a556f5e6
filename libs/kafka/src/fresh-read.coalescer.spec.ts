import { FreshReadCoalescer } from './fresh-read.coalescer';

/** A read whose answers the test releases one at a time; each answer is the read's sequence number. */
function controlledReads() {
  const pending: Array<() => void> = [];
  let started = 0;
  const coalescer = new FreshReadCoalescer(() => {
    const n = ++started;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  });
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
  };
  const release = async () => {
    await settle();
    pending.shift()?.();
    await settle();
  };
  return { coalescer, release, settle, started: () => started };
}

describe('FreshReadCoalescer', () => {
  it('shares one read among callers that asked before it started', async () => {
    const { coalescer, release, started } = controlledReads();
    const answers = Promise.all([coalescer.next(), coalescer.next(), coalescer.next()]);
    await release();
    await expect(answers).resolves.toEqual([1, 1, 1]);
    expect(started()).toBe(1);
  });

  it('never hands a caller a read that started before it asked, nor makes it wait for one', async () => {
    const { coalescer, release, settle, started } = controlledReads();
    const early = coalescer.next();
    await settle();
    // Read 1 is in flight: these callers share read 2, which starts at once, before read 1 answers.
    const late = Promise.all([coalescer.next(), coalescer.next(), coalescer.next()]);
    await settle();
    expect(started()).toBe(2);
    await release();
    await expect(early).resolves.toBe(1);
    await release();
    await expect(late).resolves.toEqual([2, 2, 2]);
    expect(started()).toBe(2);
  });

  it('starts afresh after a failed read, and later callers still get a read', async () => {
    let calls = 0;
    const coalescer = new FreshReadCoalescer(async () => {
      calls += 1;
      if (calls === 1) throw new Error('broker unreachable');
      return calls;
    });
    const first = coalescer.next();
    first.catch(() => undefined);
    await Promise.resolve();
    const second = coalescer.next();
    await expect(first).rejects.toThrow('broker unreachable');
    await expect(second).resolves.toBe(2);
    await expect(coalescer.next()).resolves.toBe(3);
  });
});
