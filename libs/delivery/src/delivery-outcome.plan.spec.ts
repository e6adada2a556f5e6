import { type Circuit, CircuitBreakers } from './circuit.breaker';
import type { DeliveryIntent } from './delivery-intent';
import { type AttemptOutcomeInput, planAttemptOutcome } from './delivery-outcome.plan';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const breaker = { failureRate: 0.5, minimumAttempts: 3, windowMs: 60_000, openMs: 30_000 };

function input(overrides: {
  status?: number | null;
  errorClass?: AttemptOutcomeInput['result']['errorClass'];
  retryAfter?: string;
  attempt?: number;
  fifo?: boolean;
  circuit?: Circuit;
  streak?: { version: number; failingSince: number; threshold?: 50 | 70 | 90 };
  disableRequested?: boolean;
  now?: number;
}): AttemptOutcomeInput {
  const status = overrides.status === undefined ? 200 : overrides.status;
  return {
    delivery: { deliveryId: 'dlv_1', attempt: overrides.attempt ?? 1 },
    endpoint: { id: 'ep_1', version: 3, fifo: overrides.fifo ?? false, scheduleMs: [5_000, 300_000] },
    result: {
      status,
      errorClass: overrides.errorClass ?? (status === null ? 'timeout' : null),
      errorMessage: status === null ? 'no answer in 15000 ms' : null,
      retryAfter: overrides.retryAfter,
    },
    state: {
      circuit: overrides.circuit,
      streak: overrides.streak,
      disableRequested: overrides.disableRequested ?? false,
    },
    now: overrides.now ?? NOW,
    settings: { breaker, autoDisableAfterMs: 5 * DAY, tiersMs: [5_000, 60_000, 300_000] },
    random: () => 0.5,
  };
}

const kinds = (intents: DeliveryIntent[]) => intents.map((intent) => intent.kind);
const find = <K extends DeliveryIntent['kind']>(intents: DeliveryIntent[], kind: K) =>
  intents.find((intent) => intent.kind === kind) as Extract<DeliveryIntent, { kind: K }> | undefined;

