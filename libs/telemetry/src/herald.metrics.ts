import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type Metric } from 'prom-client';
import { isRetryTierTopic, RETRY_TOPIC_PREFIX } from '@herald/contracts';

/*
 * Herald's Prometheus series. Several services can share one process (all-in-one mode) and one
 * default registry, so each metric is fetched from the registry before it is created.
 * Labels stay bounded: status class, error class, outcome, reason, tier, consumer group, topic.
 */

function getOrCreate<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  getOrCreate(name, () => new Counter<L>({ name, help, labelNames }));
/** `collect`, when given, sets the gauge's values at scrape time instead of on every change. */
const gauge = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect?: (this: Gauge<L>) => void,
) => getOrCreate(name, () => new Gauge<L>({ name, help, labelNames, collect }));
const histogram = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
) => getOrCreate(name, () => new Histogram<L>({ name, help, labelNames, buckets }));

const ATTEMPT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// From sub-second first attempts to retries succeeding a day later.
const END_TO_END_BUCKETS = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 7200, 21600, 86400, 259200,
];

let defaultsCollected = false;

function create() {
  if (!defaultsCollected && !register.getSingleMetric('process_cpu_seconds_total')) {
    collectDefaultMetrics();
  }
  defaultsCollected = true;
  return {
    /** Domain records rejected by the router, by InvalidEventReason. */
    invalidEvents: counter('herald_invalid_events_total', 'Domain events rejected as invalid, by reason.', [
      'reason',
    ]),
    /** One per HTTP attempt. status_class: 2xx..5xx or none; error_class: AttemptErrorClass or none. */
    attempts: counter(
      'herald_delivery_attempts_total',
      'Delivery attempts by response status class and error class.',
      ['status_class', 'error_class'],
    ),
    /** Seconds from request start to response end (or failure) of one attempt. */
    attemptDuration: histogram(
      'herald_delivery_attempt_duration_seconds',
      'Duration of one HTTP delivery attempt.',
      ['status_class'],
      ATTEMPT_BUCKETS,
    ),
    /** Final (or state-changing) outcomes of deliveries: succeeded, retry_scheduled, exhausted, endpoint_disabled, circuit_open. */
    deliveries: counter('herald_deliveries_total', 'Delivery outcomes.', ['outcome']),
    /** Seconds from the domain event's occurredAt to the successful attempt. */
    endToEndLatency: histogram(
      'herald_delivery_end_to_end_seconds',
      'Time from event occurredAt to successful delivery.',
      [],
      END_TO_END_BUCKETS,
    ),
    /** Attempts holding a slot in this dispatcher, and deliveries waiting for one. */
    dispatchSlots: gauge(
      'herald_dispatch_slots',
      'Dispatcher attempts in flight and deliveries waiting for a slot.',
      ['state'],
      function () {
        const slots = dispatchSlotsSource?.();
        if (!slots) return;
        this.set({ state: 'in_flight' }, slots.inFlight);
        this.set({ state: 'waiting' }, slots.waiting);
      },
    ),
    /** Deliveries sent back to a retry tier without an attempt for want of a slot, by what was short. */
    slotDeferrals: counter(
      'herald_dispatch_slot_deferrals_total',
      'Deliveries deferred for want of a slot: concurrency, rate, workspace, global or queue_full.',
      ['reason'],
    ),
    /** Records waiting in each retry tier topic (sum of the tier consumer's partition lag). */
    retryTierDepth: gauge('herald_retry_tier_depth', 'Records waiting in a retry tier topic.', ['tier']),
    /** Seconds past due of each tier's latest forward (per-record lateness: herald_scheduler_due_lateness_seconds). */
    retryTierLag: gauge(
      'herald_retry_tier_lag_seconds',
      'Seconds past due of the latest retry forwarded from a tier.',
      ['tier'],
    ),
    /** Records behind the high watermark, summed over a topic's partitions, per consumer group. */
    consumerLag: gauge(
      'herald_consumer_lag',
      'Records between the committed position and the high watermark.',
      ['group', 'topic'],
    ),
    /** Number of endpoints whose circuit breaker is in each state (closed, open, half_open). */
    circuitState: gauge('herald_circuit_breakers', 'Endpoints whose circuit breaker is open or half-open.', [
      'state',
    ]),
    /** Circuit-breaker transitions, by the state entered. */
    circuitTransitions: counter('herald_circuit_transitions_total', 'Circuit-breaker state changes.', [
      'state',
    ]),
  };
}

export type HeraldMetrics = ReturnType<typeof create>;

let dispatchSlotsSource: (() => { inFlight: number; waiting: number }) | undefined;

/** Where herald_dispatch_slots is read from at scrape time (the dispatcher's slots). */
export function observeDispatchSlots(source: () => { inFlight: number; waiting: number }): void {
  dispatchSlotsSource = source;
}

let metrics: HeraldMetrics | undefined;

/** Herald's metrics, created on first use. */
export function getHeraldMetrics(): HeraldMetrics {
  // A registry cleared by a test drops our series; recreate them then.
  if (!metrics || !register.getSingleMetric('herald_deliveries_total')) {
    metrics = create();
    publishCircuitCounts();
  }
  return metrics;
}

/** Lazily created so that importing the lib registers nothing. */
export const heraldMetrics: HeraldMetrics = new Proxy({} as HeraldMetrics, {
  get: (_target, key) => getHeraldMetrics()[key as keyof HeraldMetrics],
});

/** `2xx`..`5xx`, or `none` when no response arrived. */
export function statusClass(status: number | null | undefined): string {
  if (status === null || status === undefined || status < 100 || status > 599) return 'none';
  return `${Math.floor(status / 100)}xx`;
}

