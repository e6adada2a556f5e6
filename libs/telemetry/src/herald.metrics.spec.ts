import { register } from 'prom-client';
import {
  configureEndpointLabels,
  getHeraldMetrics,
  heraldMetrics,
  recordAttempt,
  recordCircuitState,
  recordEndpointCircuitState,
  recordPartitionLag,
  statusClass,
} from './herald.metrics';

describe('herald metrics', () => {
  afterEach(() => {
    configureEndpointLabels(false);
  });

  it('creates each series once per process', () => {
    const first = getHeraldMetrics();
    expect(getHeraldMetrics().attempts).toBe(first.attempts);
    expect(register.getSingleMetric('herald_delivery_attempts_total')).toBe(first.attempts);
  });

  it('reuses a series another module registered first', async () => {
    register.clear();
    const { Counter } = await import('prom-client');
    const foreign = new Counter({ name: 'herald_invalid_events_total', help: 'x', labelNames: ['reason'] });
    expect(getHeraldMetrics().invalidEvents).toBe(foreign);
  });

  it('labels attempts by status class and error class', async () => {
    recordAttempt({ status: 503, errorClass: 'http_status', durationMs: 120 });
    recordAttempt({ status: null, errorClass: 'timeout', durationMs: 5000 });
    const text = await register.metrics();
    expect(text).toContain('herald_delivery_attempts_total{status_class="5xx",error_class="http_status"} 1');
    expect(text).toContain('herald_delivery_attempts_total{status_class="none",error_class="timeout"} 1');
    expect(text).toMatch(/herald_delivery_attempt_duration_seconds_bucket\{le="0.25",status_class="5xx"\} 1/);
  });

  it('sums partition lag per group and topic, and sets retry tier depth', async () => {
    recordPartitionLag('herald-scheduler', 'herald.retry.5m', 0, 3);
    recordPartitionLag('herald-scheduler', 'herald.retry.5m', 1, 4);
    recordPartitionLag('herald-scheduler', 'herald.retry.5m', 0, 1);
    const text = await register.metrics();
    expect(text).toContain('herald_consumer_lag{group="herald-scheduler",topic="herald.retry.5m"} 5');
    expect(text).toContain('herald_retry_tier_depth{tier="5m"} 5');
  });

  it('adds endpoint labels only when opted in', async () => {
    recordEndpointCircuitState('ep_1', 'open');
    expect(await register.metrics()).not.toContain('herald_endpoint_circuit_state');
    configureEndpointLabels(true);
    recordEndpointCircuitState('ep_1', 'open');
    expect(await register.metrics()).toContain('herald_endpoint_circuit_state{endpoint_id="ep_1"} 2');
  });

  it('counts endpoints by circuit state and transitions', async () => {
    recordCircuitState('ep_a', 'open');
    recordCircuitState('ep_b', 'open');
    recordCircuitState('ep_a', 'half_open');
    let text = await register.metrics();
    expect(text).toContain('herald_circuit_breakers{state="open"} 1');
    expect(text).toContain('herald_circuit_breakers{state="half_open"} 1');
    recordCircuitState('ep_a', 'closed');
    recordCircuitState('ep_b', 'closed');
    text = await register.metrics();
    expect(text).toContain('herald_circuit_breakers{state="open"} 0');
    expect(text).toContain('herald_circuit_transitions_total{state="open"} 2');
    expect(text).toContain('herald_circuit_transitions_total{state="closed"} 2');
  });

  it('maps statuses to classes', () => {
    expect([
      statusClass(204),
      statusClass(302),
      statusClass(410),
      statusClass(599),
      statusClass(null),
      statusClass(42),
    ]).toEqual(['2xx', '3xx', '4xx', '5xx', 'none', 'none']);
    heraldMetrics.deliveries.inc({ outcome: 'succeeded' });
  });
});
