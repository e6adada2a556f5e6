import type { EndpointHealthRow } from '@herald/persistence';
import { HEALTH_WINDOWS, healthRange, toEndpointHealth } from './endpoint-health.policy';

const now = new Date('2026-12-02T18:00:00.000Z');
const row = (overrides: Partial<EndpointHealthRow> = {}): EndpointHealthRow => ({
  endpointId: 'e1',
  disabled: false,
  disabledReason: null,
  succeeded: 0,
  failed: 0,
  p50Ms: null,
  p95Ms: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  circuitEvent: null,
  ...overrides,
});

describe('endpoint health rule', () => {
  it.each([
    ['1h', '2026-12-02T17:00:00.000Z'],
    ['24h', '2026-12-01T18:00:00.000Z'],
    ['7d', '2026-11-25T18:00:00.000Z'],
    ['30d', '2026-11-02T18:00:00.000Z'],
  ] as const)('the %s window starts at %s and ends now', (window, from) => {
    expect(healthRange(window, now)).toEqual({ from: new Date(from), to: now });
    expect(HEALTH_WINDOWS[window]).toBe(now.getTime() - new Date(from).getTime());
  });

  it('has no rate or latency without attempts, and a closed circuit that never opened', () => {
    expect(toEndpointHealth(row(), '24h', healthRange('24h', now))).toEqual({
      endpointId: 'e1',
      window: '24h',
      from: '2026-12-01T18:00:00.000Z',
      to: '2026-12-02T18:00:00.000Z',
      attempts: 0,
      succeeded: 0,
      failed: 0,
      successRate: null,
      latencyMs: null,
      lastSuccessAt: null,
      lastFailureAt: null,
      circuit: { state: 'closed', since: null },
      disabled: false,
      disabledReason: null,
    });
  });

  it('counts successes and failures, rounds the rate to four decimals and reports the percentiles', () => {
    const health = toEndpointHealth(
      row({
        succeeded: 2,
        failed: 1,
        p50Ms: 40,
        p95Ms: 900,
        lastSuccessAt: new Date('2026-12-02T17:59:00Z'),
        lastFailureAt: new Date('2026-11-01T00:00:00Z'),
      }),
      '1h',
      healthRange('1h', now),
    );
    expect(health).toMatchObject({
      attempts: 3,
      succeeded: 2,
      failed: 1,
      successRate: 0.6667,
      latencyMs: { p50: 40, p95: 900 },
      lastSuccessAt: '2026-12-02T17:59:00.000Z',
      // The lasts are over all time, not the window.
      lastFailureAt: '2026-11-01T00:00:00.000Z',
    });
  });

  it('is open since the circuit opened, closed since it closed', () => {
    const at = new Date('2026-12-02T17:30:00Z');
    const opened = toEndpointHealth(
      row({ circuitEvent: { type: 'endpoint.circuit_opened', at } }),
      '24h',
      healthRange('24h', now),
    );
    expect(opened.circuit).toEqual({ state: 'open', since: '2026-12-02T17:30:00.000Z' });
    const closed = toEndpointHealth(
      row({ circuitEvent: { type: 'endpoint.circuit_closed', at } }),
      '24h',
      healthRange('24h', now),
    );
    expect(closed.circuit).toEqual({ state: 'closed', since: '2026-12-02T17:30:00.000Z' });
  });

  it('says why an endpoint is disabled, and drops a stale reason once it is enabled again', () => {
    const range = healthRange('24h', now);
    expect(
      toEndpointHealth(row({ disabled: true, disabledReason: 'gone (410)' }), '24h', range),
    ).toMatchObject({
      disabled: true,
      disabledReason: 'gone (410)',
    });
    expect(
      toEndpointHealth(row({ disabled: false, disabledReason: 'gone (410)' }), '24h', range),
    ).toMatchObject({
      disabled: false,
      disabledReason: null,
    });
  });
});
