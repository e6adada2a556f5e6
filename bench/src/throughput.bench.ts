import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  pollUntil,
  startTestEnvironment,
  type TestEnvironment,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { runBarePipeline } from './bare-pipeline';
import { startFloorPipeline } from './floor-pipeline';

const SERVICES = ['api', 'router', 'dispatcher', 'scheduler', 'projector'] as const;
const TENANTS = 16;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Peak resident set (VmHWM) of a process, in MB. */
function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** User + system CPU in ms from a /proc/<pid>/stat line; assumes the usual 100 ticks/s. */
function statCpuMs(stat: string): number {
  // The command name may hold spaces and parentheses; the fields start after its last ') '.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU time of every live process with this command name (Postgres runs as one process per connection). */
function cpuMsOfCommand(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
      total += statCpuMs(stat);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

async function produceAll(
  producer: Producer,
  topic: string,
  events: { key: string; value: string }[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await producer.send({ topic, acks: -1, messages: events.slice(i, i + 500) });
  }
}

function leadCreated(workspaceId: string, index: number): { id: string; key: string; value: string } {
  const id = randomUUID();
  const now = new Date().toISOString();
  const data = { id: `lead_${index}`, name: 'Bench Lead', email: 'lead@example.com', createdAt: now };
  return {
    id,
    key: id,
    value: JSON.stringify({ id, type: 'lead.created', workspaceId, occurredAt: now, data }),
  };
}

function domainEvent(workspaceId: string, index: number): { key: string; value: string } {
  const id = randomUUID();
  return {
    key: id,
    value: JSON.stringify({
      id,
      type: 'message.received',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: {
        id: `msg_${index}`,
        conversationId: `cnv_${index % 100}`,
        communicationType: 'sms',
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'The quick brown fox jumps over the lazy dog.',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    }),
  };
}

/** Waits until a consumer group has committed everything on these topics; returns how long that took. */
async function waitForCommitted(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const started = Date.now();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag = async () => {
      let total = 0;
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = new Map(
          (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
        );
        for (const { partition, offset } of partitions)
          total += (ends.get(partition) ?? 0) - Math.max(0, Number(offset));
      }
      return total;
    };
    await pollUntil(
      async () => (await lag()) === 0,
      300_000,
      250,
      () => `${groupId} did not catch up`,
    );
  } finally {
    await admin.disconnect();
  }
  return Date.now() - started;
}

/** The mock cluster creates topics directly; a real one through the admin API. */
async function ensureTopics(
  env: TestEnvironment,
  kafka: Kafka,
  topics: string[],
  partitions: number,
): Promise<void> {
  if (env.cluster) {
    for (const topic of topics) env.cluster.createTopic(topic, partitions);
    return;
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })) });
  } finally {
    await admin.disconnect();
  }
}

/** Starts every service in its own process (for per-service RSS) against the given environment. */
async function startServices(env: TestEnvironment): Promise<Map<string, HeraldProcess>> {
  const processes = new Map<string, HeraldProcess>();
  // Production watchdog settings: the test harness checks every second, which is load of its own.
  const common = env.heraldEnv({
    LOG_LEVEL: 'error',
    KAFKA_STALL_CHECK_INTERVAL_MS: '5000',
    KAFKA_STALL_TIMEOUT_MS: '20000',
  });
  // The API applies migrations; workers start after it so the schema exists.
  processes.set('api', await HeraldProcess.start({ env: common, services: ['api'] }));
  await Promise.all(
    SERVICES.filter((s) => s !== 'api').map(async (service) => {
      processes.set(service, await HeraldProcess.start({ env: common, services: [service] }));
    }),
  );
  return processes;
}

/**
 * End-to-end throughput of Herald against the bare pipeline in the same run, latency at a steady
 * rate, and peak RSS per service. Events are produced first, then timed from the first to the last
 * receipt, so group joins and start-up are not counted for either.
 */
