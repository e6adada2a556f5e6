export interface CircuitBreakerSettings {
  /** Failure ratio (0..1) over the window that opens the circuit. */
  failureRate: number;
  /** Attempts the window must hold before the ratio counts, so one failure never opens it. */
  minimumAttempts: number;
  /** Sliding window length. */
  windowMs: number;
  /** How long the circuit stays open before one probe is let through. */
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';
export type CircuitTransition = 'opened' | 'closed' | null;

/**
 * The window is a ring of this many fixed time buckets of attempt and failure counts, so an attempt
 * costs the same however many the window holds; it slides one bucket (a tenth of it) at a time.
 */
export const CIRCUIT_BUCKETS = 10;

/** One endpoint's breaker; absent (undefined) means closed with no failure in the window. */
export interface Circuit {
  readonly state: CircuitState;
  readonly openedAt: number;
  readonly probeInFlight: boolean;
  /** Per bucket: [start, attempts, failures], flattened; only read while closed. */
  readonly buckets: readonly number[];
}

const EMPTY_BUCKETS: readonly number[] = Array.from({ length: CIRCUIT_BUCKETS * 3 }, (_, i) =>
  i % 3 === 0 ? -Infinity : 0,
);

/** Whether an attempt may go now; a yes in half-open reserves the single probe (the new circuit). */
export function admitCircuit(
  circuit: Circuit | undefined,
  now: number,
  settings: CircuitBreakerSettings,
): { allow: boolean; circuit: Circuit | undefined } {
  if (!circuit || circuit.state === 'closed') return { allow: true, circuit };
  if (circuit.state === 'open' && now - circuit.openedAt < settings.openMs) return { allow: false, circuit };
  if (circuit.probeInFlight) return { allow: false, circuit };
  return { allow: true, circuit: { ...circuit, state: 'half_open', probeInFlight: true } };
}

/** When an open circuit lets its next probe through. */
export function circuitReopensAt(
  circuit: Circuit | undefined,
  settings: CircuitBreakerSettings,
): number | null {
  return circuit && circuit.state !== 'closed' ? circuit.openedAt + settings.openMs : null;
}

/**
 * The circuit after one attempt's result. Closed: the result is counted and the circuit opens once
 * the failure ratio over the window reaches the threshold. Half-open: the probe's result closes it
 * (success) or re-opens it (failure, no second 'opened').
 */
export function recordCircuitResult(
  circuit: Circuit | undefined,
  failed: boolean,
  now: number,
  settings: CircuitBreakerSettings,
): { circuit: Circuit | undefined; transition: CircuitTransition } {
  if (!circuit) {
    if (!failed) return { circuit, transition: null };
    circuit = { state: 'closed', openedAt: 0, probeInFlight: false, buckets: EMPTY_BUCKETS };
  }
  if (circuit.state !== 'closed') {
    // Results of attempts started before the circuit opened do not decide the probe.
    if (!circuit.probeInFlight) return { circuit, transition: null };
    if (failed)
      return {
        circuit: { ...circuit, state: 'open', openedAt: now, probeInFlight: false },
        transition: null,
      };
    return { circuit: undefined, transition: 'closed' };
  }
  const bucketMs = Math.max(1, Math.ceil(settings.windowMs / CIRCUIT_BUCKETS));
  const start = Math.floor(now / bucketMs) * bucketMs;
  const oldest = start - (CIRCUIT_BUCKETS - 1) * bucketMs;
  const buckets = circuit.buckets.slice();
  const slot = (Math.floor(now / bucketMs) % CIRCUIT_BUCKETS) * 3;
  if (buckets[slot] !== start) {
    buckets[slot] = start;
    buckets[slot + 1] = 0;
    buckets[slot + 2] = 0;
  }
  buckets[slot + 1] += 1;
  if (failed) buckets[slot + 2] += 1;
  let attempts = 0;
  let failures = 0;
  for (let i = 0; i < buckets.length; i += 3) {
    if (buckets[i] < oldest) continue;
    attempts += buckets[i + 1];
    failures += buckets[i + 2];
  }
  if (failures === 0) return { circuit: undefined, transition: null };
  if (attempts >= settings.minimumAttempts && failures / attempts >= settings.failureRate) {
    return {
      circuit: { state: 'open', openedAt: now, probeInFlight: false, buckets: EMPTY_BUCKETS },
      transition: 'opened',
    };
  }
  return { circuit: { ...circuit, buckets }, transition: null };
}

/**
 * Per-endpoint breakers held in memory. Closed: attempts flow and results fill the window; once the
 * failure ratio reaches the threshold the circuit opens. Open: nothing is sent until `openMs` passed;
 * then one probe (half-open) decides. The rules are the pure functions above; this only holds state.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(readonly settings: CircuitBreakerSettings) {}

  get(endpointId: string): Circuit | undefined {
    return this.circuits.get(endpointId);
  }

  set(endpointId: string, circuit: Circuit | undefined): void {
    if (circuit) this.circuits.set(endpointId, circuit);
    else this.circuits.delete(endpointId);
  }

  /** May an attempt go to this endpoint now? A true in half-open reserves the single probe. */
  allow(endpointId: string, now: number): boolean {
    const { allow, circuit } = admitCircuit(this.get(endpointId), now, this.settings);
    this.set(endpointId, circuit);
    return allow;
  }

  reopensAt(endpointId: string): number | null {
    return circuitReopensAt(this.get(endpointId), this.settings);
  }

  state(endpointId: string): CircuitState {
    return this.get(endpointId)?.state ?? 'closed';
  }

  record(endpointId: string, failed: boolean, now: number): CircuitTransition {
    const { circuit, transition } = recordCircuitResult(this.get(endpointId), failed, now, this.settings);
    this.set(endpointId, circuit);
    return transition;
  }

  /** Gives back a probe reserved by allow() when the attempt was not made after all. */
  abandonProbe(endpointId: string): void {
    const circuit = this.get(endpointId);
    if (circuit && circuit.state === 'half_open' && circuit.probeInFlight) {
      this.set(endpointId, { ...circuit, probeInFlight: false });
    }
  }

  forget(endpointId: string): void {
    this.circuits.delete(endpointId);
  }

  get size(): number {
    return this.circuits.size;
  }
}
