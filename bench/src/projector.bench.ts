import { Topics } from '@herald/contracts';
import { runMigrations } from '@herald/persistence';
import { HeraldProcess, startTestEnvironment, testKafkaClient } from '@herald/testing';
import { Client } from 'pg';
import { runStandalone, type BenchScenario } from './bench-scenario';
import { produceAll } from './bench-records';
import { waitForCommitted } from './herald-services';
import { CpuMeter, cpuMsOfTree } from './process-cpu';
import { projectedDelivery } from './projector-records';

/** Issue 19's target for the projector plus Postgres, in CPU ms per delivery. */
export const PROJECTION_CPU_TARGET_MS = 0.15;

/** The postmaster's pid, from its data directory: its process tree is this database's server. */
async function postmasterPid(databaseUrl: string): Promise<number | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(
      `SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1) AS line`,
    );
    return Number(rows[0].line) || null;
  } catch {
    return null; // not a superuser, or not a local server
  } finally {
    await client.end();
  }
}

/**
 * The projector alone: a burst of request and attempt records (as the router and dispatcher write
 * them) is produced while only the projector runs, and the projector's and Postgres's CPU is counted
 * until the projector has committed all of it. Postgres is this database's own server process tree, so
 * other servers on the host do not count. The throughput scenario reports the same rows inside a whole
 * Herald run; this one isolates them, so a change to the write path can be measured in a minute.
 */
export const scenario: BenchScenario = {
  name: 'projector',
  async run({ quick }) {
    const total = quick ? 20_000 : 100_000;
    const env = await startTestEnvironment({ partitions: 8 });
    const kafka = testKafkaClient(env.kafkaBrokers, 'bench-projector');
    const producer = kafka.producer();
    await producer.connect();
    let projector: HeraldProcess | undefined;
    try {
      await runMigrations(env.databaseUrl);
      projector = await HeraldProcess.start({
        env: env.heraldEnv({
          LOG_LEVEL: 'error',
          KAFKA_STALL_CHECK_INTERVAL_MS: '5000',
          KAFKA_STALL_TIMEOUT_MS: '20000',
        }),
        services: ['projector'],
      });
      const endpoints = Array.from({ length: 16 }, (_, i) => ({ ws: `ws_bench_${i}`, ep: `ep_bench_${i}` }));
      const records = Array.from({ length: total }, (_, i) =>
        projectedDelivery(endpoints[i % 16].ws, endpoints[i % 16].ep, i),
      );
      const serverPid = await postmasterPid(env.databaseUrl);
      const meter = CpuMeter.ofPids([projector.pid!]);
      const postgres = serverPid ? new CpuMeter(() => cpuMsOfTree(serverPid)) : null;
      const started = Date.now();
      // Requests first, as the router writes them before the dispatcher records attempts.
      await produceAll(
        producer,
        Topics.deliveries,
        records.map((r) => r.request),
      );
      await produceAll(
        producer,
        Topics.attempts,
        records.map((r) => r.attempt),
      );
      await waitForCommitted(kafka, 'herald-projector', [Topics.deliveries, Topics.attempts]);
      const seconds = (Date.now() - started) / 1000;
      const projectorMs = meter.perDelivery(total);
      const postgresMs = postgres ? postgres.perDelivery(total) : NaN;
      const sum = Number((projectorMs + postgresMs).toFixed(3));
      return {
        deliveries: total,
        deliveries_per_s: Math.round(total / seconds),
        cpu_ms_per_delivery_projector: projectorMs,
        cpu_ms_per_delivery_postgres: postgres ? postgresMs : 'not measured: not a local server',
        cpu_ms_per_delivery_projection: sum,
        cpu_ms_per_delivery_projection_target: PROJECTION_CPU_TARGET_MS,
        projection_to_target: Number((sum / PROJECTION_CPU_TARGET_MS).toFixed(2)),
      };
    } finally {
      await projector?.stop();
      await producer.disconnect();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
