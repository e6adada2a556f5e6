import type { IncomingBatch } from '@herald/kafka';
import { ProjectionBuffer } from './projection-buffer';

function batch(
  topic: string,
  partition: number,
  from: number,
  count: number,
): IncomingBatch & {
  commits: string[];
  rewinds: string[];
} {
  const commits: string[] = [];
  const rewinds: string[] = [];
  return {
    topic,
    partition,
    messages: Array.from({ length: count }, (_, i) => ({
      key: null,
      value: Buffer.from(String(from + i)),
      offset: String(from + i),
      timestamp: '0',
      attributes: 0,
      headers: {},
    })),
    highWatermark: String(from + count),
    heartbeat: async () => undefined,
    isRunning: () => true,
    commitLater: async (offset) => {
      commits.push(offset);
    },
    rewindLater: (offset) => {
      rewinds.push(offset);
    },
    commits,
    rewinds,
  };
}

function setup(options: { maxRecords?: number; maxWaitMs?: number; failWrites?: number } = {}) {
  const writes: { topic: string; partition: number; offsets: string[] }[] = [];
  const failures: unknown[] = [];
  let failWrites = options.failWrites ?? 0;
  const buffer = new ProjectionBuffer({
    maxRecords: options.maxRecords ?? 10,
    maxWaitMs: options.maxWaitMs ?? 200,
    write: async (topic, partition, records) => {
      if (failWrites > 0) {
        failWrites -= 1;
        throw new Error('postgres down');
      }
      writes.push({ topic, partition, offsets: records.map((r) => r.offset) });
    },
    onWriteFailure: (_topic, _partition, error) => failures.push(error),
  });
  return { buffer, writes, failures };
}

describe('ProjectionBuffer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps small batches waiting, commits below them, and writes them together when the wait is up', async () => {
    const { buffer, writes } = setup();
    const first = batch('t', 0, 0, 3);
    expect(await buffer.add(first)).toEqual({ processedThrough: '2', commitBefore: '0' });
    const second = batch('t', 0, 3, 2);
    expect(await buffer.add(second)).toEqual({ processedThrough: '4', commitBefore: '0' });
    expect(writes).toEqual([]);
    await jest.advanceTimersByTimeAsync(200);
    expect(writes).toEqual([{ topic: 't', partition: 0, offsets: ['0', '1', '2', '3', '4'] }]);
    expect(second.commits).toEqual(['5']);
    expect(buffer.size).toBe(0);
  });

  it('writes at once, in the handler, when enough records have gathered', async () => {
    const { buffer, writes } = setup({ maxRecords: 5 });
    await buffer.add(batch('t', 0, 0, 3));
    expect(await buffer.add(batch('t', 0, 3, 3))).toBeUndefined();
    expect(writes).toEqual([{ topic: 't', partition: 0, offsets: ['0', '1', '2', '3', '4', '5'] }]);
  });

  it('keeps partitions apart', async () => {
    const { buffer, writes } = setup();
    await buffer.add(batch('t', 0, 0, 1));
    await buffer.add(batch('t', 1, 7, 1));
    await buffer.add(batch('u', 0, 4, 1));
    await jest.advanceTimersByTimeAsync(200);
    expect(writes).toHaveLength(3);
    expect(writes).toContainEqual({ topic: 't', partition: 1, offsets: ['7'] });
  });

  it('writes every batch as it comes with no wait configured', async () => {
    const { buffer, writes } = setup({ maxWaitMs: 0 });
    expect(await buffer.add(batch('t', 0, 0, 1))).toBeUndefined();
    expect(writes).toHaveLength(1);
  });

  it('reads from the first waiting record again when a write in the handler fails', async () => {
    const { buffer, writes, failures } = setup({ maxRecords: 4, failWrites: 1 });
    await buffer.add(batch('t', 0, 10, 2));
    const outcome = await buffer.add(batch('t', 0, 12, 2));
    expect(outcome).toMatchObject({ processedThrough: null, rewindTo: '10' });
    expect(failures).toHaveLength(1);
    expect(writes).toEqual([]);
    expect(buffer.size).toBe(0);
  });

  it('rewinds after a failed background write and skips batches fetched before the rewind took effect', async () => {
    const { buffer, writes } = setup({ failWrites: 1 });
    const first = batch('t', 0, 10, 2);
    await buffer.add(first);
    await jest.advanceTimersByTimeAsync(200);
    expect(first.rewinds).toEqual(['10']);
    expect(first.commits).toEqual([]);
    // A batch fetched before the seek: nothing of it is kept and nothing past 10 is committed.
    expect(await buffer.add(batch('t', 0, 12, 2))).toMatchObject({ processedThrough: null, rewindTo: '10' });
    // The records come again from 10 and are written this time.
    await buffer.add(batch('t', 0, 10, 4));
    await jest.advanceTimersByTimeAsync(200);
    expect(writes).toEqual([{ topic: 't', partition: 0, offsets: ['10', '11', '12', '13'] }]);
  });

  it('lets the next batch of a partition wait for its background write', async () => {
    let release!: () => void;
    const order: string[] = [];
    const buffer = new ProjectionBuffer({
      maxRecords: 100,
      maxWaitMs: 200,
      write: async (_t, _p, records) => {
        order.push(`write ${records[0].offset}`);
        if (records[0].offset === '0') await new Promise<void>((resolve) => (release = resolve));
      },
    });
    await buffer.add(batch('t', 0, 0, 1));
    await jest.advanceTimersByTimeAsync(200);
    const next = buffer.add(batch('t', 0, 1, 1)).then((outcome) => {
      order.push('next added');
      return outcome;
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['write 0']);
    release();
    expect(await next).toEqual({ processedThrough: '1', commitBefore: '1' });
    expect(order).toEqual(['write 0', 'next added']);
  });

  it('drops what waits on clear, so it is read again after a restart', async () => {
    const { buffer, writes } = setup();
    const first = batch('t', 0, 0, 2);
    await buffer.add(first);
    buffer.clear();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([]);
    expect(first.commits).toEqual([]);
  });
});
