import type { Kafka, Producer } from 'kafkajs';
import { runMigrations } from '@herald/persistence';
import {
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  startTestEnvironment,
  testKafkaClient,
  type TestEnvironment,
  type TestEnvironmentOptions,
} from '@herald/testing';

export interface PipelineOptions {
  /** Names the test's own Kafka client. */
  label: string;
  /** Kafka and Postgres, as startTestEnvironment takes them. */
  environment?: TestEnvironmentOptions;
  /** Added to the environment every Herald process of the test gets. */
  heraldEnv?: Record<string, string>;
  /** Services of the one Herald process; all five by default. */
  services?: string[];
  /** Apply the migrations before Herald starts (it also applies them itself when the API runs). */
  migrate?: boolean;
}

/** Kafka, Postgres, a loopback receiver, one Herald process and the test's own producer. */
export interface Pipeline {
  env: TestEnvironment;
  herald: HeraldProcess;
  receiver: WebhookReceiver;
  kafka: Kafka;
  producer: Producer;
  /** Operator client (admin token) of the Herald process. */
  admin: HeraldApiClient;
  /** Stops what was started, the test's producer first and the brokers last. */
  stop(): Promise<void>;
}

/** The start every pipeline e2e file shares; what a test does next stays in the test. */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const env = await startTestEnvironment(options.environment);
    stops.push(() => env.stop());
    if (options.migrate) await runMigrations(env.databaseUrl);
    const receiver = await WebhookReceiver.start();
    stops.push(() => receiver.stop());
    const heraldEnv = env.heraldEnv(options.heraldEnv);
    const herald = await HeraldProcess.start({ env: heraldEnv, services: options.services });
    stops.push(() => herald.stop());
    const kafka = testKafkaClient(env.kafkaBrokers, options.label);
    const producer = kafka.producer();
    await producer.connect();
    stops.push(() => producer.disconnect());
    const admin = new HeraldApiClient(herald.apiUrl, heraldEnv.HERALD_ADMIN_TOKEN);
    return { env, herald, receiver, kafka, producer, admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
