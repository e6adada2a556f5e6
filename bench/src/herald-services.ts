import type { Kafka, Producer } from 'kafkajs';
import {
  HeraldApiClient,
  HeraldProcess,
  pollUntil,
  type ReceivedRequest,
  type TestEnvironment,
  type WebhookReceiver,
} from '@herald/testing';
import { PROBE_MARK, domainEvent, leadCreated, produceAll } from './bench-records';

export const SERVICES = ['api', 'router', 'dispatcher', 'scheduler', 'projector'] as const;
export type Service = (typeof SERVICES)[number];

/** A service's process names: `router` when it runs once, `router_1`, `router_2`... when more. */
export function processNames(service: Service, count = 1): string[] {
  return count === 1 ? [service] : Array.from({ length: count }, (_, i) => `${service}_${i + 1}`);
}

/** The Kafka client id a process's clients start with, so its group memberships can be told apart. */
export function kafkaClientIdOf(processName: string): string {
  return `herald-${processName}`;
}

/**
 * Every service in its own process (for per-service CPU and RSS); `extra` reaches all of them.
 * `replicas` runs a service as several processes (one consumer group), named by `processNames`.
 */
export async function startServices(
  env: TestEnvironment,
  extra: Record<string, string> = {},
  replicas: Partial<Record<Service, number>> = {},
): Promise<Map<string, HeraldProcess>> {
  const processes = new Map<string, HeraldProcess>();
  // Production watchdog settings: the test harness checks every second, which is load of its own.
  const common = env.heraldEnv({
    LOG_LEVEL: 'error',
    KAFKA_STALL_CHECK_INTERVAL_MS: '5000',
    KAFKA_STALL_TIMEOUT_MS: '20000',
    ...extra,
  });
  const start = async (service: Service) => {
    for (const name of processNames(service, replicas[service])) {
      const env = { ...common, KAFKA_CLIENT_ID: kafkaClientIdOf(name) };
      processes.set(name, await HeraldProcess.start({ env, services: [service] }));
    }
  };
  try {
    // The API applies migrations; workers start after it so the schema exists.
    await start('api');
    await Promise.all(SERVICES.filter((s) => s !== 'api').map(start));
  } catch (error) {
    await Promise.allSettled([...processes.values()].map((p) => p.stop()));
    throw error;
  }
  return processes;
}

/** Receiver paths of one run's endpoints: `/<kind>/<label>/<tenant>`. */
export function endpointPath(kind: 'herald' | 'latency', label: string, tenant: number): string {
  return `/${kind}/${label}/${tenant}`;
}

export function isProbe(request: ReceivedRequest): boolean {
  return request.body.includes(PROBE_MARK);
}

/**
 * Workspaces with one `message.*` endpoint (the burst) and one `lead.created` endpoint (latency) each,
 * returned once the routers deliver to every one of them.
 */
export async function provisionTenants(options: {
  apiUrl: string;
  adminToken: string;
  receiver: WebhookReceiver;
  producer: Producer;
  label: string;
  count: number;
}): Promise<string[]> {
  const { receiver, label } = options;
  const admin = new HeraldApiClient(options.apiUrl, options.adminToken);
  const tenants = await Promise.all(
    Array.from({ length: options.count }, async (_, i) => {
      const tenant = await admin.provisionWorkspace(`bench-${label}-${i}-${Date.now()}`);
      for (const [kind, eventTypes] of [
        ['herald', ['message.*']],
        ['latency', ['lead.created']],
      ] as const) {
        await tenant.client.createEndpoint(tenant.workspaceId, {
          url: receiver.url(endpointPath(kind, label, i)),
          eventTypes: [...eventTypes],
        });
      }
      return tenant.workspaceId;
    }),
  );
  await waitUntilRouted(options.producer, receiver, tenants, label);
  return tenants;
}

/**
 * Subscriptions reach the routers through a changelog: probe events go to every endpoint, again to
 * those not reached yet (an event routed before its subscription arrived is not delivered), until
 * each has received one.
 */
async function waitUntilRouted(
  producer: Producer,
  receiver: WebhookReceiver,
  tenants: string[],
  label: string,
): Promise<void> {
  const targets = tenants.flatMap((workspaceId, i) => [
    {
      path: endpointPath('herald', label, i),
      topic: 'domain.messages',
      record: () => domainEvent(workspaceId, `${PROBE_MARK}${i}`),
    },
    {
      path: endpointPath('latency', label, i),
      topic: 'domain.leads',
      record: () => leadCreated(workspaceId, `${PROBE_MARK}${i}`),
    },
  ]);
  const reached = new Set<string>();
  let listening = true; // the receiver keeps its listeners; this one stops looking once done
  receiver.onRequest((request) => {
    if (listening && isProbe(request)) reached.add(request.path);
  });
  const deadline = Date.now() + 120_000;
  try {
    while (reached.size < targets.length) {
      if (Date.now() > deadline) {
        throw new Error(`subscriptions not routed: ${reached.size}/${targets.length} endpoints reached`);
      }
      for (const topic of ['domain.messages', 'domain.leads']) {
        const missing = targets.filter((t) => t.topic === topic && !reached.has(t.path));
        await produceAll(
          producer,
          topic,
          missing.map((t) => t.record()),
        );
      }
      // This round's probes get a second before the missing ones are sent again.
      await pollUntil(
        () => reached.size === targets.length,
        1_000,
        25,
        () => '',
      ).catch(() => undefined);
    }
  } finally {
    listening = false;
  }
}

/** Waits until a consumer group has committed everything on these topics; returns how long that took. */
export async function waitForCommitted(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
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
