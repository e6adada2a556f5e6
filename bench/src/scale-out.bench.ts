import 'reflect-metadata';
import type { Admin, Kafka, Producer } from 'kafkajs';
import {
  WebhookReceiver,
  startTestEnvironment,
  testKafkaClient,
  type ReceivedRequest,
  type TestEnvironment,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { runHeraldBurst } from './herald-burst';
import { isProbe, processNames, type Service } from './herald-services';
import {
  counterTotal,
  currentOwners,
  describeOwners,
  highWatermarks,
  recordsBetween,
  stableOwners,
  type PartitionOwners,
} from './scale-out-groups';

const DOMAIN_TOPIC = 'domain.messages';
const DELIVERIES_TOPIC = 'herald.deliveries';
/** One per HTTP attempt, counted by each dispatcher process. */
const ATTEMPTS = 'herald_delivery_attempts_total';
/** The scaled services, their group and the topic whose partitions divide their work. */
const SCALED = [
  { service: 'router', group: 'herald-router', topic: DOMAIN_TOPIC },
  { service: 'dispatcher', group: 'herald-dispatcher', topic: DELIVERIES_TOPIC },
] as const;

interface Layout {
  name: string;
  replicas: Partial<Record<Service, number>>;
}

const LAYOUTS: Layout[] = [
  { name: 'one', replicas: {} },
  { name: 'two', replicas: { router: 2, dispatcher: 2 } },
];

/** Burst receipts: how many, and how many distinct events (a lost one never arrives, a repeat counts twice). */
function receipts(receiver: WebhookReceiver, label: string): { received: number; distinct: number } {
  const prefix = `/herald/${label}/`;
  const burst = receiver.matching((r: ReceivedRequest) => r.path.startsWith(prefix) && !isProbe(r));
  const ids = new Set(burst.map((r) => (JSON.parse(r.body.toString('utf8')) as { id: string }).id));
  return { received: burst.length, distinct: ids.size };
}

/** One burst through one layout: throughput, who did which share of the work, CPU per delivery. */
async function runLayout(options: {
  env: TestEnvironment;
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  receiver: WebhookReceiver;
  total: number;
  layout: Layout;
  label: string;
}): Promise<Record<string, number | string>> {
  const { admin, layout, total, label } = options;
  const names = (service: Service) => processNames(service, layout.replicas[service]);
  const owners = new Map<string, PartitionOwners>();
  const before = new Map<string, Map<number, number>>();
  const attemptsBefore = new Map<string, number>();
  const burst = await runHeraldBurst({
    ...options,
    replicas: layout.replicas,
    beforeBurst: async (processes) => {
      for (const { service, group, topic } of SCALED) {
        owners.set(service, await stableOwners(admin, group, topic, names(service)));
        before.set(topic, await highWatermarks(admin, topic));
      }
      for (const name of names('dispatcher'))
        attemptsBefore.set(name, await counterTotal(processes.get(name)!.apiUrl, ATTEMPTS));
    },
  });
  try {
    const { received, distinct } = receipts(options.receiver, label);
    const metrics: Record<string, number | string> = {
      herald_per_s: burst.metrics.herald_per_s,
      projections_caught_up_ms: burst.metrics.projections_caught_up_ms,
      extra_receipts: received - total,
      lost: total - distinct,
    };
    const cpu = (name: string) => burst.metrics[`cpu_ms_per_delivery_${name}`] as number;
    for (const { service, group, topic } of SCALED) {
      const written = recordsBetween(before.get(topic)!, await highWatermarks(admin, topic));
      const owned = owners.get(service)!;
      const after = await currentOwners(admin, group, topic, names(service));
      metrics[`${service}_partitions`] = describeOwners(owned);
      metrics[`${service}_rebalanced_during_burst`] =
        describeOwners(after) === describeOwners(owned) ? 'no' : `yes: ${describeOwners(after)}`;
      // herald.deliveries carries more than one record per delivery, so a dispatcher's share is its
      // own attempt counter; a router's is the domain records on the partitions it owns.
      metrics[`${topic}_records`] = [...written.values()].reduce((a, b) => a + b, 0);
      let cpuSum = 0;
      for (const [name, partitions] of owned) {
        metrics[`${name}_records_read`] = partitions.reduce((sum, p) => sum + (written.get(p) ?? 0), 0);
        const share =
          service === 'dispatcher'
            ? (await counterTotal(burst.processes.get(name)!.apiUrl, ATTEMPTS)) - attemptsBefore.get(name)!
            : (metrics[`${name}_records_read`] as number);
        metrics[`${name}_${service === 'dispatcher' ? 'attempts' : 'events'}`] = share;
        metrics[`${name}_share`] = Number((share / total).toFixed(3));
        metrics[`cpu_ms_per_delivery_${name}`] = cpu(name);
        // What the process spends on each delivery it handled: the model's cpu_ms_per_delivery.
        metrics[`cpu_ms_per_own_delivery_${name}`] =
          share > 0 ? Number(((cpu(name) * total) / share).toFixed(3)) : 'none';
        cpuSum += cpu(name);
      }
      metrics[`cpu_ms_per_delivery_${service}s_sum`] = Number(cpuSum.toFixed(3));
    }
    for (const [metric, value] of Object.entries(burst.metrics))
      if (metric.startsWith('cpu_ms_per_delivery_') && !(metric in metrics)) metrics[metric] = value;
    const total_cpu = Object.entries(burst.metrics)
      .filter(([k, v]) => k.startsWith('cpu_ms_per_delivery_') && typeof v === 'number')
      .reduce((sum, [, v]) => sum + (v as number), 0);
    metrics.cpu_ms_per_delivery_total = Number(total_cpu.toFixed(3));
    return metrics;
  } finally {
    await burst.stop();
  }
}

/** Mean of each numeric metric over rounds; strings (partition lists) from the first round. */
function meanOf(runs: Record<string, number | string>[]): Record<string, number | string> {
  const result: Record<string, number | string> = {};
  for (const key of Object.keys(runs[0])) {
    const values = runs.map((r) => r[key]);
    result[key] = values.every((v) => typeof v === 'number')
      ? Number(((values as number[]).reduce((a, b) => a + b, 0) / values.length).toFixed(3))
      : values.join(' / ');
  }
  return result;
}

/**
 * Herald with two routers and two dispatchers (each its own process, one consumer group per service)
 * against one of each, on the same broker, Postgres and receiver: throughput of each layout, how the
 * partitions divided the work between the replicas, CPU per delivery of every process, and that every
 * event was received exactly once. An unmeasured burst warms the broker first; with more than one
 * round the layouts alternate.
 */
export const scenario: BenchScenario = {
  name: 'scale-out',
  async run({ quick }) {
    const total = quick ? 5_000 : 20_000;
    const rounds = quick ? 1 : 2;
    const env = await startTestEnvironment({ partitions: 8 });
    const receiver = await WebhookReceiver.start();
    const kafka = testKafkaClient(env.kafkaBrokers, 'bench-scale-out');
    const producer = kafka.producer();
    const admin = kafka.admin();
    await producer.connect();
    await admin.connect();
    try {
      const common = { env, kafka, admin, producer, receiver };
      const warmUp = await runHeraldBurst({ ...common, total: 2_000, label: 'warmup' });
      await warmUp.stop();
      const runs = new Map<string, Record<string, number | string>[]>(LAYOUTS.map((l) => [l.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const layout of round % 2 === 0 ? LAYOUTS : [...LAYOUTS].reverse()) {
          process.stderr.write(`scale-out: ${layout.name}, round ${round + 1}/${rounds}, ${total} events\n`);
          const label = `${layout.name}${round}`;
          runs.get(layout.name)!.push(await runLayout({ ...common, total, layout, label }));
        }
      }
      const one = meanOf(runs.get('one')!);
      const two = meanOf(runs.get('two')!);
      const ratio = (metric: string) =>
        Number(((two[metric] as number) / (one[metric] as number)).toFixed(2));
      const result: Record<string, number | string> = {
        events: total,
        rounds,
        partitions_per_topic: (await admin.fetchTopicOffsets(DELIVERIES_TOPIC)).length,
        domain_partitions: (await admin.fetchTopicOffsets(DOMAIN_TOPIC)).length,
        throughput_two_to_one: ratio('herald_per_s'),
        dispatcher_cpu_two_to_one: ratio('cpu_ms_per_delivery_dispatchers_sum'),
        router_cpu_two_to_one: ratio('cpu_ms_per_delivery_routers_sum'),
        total_cpu_two_to_one: ratio('cpu_ms_per_delivery_total'),
      };
      for (const [name, metrics] of [
        ['one', one],
        ['two', two],
      ] as const)
        for (const [metric, value] of Object.entries(metrics)) result[`${name}_${metric}`] = value;
      return result;
    } finally {
      await admin.disconnect();
      await producer.disconnect();
      await receiver.stop();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
