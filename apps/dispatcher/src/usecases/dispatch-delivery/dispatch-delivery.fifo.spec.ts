import { type DeliveryRequested, KafkaHeaders, Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { delivery, endpoint, response, setup } from './dispatch-delivery.fixtures';

describe('DispatchDeliveryUseCase on a FIFO endpoint', () => {
  afterEach(() => jest.restoreAllMocks());
  const follower = (): DeliveryRequested => ({ ...delivery(), deliveryId: 'dlv_2', eventId: 'evt_2' });
  const headersOf = (r: OutgoingRecord) => r.headers as Record<string, string>;
  const tierRecords = (written: OutgoingRecord[]) =>
    written.filter((r) => r.topic.startsWith('herald.retry.'));

  it('blocks behind a failing head: its retry keeps its place, a follower is parked unattempted', async () => {
    // The head's retry due time is jittered by ±20 %: at the low end the follower's wait (head due plus
    // 1 s) fits the 5 s tier, which made this case fail now and then. Jitter at its middle: due in 5 s.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const next = follower();
    const { run, on, json, performer, output, written } = setup({
      endpoint: endpoint({ fifo: true }),
      answers: [response(500), response(200)],
    });
    await expect(run(delivery(), {}, '7')).resolves.toBe('retry_scheduled');
    const [retry] = on('herald.retry.5s');
    expect(headersOf(retry)[KafkaHeaders.fifoSeq]).toBe('7');
    const headDue = Number(headersOf(retry)[KafkaHeaders.dueAt]);
    // The lane entry is written in the same produce as the retry.
    const [retryWrite] = output.write.mock.calls[0];
    expect(retryWrite.filter((r) => r.topic === Topics.fifo)).toEqual([
      expect.objectContaining({ key: 'ep_1/7', headers: { [KafkaHeaders.fifoWriter]: 'w1' } }),
    ]);
    expect(json(on(Topics.fifo)[0])).toEqual({
      endpointId: 'ep_1',
      seq: '7',
      dueAt: headDue,
      blocking: true,
    });

    await expect(run(next, { 'x-extra': 'kept' }, '8')).resolves.toBe('deferred');
    expect(performer.perform).toHaveBeenCalledTimes(1);
    expect(on(Topics.attempts)).toHaveLength(1);
    // Parked unchanged (same bytes, same attempt) on the tier covering the wait, due just after the head.
    const parked = tierRecords(written)[1];
    expect(parked.topic).toBe('herald.retry.1m');
    expect(parked.value?.toString()).toBe(JSON.stringify(next));
    expect(headersOf(parked)).toMatchObject({
      [KafkaHeaders.fifoSeq]: '8',
      [KafkaHeaders.dueAt]: String(headDue + 1_000),
      'x-extra': 'kept',
    });
    expect(output.write.mock.calls[1][0].map((r) => r.topic)).toEqual(['herald.retry.1m', Topics.fifo]);
    expect(json(on(Topics.fifo)[1])).toMatchObject({ seq: '8', blocking: false, dueAt: headDue + 1_000 });

    // The head comes back at another offset, carrying its seq; it succeeds and frees the endpoint.
    await expect(run(json(retry), headersOf(retry), '30')).resolves.toBe('succeeded');
    expect(on(Topics.fifo)[2]).toMatchObject({ key: 'ep_1/7', value: null });
    await expect(run(next, headersOf(parked), '31')).resolves.toBe('succeeded');
    expect(on(Topics.fifo)[3]).toMatchObject({ key: 'ep_1/8', value: null });
    expect(performer.perform).toHaveBeenCalledTimes(3);
  });

  it('frees the endpoint when the head is dead-lettered after its last attempt', async () => {
    const { run, on, json, performer } = setup({
      endpoint: endpoint({ fifo: true }),
      answers: [response(500), response(500), response(500), response(200)],
      breakerMinAttempts: 10,
    });
    await run(delivery(), {}, '7');
    let retry = on('herald.retry.5s')[0];
    await expect(run(json(retry), headersOf(retry), '20')).resolves.toBe('retry_scheduled');
    retry = on('herald.retry.5m')[0];
    expect(headersOf(retry)[KafkaHeaders.fifoSeq]).toBe('7');
    await expect(run(json(retry), headersOf(retry), '21')).resolves.toBe('exhausted');
    expect(on(Topics.fifo).map((r) => [r.key, r.value === null])).toEqual([
      ['ep_1/7', false],
      ['ep_1/7', false],
      ['ep_1/7', true],
    ]);
    await expect(run(follower(), {}, '8')).resolves.toBe('succeeded');
    expect(performer.perform).toHaveBeenCalledTimes(4);
  });

  it('a deferred head (circuit open) keeps its place and blocks until its new due time', async () => {
    const { run, on, json, performer, written } = setup({
      endpoint: endpoint({ fifo: true }),
      answers: [response(500)],
      breakerMinAttempts: 1,
    });
    await run(delivery(), {}, '7');
    const retry = on('herald.retry.5s')[0];
    // The circuit opened on that failure: the head comes back and is deferred, not attempted.
    await expect(run(json(retry), headersOf(retry), '30')).resolves.toBe('deferred');
    expect(performer.perform).toHaveBeenCalledTimes(1);
    const deferred = on('herald.retry.1m')[0];
    const deferredDue = Number(headersOf(deferred)[KafkaHeaders.dueAt]);
    expect(headersOf(deferred)[KafkaHeaders.fifoSeq]).toBe('7');
    expect(json(on(Topics.fifo)[1])).toEqual({
      endpointId: 'ep_1',
      seq: '7',
      dueAt: deferredDue,
      blocking: true,
    });
    // A follower parks until the head's new due time, not the old one.
    await expect(run(follower(), {}, '8')).resolves.toBe('deferred');
    const [parked] = tierRecords(written).filter((r) => json<DeliveryRequested>(r).deliveryId === 'dlv_2');
    expect(headersOf(parked)[KafkaHeaders.dueAt]).toBe(String(deferredDue + 1_000));
    expect(performer.perform).toHaveBeenCalledTimes(1);
  });

  it('dead-letters deliveries of a disabled FIFO endpoint and clears their entries', async () => {
    const { run, on, json, publish, written } = setup({
      endpoint: endpoint({ fifo: true }),
      answers: [response(500)],
    });
    await run(delivery(), {}, '7');
    await expect(run(follower(), {}, '8')).resolves.toBe('deferred');
    publish(endpoint({ fifo: true, disabled: true, version: 9 }));
    const [parked] = tierRecords(written).filter((r) => json<DeliveryRequested>(r).deliveryId === 'dlv_2');
    await expect(run(follower(), headersOf(parked), '40')).resolves.toBe('dropped');
    expect(on(Topics.fifo).slice(-1)[0]).toMatchObject({ key: 'ep_1/8', value: null });
  });

  it('leaves other endpoints alone: no place header, no lane records', async () => {
    const { run, on } = setup({ answers: [response(500)] });
    await run(delivery(), {}, '7');
    expect(headersOf(on('herald.retry.5s')[0])[KafkaHeaders.fifoSeq]).toBeUndefined();
    expect(on(Topics.fifo)).toEqual([]);
  });
});
