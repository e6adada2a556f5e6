import type { Circuit } from './circuit.breaker';
import {
  FIFO_PARK_MARGIN_MS,
  planCircuitGate,
  planFifoPark,
  planInvalidRecord,
  planNoSlot,
  planUnsendable,
} from './delivery-admission.plan';

const NOW = 1_000_000;
const TIERS = [5_000, 60_000, 300_000];
const breaker = { failureRate: 0.5, minimumAttempts: 3, windowMs: 60_000, openMs: 30_000 };
const half = () => 0.5;

describe('admission plans', () => {
  it('an invalid record is dead-lettered as it is', () => {
    expect(planInvalidRecord()).toEqual({
      result: 'dropped',
      intents: [{ kind: 'dead_letter', reason: 'invalid_record' }],
    });
  });

  it('an unknown endpoint: dead letter and an unattempted attempt record saying why', () => {
    const plan = planUnsendable({ endpointId: 'ep_x', endpoint: undefined, disableRequested: false });
    expect(plan?.result).toBe('dropped');
    expect(plan?.intents).toEqual([
      { kind: 'dead_letter', reason: 'endpoint_not_found' },
      expect.objectContaining({
        kind: 'record_attempt',
        outcome: 'exhausted',
        attempted: false,
        errorMessage: 'endpoint ep_x does not exist; not attempted (dead-lettered as endpoint_not_found)',
      }),
    ]);
  });

  it('a disabled endpoint, or one whose disable this process asked for, drops and frees its FIFO place', () => {
    for (const [disabled, disableRequested] of [
      [true, false],
      [false, true],
    ]) {
      const plan = planUnsendable({
        endpointId: 'ep_1',
        endpoint: { disabled, fifo: true },
        disableRequested,
      });
      expect(plan?.intents).toEqual([
        { kind: 'dead_letter', reason: 'endpoint_disabled' },
        expect.objectContaining({ kind: 'record_attempt', outcome: 'endpoint_disabled', attempted: false }),
        { kind: 'fifo', change: { kind: 'dropped' } },
      ]);
    }
    expect(
      planUnsendable({
        endpointId: 'ep_1',
        endpoint: { disabled: false, fifo: false },
        disableRequested: false,
      }),
    ).toBeUndefined();
  });

  it('an open circuit defers unchanged to the tier covering the time until the probe, keeping the FIFO place', () => {
    const open: Circuit = { state: 'open', openedAt: NOW - 1_000, probeInFlight: false, buckets: [] };
    const gate = planCircuitGate({
      circuit: open,
      fifo: true,
      now: NOW,
      breaker,
      tiersMs: TIERS,
      random: half,
    });
    expect(gate.allow).toBe(false);
    if (gate.allow) return;
    expect(gate.plan).toEqual({
      result: 'deferred',
      intents: [
        { kind: 'defer', tierTopic: 'herald.retry.1m', dueAt: NOW + 60_000, cause: 'circuit_open' },
        { kind: 'fifo', change: { kind: 'deferred', dueAt: NOW + 60_000 } },
      ],
    });
  });

  it('a closed circuit lets the attempt go with nothing to change', () => {
    expect(planCircuitGate({ circuit: undefined, fifo: false, now: NOW, breaker, tiersMs: TIERS })).toEqual({
      allow: true,
      intents: [],
    });
  });

  it('once open long enough, one probe is reserved; a second delivery is deferred meanwhile', () => {
    const open: Circuit = { state: 'open', openedAt: NOW - 30_000, probeInFlight: false, buckets: [] };
    const first = planCircuitGate({ circuit: open, fifo: false, now: NOW, breaker, tiersMs: TIERS });
    expect(first).toEqual({
      allow: true,
      intents: [{ kind: 'set_circuit', circuit: { ...open, state: 'half_open', probeInFlight: true } }],
    });
    const probing = { ...open, state: 'half_open' as const, probeInFlight: true };
    expect(planCircuitGate({ circuit: probing, fifo: false, now: NOW, breaker, tiersMs: TIERS }).allow).toBe(
      false,
    );
  });

  it('no slot in time: deferred to the shortest tier, the reserved probe given back', () => {
    const probing: Circuit = { state: 'half_open', openedAt: 0, probeInFlight: true, buckets: [] };
    const plan = planNoSlot({ circuit: probing, fifo: false, now: NOW, tiersMs: TIERS, random: half });
    expect(plan).toEqual({
      result: 'deferred',
      intents: [
        { kind: 'set_circuit', circuit: { ...probing, probeInFlight: false } },
        { kind: 'defer', tierTopic: 'herald.retry.5s', dueAt: NOW + 5_000, cause: 'no_slot' },
      ],
    });
  });

  it('a FIFO delivery behind a blocked head parks until just after it is due, on the tier covering that', () => {
    const plan = planFifoPark({ after: NOW + 50_000, now: NOW, tiersMs: TIERS });
    const dueAt = NOW + 50_000 + FIFO_PARK_MARGIN_MS;
    expect(plan.intents).toEqual([
      { kind: 'defer', tierTopic: 'herald.retry.1m', dueAt, cause: 'fifo_parked' },
      { kind: 'fifo', change: { kind: 'deferred', dueAt } },
    ]);
    // A head due already (freed, or in flight): back a moment later.
    expect(planFifoPark({ after: NOW - 10, now: NOW, tiersMs: TIERS }).intents[0]).toMatchObject({
      dueAt: NOW + FIFO_PARK_MARGIN_MS,
      tierTopic: 'herald.retry.5s',
    });
  });
});
