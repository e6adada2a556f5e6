import type { Admin, Kafka } from 'kafkajs';
import { COMMIT_STALL_FACTOR } from '@herald/kafka';
import {
  HeraldApiClient,
  pollUntil,
  sampleMessageReceived,
  type HeraldProcess,
  type TestEnvironment,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

// The commit stall (COMMIT_STALL_FACTOR of these, 90 s) must outlast the cut path (Herald's producer
// starts no retry after KAFKA_PRODUCE_TIMEOUT, 40 s, and one send under resets takes about 20 s) and
// still fall within the test's time.
const STALL_TIMEOUT_MS = 15_000;
// The cut also crashes consumers (kafkajs gives up reconnecting), the dispatcher's among them in some
// runs; one that rejoins its group waits out the member it left behind for up to the session timeout
// (30 s by default) and reads from the committed offset, below the delivery. A longer session (tried:
// 120 s) kept that path waiting past any bound, so the test keeps the default: whichever way the
// delivery is read again (the dispatcher's own rewind or the rejoin), it must arrive.
const REJOIN_MS = 30_000;

/**
 * A delivery whose results fail to be written after its batch returned must be read again even when
 * no later batch of its partition comes (an idle partition): the dispatcher seeks back to it itself
 * (dispatch-batch.usecase.spec.ts covers that decision), or reads it again after rejoining its group.
 * The watchdog's commit-stall restart is the slower safety net behind both (its own spec covers it);
 * this test proves the delivery arrives before the watchdog would act.
 */
describe('a write failure on an idle partition', () => {
  let pipeline: Pipeline;
  let env: TestEnvironment;
  let receiver: WebhookReceiver;
  let herald: HeraldProcess;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'write-failure',
      // One broker behind a proxy: resetting its connections cuts Herald's produce path.
      environment: { proxied: true },
      heraldEnv: {
        LOG_LEVEL: 'warn',
        KAFKA_STALL_TIMEOUT_MS: String(STALL_TIMEOUT_MS),
      },
    });
    ({ env, receiver, herald, kafka } = pipeline);
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await pipeline?.stop();
  });

  it('is read again by the dispatcher and delivered, before any watchdog restart', async () => {
    const cluster = env.cluster;
    if (!cluster) {
      console.warn('skipped: cutting the broker path needs the harness cluster (KAFKA_BROKERS is set)');
      return;
    }
    const proxy = cluster.proxy(1);
    const api = new HeraldApiClient(herald.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
    const tenant = await api.provisionWorkspace(`write-failure-${Date.now()}`);
    await tenant.client.createEndpoint(tenant.workspaceId, {
      url: receiver.url('/write-failure'),
      eventTypes: ['message.*'],
    });
    const producer = kafka.producer({ retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 500 } });
    await producer.connect();
    const send = async (event: { id: string }) =>
      producer.send({
        topic: 'domain.messages',
        acks: -1,
        messages: [{ key: event.id, value: JSON.stringify(event) }],
      });
    const of = (event: { id: string }) => (request: { body: Buffer }) =>
      request.body.toString().includes(event.id);
    // A first event delivered: the router and dispatcher know the endpoint.
    const warmUp = sampleMessageReceived(tenant.workspaceId);
    await pollUntil(
      async () => {
        await send(warmUp);
        return receiver.waitFor(1, of(warmUp), 2_000).then(
          () => true,
          () => false,
        );
      },
      60_000,
      0,
      () => 'the warm-up event was never delivered',
    );
    // The event's first attempt fails and every connection to the broker is reset from then on, so
    // the produce of its retry record fails too (every retry kafkajs makes): the delivery is marked
    // failed after its batch returned, and nothing else arrives on its partition.
    const event = sampleMessageReceived(tenant.workspaceId);
    let answered = 0;
    receiver.respondWith((request, res) => {
      if (!of(event)(request)) return void res.writeHead(200).end();
      answered += 1;
      if (answered > 1) return void res.writeHead(200).end();
      proxy.set({ kind: 'reset' });
      res.writeHead(500).end();
    });
    await send(event);
    await pollUntil(
      () => herald.output.join('').includes('not finished, will be read again'),
      120_000,
      200,
      () => `the retry write never failed:\n${herald.output.join('').slice(-3000)}`,
    );
    proxy.set({ kind: 'pass' });
    await producer.disconnect();

    await receiver.waitFor(2, of(event), COMMIT_STALL_FACTOR * STALL_TIMEOUT_MS + REJOIN_MS);
    expect(herald.output.join('')).not.toContain('(commit not moving); restarting it');
    // Its results written, the dispatcher's commits reach the end of the partition. When the delivery
    // arrived from a consumer whose group was rebalancing, its background commit is refused and the
    // rejoined member commits once it has read the partition again: up to REJOIN_MS more.
    let lagging: string[] = [];
    await pollUntil(
      async () => {
        const [committed] = await admin.fetchOffsets({
          groupId: 'herald-dispatcher',
          topics: ['herald.deliveries'],
        });
        const highs = await admin.fetchTopicOffsets('herald.deliveries');
        lagging = highs
          .map(({ partition, high }) => ({
            partition,
            high,
            at: committed.partitions.find((p) => p.partition === partition)?.offset,
          }))
          .filter(({ high, at }) => high !== '0' && at !== high)
          .map(({ partition, high, at }) => `${partition}: committed ${at}, high ${high}`);
        return lagging.length === 0;
      },
      REJOIN_MS + 15_000,
      500,
      () =>
        `dispatcher commits did not reach the high watermarks (${lagging.join('; ')}):\n${herald.output.join('').slice(-4000)}`,
    );
  }, 360_000);
});
