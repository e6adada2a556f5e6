import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  type AttemptRecorded,
  type DeliveryRequested,
  type EndpointSnapshot,
  KafkaHeaders,
  type OperationalEvent,
  type SignatureScheme,
  Topics,
} from '@herald/contracts';
import { generateSigningSecret, SecretCipher } from '@herald/signing';
import {
  sampleDeliveryRequested,
  sampleEndpointSnapshot,
  type ReceivedRequest,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { DispatcherKafka, type SeenRecord } from './dispatcher-kafka';

/** The traceparent every suite delivery carries, as if the router had read it from the event. */
export const ORIGIN_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/**
 * The dispatcher suites' shared setup: the dispatcher and the scheduler (bringing retries back) against
 * a loopback receiver that answers each endpoint path as its test says, endpoint snapshots published
 * before Herald starts, and the helpers the suites read deliveries, attempts and dead letters with.
 * Create it at describe level (the helpers are bound), `start` it in beforeAll.
 */
export class DispatcherSuite {
  readonly run = randomUUID().slice(0, 8);
  readonly cipher = new SecretCipher(Buffer.alloc(32, 7));
  /** Receiver behaviour per endpoint name; 200 'ok' for any other. */
  readonly behaviours = new Map<string, (req: ReceivedRequest, res: ServerResponse) => void>();
  /** Responses held open by a test; answered at stop. */
  readonly hung: ServerResponse[] = [];
  readonly endpoints: Record<string, EndpointSnapshot> = {};
  readonly secrets: Record<string, { secret: string; publicKey: string | null }> = {};
  pipeline!: Pipeline;
  kafka!: DispatcherKafka;
  receiver!: WebhookReceiver;
  private seq = 0;

  /** Starts the pipeline; `declare` adds the suite's endpoints (the receiver is up by then). */
  async start(label: string, declare: () => void): Promise<void> {
    this.pipeline = await startPipeline({
      label,
      environment: { withPostgres: false },
      heraldEnv: {
        HERALD_BREAKER_MIN_ATTEMPTS: '6',
        HERALD_BREAKER_FAILURE_RATE: '0.8',
        HERALD_BREAKER_WINDOW: '20s',
        HERALD_BREAKER_OPEN_FOR: '1s',
        HERALD_DISPATCH_SLOT_WAIT: '300ms',
        HERALD_DISPATCH_BATCH_HOLD: '500ms',
      },
      services: ['dispatcher', 'scheduler'],
      beforeHerald: async ({ receiver, kafka, producer }) => {
        this.receiver = receiver;
        receiver.respondWith((req, res) => {
          const behaviour = this.behaviours.get(req.path.slice(1));
          if (behaviour) behaviour(req, res);
          else res.writeHead(200).end('ok');
        });
        declare();
        this.kafka = await DispatcherKafka.on(kafka, producer, [
          Topics.attempts,
          Topics.operational,
          Topics.deliveriesDead,
          Topics.subscriptions,
          Topics.endpointCommands,
          'herald.retry.200ms',
          'herald.retry.1s',
        ]);
        await this.kafka.publishEndpoints(Object.values(this.endpoints));
      },
    });
  }

  stop = async (): Promise<void> => {
    for (const res of this.hung) if (!res.writableEnded) res.writeHead(200).end('late');
    await this.kafka?.stop();
    await this.pipeline?.stop();
  };

  /** Adds endpoint `name` at the receiver's `/name`, with a fresh secret of `scheme`. */
  endpoint = (
    name: string,
    overrides: Partial<EndpointSnapshot> = {},
    scheme: SignatureScheme = 'standard-webhooks',
  ) => {
    const generated = generateSigningSecret(scheme);
    this.secrets[name] = generated;
    const now = new Date().toISOString();
    this.endpoints[name] = sampleEndpointSnapshot({
      id: `ep_${this.run}_${name}`,
      workspaceId: `ws_${this.run}`,
      url: this.receiver.url(`/${name}`),
      signatureScheme: scheme,
      secrets: [
        {
          id: `sec_${name}`,
          ciphertext: this.cipher.encrypt(generated.secret),
          createdAt: now,
          expiresAt: null,
        },
      ],
      createdAt: now,
      updatedAt: now,
      ...overrides,
    });
  };

  delivery = (name: string): DeliveryRequested => {
    this.seq += 1;
    const seq = this.seq;
    return sampleDeliveryRequested({
      deliveryId: `dlv_${this.run}_${seq}`,
      workspaceId: `ws_${this.run}`,
      endpointId: this.endpoints[name]?.id ?? `ep_${this.run}_${name}`,
      eventId: `evt_${this.run}_${seq}`,
      payload: JSON.stringify({ type: 'message.created', data: { seq, text: 'héllo ✓ "quoted"' } }),
    });
  };

  send = async (deliveries: DeliveryRequested[], partition?: number): Promise<void> => {
    await this.kafka.produce(
      Topics.deliveries,
      deliveries.map((d) => ({
        key: d.endpointId,
        value: JSON.stringify(d),
        partition,
        headers: { [KafkaHeaders.traceparent]: ORIGIN_TRACEPARENT },
      })),
    );
  };

  requestsTo = (name: string) => this.receiver.matching((r) => r.path === `/${name}`);

  parse = <T>(r: SeenRecord) => JSON.parse(r.value!) as T;

  attemptsOf = (deliveryId: string) =>
    this.kafka
      .matching((r) => r.topic === Topics.attempts && r.key === deliveryId)
      .map((r) => this.parse<AttemptRecorded>(r))
      .sort((a, b) => a.attempt - b.attempt);

  waitAttempts = async (deliveryId: string, count: number, timeoutMs = 20_000) => {
    await this.kafka.waitFor(count, (r) => r.topic === Topics.attempts && r.key === deliveryId, timeoutMs);
    return this.attemptsOf(deliveryId);
  };

  operational = (name: string) =>
    this.kafka
      .matching((r) => r.topic === Topics.operational && r.key === this.endpoints[name].id)
      .map((r) => this.parse<OperationalEvent>(r));

  waitOperational = (name: string, type: string) =>
    this.kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === this.endpoints[name].id &&
        r.value!.includes(`"type":"${type}"`),
    );

  private isDeadLetterOf = (deliveryId: string) => (r: SeenRecord) =>
    r.topic === Topics.deliveriesDead && r.value !== null && r.value.includes(`"deliveryId":"${deliveryId}"`);

  waitDead = (deliveryId: string) => this.kafka.waitFor(1, this.isDeadLetterOf(deliveryId));

  deadLetters = (deliveryId: string) => this.kafka.matching(this.isDeadLetterOf(deliveryId));

  /** Answers with each status in turn, then keeps answering the last. */
  sequence = (
    name: string,
    answers: Array<number | { status: number; headers?: Record<string, string> }>,
  ) => {
    let index = 0;
    this.behaviours.set(name, (_req, res) => {
      const answer = answers[Math.min(index++, answers.length - 1)];
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, headers).end(`answer ${status}`);
    });
  };
}
