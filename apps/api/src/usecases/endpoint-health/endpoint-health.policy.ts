import type { EndpointHealthRow } from '@herald/persistence';

/** The windows health is reported over, and their length. */
export const HEALTH_WINDOWS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type HealthWindow = keyof typeof HEALTH_WINDOWS;
export const HEALTH_WINDOW_NAMES = Object.keys(HEALTH_WINDOWS) as HealthWindow[];
export const DEFAULT_HEALTH_WINDOW: HealthWindow = '24h';

export interface EndpointHealth {
  endpointId: string;
  window: HealthWindow;
  from: string;
  to: string;
  attempts: number;
  succeeded: number;
  failed: number;
  /** succeeded / attempts, 0..1 (four decimals); null without attempts. */
  successRate: number | null;
  latencyMs: { p50: number; p95: number } | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  circuit: { state: 'closed' | 'open'; since: string | null };
  disabled: boolean;
  disabledReason: string | null;
}

/** [now - window, now). */
export function healthRange(window: HealthWindow, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - HEALTH_WINDOWS[window]), to: now };
}

/**
 * One endpoint's health from what the attempts table and its circuit events say. Only attempts that
 * were sent count (circuit_open and endpoint_disabled outcomes never reached the endpoint); the circuit
 * is open when its latest event opened it, and closed (since that event, or always) otherwise.
 */
export function toEndpointHealth(
  row: EndpointHealthRow,
  window: HealthWindow,
  range: { from: Date; to: Date },
): EndpointHealth {
  const attempts = row.succeeded + row.failed;
  const open = row.circuitEvent?.type === 'endpoint.circuit_opened';
  return {
    endpointId: row.endpointId,
    window,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    attempts,
    succeeded: row.succeeded,
    failed: row.failed,
    successRate: attempts === 0 ? null : Math.round((row.succeeded / attempts) * 10_000) / 10_000,
    latencyMs:
      attempts === 0 || row.p50Ms === null || row.p95Ms === null ? null : { p50: row.p50Ms, p95: row.p95Ms },
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: row.lastFailureAt?.toISOString() ?? null,
    circuit: { state: open ? 'open' : 'closed', since: row.circuitEvent?.at.toISOString() ?? null },
    disabled: row.disabled,
    disabledReason: row.disabled ? row.disabledReason : null,
  };
}
