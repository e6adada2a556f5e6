import { Kafka, logLevel, type Admin } from 'kafkajs';
import { COMMIT_STALL_FACTOR } from '@herald/kafka';
import {
  HeraldApiClient,
  HeraldProcess,
  KafkaApiKey,
  KafkaErrorCode,
  WebhookReceiver,
  pollUntil,
  sampleMessageReceived,
  startTestEnvironment,
  type TestEnvironment,
} from '@herald/testing';

// Short, so the commit stall (COMMIT_STALL_FACTOR of these) is noticed within the test's time.
const STALL_TIMEOUT_MS = 4_000;

/**
 * A delivery whose results fail to be written after its batch returned must be read again even when
 * no later batch of its partition comes (an idle partition): the dispatcher seeks back to it itself.
 * The watchdog's commit-stall restart is the slower safety net behind that (its own spec covers it);
 * this test proves the delivery arrives well before the watchdog would act.
 */
describe('a write failure on an idle partition', () => {
  let env: TestEnvironment;
  let receiver: WebhookReceiver;
  let herald: HeraldProcess;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    env = await startTestEnvironment();
    receiver = await WebhookReceiver.start();
    herald = await HeraldProcess.start({
      env: env.heraldEnv({ LOG_LEVEL: 'warn', KAFKA_STALL_TIMEOUT_MS: String(STALL_TIMEOUT_MS) }),
    });
    kafka = new Kafka({ clientId: 'write-failure', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await herald?.stop();
    await receiver?.stop();
    await env?.stop();
  });

  it('is read again by the dispatcher and delivered, before any watchdog restart', async () => {
    const cluster = env.cluster;
    if (!cluster) {
      console.warn('skipped: error injection needs the embedded mock cluster (KAFKA_BROKERS is set)');
      return;
    }
    // The first attempt fails; the produce of its retry record then fails too (every retry kafkajs
    // makes), so the delivery is marked failed after its batch returned.
    let answered = 0;
    receiver.respondWith((_request, res) => {
      answered += 1;
      if (answered > 1) return void res.writeHead(200).end();
      cluster.injectRequestErrors(
        KafkaApiKey.Produce,
        Array.from({ length: 30 }, () => KafkaErrorCode.NotLeaderForPartition),
      );
      res.writeHead(500).end();
    });
    const api = new HeraldApiClient(herald.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
    const tenant = await api.provisionWorkspace(`write-failure-${Date.now()}`);
    await tenant.client.createEndpoint(tenant.workspaceId, {
      url: receiver.url('/write-failure'),
      eventTypes: ['message.*'],
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const producer = kafka.producer({ retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 500 } });
    await producer.connect();
    const event = sampleMessageReceived(tenant.workspaceId);
    await producer.send({
      topic: 'domain.messages',
      acks: -1,
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    await pollUntil(
      () => herald.output.join('').includes('not finished, will be read again'),
      60_000,
      200,
      () => `the retry write never failed:\n${herald.output.join('').slice(-3000)}`,
    );
    // Use up the injected errors that are left, one produce request each, so the next write succeeds.
    cluster.createTopic('test.drain', 1);
    const drain = kafka.producer({ retry: { retries: 0 } });
    await drain.connect();
    for (let i = 0; i < 40; i++) {
      try {
        await drain.send({ topic: 'test.drain', acks: -1, messages: [{ key: 'x', value: 'drain' }] });
        break;
      } catch {
        // one injected error consumed
      }
    }
    await drain.disconnect();
    await producer.disconnect();

    await receiver.waitFor(2, () => true, COMMIT_STALL_FACTOR * STALL_TIMEOUT_MS);
    expect(herald.output.join('')).not.toContain('(commit not moving); restarting it');
    // Its results written, the dispatcher's commits reach the end of the partition.
    await pollUntil(
      async () => {
        const [committed] = await admin.fetchOffsets({
          groupId: 'herald-dispatcher',
          topics: ['herald.deliveries'],
        });
        const highs = await admin.fetchTopicOffsets('herald.deliveries');
        return highs.every(
          ({ partition, high }) =>
            high === '0' || committed.partitions.find((p) => p.partition === partition)?.offset === high,
        );
      },
      30_000,
      500,
      () => 'dispatcher commits did not reach the high watermarks',
    );
  }, 240_000);
});
