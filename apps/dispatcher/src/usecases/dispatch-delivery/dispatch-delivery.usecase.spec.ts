import {
  type AttemptRecorded,
  type AutoDisableEndpointCommand,
  type DeliveryRequested,
  type EndpointHealth,
  type OperationalEvent,
  KafkaHeaders,
  Topics,
} from '@herald/contracts';
import { FailureStreaks } from '@herald/delivery';
import { delivery, endpoint, response, setup } from './dispatch-delivery.fixtures';

describe('DispatchDeliveryUseCase', () => {
  it('the attempt carries the delivery createdAt; a retry keeps it while requestedAt moves on', async () => {
    const { run, on, json } = setup({ answers: [response(500)] });
    const first = {
      ...delivery(),
      createdAt: '2026-03-20T14:00:05.000Z',
      requestedAt: '2026-03-20T14:00:06.000Z',
    };
    await expect(run(first)).resolves.toBe('retry_scheduled');
    expect(json<AttemptRecorded>(on(Topics.attempts)[0]).deliveryCreatedAt).toBe('2026-03-20T14:00:05.000Z');
    const retry = json<DeliveryRequested>(on('herald.retry.5s')[0]);
    expect(retry).toMatchObject({ attempt: 2, createdAt: '2026-03-20T14:00:05.000Z' });
    expect(retry.requestedAt).not.toBe(first.requestedAt);
  });

  it('a request without createdAt (written before it existed): the attempt takes its requestedAt', async () => {
    const { run, on, json } = setup();
    const { createdAt: _, ...legacy } = { ...delivery(), requestedAt: '2026-03-20T14:00:06.000Z' };
    await run(legacy);
    expect(json<AttemptRecorded>(on(Topics.attempts)[0]).deliveryCreatedAt).toBe('2026-03-20T14:00:06.000Z');
  });

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

  it('warns at a failing level once, persisting the level with the streak, and says recovered on success', async () => {
    const streaks = new FailureStreaks();
    const failingSince = Date.now() - 2.6 * 86_400_000;
    streaks.set('ep_1', { version: 3, failingSince });
    const { run, on, json } = setup({ answers: [response(500), response(500), response(200)], streaks });
    const about = (type: string) =>
      on(Topics.operational)
        .map((r) => json<OperationalEvent>(r))
        .filter((e) => e.type === type);
    await run();
    await run();
    expect(about('endpoint.failing')).toHaveLength(1);
    expect(about('endpoint.failing')[0]).toMatchObject({
      endpointId: 'ep_1',
      details: { threshold: 50, failingSince: new Date(failingSince).toISOString() },
    });
    expect(json<EndpointHealth>(on(Topics.endpointHealth)[0])).toMatchObject({ threshold: 50 });
    await run();
    expect(about('endpoint.recovered')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ threshold: 50 }) }),
    ]);
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
