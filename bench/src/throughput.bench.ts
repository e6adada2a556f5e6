import { ensureTopics } from '@herald/kafka';
import {
  WebhookReceiver,
  startTestEnvironment,
  testKafkaClient,
  type ReceivedRequest,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { runBarePipeline } from './bare-pipeline';
import { domainEvent, leadCreated, produceAll } from './bench-records';
import { startFloorPipeline } from './floor-pipeline';
import { TENANTS, runHeraldBurst } from './herald-burst';
import { isProbe } from './herald-services';
import { CpuMeter, brokerCpuMeter, peakRssMb } from './process-cpu';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function spanSeconds(received: ReceivedRequest[]): number {
  return (received[received.length - 1].receivedAt - received[0].receivedAt) / 1000;
}

/**
 * End-to-end throughput of Herald against the bare and floor pipelines in the same run, latency at a
 * steady rate, and CPU and peak RSS per process, the broker's JVM included. Bare and floor events are
 * produced first and timed from the first to the last receipt, so group joins and start-up are not
 * counted; Herald's burst is produced in one go while Herald runs (see herald-burst.ts).
 */
export const scenario: BenchScenario = {
  name: 'throughput',
  async run({ quick }) {
    const total = quick ? 5_000 : 30_000;
    const latencyRate = 1_000;
    const latencySeconds = quick ? 5 : 15;
    const env = await startTestEnvironment({ partitions: 8 });
    const receiver = await WebhookReceiver.start();
    const kafka = testKafkaClient(env.kafkaBrokers, 'bench');
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Bare pipeline.
      await ensureTopics(kafka, [{ topic: 'bench.bare', partitions: 8 }]);
      const bareEvents = Array.from({ length: total }, (_, i) => domainEvent('bench-bare', i));
      await produceAll(producer, 'bench.bare', bareEvents);
      const bareDone = receiver.waitFor(total, (r) => r.path === '/bare', 300_000);
      const bareCpu = CpuMeter.ofPids([process.pid]);
      const bareBroker = brokerCpuMeter(env);
      const stopBare = await runBarePipeline({
        brokers: env.kafkaBrokers,
        topic: 'bench.bare',
        receiverUrl: receiver.url('/bare'),
      });
      const bareSeconds = spanSeconds(await bareDone);
      const bareCpuPerDelivery = bareCpu.perDelivery(total);
      const bareBrokerPerDelivery = bareBroker.perDelivery(total);
      await stopBare();

      // Floor: the Kafka records Herald's design writes, and nothing else (see floor-pipeline.ts).
      const floorTopics = {
        events: 'bench.floor.events',
        deliveries: 'bench.floor.deliveries',
        attempts: 'bench.floor.attempts',
      };
      await ensureTopics(
        kafka,
        Object.values(floorTopics).map((topic) => ({ topic, partitions: 8 })),
      );
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
      const floorMeters = new Map(
        [...Object.entries(floor.pids), ['bench', process.pid] as const].map(([name, pid]) => [
          name,
          CpuMeter.ofPids([pid]),
        ]),
      );
      const floorBroker = brokerCpuMeter(env);
      const floorSeconds = spanSeconds(await floorDone);
      const floorCpu: Record<string, number | string> = {};
      for (const [name, meter] of floorMeters)
        floorCpu[`cpu_ms_per_delivery_floor_${name}`] = meter.perDelivery(total);
      floorCpu.cpu_ms_per_delivery_floor_kafka = floorBroker.perDelivery(total);
      await floor.stop();

      // Herald, every service in its own process.
      const herald = await runHeraldBurst({ env, kafka, producer, receiver, total, label: 'burst' });
      try {
        // Latency at a steady rate, once the burst is fully done (projections included): produce
        // time -> receipt time, matched by event id.
        const sentAt = new Map<string, number>();
        const latencies: number[] = [];
        const isLatency = (r: ReceivedRequest) => r.path.startsWith('/latency/burst/') && !isProbe(r);
        receiver.onRequest((request) => {
          if (!isLatency(request)) return;
          const id = (JSON.parse(request.body.toString('utf8')) as { id: string }).id;
          const start = sentAt.get(id);
          if (start !== undefined) latencies.push(request.receivedAt - start);
        });
        const latencyTotal = latencyRate * latencySeconds;
        const latencyDone = receiver.waitFor(latencyTotal, isLatency, 600_000);
        const started = Date.now();
        for (let i = 0; i < latencyTotal; i += 50) {
          const due = started + (i / latencyRate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // the send schedule, not a wait for state
          const batch = Array.from({ length: 50 }, (_, j) =>
            leadCreated(herald.tenants[(i + j) % TENANTS], i + j),
          );
          const now = Date.now();
          for (const event of batch) sentAt.set(event.id, now);
          await producer.send({
            topic: 'domain.leads',
            messages: batch.map(({ key, value }) => ({ key, value })),
          });
        }
        await latencyDone;
        latencies.sort((a, b) => a - b);

        const result: Record<string, number | string> = {
          events: total,
          tenants: TENANTS,
          kafka: env.cluster
            ? `Apache Kafka ${env.cluster.version} (${env.cluster.nodes.length} node, KRaft)`
            : 'KAFKA_BROKERS',
          herald_per_s: herald.metrics.herald_per_s,
          bare_per_s: Math.round(total / bareSeconds),
          ratio: Number((bareSeconds / herald.seconds).toFixed(2)),
          floor_per_s: Math.round(total / floorSeconds),
          floor_ratio: Number((bareSeconds / floorSeconds).toFixed(2)),
          herald_to_floor: Number((floorSeconds / herald.seconds).toFixed(2)),
          extra_receipts: herald.metrics.extra_receipts,
          latency_rate_per_s: latencyRate,
          p50_ms: percentile(latencies, 50),
          p99_ms: percentile(latencies, 99),
          max_ms: latencies[latencies.length - 1],
          projections_caught_up_ms: herald.metrics.projections_caught_up_ms,
        };
        for (const [service, p] of herald.processes) result[`rss_${service}_mb`] = peakRssMb(p.pid);
        result.cpu_ms_per_delivery_bare = bareCpuPerDelivery;
        result.cpu_ms_per_delivery_bare_kafka = bareBrokerPerDelivery;
        Object.assign(result, floorCpu);
        for (const [metric, value] of Object.entries(herald.metrics))
          if (metric.startsWith('cpu_ms_per_delivery_')) result[metric] = value;
        return result;
      } finally {
        await herald.stop();
      }
    } finally {
      await producer.disconnect();
      await receiver.stop();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
