import { Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { OutputBuffer } from './output-buffer';

const attempt = (key: string): OutgoingRecord => ({ topic: Topics.attempts, key, value: '{}' });

function setup(lingerMs: number, maxRecords = 100, fail = false) {
  const sends: OutgoingRecord[][] = [];
  const producer = {
    send: async (records: OutgoingRecord[]) => {
      sends.push(records);
      if (fail) throw new Error('broker down');
    },
  };
  return { buffer: new OutputBuffer(producer, lingerMs, maxRecords), sends };
}

describe('OutputBuffer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the writes of one linger window in one request and resolves them after it', async () => {
    const { buffer, sends } = setup(50);
    const done: string[] = [];
    const a = buffer.write([attempt('a')]).then(() => done.push('a'));
    const b = buffer.write([attempt('b'), attempt('c')]).then(() => done.push('b'));
    await jest.advanceTimersByTimeAsync(49);
    expect(sends).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all([a, b]);
    expect(sends.map((s) => s.map((r) => r.key))).toEqual([['a', 'b', 'c']]);
    expect(done).toEqual(['a', 'b']);
  });

  it('sends at once when enough records wait', async () => {
    const { buffer, sends } = setup(1_000, 3);
    void buffer.write([attempt('a'), attempt('b')]);
    void buffer.write([attempt('c')]);
    expect(sends).toHaveLength(1);
  });

  it('sends FIFO lane records at once, with whatever waited', async () => {
    const { buffer, sends } = setup(1_000);
    void buffer.write([attempt('a')]);
    void buffer.write([attempt('b'), { topic: Topics.fifo, key: 'ep/1', value: null }]);
    expect(sends.map((s) => s.map((r) => r.key))).toEqual([['a', 'b', 'ep/1']]);
  });

  it('rejects every write of a failed request', async () => {
    const { buffer } = setup(10, 100, true);
    const writes = [buffer.write([attempt('a')]), buffer.write([attempt('b')])];
    const settled = Promise.allSettled(writes);
    await jest.advanceTimersByTimeAsync(10);
    expect((await settled).map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
