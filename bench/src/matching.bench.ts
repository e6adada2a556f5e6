import 'reflect-metadata';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DOMAIN_EVENT_CATALOGUE, type EndpointSnapshot } from '@herald/contracts';
import { SubscriptionIndex } from '@herald/matching';
import { runStandalone, type BenchScenario } from './bench-scenario';

/** Domain types only: the mix measured before the operational family joined the catalogue. */
const EVENT_TYPES = [...new Set(DOMAIN_EVENT_CATALOGUE.map((entry) => entry.type))];

/*
 * Matching cost per event against 100,000 subscriptions over 1,000 workspaces: a realistic mix of
 * exact, prefix and `*` patterns, a third of them with payload filters. Target: p99 <= 20 us.
 */
const WORKSPACES = 1_000;
const SUBSCRIPTIONS = 100_000;
const CHANNELS = ['sms', 'mms', 'email', 'whatsapp'];

/** Deterministic pseudo-random numbers, so runs compare. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function subscription(i: number, random: () => number, distinctFilters: boolean): EndpointSnapshot {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const roll = random();
  const eventTypes =
    roll < 0.5
      ? [pick(EVENT_TYPES), pick(EVENT_TYPES)]
      : roll < 0.85
        ? [`${pick(EVENT_TYPES).split('.')[0]}.*`]
        : ['*'];
  const f = random();
  const filter =
    f < 0.15
      ? { 'data.communicationType': pick(CHANNELS) }
      : f < 0.25
        ? { 'data.lineId': { $in: [`line_${i % 7}`, `line_${i % 11}`] } }
        : f < 0.33
          ? {
              $or: [{ 'data.outbound': true }, { 'data.to': '+17025550000' }],
              'data.text': { $exists: true },
            }
          : null;
  // Worst case: no two endpoints share a filter, so nothing is compiled or evaluated once for many.
  if (distinctFilters && filter) Object.assign(filter, { 'data.id': { $ne: `never_${i}` } });
  return {
    id: `ep_${i}`,
    workspaceId: `ws_${i % WORKSPACES}`,
    version: 1,
    url: 'https://example.test/hook',
    eventTypes,
    filter,
    description: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    secrets: [],
    headers: {},
    timeoutMs: 10_000,
    maxInFlight: 10,
    rateLimitPerSecond: null,
    retrySchedule: null,
    fifo: false,
    disabled: random() < 0.02,
    disabledReason: null,
    createdAt: '',
    updatedAt: '',
  };
}

function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function measure(quick: boolean, distinctFilters: boolean) {
  const random = rng(42);
  const heapBefore = process.memoryUsage().heapUsed;
  const index = new SubscriptionIndex();
  const builtAt = process.hrtime.bigint();
  for (let i = 0; i < SUBSCRIPTIONS; i++) index.upsert(subscription(i, random, distinctFilters));
  const buildMs = Number(process.hrtime.bigint() - builtAt) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;

  const samples = quick ? 20_000 : 200_000;
  const events = Array.from({ length: 1_000 }, (_, i) => ({
    id: `evt_${i}`,
    type: EVENT_TYPES[i % EVENT_TYPES.length],
    workspaceId: `ws_${Math.floor(random() * WORKSPACES)}`,
    occurredAt: '2026-03-20T14:00:00.000Z',
    data: {
      id: `msg_${i}`,
      conversationId: 'cnv_1',
      communicationType: CHANNELS[i % CHANNELS.length],
      lineId: `line_${i % 13}`,
      to: ['+17025550000'],
      outbound: i % 3 === 0,
      text: 'hello',
    },
  }));
  // The index build leaves garbage a running router would long have collected: collect it first.
  settleHeap();
  // Warm-up lets the JIT settle before timing.
  for (let i = 0; i < 20_000; i++) index.match(events[i % events.length]);

  const timings = new Float64Array(samples);
  let matched = 0;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    matched += index.match(events[i % events.length]).length;
    timings[i] = Number(process.hrtime.bigint() - t0) / 1_000;
  }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time includes the two clock reads per sample; it is steady where wall-clock tails are not.
  const cpuPerEventUs = (cpu.user + cpu.system) / samples;
  timings.sort();
  return {
    buildMs,
    heapMb,
    filters: index.conditionCount,
    samples,
    matchesPerEvent: matched / samples,
    p50: percentile(timings, 50),
    p99: percentile(timings, 99),
    p999: percentile(timings, 99.9),
    perSecond: samples / totalS,
    cpuPerEventUs,
  };
}

export const scenario: BenchScenario = {
  name: 'matching',
  async run({ quick }) {
    const shared = measure(quick, false);
    const distinct = measure(quick, true);
    return {
      subscriptions: SUBSCRIPTIONS,
      workspaces: WORKSPACES,
      events_timed: shared.samples,
      build_ms: round(shared.buildMs, 0),
      index_heap_mb: round(shared.heapMb, 0),
      distinct_filters: shared.filters,
      mean_matches_per_event: round(shared.matchesPerEvent),
      p50_us: round(shared.p50),
      p99_us: round(shared.p99),
      p999_us: round(shared.p999),
      events_per_s: round(shared.perSecond, 0),
      cpu_us_per_event: round(shared.cpuPerEventUs),
      worst_case_distinct_filters: distinct.filters,
      worst_case_p50_us: round(distinct.p50),
      worst_case_p99_us: round(distinct.p99),
      worst_case_cpu_us_per_event: round(distinct.cpuPerEventUs),
      worst_case_mean_matches_per_event: round(distinct.matchesPerEvent),
      worst_case_heap_mb: round(distinct.heapMb, 0),
      target_p99_us: 20,
      // The machine is shared; tail latency rises with other load.
      load_avg_1m: round(loadavg()[0]),
    };
  },
};

if (require.main === module) runStandalone(scenario);