export const scenario: BenchScenario = {
  name: 'throughput',
  async run({ quick }) {
    const total = quick ? 5_000 : 30_000;
    const latencyRate = 1_000;
    const latencySeconds = quick ? 5 : 15;
    const env = await startTestEnvironment({ partitions: 8 });
    const receiver = await WebhookReceiver.start();
    const kafka = new Kafka({ clientId: 'bench', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Bare pipeline.
      await ensureTopics(env, kafka, ['bench.bare'], 8);
      const bareEvents = Array.from({ length: total }, (_, i) => domainEvent('bench-bare', i));
      await produceAll(producer, 'bench.bare', bareEvents);
      const bareDone = receiver.waitFor(total, (r) => r.path === '/bare', 300_000);
      const bareCpuBefore = cpuMs(process.pid);
      const stopBare = await runBarePipeline({
        brokers: env.kafkaBrokers,
        topic: 'bench.bare',
        receiverUrl: receiver.url('/bare'),
      });
      const bareReceived = await bareDone;
      const bareCpuPerDelivery = Number(((cpuMs(process.pid) - bareCpuBefore) / total).toFixed(3));
      await stopBare();
      const bareSeconds =
        (bareReceived[bareReceived.length - 1].receivedAt - bareReceived[0].receivedAt) / 1000;

      // Floor: the Kafka records Herald's design writes, and nothing else (see floor-pipeline.ts).
      const floorTopics = {
        events: 'bench.floor.events',
        deliveries: 'bench.floor.deliveries',
        attempts: 'bench.floor.attempts',
      };
      await ensureTopics(env, kafka, Object.values(floorTopics), 8);
      const floorEvents = Array.from({ length: total }, (_, i) =>
        domainEvent(`bench-floor-${i % TENANTS}`, i),
      );
      await produceAll(producer, floorTopics.events, floorEvents);
      const floorDone = receiver.waitFor(total, (r) => r.path === '/floor', 300_000);
      const floor = await startFloorPipeline({
        brokers: env.kafkaBrokers,
        ...floorTopics,
        receiverUrl: receiver.url('/floor'),
      });
      const floorCpuBefore = new Map(
        [...Object.entries(floor.pids), ['bench', process.pid]].map(([name, pid]) => [
          name as string,
          { pid: pid as number, ms: cpuMs(pid as number) },
        ]),
      );
      const floorReceived = await floorDone;
      const floorCpu: Record<string, number> = {};
      for (const [name, { pid, ms }] of floorCpuBefore)
        floorCpu[`cpu_ms_per_delivery_floor_${name}`] = Number(((cpuMs(pid) - ms) / total).toFixed(3));
      await floor.stop();
      const floorSeconds =
        (floorReceived[floorReceived.length - 1].receivedAt - floorReceived[0].receivedAt) / 1000;

      // Herald, every service in its own process.
      const processes = await startServices(env);
      try {
        // Deliveries are keyed by endpoint, so one endpoint is one partition: spread the load over
        // several tenants as real traffic is, and compare with the bare pipeline's 8 partitions.
        const admin = new HeraldApiClient(processes.get('api')!.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
        const tenants = await Promise.all(
          Array.from({ length: TENANTS }, async (_, i) => {
            const tenant = await admin.provisionWorkspace(`bench-${i}-${Date.now()}`);
            await tenant.client.createEndpoint(tenant.workspaceId, {
              url: receiver.url('/herald'),
              eventTypes: ['message.*'],
            });
            await tenant.client.createEndpoint(tenant.workspaceId, {
              url: receiver.url('/latency'),
              eventTypes: ['lead.created'],
            });
            return tenant.workspaceId;
          }),
        );
        await new Promise((r) => setTimeout(r, 1_500)); // subscriptions reach the routers' index
        const heraldEvents = Array.from({ length: total }, (_, i) => domainEvent(tenants[i % TENANTS], i));
        const heraldDone = receiver.waitFor(total, (r) => r.path === '/herald', 600_000);
        // CPU each process spends per delivery: where the end-to-end budget goes (this process hosts
        // the mock cluster, the receiver and the producer).
        const cpuBefore = new Map([...processes].map(([name, herald]) => [name, cpuMs(herald.pid)]));
        cpuBefore.set('bench', cpuMs(process.pid));
        const postgresBefore = cpuMsOfCommand('postgres');
        // Keep the backlog under ~5,000 deliveries: the embedded mock cluster keeps only a few MB per
        // partition and deletes older records, which a far-behind dispatcher would then never read.
        for (let i = 0; i < heraldEvents.length; i += 2_500) {
          await pollUntil(
            () => receiver.matching((r) => r.path === '/herald').length >= i - 2_500,
            600_000,
            50,
            () => `deliveries stopped before ${i - 2_500} arrived`,
          );
          await produceAll(producer, 'domain.messages', heraldEvents.slice(i, i + 2_500));
        }
        const heraldReceived = await heraldDone;
        const cpuPerDelivery: Record<string, number> = {};
        for (const [name, before] of cpuBefore) {
          const pid = name === 'bench' ? process.pid : processes.get(name)!.pid;
          cpuPerDelivery[`cpu_ms_per_delivery_${name}`] = Number(((cpuMs(pid) - before) / total).toFixed(3));
        }
        // Local Postgres only (the embedded one); a remote DATABASE_URL's server is not visible here.
        cpuPerDelivery.cpu_ms_per_delivery_postgres = Number(
          ((cpuMsOfCommand('postgres') - postgresBefore) / total).toFixed(3),
        );
        const heraldSeconds =
          (heraldReceived[heraldReceived.length - 1].receivedAt - heraldReceived[0].receivedAt) / 1000;

        // The projector trails the burst; latency is measured once it has committed everything (so
        // written it): the latency at a steady 1,000/s, not of a machine still busy with the burst.
        const projectionsCaughtUpMs = await waitForCommitted(kafka, 'herald-projector', [
          'herald.deliveries',
          'herald.attempts',
        ]);

        // Latency at a steady rate: produce time -> receipt time, matched by event id.
        const sentAt = new Map<string, number>();
        const latencies: number[] = [];
        receiver.onRequest((request) => {
          if (request.path !== '/latency') return;
          const id = (JSON.parse(request.body.toString('utf8')) as { id: string }).id;
          const start = sentAt.get(id);
          if (start !== undefined) latencies.push(request.receivedAt - start);
        });
        const latencyTotal = latencyRate * latencySeconds;
        const started = Date.now();
        for (let i = 0; i < latencyTotal; i += 50) {
          const due = started + (i / latencyRate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const batch = Array.from({ length: 50 }, (_, j) => leadCreated(tenants[(i + j) % TENANTS], i + j));
          const now = Date.now();
          for (const event of batch) sentAt.set(event.id, now);
          await producer.send({
            topic: 'domain.leads',
            messages: batch.map(({ key, value }) => ({ key, value })),
          });
        }
        await receiver.waitFor(latencyTotal, (r) => r.path === '/latency', 600_000);
        latencies.sort((a, b) => a - b);

        const result: Record<string, number | string> = {
          events: total,
          tenants: TENANTS,
          herald_per_s: Math.round(total / heraldSeconds),
          bare_per_s: Math.round(total / bareSeconds),
          ratio: Number((bareSeconds / heraldSeconds).toFixed(2)),
          floor_per_s: Math.round(total / floorSeconds),
          floor_ratio: Number((bareSeconds / floorSeconds).toFixed(2)),
          herald_to_floor: Number((floorSeconds / heraldSeconds).toFixed(2)),
          latency_rate_per_s: latencyRate,
          p50_ms: percentile(latencies, 50),
          p99_ms: percentile(latencies, 99),
          max_ms: latencies[latencies.length - 1],
          projections_caught_up_ms: projectionsCaughtUpMs,
        };
        for (const [service, herald] of processes) result[`rss_${service}_mb`] = peakRssMb(herald.pid);
        result.cpu_ms_per_delivery_bare = bareCpuPerDelivery;
        Object.assign(result, floorCpu);
        Object.assign(result, cpuPerDelivery);
        return result;
      } finally {
        await Promise.allSettled([...processes.values()].map((p) => p.stop()));
      }
    } finally {
      await producer.disconnect();
      await receiver.stop();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
