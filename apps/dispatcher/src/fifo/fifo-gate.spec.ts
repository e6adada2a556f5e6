import { KafkaHeaders, Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { FIFO_PARK_MARGIN_MS, FifoGate, fifoSeqOf } from './fifo-gate';
import { GateDriver, type TestRecord, type Turn } from './fifo-gate.test-driver';

const TIERS = [200, 1_000, 5_000];

function setup(options: { waitMs?: number; failWrites?: () => boolean } = {}) {
  const written: OutgoingRecord[][] = [];
  const output = {
    write: jest.fn(async (records: OutgoingRecord[]) => {
      if (options.failWrites?.()) throw new Error('broker down');
      written.push(records);
    }),
  };
  const gate = new FifoGate(
    { waitMs: options.waitMs ?? 5_000, lostAfterMs: 3_600_000, writerId: 'me' },
    output,
  );
  const driver = new GateDriver(gate, output, TIERS);
  return { gate: driver, raw: gate, output, written, flat: () => written.flat() };
}

const record = (offset: number, headers: Record<string, string> = {}): TestRecord => ({
  offset: String(offset),
  key: Buffer.from('ep'),
  value: Buffer.from(`delivery at ${offset}`),
  headers,
});

/** A send that stays in flight until released, then reports how it ended through the ticket. */
function controlledSend() {
  const order: bigint[] = [];
  const pending = new Map<bigint, (retryDueAt: number | null) => void>();
  const send = (ticket: Turn) =>
    new Promise<OutgoingRecord[]>((resolve) => {
      order.push(ticket.seq);
      pending.set(ticket.seq, (retryDueAt) => resolve(ticket.concluded(retryDueAt)));
    });
  const finish = async (seq: bigint, retryDueAt: number | null = null) => {
    pending.get(seq)!(retryDueAt);
    pending.delete(seq);
    await flush();
  };
  return { send, order, finish, inFlight: () => [...pending.keys()] };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('FifoGate', () => {
  it('takes the place from the header once a record has left its first offset', () => {
    expect(fifoSeqOf(record(42))).toBe(42n);
    expect(fifoSeqOf(record(90, { [KafkaHeaders.fifoSeq]: '42' }))).toBe(42n);
    expect(fifoSeqOf(record(90, { [KafkaHeaders.fifoSeq]: 'junk' }))).toBe(90n);
  });

  it('lets one delivery of an endpoint go at a time, in seq order, whatever order they arrived in', async () => {
    const { gate } = setup();
    const { send, order, finish, inFlight } = controlledSend();
    const runs = [gate.run('ep', record(10), send)];
    await flush();
    runs.push(gate.run('ep', record(12), send), gate.run('ep', record(11), send));
    // Another endpoint is not held back by this one.
    runs.push(gate.run('other', record(13), send));
    await flush();
    expect(inFlight()).toEqual([10n, 13n]);
    await finish(10n);
    expect(inFlight()).toEqual([13n, 11n]);
    await finish(11n);
    await finish(12n);
    await finish(13n);
    await Promise.all(runs);
    expect(order).toEqual([10n, 13n, 11n, 12n]);
  });

  it('parks waiting followers behind a head that failed, due just after its retry, and writes their entries', async () => {
    const { gate, written } = setup();
    const { send, finish, inFlight } = controlledSend();
    const head = gate.run('ep', record(10), send);
    await flush();
    const followers = [
      gate.run('ep', record(11, { 'x-kept': 'yes' }), send),
      gate.run('ep', record(12), send),
    ];
    await flush();
    const retryDue = Date.now() + 800;
    await finish(10n, retryDue);
    await expect(head).resolves.toEqual([
      {
        topic: Topics.fifo,
        key: 'ep/10',
        value: JSON.stringify({ endpointId: 'ep', seq: '10', dueAt: retryDue, blocking: true }),
        headers: { [KafkaHeaders.fifoWriter]: 'me' },
      },
    ]);
    await expect(Promise.all(followers)).resolves.toEqual(['deferred', 'deferred']);
    expect(inFlight()).toEqual([]);
    const [first, second] = written;
    // Unchanged bytes on the tier covering the wait, with the place and due time in headers.
    expect(first[0]).toMatchObject({
      topic: 'herald.retry.5s',
      key: 'ep',
      value: Buffer.from('delivery at 11'),
      headers: {
        'x-kept': 'yes',
        [KafkaHeaders.fifoSeq]: '11',
        [KafkaHeaders.dueAt]: String(retryDue + FIFO_PARK_MARGIN_MS),
      },
    });
    expect(first[1]).toMatchObject({ topic: Topics.fifo, key: 'ep/11' });
    expect(second.map((r) => r.key)).toEqual(['ep', 'ep/12']);
    // A new arrival parks at once; the head itself goes when it is back.
    await expect(gate.run('ep', record(50), send)).resolves.toBe('deferred');
    const back = gate.run('ep', record(60, { [KafkaHeaders.fifoSeq]: '10' }), send);
    await flush();
    expect(inFlight()).toEqual([10n]);
    await finish(10n);
    await back;
  });

  it('tells the batch not to hold for a delivery queued behind its predecessor', async () => {
    const { gate } = setup();
    const { send, finish } = controlledSend();
    const head = gate.run('ep', record(10), send);
    await flush();
    const onDispatched = jest.fn();
    const follower = gate.run('ep', { ...record(11), onDispatched }, send);
    await flush();
    expect(onDispatched).toHaveBeenCalledTimes(1);
    await finish(10n);
    await finish(11n);
    await Promise.all([head, follower]);
  });

  it('parks a follower whose wait in memory ran out', async () => {
    const { gate, written } = setup({ waitMs: 30 });
    const { send, finish } = controlledSend();
    const head = gate.run('ep', record(10), send);
    await flush();
    const started = Date.now();
    await expect(gate.run('ep', record(11), send)).resolves.toBe('deferred');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(written[0][0]).toMatchObject({ topic: 'herald.retry.1s' });
    expect(gate.entries('ep')).toEqual([[11n, { dueAt: expect.any(Number), blocking: false }]]);
    await finish(10n);
    await head;
  });

  it('keeps lane changes whose write failed for the next write of the lane', async () => {
    let fail = true;
    const { gate, written } = setup({ failWrites: () => fail });
    const { send, finish } = controlledSend();
    const head = gate.run('ep', record(10), send);
    await flush();
    // Parked while the head is in flight and the write fails: the caller sees the error.
    const waitAndFail = gate.run('ep', record(11), send).catch((error: Error) => error.message);
    await finish(10n, Date.now() + 500);
    await head;
    await expect(waitAndFail).resolves.toBe('broker down');
    fail = false;
    // The next write of the lane (12 parking) carries 11's entry too.
    await expect(gate.run('ep', record(12), send)).resolves.toBe('deferred');
    expect(written[0].filter((r) => r.topic === Topics.fifo).map((r) => r.key)).toEqual(['ep/11', 'ep/12']);
  });

  it('restores the entries a ticket took when the attempt’s write failed', async () => {
    const { gate } = setup();
    const failing = (ticket: Turn) => {
      ticket.concluded(null);
      return Promise.reject(new Error('write failed'));
    };
    gate.applyChangelog(
      'ep/10',
      Buffer.from(JSON.stringify({ dueAt: Date.now() + 1_000, blocking: true })),
      'previous-owner',
    );
    await expect(gate.run('ep', record(10), failing)).rejects.toThrow('write failed');
    // Read again and delivered: the tombstone the failed write lost is written this time.
    const { send, finish } = controlledSend();
    const again = gate.run('ep', record(10), send);
    await flush();
    await finish(10n);
    await expect(again).resolves.toEqual([expect.objectContaining({ key: 'ep/10', value: null })]);
  });

  it('reads entries other dispatchers wrote, and skips its own', () => {
    const { gate } = setup();
    const entry = (dueAt: number, blocking: boolean) => Buffer.from(JSON.stringify({ dueAt, blocking }));
    gate.applyChangelog('ep/10', entry(100, true), 'previous-owner');
    gate.applyChangelog('ep/11', entry(200, false), 'previous-owner');
    gate.applyChangelog('ep/12', entry(300, false), 'me');
    expect(gate.entries('ep')).toEqual([
      [10n, { dueAt: 100, blocking: true }],
      [11n, { dueAt: 200, blocking: false }],
    ]);
    gate.applyChangelog('ep/10', null, 'previous-owner');
    gate.applyChangelog('ep/11', null, 'me');
    gate.applyChangelog('not-a-key', entry(1, false), 'previous-owner');
    gate.applyChangelog('ep/13', Buffer.from('{}'), 'previous-owner');
    expect(gate.entries('ep')).toEqual([[11n, { dueAt: 200, blocking: false }]]);
  });

  it('forgets the lane of an endpoint deleted or no longer FIFO, tombstoning its entries', async () => {
    const { gate, written } = setup();
    gate.applyChangelog(
      'ep/10',
      Buffer.from(JSON.stringify({ dueAt: Date.now() + 1_000, blocking: true })),
      'x',
    );
    gate.applyChangelog(
      'kept/3',
      Buffer.from(JSON.stringify({ dueAt: Date.now() + 1_000, blocking: true })),
      'x',
    );
    gate.sweep((id) => id === 'kept');
    await flush();
    expect(written).toEqual([[expect.objectContaining({ key: 'ep/10', value: null })]]);
    expect(gate.entries('ep')).toEqual([]);
    expect(gate.entries('kept')).toHaveLength(1);
  });

  it('a dead-lettered delivery always leaves a tombstone for its place', () => {
    const { gate } = setup();
    gate.applyChangelog(
      'ep/10',
      Buffer.from(JSON.stringify({ dueAt: Date.now() + 1_000, blocking: false })),
      'x',
    );
    expect(gate.dropped('ep', record(90, { [KafkaHeaders.fifoSeq]: '10' }))).toEqual([
      expect.objectContaining({ key: 'ep/10', value: null }),
    ]);
    expect(gate.dropped('ep', record(91))).toEqual([expect.objectContaining({ key: 'ep/91', value: null })]);
    expect(gate.dropped('unknown', record(92))).toEqual([]);
  });
});
