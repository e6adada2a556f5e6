import { batchesInNextWrite, WriteCoalescer } from './write-coalescer';

/** A write whose calls stay open until released, so tests decide what is in flight. */
function controlledWrite() {
  const calls: { rows: number[]; release: () => void }[] = [];
  const write = jest.fn(
    (rows: number[]) => new Promise<void>((resolve) => calls.push({ rows, release: resolve })),
  );
  const nextCall = async (index: number) => {
    while (calls.length <= index) await new Promise((resolve) => setImmediate(resolve));
    return calls[index];
  };
  return { write, calls, nextCall };
}

describe('WriteCoalescer', () => {
  it('merges batches submitted in the same turn into one write', async () => {
    const { write, nextCall } = controlledWrite();
    const coalescer = new WriteCoalescer(write, { maxRows: 100, splitOn: () => true });
    const done = Promise.all([coalescer.submit([1, 2]), coalescer.submit([3]), coalescer.submit([4])]);
    (await nextCall(0)).release();
    await done;
    expect(write.mock.calls).toEqual([[[1, 2, 3, 4]]]);
  });

  it('holds batches that arrive during a write and sends them together next', async () => {
    const { write, nextCall } = controlledWrite();
    const coalescer = new WriteCoalescer(write, { maxRows: 100, splitOn: () => true });
    const first = coalescer.submit([1]);
    const running = await nextCall(0);
    const later = Promise.all([coalescer.submit([2]), coalescer.submit([3])]);
    let laterSettled = false;
    void later.then(() => (laterSettled = true));
    running.release();
    await first;
    expect(laterSettled).toBe(false);
    (await nextCall(1)).release();
    await later;
    expect(write.mock.calls).toEqual([[[1]], [[2, 3]]]);
  });

  it('never puts more than maxRows in a merged write, and never splits a batch', async () => {
    const { write, calls, nextCall } = controlledWrite();
    const coalescer = new WriteCoalescer(write, { maxRows: 3, splitOn: () => true });
    const done = Promise.all([
      coalescer.submit([1, 2]),
      coalescer.submit([3, 4]),
      coalescer.submit([5, 6, 7, 8]),
    ]);
    for (let i = 0; i < 3; i += 1) (await nextCall(i)).release();
    await done;
    expect(calls.map((c) => c.rows)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6, 7, 8],
    ]);
  });

  it('writes each batch alone when a merged write fails, and fails only the batch that fails alone', async () => {
    const write = jest.fn(async (rows: number[]) => {
      if (rows.includes(13)) throw new Error('bad row 13');
    });
    const coalescer = new WriteCoalescer(write, { maxRows: 100, splitOn: () => true });
    const results = await Promise.allSettled([
      coalescer.submit([1]),
      coalescer.submit([13]),
      coalescer.submit([2]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad row 13'));
    expect(write.mock.calls).toEqual([[[1, 13, 2]], [[1]], [[13]], [[2]]]);
  });

  it('fails every merged batch at once when the failure is not one a batch can cause', async () => {
    const down = new Error('connect ECONNREFUSED');
    const write = jest.fn().mockRejectedValue(down);
    const coalescer = new WriteCoalescer<number>(write, { maxRows: 10, splitOn: () => false });
    const results = await Promise.allSettled([coalescer.submit([1]), coalescer.submit([2])]);
    expect(results).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('resolves an empty batch at once, without a write', async () => {
    const write = jest.fn(async () => undefined);
    await new WriteCoalescer(write, { maxRows: 10, splitOn: () => true }).submit([]);
    expect(write).not.toHaveBeenCalled();
  });

  it('keeps working after a failed write', async () => {
    const write = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(undefined);
    const coalescer = new WriteCoalescer<number>(write, { maxRows: 10, splitOn: () => true });
    await expect(coalescer.submit([1])).rejects.toThrow('down');
    await coalescer.submit([2]);
    expect(write).toHaveBeenLastCalledWith([2]);
  });
});

describe('batchesInNextWrite', () => {
  const batch = (n: number) => ({ rows: Array.from({ length: n }) });
  it('takes batches while their rows fit, and always the first', () => {
    expect(batchesInNextWrite([batch(2), batch(1), batch(3)], 3)).toBe(2);
    expect(batchesInNextWrite([batch(9), batch(1)], 3)).toBe(1);
    expect(batchesInNextWrite([batch(1), batch(1)], 10)).toBe(2);
    expect(batchesInNextWrite([], 10)).toBe(0);
  });
});