/** Records one finished HTTP attempt in the attempt counter and histogram. */
export function recordAttempt(sample: {
  status: number | null;
  errorClass: string | null;
  durationMs: number;
}): void {
  const metrics = getHeraldMetrics();
  const status_class = statusClass(sample.status);
  const error_class = sample.errorClass ?? 'none';
  // Label children are looked up once per label set, not hashed again on every attempt.
  if (attemptChildren.of !== metrics)
    attemptChildren = { of: metrics, counts: new Map(), durations: new Map() };
  const key = `${status_class}|${error_class}`;
  let count = attemptChildren.counts.get(key);
  if (!count)
    attemptChildren.counts.set(key, (count = metrics.attempts.labels({ status_class, error_class })));
  let duration = attemptChildren.durations.get(status_class);
  if (!duration)
    attemptChildren.durations.set(
      status_class,
      (duration = metrics.attemptDuration.labels({ status_class })),
    );
  count.inc();
  duration.observe(sample.durationMs / 1000);
}

/** Children of the series they came from; a recreated registry (tests) starts them afresh. */
let attemptChildren: {
  of?: HeraldMetrics;
  counts: Map<string, { inc(): void }>;
  durations: Map<string, { observe(value: number): void }>;
} = { counts: new Map(), durations: new Map() };

/** Records a successful delivery's latency since the domain event occurred. */
export function recordEndToEnd(occurredAt: string | Date, now = Date.now()): void {
  const at = typeof occurredAt === 'string' ? Date.parse(occurredAt) : occurredAt.getTime();
  if (Number.isFinite(at)) heraldMetrics.endToEndLatency.observe(Math.max(0, (now - at) / 1000));
}

const partitionLag = new Map<string, Map<number, number>>();

/**
 * Sets one partition's lag and republishes the topic's sum for the group; a retry tier topic also
 * updates that tier's depth.
 */
export function recordPartitionLag(group: string, topic: string, partition: number, lag: number): void {
  const key = `${group}\u0000${topic}`;
  const partitions = partitionLag.get(key) ?? new Map<number, number>();
  partitions.set(partition, Math.max(0, lag));
  partitionLag.set(key, partitions);
  let sum = 0;
  for (const value of partitions.values()) sum += value;
  heraldMetrics.consumerLag.set({ group, topic }, sum);
  if (isRetryTierTopic(topic))
    heraldMetrics.retryTierDepth.set({ tier: topic.slice(RETRY_TOPIC_PREFIX.length) }, sum);
}

/** Tier label of a retry topic (`herald.retry.5m` -> `5m`). */
export function retryTierLabel(topic: string): string {
  return isRetryTierTopic(topic) ? topic.slice(RETRY_TOPIC_PREFIX.length) : topic;
}

export type CircuitStateName = 'closed' | 'open' | 'half_open';
const CIRCUIT_CODES: Record<CircuitStateName, number> = { closed: 0, half_open: 1, open: 2 };
const circuitStates = new Map<string, CircuitStateName>();

/**
 * Tracks an endpoint's circuit state and republishes herald_circuit_breakers (endpoints per state);
 * call it after each breaker decision. Closed circuits are forgotten, so memory follows the open ones.
 */
export function recordCircuitState(endpointId: string, state: CircuitStateName): void {
  const before = circuitStates.get(endpointId) ?? 'closed';
  if (before === state) return;
  if (state === 'closed') circuitStates.delete(endpointId);
  else circuitStates.set(endpointId, state);
  heraldMetrics.circuitTransitions.inc({ state });
  recordEndpointCircuitState(endpointId, state);
  publishCircuitCounts();
}

function publishCircuitCounts(): void {
  let open = 0;
  let halfOpen = 0;
  for (const value of circuitStates.values()) {
    if (value === 'open') open += 1;
    else halfOpen += 1;
  }
  heraldMetrics.circuitState.set({ state: 'open' }, open);
  heraldMetrics.circuitState.set({ state: 'half_open' }, halfOpen);
}

/**
 * Per-endpoint circuit state (0 closed, 1 half-open, 2 open), only with
 * HERALD_METRICS_ENDPOINT_LABELS=true; a no-op otherwise, which keeps cardinality bounded.
 */
export function recordEndpointCircuitState(endpointId: string, state: CircuitStateName): void {
  if (!endpointLabelsEnabled()) return;
  const series = gauge(
    'herald_endpoint_circuit_state',
    'Circuit state per endpoint: 0 closed, 1 half-open, 2 open.',
    ['endpoint_id'],
  );
  series.set({ endpoint_id: endpointId }, CIRCUIT_CODES[state]);
}

/** Per-endpoint attempt counter, only with HERALD_METRICS_ENDPOINT_LABELS=true. */
export function recordEndpointAttempt(endpointId: string, status: number | null): void {
  if (!endpointLabelsEnabled()) return;
  const series = counter(
    'herald_endpoint_attempts_total',
    'Delivery attempts per endpoint and status class.',
    ['endpoint_id', 'status_class'],
  );
  series.inc({ endpoint_id: endpointId, status_class: statusClass(status) });
}

let endpointLabels = false;

/**
 * Turns the per-endpoint series on or off; startTelemetry sets it from the validated
 * HERALD_METRICS_ENDPOINT_LABELS, so no attempt reads process.env (a slow lookup) again.
 */
export function configureEndpointLabels(enabled: boolean): void {
  endpointLabels = enabled;
}

function endpointLabelsEnabled(): boolean {
  return endpointLabels;
}
