import type { Admin } from 'kafkajs';
import { Topics } from '@herald/contracts';
import {
  FAST_RETRY_TIERS,
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  pollUntil,
  sampleMessageReceived,
  startTestEnvironment,
  testKafkaClient,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';

const ENDPOINTS = 8;
/** Every retry 2 s apart, as many as a schedule may list: nothing exhausts during a short outage. */
const RETRY_SCHEDULE = Array<string>(20).fill('2s');
/**
 * The breaker's open time must fit the largest tier (2s here): a deferral longer than the tier is
 * clamped by the scheduler, so with the default 30s parked deliveries would cycle every few seconds
 * and the drain would measure the breaker's wait rather than Herald's work.
 */
const BREAKER_OPEN_FOR = '2s';

/** Committed offsets of a group, per partition of one topic. */
async function committed(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(offsets.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
}

async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/**
 * Recovery after a receiver outage. The receiver answers 503 while N events arrive (one delivery
 * each, spread over 8 endpoints); each delivery fails, or is deferred once its endpoint's circuit is
 * open, and waits in the retry tiers. The outage ends once the dispatcher has read every delivery the
 * router wrote, and lasts at least 10 s (30 s in the full run); the receiver then answers 200, and
 * the drain time runs from that moment until every event has been accepted once. The accelerated test tiers (200ms..2s) keep the schedule's waiting
 * short, so the figure is mostly Herald's own work: the breaker's probe, the scheduler's forwards and
 * the dispatcher's attempts. Dead letters would end a delivery without it arriving, so they are
 * counted and reported (expected 0).
 */
export const scenario: BenchScenario = {
  name: 'drain',
  async run({ quick }) {
    const total = quick ? 1_000 : 5_000;
    // Long enough for circuits to open and fail a few probes, so the backlog is in its steady state.
    const minOutageMs = quick ? 10_000 : 30_000;
    const env = await startTestEnvironment({ partitions: 8 });
    const receiver = await WebhookReceiver.start();
    let down = true;
    let upAt = 0;
    let firstAcceptedAt = 0;
    // 2xx answers per webhook-id, counted where they are given.
    const accepted = new Map<string, number>();
    receiver.respondWith((request, res) => {
      if (down) return void res.writeHead(503).end();
      const id = String(request.headers['webhook-id']);
      accepted.set(id, (accepted.get(id) ?? 0) + 1);
      firstAcceptedAt ||= Date.now();
      res.writeHead(200).end();
    });
    const kafka = testKafkaClient(env.kafkaBrokers, 'bench-drain');
    const producer = kafka.producer();
    const admin = kafka.admin();
    await producer.connect();
    await admin.connect();
    let herald: HeraldProcess | undefined;
    const heraldLog = () => herald?.output.join('').split('\n').slice(-20).join('\n') ?? '';
    const deadLetters = async () => sum((await highWatermarks(admin, Topics.deliveriesDead)).values());
    try {
      herald = await HeraldProcess.start({
        env: env.heraldEnv({ LOG_LEVEL: 'error', HERALD_BREAKER_OPEN_FOR: BREAKER_OPEN_FOR }),
      });
      const api = new HeraldApiClient(herald.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
      const tenants: string[] = [];
      for (let i = 0; i < ENDPOINTS; i++) {
        const tenant = await api.provisionWorkspace(`drain-${i}-${Date.now()}`);
        await tenant.client.createEndpoint(tenant.workspaceId, {
          url: receiver.url('/drain'),
          eventTypes: ['message.*'],
          retrySchedule: RETRY_SCHEDULE,
        });
        tenants.push(tenant.workspaceId);
      }
      await new Promise((r) => setTimeout(r, 1_500));

      const outageStart = Date.now();
      const events = Array.from({ length: total }, (_, i) =>
        sampleMessageReceived(tenants[i % tenants.length]),
      );
      for (let i = 0; i < total; i += 500) {
        await producer.send({
          topic: 'domain.messages',
          acks: -1,
          messages: events.slice(i, i + 500).map((e) => ({ key: e.id, value: JSON.stringify(e) })),
        });
      }
      // The router has fanned out every event once its group committed them all...
      await pollUntil(
        async () => sum((await committed(admin, 'herald-router', 'domain.messages')).values()) >= total,
        120_000,
        250,
        () => `router did not fan out ${total} events in 120 s:\n${heraldLog()}`,
      );
      // ...and the dispatcher has handled (attempted or deferred) all of them once it committed past
      // every record written so far.
      const routed = await highWatermarks(admin, Topics.deliveries);
      await pollUntil(
        async () => {
          const done = await committed(admin, 'herald-dispatcher', Topics.deliveries);
          return [...routed].every(([partition, high]) => (done.get(partition) ?? 0) >= high);
        },
        120_000,
        250,
        () => `dispatcher did not read the ${total} deliveries in 120 s:\n${heraldLog()}`,
      );
      const holdFor = outageStart + minOutageMs - Date.now();
      if (holdFor > 0) await new Promise((r) => setTimeout(r, holdFor));
      const refused = new Set(receiver.requests.map((r) => String(r.headers['webhook-id']))).size;

      upAt = Date.now();
      down = false;
      let dead = 0;
      await pollUntil(
        async () => {
          if (accepted.size + dead >= total) return true;
          dead = await deadLetters();
          return accepted.size + dead >= total;
        },
        120_000,
        20,
        () => `drained ${accepted.size} of ${total} (${dead} dead-lettered) in 120 s:\n${heraldLog()}`,
      );
      const drainSeconds = (Date.now() - upAt) / 1000;
      // Late repeats (a record read again) still count as duplicates.
      await new Promise((r) => setTimeout(r, 3_000));
      dead = await deadLetters();
      let duplicates = 0;
      for (const count of accepted.values()) duplicates += count - 1;
      return {
        events: total,
        endpoints: ENDPOINTS,
        tiers: FAST_RETRY_TIERS.join(','),
        retry_schedule: `20x2s`,
        breaker_open_for: BREAKER_OPEN_FOR,
        outage_s: Number(((upAt - outageStart) / 1000).toFixed(1)),
        refused_during_outage: refused,
        first_delivery_s: Number(((firstAcceptedAt - upAt) / 1000).toFixed(1)),
        drain_s: Number(drainSeconds.toFixed(1)),
        drained_per_s: Math.round(accepted.size / drainSeconds),
        delivered: accepted.size,
        duplicates,
        dead_lettered: dead,
      };
    } finally {
      await herald?.stop();
      await admin.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await receiver.stop();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
