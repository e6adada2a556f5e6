import { planDeferral, tierCovering, tierTopic } from '@herald/retry';
import { admitCircuit, type Circuit, type CircuitBreakerSettings, circuitReopensAt } from './circuit.breaker';
import type { DeliveryIntent, DeliveryPlan } from './delivery-intent';

/**
 * Parked records are due this long after the delivery ahead of them, so that one is back (and
 * usually done) first: the scheduler's lateness is well under a second at p99.
 */
export const FIFO_PARK_MARGIN_MS = 1_000;

/** A record that is not a DeliveryRequested: dead-lettered as it is, nothing else is known. */
export function planInvalidRecord(): DeliveryPlan {
  return { result: 'dropped', intents: [{ kind: 'dead_letter', reason: 'invalid_record' }] };
}

/**
 * Whether a delivery can be sent at all: an unknown endpoint, or one that is disabled (by its
 * snapshot, or by a disable this process asked for and the API has not applied yet), dead-letters it
 * unattempted with an attempt record saying why. Undefined: it may go on.
 */
export function planUnsendable(input: {
  endpointId: string;
  endpoint: { disabled: boolean; fifo: boolean } | undefined;
  disableRequested: boolean;
}): DeliveryPlan | undefined {
  const { endpoint } = input;
  if (!endpoint) {
    return dropped('endpoint_not_found', 'exhausted', `endpoint ${input.endpointId} does not exist`, false);
  }
  if (endpoint.disabled || input.disableRequested) {
    return dropped(
      'endpoint_disabled',
      'endpoint_disabled',
      `endpoint ${input.endpointId} is disabled`,
      endpoint.fifo,
    );
  }
  return undefined;
}

/**
 * The breaker's say before an attempt: an open circuit defers the delivery unchanged (same attempt
 * number, no attempt record) to the tier covering the time until the next probe; a half-open one
 * lets a single probe through.
 */
export function planCircuitGate(input: {
  circuit: Circuit | undefined;
  fifo: boolean;
  now: number;
  breaker: CircuitBreakerSettings;
  tiersMs: readonly number[];
  random?: () => number;
}): { allow: true; intents: DeliveryIntent[] } | { allow: false; plan: DeliveryPlan } {
  const { circuit, now } = input;
  const admitted = admitCircuit(circuit, now, input.breaker);
  const setCircuit: DeliveryIntent[] =
    admitted.circuit !== circuit ? [{ kind: 'set_circuit', circuit: admitted.circuit }] : [];
  if (admitted.allow) return { allow: true, intents: setCircuit };
  const reopensAt = circuitReopensAt(circuit, input.breaker) ?? now;
  const deferral = planDeferral(input.tiersMs, now, Math.max(0, reopensAt - now), input.random);
  return {
    allow: false,
    plan: deferred(deferral.topic, deferral.dueAt, 'circuit_open', input.fifo, setCircuit),
  };
}

/**
 * No in-flight slot or rate token in time: deferred unchanged to the shortest tier; a probe the
 * breaker reserved for it is given back.
 */
export function planNoSlot(input: {
  circuit: Circuit | undefined;
  fifo: boolean;
  now: number;
  tiersMs: readonly number[];
  random?: () => number;
}): DeliveryPlan {
  const { circuit } = input;
  const released: DeliveryIntent[] =
    circuit && circuit.state === 'half_open' && circuit.probeInFlight
      ? [{ kind: 'set_circuit', circuit: { ...circuit, probeInFlight: false } }]
      : [];
  const deferral = planDeferral(input.tiersMs, input.now, 0, input.random);
  return deferred(deferral.topic, deferral.dueAt, 'no_slot', input.fifo, released);
}

/**
 * A FIFO delivery that must not go yet: re-queued unchanged until just after the delivery ahead of
 * it (`after`), without jitter, so records parked behind the same one come back in the order they
 * were parked.
 */
export function planFifoPark(input: {
  after: number;
  now: number;
  tiersMs: readonly number[];
}): DeliveryPlan {
  const dueAt = Math.max(input.after, input.now) + FIFO_PARK_MARGIN_MS;
  const topic = tierTopic(tierCovering(dueAt - input.now, input.tiersMs));
  return deferred(topic, dueAt, 'fifo_parked', true, []);
}

function deferred(
  tierTopic: string,
  dueAt: number,
  cause: 'circuit_open' | 'no_slot' | 'fifo_parked',
  fifo: boolean,
  before: DeliveryIntent[],
): DeliveryPlan {
  const intents: DeliveryIntent[] = [...before, { kind: 'defer', tierTopic, dueAt, cause }];
  if (fifo) intents.push({ kind: 'fifo', change: { kind: 'deferred', dueAt } });
  return { result: 'deferred', intents };
}

function dropped(
  reason: 'endpoint_not_found' | 'endpoint_disabled',
  outcome: 'exhausted' | 'endpoint_disabled',
  message: string,
  fifo: boolean,
): DeliveryPlan {
  const intents: DeliveryIntent[] = [
    { kind: 'dead_letter', reason },
    {
      kind: 'record_attempt',
      outcome,
      attempted: false,
      nextAttemptAt: null,
      errorClass: 'unknown',
      errorMessage: `${message}; not attempted (dead-lettered as ${reason})`,
    },
  ];
  if (fifo) intents.push({ kind: 'fifo', change: { kind: 'dropped' } });
  return { result: 'dropped', intents };
}
