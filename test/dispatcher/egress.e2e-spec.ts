import { randomUUID } from 'node:crypto';
import {
  type AttemptRecorded,
  type DeliveryRequested,
  type EndpointSnapshot,
  Topics,
} from '@herald/contracts';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import { sampleDeliveryRequested, sampleEndpointSnapshot, type WebhookReceiver } from '@herald/testing';
import { SSRF_CORPUS } from '../../libs/egress/src/ssrf-corpus.fixture';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { DispatcherKafka } from './dispatcher-kafka';

/**
 * The dispatcher in production mode checks every URL again at send time: endpoint snapshots that
 * bypass the API's save-time check (written straight to the changelog) still never reach a private,
 * loopback or otherwise unsafe address.
 */
describe('dispatcher: send-time SSRF check in production mode', () => {
  let pipeline: Pipeline;
  let kafka: DispatcherKafka;
  let receiver: WebhookReceiver;
  const run = randomUUID().slice(0, 8);
  const cipher = new SecretCipher(Buffer.alloc(32, 7));
  let endpoints: EndpointSnapshot[];

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'egress-e2e',
      environment: { withPostgres: false },
      heraldEnv: { HERALD_MODE: 'production', HERALD_BREAKER_MIN_ATTEMPTS: '1000' },
      services: ['dispatcher'],
      beforeHerald: async (started) => {
        const urls = [
          ...SSRF_CORPUS,
          started.receiver.url('/plain-http'),
          started.receiver.url('/plain-http').replace('http:', 'https:'),
        ];
        const now = new Date().toISOString();
        endpoints = urls.map((url, index) =>
          sampleEndpointSnapshot({
            id: `ep_${run}_${index}`,
            workspaceId: `ws_${run}`,
            url,
            secrets: [
              {
                id: 's',
                ciphertext: cipher.encrypt(generateSigningSecret('standard-webhooks').secret),
                createdAt: now,
                expiresAt: null,
              },
            ],
            timeoutMs: 2_000,
            retrySchedule: ['2s'],
            createdAt: now,
            updatedAt: now,
          }),
        );
        kafka = await DispatcherKafka.on(started.kafka, started.producer, [Topics.attempts]);
        await kafka.publishEndpoints(endpoints);
      },
    });
    ({ receiver } = pipeline);
  });

  afterAll(async () => {
    await kafka?.stop();
    await pipeline?.stop();
  });

  it(`refuses all ${SSRF_CORPUS.length} corpus URLs and a plain-HTTP loopback receiver without a single request`, async () => {
    const deliveries: DeliveryRequested[] = endpoints.map((endpoint, index) =>
      sampleDeliveryRequested({
        deliveryId: `dlv_${run}_${index}`,
        workspaceId: endpoint.workspaceId,
        endpointId: endpoint.id,
        eventId: `evt_${run}_${index}`,
        payload: '{"probe":true}',
      }),
    );
    await kafka.produce(
      Topics.deliveries,
      deliveries.map((d) => ({ key: d.endpointId, value: JSON.stringify(d) })),
    );
    const records = await kafka.waitFor(
      deliveries.length,
      (r) => r.topic === Topics.attempts && r.key!.startsWith(`dlv_${run}_`),
      60_000,
    );
    const attempts = records.map((r) => JSON.parse(r.value!) as AttemptRecorded);
    const refused = attempts.filter(
      (a) => a.errorClass === 'unsafe_address' && a.response === null && a.remoteIp === null,
    );
    expect(refused.map((a) => a.deliveryId).sort()).toEqual(deliveries.map((d) => d.deliveryId).sort());
    expect(attempts.every((a) => a.outcome === 'retry_scheduled')).toBe(true);
    expect(receiver.requests).toHaveLength(0);
  });
});
