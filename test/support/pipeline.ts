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
  /** Services of the first Herald process; all five by default. */
  services?: string[];
  /** Further Herald processes, each running the services listed, started beside the first. */
  moreProcesses?: string[][];
  /** Apply the migrations before Herald starts (it also applies them itself when the API runs). */
  migrate?: boolean;
  /**
   * Runs once Kafka, Postgres, the receiver and the test's producer are up, before any Herald process
   * starts: for topics or records Herald must find at start-up.
   */
  beforeHerald?: (started: PipelineInfrastructure) => Promise<void>;
  /** Called with every chunk the first Herald process writes (its `output` keeps only the latest). */
  onHeraldOutput?: (chunk: string) => void;
}

/** What is up before Herald starts. */
export interface PipelineInfrastructure {
  env: TestEnvironment;
  receiver: WebhookReceiver;
  kafka: Kafka;
  producer: Producer;
}

/** Kafka, Postgres, a loopback receiver, Herald's processes and the test's own producer. */
export interface Pipeline extends PipelineInfrastructure {
  /** The first Herald process: its API answers `admin`. */
  herald: HeraldProcess;
  /** Every Herald process, the first one first, then `moreProcesses` in order. */
  processes: HeraldProcess[];
  /** Operator client (admin token) of the first Herald process. */
  admin: HeraldApiClient;
  /** Stops what was started, the test's producer first and the brokers last. */
  stop(): Promise<void>;
}

/** The start every pipeline e2e file shares; what a test does next stays in the test. */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const stops: (() => Promise<void>)[] = [];
  let disconnectProducer: (() => Promise<void>) | undefined;
  const stop = async () => {
    const disconnect = disconnectProducer;
    disconnectProducer = undefined;
    await disconnect?.();
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const env = await startTestEnvironment(options.environment);
    stops.push(() => env.stop());
    if (options.migrate) await runMigrations(env.databaseUrl);
    const receiver = await WebhookReceiver.start();
    stops.push(() => receiver.stop());
    const kafka = testKafkaClient(env.kafkaBrokers, options.label);
    const producer = kafka.producer();
    await producer.connect();
    disconnectProducer = () => producer.disconnect();
    await options.beforeHerald?.({ env, receiver, kafka, producer });
    const heraldEnv = env.heraldEnv(options.heraldEnv);
    const started = await Promise.allSettled(
      [options.services, ...(options.moreProcesses ?? [])].map((services, index) =>
        HeraldProcess.start({
          env: heraldEnv,
          services,
          onOutput: index === 0 ? options.onHeraldOutput : undefined,
        }),
      ),
    );
    const processes: HeraldProcess[] = [];
    for (const result of started) {
      if (result.status === 'fulfilled') {
        processes.push(result.value);
        stops.push(() => result.value.stop());
      }
    }
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [herald] = processes;
    const admin = new HeraldApiClient(herald.apiUrl, heraldEnv.HERALD_ADMIN_TOKEN);
    return { env, herald, processes, receiver, kafka, producer, admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
