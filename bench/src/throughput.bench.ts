import { ensureTopics } from '@herald/kafka';
import {
  WebhookReceiver,
  startTestEnvironment,
  testKafkaClient,
  type ReceivedRequest,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { runBarePipeline } from './bare-pipeline';
import { domainEvent, produceAll } from './bench-records';
import { startFloorPipeline } from './floor-pipeline';
import { TENANTS, runHeraldBurst } from './herald-burst';
import { latencyByHop } from './latency-hops';
import { LOAD_FRACTIONS, LatencyProbe } from './latency-probe';
import { CpuMeter, brokerCpuMeter, peakRssMb } from './process-cpu';

function spanSeconds(received: ReceivedRequest[]): number {
  return (received[received.length - 1].receivedAt - received[0].receivedAt) / 1000;
}

/**
 * End-to-end throughput of Herald against the bare and floor pipelines in the same run, latency at
 * 25/50/75 % of the capacity measured and of single events on an idle system, and CPU and peak RSS per process, the broker's JVM included. Bare and floor events are
 * produced first and timed from the first to the last receipt, so group joins and start-up are not
 * counted; Herald's burst is produced in one go while Herald runs (see herald-burst.ts).
 */
export const scenario: BenchScenario = {
  name: 'throughput',
  async run({ quick }) {
    const total = quick ? 5_000 : 30_000;
    const latencySeconds = quick ? 5 : 15;
    const idleEvents = quick ? 50 : 200;
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
        // Latency once the burst is fully done (projections included), at fractions of the capacity
        // just measured, then single events on an idle system.
        const capacity = herald.metrics.herald_per_s as number;
        const probe = new LatencyProbe({
          env,
          kafka,
          producer,
          receiver,
          processes: herald.processes,
          tenants: herald.tenants,
          label: 'burst',
        });
        const latency: Record<string, number | string> = {};
        for (const fraction of LOAD_FRACTIONS) {
          const rate = Math.max(1, Math.round(capacity * fraction));
          Object.assign(latency, await probe.steady(rate, latencySeconds, `${fraction * 100}pct`));
        }
        Object.assign(latency, await probe.idle(idleEvents));
        Object.assign(latency, await latencyByHop(kafka, probe.samples));

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
          ...latency,
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
