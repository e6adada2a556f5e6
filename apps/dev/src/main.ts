import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '@herald/config';
import { runMain, SERVICE_NAMES } from '@herald/runtime';
import { startEmbeddedPostgres, freePort } from '@herald/testing';
import { startHerald } from '../../herald/src/start-herald';
import { runMigrations } from '@herald/persistence';
import { devEnv } from './dev.env';
import { startDevKafka } from './dev-kafka';
import { startDemoReceiver, type DemoRoute } from './demo-receiver';
import { provisionDemoWorkspace } from './demo-workspace';
import { sampleEvent } from './sample-events';

const DEV_FILE = join(process.cwd(), '.herald', 'dev.json');
const DEV_RETRY_TIERS = ['5s', '1m', '5m', '30m', '2h', '5h', '10h', '24h'];

/**
 * The embedded default: Apache Kafka (the mock cluster only without a JDK and Maven), embedded
 * Postgres, every Herald service in this process, a demo receiver and a demo producer. Ctrl-C tears
 * all of it down, temp data included.
 */
runMain(async () => {
  const env = loadConfig(devEnv);
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
    rmSync(DEV_FILE, { force: true });
    try {
      rmdirSync(join(process.cwd(), '.herald'));
    } catch {
      // not empty: other tools keep files there
    }
  };
  try {
    const log = (line: string) => process.stdout.write(`herald-dev: ${line}\n`);

    const kafka = await startDevKafka(env.HERALD_DEV_BROKERS, DEV_RETRY_TIERS, log);
    cleanups.push(() => kafka.stop());
    log(`${kafka.description} at ${kafka.brokers.join(',')}`);

    const postgres = await startEmbeddedPostgres();
    cleanups.push(() => postgres.stop());
    log('embedded Postgres started');

    const adminToken = env.HERALD_ADMIN_TOKEN ?? `hdev_${randomBytes(18).toString('base64url')}`;
    Object.assign(process.env, {
      KAFKA_BROKERS: kafka.brokers.join(','),
      DATABASE_URL: postgres.databaseUrl,
      HERALD_MODE: 'development',
      HERALD_ADMIN_TOKEN: adminToken,
      HERALD_MASTER_KEY: process.env.HERALD_MASTER_KEY ?? randomBytes(32).toString('base64'),
      HERALD_RETRY_TIERS: DEV_RETRY_TIERS.join(','),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const applied = await runMigrations(postgres.databaseUrl);
    log(`${applied.length} migration(s) applied`);

    const port = env.HERALD_HTTP_PORT === 0 ? await freePort() : env.HERALD_HTTP_PORT;
    const stopHerald = await startHerald(SERVICE_NAMES, { port, host: '127.0.0.1' });
    cleanups.push(stopHerald);
    const apiUrl = `http://127.0.0.1:${port}`;
    const consoleUrl = `${apiUrl}/console`;
    log(`all services running; API at ${apiUrl} (OpenAPI at ${apiUrl}/docs)`);
    log(`console at ${consoleUrl}`);

    let routes: DemoRoute[] = [];
    const receiver = await startDemoReceiver(env.HERALD_DEV_RECEIVER_PORT, () => routes);
    cleanups.push(() => receiver.stop());
    const demo = await provisionDemoWorkspace(apiUrl, adminToken, `http://127.0.0.1:${receiver.port}`);
    routes = demo.routes;
    log(`demo receiver at http://127.0.0.1:${receiver.port} with ${routes.length} endpoints`);

    mkdirSync(join(process.cwd(), '.herald'), { recursive: true });
    writeFileSync(
      DEV_FILE,
      JSON.stringify(
        {
          apiUrl,
          consoleUrl,
          adminToken,
          kafkaBrokers: kafka.brokers,
          databaseUrl: postgres.databaseUrl,
          workspaceId: demo.workspaceId,
          apiKey: demo.apiKey,
          receiverUrl: `http://127.0.0.1:${receiver.port}`,
        },
        null,
        2,
      ) + '\n',
      { mode: 0o600 },
    );
    log(`connection details written to ${DEV_FILE}`);

    const stopProducer = await startDemoProducer(
      kafka.brokers,
      demo.workspaceId,
      env.HERALD_DEV_EVENTS_PER_SECOND,
    );
    cleanups.push(stopProducer);
    log(
      `producing ${env.HERALD_DEV_EVENTS_PER_SECOND} sample events/s; deliveries follow. Ctrl-C stops everything.`,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
  return cleanup;
});

async function startDemoProducer(
  brokers: string[],
  workspaceId: string,
  perSecond: number,
): Promise<() => Promise<void>> {
  const producer = new Kafka({
    clientId: 'herald-demo-producer',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  if (perSecond <= 0) return () => producer.disconnect();
  const timer = setInterval(() => {
    const { topic, event } = sampleEvent(workspaceId);
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    producer
      .send({ topic, messages: [{ key: event.id, value: JSON.stringify(event), headers: { traceparent } }] })
      .catch((error: Error) => process.stderr.write(`herald-dev: demo produce failed: ${error.message}\n`));
  }, 1000 / perSecond);
  return async () => {
    clearInterval(timer);
    await producer.disconnect();
  };
}