describe('planAttemptOutcome', () => {
  it('2xx: records the success and nothing else', () => {
    const plan = planAttemptOutcome(input({ status: 204 }));
    expect(plan.result).toBe('succeeded');
    expect(plan.intents).toEqual([
      {
        kind: 'record_attempt',
        outcome: 'succeeded',
        attempted: true,
        nextAttemptAt: null,
        errorClass: null,
        errorMessage: null,
      },
    ]);
  });

  it('2xx after failures: ends the streak (tombstone) and, for a FIFO endpoint, frees the lane', () => {
    const plan = planAttemptOutcome(input({ fifo: true, streak: { version: 3, failingSince: NOW - 1_000 } }));
    expect(kinds(plan.intents)).toEqual(['clear_streak', 'fifo', 'record_attempt']);
    expect(find(plan.intents, 'fifo')!.change).toEqual({ kind: 'resolved' });
  });

  it('other statuses: retry on the schedule tier, attempt+1, the lane blocked until it is due', () => {
    const plan = planAttemptOutcome(input({ status: 500, fifo: true }));
    expect(plan.result).toBe('retry_scheduled');
    const retry = find(plan.intents, 'schedule_retry')!;
    // random 0.5 puts the jitter at zero: exactly the 5 s step.
    expect(retry).toEqual({
      kind: 'schedule_retry',
      nextAttempt: 2,
      tierTopic: 'herald.retry.5s',
      dueAt: NOW + 5_000,
    });
    expect(find(plan.intents, 'fifo')!.change).toEqual({ kind: 'retrying', dueAt: NOW + 5_000 });
    expect(find(plan.intents, 'record_attempt')).toMatchObject({
      outcome: 'retry_scheduled',
      nextAttemptAt: NOW + 5_000,
      errorClass: 'http_status',
      errorMessage: 'receiver answered 500',
    });
    // First failure after a success starts the streak against this snapshot version.
    expect(find(plan.intents, 'start_streak')).toEqual({
      kind: 'start_streak',
      version: 3,
      failingSince: NOW,
    });
  });

  it('a redirect is a failure with its own error class', () => {
    const plan = planAttemptOutcome(input({ status: 302 }));
    expect(find(plan.intents, 'record_attempt')!.errorClass).toBe('redirect');
  });

  it('timeouts and network errors retry on the schedule with their error class', () => {
    const plan = planAttemptOutcome(input({ status: null, errorClass: 'timeout' }));
    expect(plan.result).toBe('retry_scheduled');
    expect(find(plan.intents, 'record_attempt')).toMatchObject({
      errorClass: 'timeout',
      errorMessage: 'no answer in 15000 ms',
    });
  });

  it.each([429, 502, 503, 504])('%i honours Retry-After, moving to the tier covering it', (status) => {
    const plan = planAttemptOutcome(input({ status, retryAfter: '90' }));
    const retry = find(plan.intents, 'schedule_retry')!;
    expect(retry.tierTopic).toBe('herald.retry.5m');
    expect(retry.dueAt).toBeGreaterThanOrEqual(NOW + 90_000);
  });

  it('Retry-After is ignored on other statuses', () => {
    const plan = planAttemptOutcome(input({ status: 500, retryAfter: '90' }));
    expect(find(plan.intents, 'schedule_retry')!.tierTopic).toBe('herald.retry.5s');
  });

  it('the last attempt failed: dead letter (exhausted), delivery.exhausted, lane freed', () => {
    const plan = planAttemptOutcome(input({ status: 503, attempt: 3, fifo: true }));
    expect(plan.result).toBe('exhausted');
    expect(find(plan.intents, 'dead_letter')).toEqual({ kind: 'dead_letter', reason: 'exhausted' });
    expect(find(plan.intents, 'operational')).toEqual({
      kind: 'operational',
      type: 'delivery.exhausted',
      deliveryId: 'dlv_1',
      reason: 'all 3 attempts failed; last: HTTP 503',
      details: { eventId: undefined, eventType: undefined, attempts: 3 },
    });
    expect(find(plan.intents, 'fifo')!.change).toEqual({ kind: 'resolved' });
    expect(find(plan.intents, 'record_attempt')).toMatchObject({ outcome: 'exhausted', nextAttemptAt: null });
  });

  it('410: asks for the disable against the version seen, dead-letters as endpoint_gone', () => {
    const plan = planAttemptOutcome(input({ status: 410, fifo: true }));
    expect(plan.result).toBe('endpoint_disabled');
    expect(find(plan.intents, 'request_disable')).toEqual({
      kind: 'request_disable',
      reason: 'endpoint_gone',
      observedVersion: 3,
      detail: 'the receiver answered 410 Gone',
    });
    expect(find(plan.intents, 'dead_letter')!.reason).toBe('endpoint_gone');
    expect(find(plan.intents, 'fifo')!.change).toEqual({ kind: 'resolved' });
    expect(find(plan.intents, 'schedule_retry')).toBeUndefined();
  });

  it('a disable already asked for at this version is not asked for again', () => {
    const plan = planAttemptOutcome(input({ status: 410, disableRequested: true }));
    expect(plan.result).toBe('endpoint_disabled');
    expect(find(plan.intents, 'request_disable')).toBeUndefined();
    expect(find(plan.intents, 'dead_letter')!.reason).toBe('endpoint_gone');
  });

  it('auto-disable: failing with no success for exactly the window disables; just under retries', () => {
    const under = planAttemptOutcome(
      input({ status: 500, streak: { version: 3, failingSince: NOW - 5 * DAY + 1 } }),
    );
    expect(under.result).toBe('retry_scheduled');
    expect(find(under.intents, 'start_streak')).toBeUndefined();
    const at = planAttemptOutcome(
      input({ status: 500, streak: { version: 3, failingSince: NOW - 5 * DAY } }),
    );
    expect(at.result).toBe('endpoint_disabled');
    expect(find(at.intents, 'request_disable')).toMatchObject({
      reason: 'endpoint_failing',
      observedVersion: 3,
      detail: expect.stringContaining('HERALD_AUTO_DISABLE_AFTER'),
    });
    expect(find(at.intents, 'dead_letter')!.reason).toBe('endpoint_disabled');
  });

  it('a streak recorded against an older snapshot version is void: an edit starts it afresh', () => {
    const plan = planAttemptOutcome(
      input({ status: 500, streak: { version: 2, failingSince: NOW - 30 * DAY } }),
    );
    expect(plan.result).toBe('retry_scheduled');
    expect(find(plan.intents, 'start_streak')).toEqual({
      kind: 'start_streak',
      version: 3,
      failingSince: NOW,
    });
  });

  it('breaker: the failure that reaches the threshold opens the circuit and says so', () => {
    const breakers = new CircuitBreakers(breaker);
    breakers.record('ep_1', true, NOW - 2);
    breakers.record('ep_1', false, NOW - 1);
    const plan = planAttemptOutcome(input({ status: 500, circuit: breakers.get('ep_1') }));
    expect(find(plan.intents, 'set_circuit')!.circuit).toMatchObject({ state: 'open', openedAt: NOW });
    expect(find(plan.intents, 'operational')).toMatchObject({
      type: 'endpoint.circuit_opened',
      reason: 'failure rate reached 50% over 60000ms; pausing for 30000ms',
    });
  });

  it('breaker: a successful probe closes the circuit; a failed one re-opens it silently', () => {
    const probing: Circuit = { state: 'half_open', openedAt: NOW - 30_000, probeInFlight: true, buckets: [] };
    const closed = planAttemptOutcome(input({ status: 200, circuit: probing }));
    expect(find(closed.intents, 'set_circuit')).toEqual({ kind: 'set_circuit', circuit: undefined });
    expect(find(closed.intents, 'operational')).toMatchObject({ type: 'endpoint.circuit_closed' });
    const reopened = planAttemptOutcome(input({ status: 503, circuit: probing }));
    expect(find(reopened.intents, 'set_circuit')!.circuit).toMatchObject({ state: 'open', openedAt: NOW });
    expect(find(reopened.intents, 'operational')).toBeUndefined();
  });

  it('a disable forgets the circuit: nothing more is sent to the endpoint', () => {
    const open: Circuit = { state: 'half_open', openedAt: NOW - 30_000, probeInFlight: true, buckets: [] };
    const plan = planAttemptOutcome(input({ status: 410, circuit: open }));
    expect(find(plan.intents, 'set_circuit')).toEqual({ kind: 'set_circuit', circuit: undefined });
  });

  it('failing: a failure at 50 % of the window warns once and remembers the level on the streak', () => {
    const failingSince = NOW - 2.5 * DAY;
    const plan = planAttemptOutcome(input({ status: 500, streak: { version: 3, failingSince } }));
    expect(plan.result).toBe('retry_scheduled');
    expect(find(plan.intents, 'mark_streak')).toEqual({
      kind: 'mark_streak',
      version: 3,
      failingSince,
      threshold: 50,
    });
    expect(find(plan.intents, 'operational')).toMatchObject({
      type: 'endpoint.failing',
      deliveryId: null,
      details: {
        threshold: 50,
        failingSince: new Date(failingSince).toISOString(),
        disableAt: new Date(failingSince + 5 * DAY).toISOString(),
      },
    });
    const again = planAttemptOutcome(
      input({ status: 500, streak: { version: 3, failingSince, threshold: 50 } }),
    );
    expect(find(again.intents, 'mark_streak')).toBeUndefined();
    expect(find(again.intents, 'operational')).toBeUndefined();
  });

  it('failing: the last attempt of a delivery still warns, beside delivery.exhausted with its event', () => {
    const plan = planAttemptOutcome({
      ...input({
        status: 500,
        attempt: 3,
        streak: { version: 3, failingSince: NOW - 3.6 * DAY, threshold: 50 },
      }),
      delivery: { deliveryId: 'dlv_1', attempt: 3, eventId: 'evt_1', eventType: 'message.received' },
    });
    const types = plan.intents.flatMap((intent) => (intent.kind === 'operational' ? [intent.type] : []));
    expect(types).toEqual(['endpoint.failing', 'delivery.exhausted']);
    expect(
      plan.intents.find((i) => i.kind === 'operational' && i.type === 'delivery.exhausted'),
    ).toMatchObject({
      details: { eventId: 'evt_1', eventType: 'message.received', attempts: 3 },
    });
  });

  it('failing: no warning when the attempt disables the endpoint, or for a streak an edit voided', () => {
    const disabling = planAttemptOutcome(
      input({ status: 500, streak: { version: 3, failingSince: NOW - 5 * DAY } }),
    );
    expect(find(disabling.intents, 'operational')).toBeUndefined();
    const voided = planAttemptOutcome(
      input({ status: 500, streak: { version: 2, failingSince: NOW - 4 * DAY } }),
    );
    expect(find(voided.intents, 'mark_streak')).toBeUndefined();
  });

  it('recovered: a success ends a streak that was warned about, and says so; an unwarned one silently', () => {
    const failingSince = NOW - 3 * DAY;
    const warned = planAttemptOutcome(
      input({ status: 200, streak: { version: 3, failingSince, threshold: 70 } }),
    );
    expect(kinds(warned.intents)).toEqual(['clear_streak', 'operational', 'record_attempt']);
    expect(find(warned.intents, 'operational')).toMatchObject({
      type: 'endpoint.recovered',
      details: { failingSince: new Date(failingSince).toISOString(), threshold: 70 },
    });
    const quiet = planAttemptOutcome(input({ status: 200, streak: { version: 3, failingSince } }));
    expect(kinds(quiet.intents)).toEqual(['clear_streak', 'record_attempt']);
  });
});
