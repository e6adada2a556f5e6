import type { Kafka, Producer } from 'kafkajs';
import type { HeraldProcess, ReceivedRequest, TestEnvironment, WebhookReceiver } from '@herald/testing';
import { domainEvent, produceAll } from './bench-records';
import {
  isProbe,
  processNames,
  provisionTenants,
  startServices,
  waitForCommitted,
  type Service,
} from './herald-services';
import { CpuMeter, brokerCpuMeter, cpuMsOfCommand } from './process-cpu';

export const TENANTS = 16;

export interface HeraldBurst {
  processes: Map<string, HeraldProcess>;
  tenants: string[];
  /** Seconds from the burst's first receipt to its last. */
  seconds: number;
  metrics: Record<string, number | string>;
  stop(): Promise<void>;
}

/**
 * Starts Herald (one process per service, `serviceEnv` passed to each), then delivers `total`
 * message events produced in one go, with no pacing: the real broker keeps a partition's records
 * for the topic's retention, however far behind the dispatcher is. CPU is counted until the projector
 * has committed the burst too, so its and Postgres's share of the work is all in.
 */
export async function runHeraldBurst(options: {
  env: TestEnvironment;
  kafka: Kafka;
  producer: Producer;
  receiver: WebhookReceiver;
  total: number;
  label: string;
  serviceEnv?: Record<string, string>;
  /** Services run as several processes (see startServices). */
  replicas?: Partial<Record<Service, number>>;
  /** Called once the endpoints are reached, just before the burst is produced (e.g. to read offsets). */
  beforeBurst?: (processes: Map<string, HeraldProcess>) => Promise<void>;
}): Promise<HeraldBurst> {
  const { env, kafka, producer, receiver, total, label, replicas = {} } = options;
  const processes = await startServices(env, options.serviceEnv, replicas);
  const stop = async () => {
    await Promise.allSettled([...processes.values()].map((p) => p.stop()));
  };
  try {
    // Deliveries are keyed by endpoint, so one endpoint is one partition: spread the load over
    // several tenants as real traffic is, and compare with the bare pipeline's 8 partitions.
    const tenants = await provisionTenants({
      apiUrl: processes.get(processNames('api', replicas.api)[0])!.apiUrl,
      adminToken: env.heraldEnv().HERALD_ADMIN_TOKEN,
      receiver,
      producer,
      label,
      count: TENANTS,
    });
    const events = Array.from({ length: total }, (_, i) => domainEvent(tenants[i % TENANTS], i));
    const prefix = `/herald/${label}/`;
    const isBurst = (r: ReceivedRequest) => r.path.startsWith(prefix) && !isProbe(r);
    await options.beforeBurst?.(processes);
    const done = receiver.waitFor(total, isBurst, 600_000);
    // CPU each process spends per delivery: where the end-to-end budget goes (this process is the
    // producer and the receiver).
    const meters = new Map([...processes].map(([name, p]) => [name, CpuMeter.ofPids([p.pid!])]));
    meters.set('bench', CpuMeter.ofPids([process.pid]));
    // Local Postgres only (the embedded one); a remote DATABASE_URL's server is not visible here.
    const postgres = new CpuMeter(() => cpuMsOfCommand('postgres'));
    const broker = brokerCpuMeter(env);
    await produceAll(producer, 'domain.messages', events);
    const received = await done;
    const seconds = (received[received.length - 1].receivedAt - received[0].receivedAt) / 1000;
    // The projector trails the burst; the burst is done once it has committed everything (so written it).
    const projectionsCaughtUpMs = await waitForCommitted(kafka, 'herald-projector', [
      'herald.deliveries',
      'herald.attempts',
    ]);
    const metrics: Record<string, number | string> = {
      herald_per_s: Math.round(total / seconds),
      projections_caught_up_ms: projectionsCaughtUpMs,
      // Above zero: deliveries repeated (at-least-once), which a clean run should not show.
      extra_receipts: receiver.matching(isBurst).length - total,
    };
    for (const [name, meter] of meters) metrics[`cpu_ms_per_delivery_${name}`] = meter.perDelivery(total);
    metrics.cpu_ms_per_delivery_postgres = postgres.perDelivery(total);
    metrics.cpu_ms_per_delivery_kafka = broker.perDelivery(total);
    return { processes, tenants, seconds, metrics, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
