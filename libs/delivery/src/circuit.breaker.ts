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

interface Circuit {
  state: CircuitState;
  openedAt: number;
  probeInFlight: boolean;
  /** Attempt results in the window: [time, failed]. */
  results: Array<[number, boolean]>;
}

/**
 * Per-endpoint breaker. Closed: attempts flow and results fill a sliding window; once the failure
 * ratio reaches the threshold the circuit opens. Open: nothing is sent until `openMs` passed; then one
 * probe (half-open) decides: success closes, failure re-opens. Pure state, clock passed in.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly settings: CircuitBreakerSettings) {}

  /** May an attempt go to this endpoint now? A true in half-open reserves the single probe. */
  allow(endpointId: string, now: number): boolean {
    const circuit = this.circuits.get(endpointId);
    if (!circuit || circuit.state === 'closed') return true;
    if (circuit.state === 'open' && now - circuit.openedAt < this.settings.openMs) return false;
    if (circuit.probeInFlight) return false;
    circuit.state = 'half_open';
    circuit.probeInFlight = true;
    return true;
  }

  /** When an open circuit lets its next probe through. */
  reopensAt(endpointId: string): number | null {
    const circuit = this.circuits.get(endpointId);
    return circuit && circuit.state !== 'closed' ? circuit.openedAt + this.settings.openMs : null;
  }

  state(endpointId: string): CircuitState {
    return this.circuits.get(endpointId)?.state ?? 'closed';
  }

  record(endpointId: string, failed: boolean, now: number): CircuitTransition {
    let circuit = this.circuits.get(endpointId);
    if (!circuit) {
      if (!failed) return null;
      circuit = { state: 'closed', openedAt: 0, probeInFlight: false, results: [] };
      this.circuits.set(endpointId, circuit);
    }
    if (circuit.state !== 'closed') {
      // Results of attempts started before the circuit opened do not decide the probe.
      if (!circuit.probeInFlight) return null;
      circuit.probeInFlight = false;
      if (failed) {
        circuit.state = 'open';
        circuit.openedAt = now;
        return null;
      }
      this.circuits.delete(endpointId);
      return 'closed';
    }
    circuit.results.push([now, failed]);
    const since = now - this.settings.windowMs;
    while (circuit.results.length > 0 && circuit.results[0][0] < since) circuit.results.shift();
    if (!circuit.results.some(([, f]) => f)) {
      this.circuits.delete(endpointId);
      return null;
    }
    const failures = circuit.results.filter(([, f]) => f).length;
    if (
      circuit.results.length >= this.settings.minimumAttempts &&
      failures / circuit.results.length >= this.settings.failureRate
    ) {
      circuit.state = 'open';
      circuit.openedAt = now;
      circuit.results = [];
      return 'opened';
    }
    return null;
  }

  /** Gives back a probe reserved by allow() when the attempt was not made after all. */
  abandonProbe(endpointId: string): void {
    const circuit = this.circuits.get(endpointId);
    if (circuit && circuit.state === 'half_open' && circuit.probeInFlight) circuit.probeInFlight = false;
  }

  forget(endpointId: string): void {
    this.circuits.delete(endpointId);
  }
}
