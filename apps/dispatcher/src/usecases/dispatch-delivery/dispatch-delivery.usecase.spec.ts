import { loadConfig } from '@herald/config';
import {
  type AttemptRecorded,
  type AutoDisableEndpointCommand,
  type DeliveryRequested,
  type EndpointHealth,
  type EndpointSnapshot,
  KafkaHeaders,
  type OperationalEvent,
  Topics,
} from '@herald/contracts';
import { CircuitBreakers, FailureStreaks } from '@herald/delivery';
import type { PerformedAttempt, SendResult, SignedAttemptPerformer } from '@herald/http-delivery';
import type { OutgoingRecord } from '@herald/kafka';
import { retryEnv } from '@herald/retry';
import { AutoDisableOverlay } from '../../delivery/auto-disable.overlay';
import { EndpointSlots } from '../../delivery/endpoint-slots';
import { dispatcherEnv } from '../../dispatcher.env';
import type { EndpointDirectory } from '../../endpoints/endpoint-directory';
import { FifoGate } from '../../fifo/fifo-gate';
import { DeliveryIntentExecutor } from './delivery-intents.executor';
import { DispatchDeliveryUseCase } from './dispatch-delivery.usecase';

const endpoint = (overrides: Partial<EndpointSnapshot> = {}): EndpointSnapshot => ({
  id: 'ep_1',
  workspaceId: 'ws_1',
  version: 3,
  url: 'https://hooks.example.com/in',
  eventTypes: ['*'],
  filter: null,
  description: null,
  payloadProfile: 'herald',
  signatureScheme: 'standard-webhooks',
  signatureHeader: null,
  secrets: [],
  headers: {},
  timeoutMs: 0,
  maxInFlight: 2,
  rateLimitPerSecond: null,
  retrySchedule: null,
  fifo: false,
  disabled: false,
  disabledReason: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

const delivery = (attempt = 1): DeliveryRequested => ({
  kind: 'DeliveryRequested',
  deliveryId: 'dlv_1',
  workspaceId: 'ws_1',
  endpointId: 'ep_1',
  eventId: 'evt_1',
  eventType: 'message.created',
  occurredAt: new Date().toISOString(),
  attempt,
  payload: '{"a":1}',
  requestedAt: new Date().toISOString(),
  trigger: 'event',
});

const response = (status: number | null, extra: Partial<SendResult> = {}): PerformedAttempt => ({
  startedAt: new Date().toISOString(),
  request: {
    url: 'https://hooks.example.com/in',
    method: 'POST',
    headers: { 'webhook-signature': '[redacted]' },
  },
  result: {
    status,
    headers: {},
    body: '',
    bodyTruncated: false,
    durationMs: 5,
    remoteIp: '93.184.216.34',
    errorClass: status === null ? 'connect' : null,
    errorMessage: status === null ? 'refused' : null,
    ...extra,
  },
});

function setup(
  options: {
    endpoint?: EndpointSnapshot | null;
    answers?: PerformedAttempt[];
    env?: Record<string, string>;
    breakerMinAttempts?: number;
    streaks?: FailureStreaks;
  } = {},
) {
  const env = loadConfig(dispatcherEnv, {
    HERALD_BREAKER_MIN_ATTEMPTS: '3',
    HERALD_BREAKER_OPEN_FOR: '60s',
    ...options.env,
  });
  const retry = loadConfig(retryEnv, { HERALD_RETRY_SCHEDULE: '5s,5m', HERALD_RETRY_TIERS: '5s,1m,5m' });
  let current = options.endpoint === undefined ? endpoint() : options.endpoint;
  const updated: Array<(snapshot: EndpointSnapshot) => void> = [];
  const directory = {
    get: jest.fn(() => current ?? undefined),
    onRemoved: jest.fn(),
    onUpdated: (listener: (snapshot: EndpointSnapshot) => void) => updated.push(listener),
  };
  /** A newer snapshot read from herald.subscriptions. */
  const publish = (snapshot: EndpointSnapshot) => {
    current = snapshot;
    for (const listener of updated) listener(snapshot);
  };
  const answers = [...(options.answers ?? [response(200)])];
  const performer = {
    perform: jest.fn(async (_endpoint: EndpointSnapshot, _input: unknown) =>
      answers.length > 1 ? answers.shift()! : answers[0],
    ),
  };
  const written: OutgoingRecord[] = [];
  const output = { write: jest.fn(async (records: OutgoingRecord[]) => void written.push(...records)) };
  const breakers = new CircuitBreakers({
    failureRate: 0.5,
    minimumAttempts: options.breakerMinAttempts ?? 3,
    windowMs: 60_000,
    openMs: 60_000,
  });
  const fifo = new FifoGate({ waitMs: 50, lostAfterMs: 3_600_000, writerId: 'w1' }, output);
  const streaks = options.streaks ?? new FailureStreaks();
  const overlay = new AutoDisableOverlay();
  const useCase = new DispatchDeliveryUseCase(
    env,
    retry,
    directory as unknown as EndpointDirectory,
    performer as unknown as SignedAttemptPerformer,
    new EndpointSlots(100),
    breakers,
    streaks,
    overlay,
    fifo,
    new DeliveryIntentExecutor(output, breakers, streaks, overlay, fifo, 'w1'),
  );
  const run = (d: DeliveryRequested = delivery(), headers: Record<string, string> = {}, offset = '7') =>
    useCase.execute({
      offset,
      key: Buffer.from('ep_1'),
      value: Buffer.from(JSON.stringify(d)),
      headers,
    });
  const on = (topic: string) => written.filter((r) => r.topic === topic);
  const json = <T>(r: OutgoingRecord) => JSON.parse(String(r.value)) as T;
  return { run, performer, directory, publish, written, on, json, fifo, output, streaks, overlay };
}

describe('DispatchDeliveryUseCase', () => {
  it('records a success and writes nothing else', async () => {
    const { run, on, json, performer } = setup();
    await expect(run()).resolves.toBe('succeeded');
    const [attempt] = on(Topics.attempts).map((r) => json<AttemptRecorded>(r));
    expect(attempt).toMatchObject({
      outcome: 'succeeded',
      deliveryId: 'dlv_1',
      attempt: 1,
      errorClass: null,
      remoteIp: '93.184.216.34',
    });
    expect(attempt.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(on(Topics.attempts)[0].key).toBe('dlv_1');
    // Default timeout applies when the snapshot has none.
    expect((performer.perform.mock.calls[0][1] as { timeoutMs?: number }).timeoutMs).toBe(15_000);
  });

  it('schedules a retry on the tier of the next delay with attempt+1, same payload and copied headers', async () => {
    const { run, on, json } = setup({ answers: [response(500)] });
    const origin = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const before = Date.now();
    await expect(run(delivery(), { [KafkaHeaders.traceparent]: origin, 'x-extra': 'kept' })).resolves.toBe(
      'retry_scheduled',
    );
    const [retry] = on('herald.retry.5s');
    expect(json<DeliveryRequested>(retry)).toMatchObject({
      attempt: 2,
      trigger: 'retry',
      payload: '{"a":1}',
      deliveryId: 'dlv_1',
    });
    const headers = retry.headers as Record<string, string>;
    expect(headers[KafkaHeaders.originTraceparent]).toBe(origin);
    expect(headers['x-extra']).toBe('kept');
    const due = Number(headers[KafkaHeaders.dueAt]);
    expect(due).toBeGreaterThanOrEqual(before + 4_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 6_000);
    expect(json<AttemptRecorded>(on(Topics.attempts)[0])).toMatchObject({
      outcome: 'retry_scheduled',
      errorClass: 'http_status',
    });
  });

  it('honours Retry-After on 429 by moving to the covering tier', async () => {
    const { run, on } = setup({ answers: [response(429, { headers: { 'retry-after': '90' } })] });
    await run();
    expect(on('herald.retry.5m')).toHaveLength(1);
  });

  it('exhausts after the last attempt: dead letter with the original bytes, event, outcome', async () => {
    const { run, on, json } = setup({ answers: [response(null)] });
    await expect(run(delivery(3))).resolves.toBe('exhausted');
    const [dead] = on(Topics.deliveriesDead);
    expect((dead.headers as Record<string, string>)[KafkaHeaders.reasonCode]).toBe('exhausted');
    expect(json<DeliveryRequested>(dead).attempt).toBe(3);
    expect(on(Topics.operational).map((r) => json<OperationalEvent>(r).type)).toEqual(['delivery.exhausted']);
    expect(json<AttemptRecorded>(on(Topics.attempts)[0])).toMatchObject({
      outcome: 'exhausted',
      errorClass: 'connect',
    });
  });

  it('on 410 asks the API to disable the endpoint, dead-letters, and drops later deliveries until a newer snapshot', async () => {
    const { run, on, json, performer, publish, overlay } = setup({ answers: [response(410), response(200)] });
    await expect(run()).resolves.toBe('endpoint_disabled');
    // The dispatcher never writes endpoint snapshots: the API applies the command by compare-and-set.
    expect(on(Topics.subscriptions)).toEqual([]);
    const [command] = on(Topics.endpointCommands);
    expect(command.key).toBe('ep_1');
    expect(json<AutoDisableEndpointCommand>(command)).toMatchObject({
      kind: 'EndpointCommand',
      type: 'endpoint.auto_disable',
      endpointId: 'ep_1',
      workspaceId: 'ws_1',
      observedVersion: 3,
      reason: 'endpoint_gone',
      deliveryId: 'dlv_1',
    });
    // endpoint.disabled is the API's to announce, once it applied the command.
    expect(on(Topics.operational)).toEqual([]);
    await expect(run()).resolves.toBe('dropped');
    expect(performer.perform).toHaveBeenCalledTimes(1);
    expect(
      on(Topics.deliveriesDead).map((r) => (r.headers as Record<string, string>)[KafkaHeaders.reasonCode]),
    ).toEqual(['endpoint_gone', 'endpoint_disabled']);
    // A user edit the API kept instead (version 4, still enabled) ends the overlay: deliveries go again.
    publish(endpoint({ version: 4 }));
    expect(overlay.size).toBe(0);
    await expect(run()).resolves.toBe('succeeded');
    expect(performer.perform).toHaveBeenCalledTimes(2);
  });

  it('asks for the disable once when attempts in flight together all get 410', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { run, on, performer } = setup();
    performer.perform.mockImplementation(async () => {
      await gate;
      return response(410);
    });
    const both = Promise.all([run(), run({ ...delivery(), deliveryId: 'dlv_2' })]);
    await new Promise((r) => setImmediate(r));
    release();
    await expect(both).resolves.toEqual(['endpoint_disabled', 'endpoint_disabled']);
    expect(on(Topics.endpointCommands)).toHaveLength(1);
    expect(on(Topics.deliveriesDead)).toHaveLength(2);
  });

  it('auto-disables an endpoint failing continuously for HERALD_AUTO_DISABLE_AFTER', async () => {
    const { run, on, json } = setup({
      answers: [response(500)],
      env: { HERALD_AUTO_DISABLE_AFTER: '1ms', HERALD_BREAKER_MIN_ATTEMPTS: '100' },
    });
    await run();
    await new Promise((r) => setTimeout(r, 5));
    await expect(run()).resolves.toBe('endpoint_disabled');
    expect(json<AutoDisableEndpointCommand>(on(Topics.endpointCommands)[0])).toMatchObject({
      reason: 'endpoint_failing',
      observedVersion: 3,
    });
  });

  it('persists the failure streak when it starts and tombstones it on success, with the attempt record', async () => {
    const { run, on, json, output } = setup({ answers: [response(500), response(500), response(200)] });
    await run();
    const [started] = on(Topics.endpointHealth);
    expect(started.key).toBe('ep_1');
    expect(json<EndpointHealth>(started)).toMatchObject({
      kind: 'EndpointHealth',
      endpointId: 'ep_1',
      version: 3,
    });
    expect(output.write.mock.calls[0][0].map((r) => r.topic)).toEqual(
      expect.arrayContaining([Topics.endpointHealth, Topics.attempts]),
    );
    // Only when the streak starts, not on every failure.
    await run();
    expect(on(Topics.endpointHealth)).toHaveLength(1);
    await run();
    expect(on(Topics.endpointHealth)[1]).toMatchObject({ key: 'ep_1', value: null });
  });

  it('continues a streak read back after a restart, and voids one recorded against an older version', async () => {
    const streaks = new FailureStreaks();
    streaks.set('ep_1', { version: 3, failingSince: Date.now() - 6 * 86_400_000 });
    const restarted = setup({ answers: [response(500)], streaks });
    await expect(restarted.run()).resolves.toBe('endpoint_disabled');

    const stale = new FailureStreaks();
    stale.set('ep_1', { version: 2, failingSince: Date.now() - 6 * 86_400_000 });
    const edited = setup({ answers: [response(500)], streaks: stale });
    await expect(edited.run()).resolves.toBe('retry_scheduled');
    expect(edited.json<EndpointHealth>(edited.on(Topics.endpointHealth)[0]).version).toBe(3);
  });

  it('opens the circuit, then defers without attempting and without counting an attempt', async () => {
    const { run, on, json, performer } = setup({ answers: [response(503)] });
    for (let i = 0; i < 3; i++) await run();
    expect(on(Topics.operational).map((r) => json<OperationalEvent>(r).type)).toEqual([
      'endpoint.circuit_opened',
    ]);
    const attemptsBefore = on(Topics.attempts).length;
    await expect(run()).resolves.toBe('deferred');
    expect(performer.perform).toHaveBeenCalledTimes(3);
    expect(on(Topics.attempts)).toHaveLength(attemptsBefore);
    // Open for 60 s: deferred to the tier covering that, same bytes (attempt unchanged).
    const [deferred] = on('herald.retry.1m');
    expect(json<DeliveryRequested>(deferred).attempt).toBe(1);
  });

  it('records and dead-letters a delivery for an unknown endpoint without attempting it', async () => {
    const { run, on, json, performer } = setup({ endpoint: null });
    await expect(run()).resolves.toBe('dropped');
    expect(performer.perform).not.toHaveBeenCalled();
    expect(
      on(Topics.deliveriesDead).map((r) => (r.headers as Record<string, string>)[KafkaHeaders.reasonCode]),
    ).toEqual(['endpoint_not_found']);
    expect(json<AttemptRecorded>(on(Topics.attempts)[0])).toMatchObject({
      outcome: 'exhausted',
      response: null,
    });
  });

  it('dead-letters malformed records as invalid_record', async () => {
    const { run, on, performer } = setup();
    await expect(run({ ...delivery(), attempt: 0 })).resolves.toBe('dropped');
    expect(performer.perform).not.toHaveBeenCalled();
    expect(
      on(Topics.deliveriesDead).map((r) => (r.headers as Record<string, string>)[KafkaHeaders.reasonCode]),
    ).toEqual(['invalid_record']);
  });

  it('defers instead of waiting when the endpoint has no free slot', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { run, on, performer } = setup({ env: { HERALD_DISPATCH_SLOT_WAIT: '50ms' } });
    performer.perform.mockImplementation(async () => {
      await gate;
      return response(200);
    });
    const first = [run(), run()];
    await expect(run()).resolves.toBe('deferred');
    expect(on('herald.retry.5s')).toHaveLength(1);
    release();
    await expect(Promise.all(first)).resolves.toEqual(['succeeded', 'succeeded']);
  });
});

describe('DispatchDeliveryUseCase on a FIFO endpoint', () => {
  const follower = (): DeliveryRequested => ({ ...delivery(), deliveryId: 'dlv_2', eventId: 'evt_2' });
  const headersOf = (r: OutgoingRecord) => r.headers as Record<string, string>;
  const tierRecords = (written: OutgoingRecord[]) =>
    written.filter((r) => r.topic.startsWith('herald.retry.'));

  it('blocks behind a failing head: its retry keeps its place, a follower is parked unattempted', async () => {
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
