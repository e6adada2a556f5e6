import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { loadConfig } from '@herald/config';
import { type EndpointSnapshot, EventValidator, PAYLOAD_PROFILES, Topics } from '@herald/contracts';
import { HeraldProducer, createKafkaClient, kafkaEnv } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { sampleEndpointSnapshot, startTestEnvironment } from '@herald/testing';
import { DedupeWindow } from '../../apps/router/src/dedupe/dedupe-window';
import { RouteDomainEventsUseCase } from '../../apps/router/src/usecases/route-domain-events/route-domain-events.usecase';
import { routerEnv } from '../../apps/router/src/router.env';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { MarkerTrail } from '../../apps/router/src/dedupe/marker-trail';

/*
 * One event fanned out to 10,000 endpoints through the router's use case and a real producer:
 * the time until every DeliveryRequested is acknowledged (acks=all), checked against the topic's
 * offsets. Target: <= 2 s. Runs on the Kafka the harness starts, or the one named by KAFKA_BROKERS.
 */
const ENDPOINTS = 10_000;
const WORKSPACE = 'ws_fanout';

function endpoint(i: number): EndpointSnapshot {
  return sampleEndpointSnapshot({
    id: `ep_fan_${i}`,
    workspaceId: WORKSPACE,
    url: `https://receiver-${i}.example.test/hook`,
    eventTypes: i % 2 ? ['message.*'] : ['*'],
    filter: i % 5 === 0 ? { 'data.communicationType': 'sms' } : null,
    payloadProfile: PAYLOAD_PROFILES[i % PAYLOAD_PROFILES.length],
    timeoutMs: 10_000,
  });
}

function domainRecord() {
  const id = randomUUID();
  const event = {
    id,
    type: 'message.received',
    workspaceId: WORKSPACE,
    occurredAt: new Date().toISOString(),
    data: {
      id: `msg_${id.slice(0, 8)}`,
      conversationId: 'cnv_1',
      communicationType: 'sms',
      text: 'The quick brown fox.',
    },
  };
  return {
    key: Buffer.from(id),
    value: Buffer.from(JSON.stringify(event)),
    headers: {},
    offset: '0',
    timestamp: String(Date.now()),
  };
}

export const scenario: BenchScenario = {
  name: 'fanout',
  async run({ quick }) {
    // Herald's topics with their real settings (herald.deliveries with 8 partitions).
    const env = await startTestEnvironment({ withPostgres: false, partitions: 8 });
    const { cluster } = env;
    const kafka = createKafkaClient(
      loadConfig(kafkaEnv, { KAFKA_BROKERS: env.kafkaBrokers.join(',') }),
      'bench-fanout',
    );
    const producer = new HeraldProducer(kafka);
    const admin = kafka.admin();
    try {
      await admin.connect();
      await producer.connect();
      const index = new SubscriptionIndex();
      for (let i = 0; i < ENDPOINTS; i++) index.upsert(endpoint(i));
      const useCase = new RouteDomainEventsUseCase(
        index,
        new DedupeWindow(86_400_000, 100_000),
        new EventValidator(),
        producer,
        // The router's defaults, as deployed.
        loadConfig(routerEnv, {}),
        // The index is filled above, not from herald.subscriptions: nothing to catch up with.
        { catchUp: async () => true },
        new MarkerTrail(),
      );
      const produced = async () =>
        (await admin.fetchTopicOffsets(Topics.deliveries)).reduce((sum, p) => sum + Number(p.high), 0);

      // Warm-up: metadata, connections, JIT.
      await useCase.execute({ topic: 'domain.messages', partition: 0, records: [domainRecord()] });

      const runs = quick ? 1 : 5;
      const timings: number[] = [];
      let delivered = 0;
      for (let r = 0; r < runs; r++) {
        const before = await produced();
        const started = process.hrtime.bigint();
        const summary = await useCase.execute({
          topic: 'domain.messages',
          partition: 0,
          records: [domainRecord()],
        });
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
        const acknowledged = (await produced()) - before;
        if (acknowledged !== summary.deliveries) {
          throw new Error(
            `fan-out reported ${summary.deliveries} deliveries but ${acknowledged} reached the topic`,
          );
        }
        delivered = acknowledged;
      }
      const sorted = [...timings].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      return {
        endpoints: ENDPOINTS,
        deliveries_per_event: delivered,
        runs,
        fanout_ms_median: Math.round(median),
        fanout_ms_max: Math.round(sorted[sorted.length - 1]),
        deliveries_per_s: Math.round(delivered / (median / 1000)),
        target_ms: 2_000,
        load_avg_1m: Number(loadavg()[0].toFixed(2)),
        cluster: cluster
          ? `Apache Kafka ${cluster.version} (${cluster.nodes.length} node, KRaft)`
          : 'KAFKA_BROKERS',
      };
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
