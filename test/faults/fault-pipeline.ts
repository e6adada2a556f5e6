import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Topics } from '@herald/contracts';
import {
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  startTestEnvironment,
  type ReceivedRequest,
  type TestEnvironment,
} from '@herald/testing';
import { KafkaTap } from '../retry/kafka-tap';
import { DeliveryLedger } from './delivery-ledger';

/** How the receiver answers, switched per scenario. */
export type ReceiverMode = 'ok' | 'flaky' | 'chaos';

/** The endpoints every fault scenario delivers to: two match every message, one only SMS. */
const ENDPOINTS = [
  { name: 'all', eventTypes: ['message.received'], filter: null },
  { name: 'wild', eventTypes: ['message.*'], filter: null },
  { name: 'sms', eventTypes: ['message.received'], filter: { 'data.communicationType': 'sms' } },
] as const;

export const SERVICE_PROCESSES = ['api', 'router', 'dispatcher', 'scheduler', 'projector'] as const;
export type ServiceProcess = (typeof SERVICE_PROCESSES)[number];

export interface ProduceOptions {
  count: number;
  perSecond: number;
  /** Share of extra records that are poison (invalid JSON, unknown type, missing fields, oversize, bad bytes). */
  poisonRatio?: number;
  /** Called as the load runs, with the ms elapsed since it started. */
  onTick?: (elapsedMs: number) => void | Promise<void>;
}

/**
 * The whole pipeline for fault tests: each service in its own Herald process (so one can be killed
 * alone), endpoints created through the API, a loopback receiver whose behaviour scenarios switch,
 * and taps on the dead-letter and invalid-event topics feeding per-scenario ledgers.
 */
export class FaultPipeline {
  readonly processes = new Map<ServiceProcess, HeraldProcess>();
  readonly endpointIds = new Map<string, string>();
  private readonly ledgers: DeliveryLedger[] = [];
  private readonly hung = new Set<ServerResponse>();
  mode: ReceiverMode = 'ok';
  invalidEvents = 0;
  workspaceId = '';
  api!: HeraldApiClient;

  private constructor(
    readonly env: TestEnvironment,
    readonly receiver: WebhookReceiver,
    private readonly kafka: Kafka,
    private readonly tap: KafkaTap,
    private readonly heraldEnv: Record<string, string>,
  ) {}

  static async start(extraEnv: Record<string, string> = {}): Promise<FaultPipeline> {
    const env = await startTestEnvironment();
    const receiver = await WebhookReceiver.start();
    const kafka = new Kafka({
      clientId: 'herald-faults',
      brokers: env.kafkaBrokers,
      logLevel: process.env.HERALD_FAULTS_KAFKA_LOG ? logLevel.DEBUG : logLevel.NOTHING,
      // Fail fast so the load generator can replace a producer whose connection went dead.
      requestTimeout: 5_000,
      retry: { retries: 3, maxRetryTime: 1_000 },
    });
    const tap = await KafkaTap.start(
      env.kafkaBrokers,
      [Topics.deliveriesDead, Topics.eventsInvalid],
      'faults',
    );
    const heraldEnv = env.heraldEnv({
      // HERALD_FAULTS_LOG_LEVEL=warn shows watchdog restarts and stalls in the output printed on loss.
      LOG_LEVEL: process.env.HERALD_FAULTS_LOG_LEVEL ?? 'error',
      // Fault tests care about loss, not about the breaker; keep it from parking whole endpoints.
      HERALD_BREAKER_FAILURE_RATE: '0.95',
      HERALD_BREAKER_OPEN_FOR: '2s',
      // The mock coordinator holds every rejoin for the session timeout - 1 s, where a broker completes
      // it once all members are back; kafkajs rejoins on each Fetch NOT_LEADER, so with 30 s sessions
      // each injected error stalled a group for about a minute.
      HERALD_SCHEDULER_SESSION_TIMEOUT: '6s',
      HERALD_ROUTER_SESSION_TIMEOUT: '6s',
      KAFKA_SESSION_TIMEOUT: '6s',
      ...extraEnv,
    });
    const pipeline = new FaultPipeline(env, receiver, kafka, tap, heraldEnv);
    tap.onRecord((record) => pipeline.onTapped(record.topic, record.value));
    receiver.respondWith((req, res) => pipeline.answer(req, res));
    // The API process runs the migrations; the workers start once the schema exists.
    pipeline.processes.set('api', await HeraldProcess.start({ env: heraldEnv, services: ['api'] }));
    await Promise.all(
      SERVICE_PROCESSES.filter((s) => s !== 'api').map(async (service) => {
        pipeline.processes.set(service, await HeraldProcess.start({ env: heraldEnv, services: [service] }));
      }),
    );
    const admin = new HeraldApiClient(pipeline.processes.get('api')!.apiUrl, heraldEnv.HERALD_ADMIN_TOKEN);
    const { workspaceId, client } = await admin.provisionWorkspace(
      `faults-${randomBytes(3).toString('hex')}`,
    );
    pipeline.workspaceId = workspaceId;
    pipeline.api = client;
    for (const spec of ENDPOINTS) {
      const created = await client.createEndpoint(workspaceId, {
        url: receiver.url(`/f/${spec.name}`),
        eventTypes: spec.eventTypes,
        filter: spec.filter,
        timeoutMs: 1_000,
        maxInFlight: 50,
      });
      pipeline.endpointIds.set(spec.name, created.id);
    }
    // Subscription changes reach routers and dispatchers within a second.
    await new Promise((r) => setTimeout(r, 1_500));
    return pipeline;
  }

  ledger(scenario: string): DeliveryLedger {
    const ledger = new DeliveryLedger(scenario);
    this.ledgers.push(ledger);
    return ledger;
  }

  /** Produces valid events (and optional poison) at a steady rate; returns the poison count. */
  async produce(ledger: DeliveryLedger, options: ProduceOptions): Promise<number> {
    const started = Date.now();
    const poisonEvery = options.poisonRatio ? Math.round(1 / options.poisonRatio) : 0;
    let poison = 0;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < options.count; i += 1) {
      const sms = i % 2 === 0;
      const event = this.messageReceived(sms);
      ledger.expect(event.id, this.matchingEndpoints(sms));
      const records: { key: string; value: Buffer | string }[] = [
        { key: event.id, value: JSON.stringify(event) },
      ];
      if (poisonEvery > 0 && i % (poisonEvery - 1) === 0) {
        records.push({ key: `poison-${i}`, value: this.poison(poison) });
        poison += 1;
      }
      sends.push(this.sendUntilAcked(records));
      const due = started + ((i + 1) * 1_000) / options.perSecond;
      await options.onTick?.(Date.now() - started);
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    if (process.env.HERALD_FAULTS_VERBOSE)
      process.stderr.write(`${ledger.scenario}: load produced, waiting for acks\n`);
    await Promise.all(sends);
    if (process.env.HERALD_FAULTS_VERBOSE)
      process.stderr.write(`${ledger.scenario}: all acked after ${Date.now() - started} ms\n`);
    return poison;
  }

  private producer?: Producer;
  private producerReady?: Promise<Producer>;

  /** Retries until Kafka acknowledges: an event the test gave up on would look like a loss. */
  private async sendUntilAcked(records: { key: string; value: Buffer | string }[]): Promise<void> {
    for (;;) {
      let producer: Producer | undefined;
      try {
        producer = await this.currentProducer();
        await producer.send({ topic: 'domain.messages', acks: -1, messages: records });
        return;
      } catch (error) {
        // Broker down or injected errors: the router's dedupe absorbs a repeat. kafkajs keeps using a
        // connection whose requests time out after a broker outage, so the producer is replaced.
        if (process.env.HERALD_FAULTS_VERBOSE)
          process.stderr.write(`send failed, retrying: ${(error as Error).message}\n`);
        if (producer && this.producer === producer) {
          this.producer = undefined;
          this.producerReady = undefined;
          void producer.disconnect().catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private currentProducer(): Promise<Producer> {
    this.producerReady ??= (async () => {
      const producer = this.kafka.producer();
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((error: unknown) => {
      this.producerReady = undefined;
      throw error;
    });
    return this.producerReady;
  }

  /** The last lines each service printed, for a failure's diagnosis. */
  serviceOutput(lines = 15): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [service, process] of this.processes) {
      out[service] = process.output.join('').split('\n').slice(-lines).join('\n');
    }
    return out;
  }

  /**
   * Per partition of each group's topics, records not yet committed (high watermark minus committed
   * offset), for a loss's diagnosis: a partition whose reads or commits stopped shows up here.
   */
  async uncommitted(): Promise<Record<string, Record<number, number>>> {
    const groups: [string, string][] = [
      ['herald-dispatcher', Topics.deliveries],
      ['herald-router', 'domain.messages'],
    ];
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const out: Record<string, Record<number, number>> = {};
      for (const [groupId, topic] of groups) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = new Map(committed.partitions.map((p) => [p.partition, BigInt(p.offset)]));
        const lag: Record<number, number> = {};
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          const at = offsets.get(partition) ?? -1n;
          lag[partition] = Number(BigInt(high) - (at < 0n ? 0n : at));
        }
        out[`${groupId} ${topic}`] = lag;
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Records on herald.events.invalid, from the topic's high watermarks: unlike the tap, this cannot
   * miss records when a test consumer stalls after a broker outage.
   */
  async invalidEventsWritten(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(Topics.eventsInvalid);
      return offsets.reduce((sum, { high }) => sum + Number(high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Every dead letter written so far, read with a fresh client and group up to the current high
   * watermarks: the long-lived tap can stall after a broker outage and miss some.
   */
  async readDeadLetters(timeoutMs = 30_000): Promise<{ endpointId: string; eventId: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const targets = new Map<number, bigint>();
    try {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(Topics.deliveriesDead)) {
        if (BigInt(high) > BigInt(low)) targets.set(partition, BigInt(high) - 1n);
      }
    } finally {
      await admin.disconnect();
    }
    const found: { endpointId: string; eventId: string }[] = [];
    if (targets.size === 0) return found;
    const consumer = this.kafka.consumer({ groupId: `faults-dead-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: Topics.deliveriesDead, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            try {
              const dead = JSON.parse(message.value?.toString() ?? '') as {
                endpointId: string;
                eventId: string;
              };
              found.push({ endpointId: dead.endpointId, eventId: dead.eventId });
            } catch {
              // not a delivery
            }
            const target = targets.get(partition);
            if (target !== undefined && BigInt(message.offset) >= target) targets.delete(partition);
            if (targets.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return found;
  }

  async kill(service: ServiceProcess): Promise<void> {
    await this.processes.get(service)!.kill();
  }

  async restart(service: ServiceProcess): Promise<void> {
    await this.processes.get(service)!.start();
  }

  /** Polls the API until every pair the receiver accepted reads back as succeeded. */
  async projectionsCaughtUp(
    ledger: DeliveryLedger,
    timeoutMs: number,
  ): Promise<{ missing: number; checked: number }> {
    const wanted = ledger.deliveredPairList();
    const deadline = Date.now() + timeoutMs;
    let missing = wanted.length;
    while (Date.now() < deadline) {
      const succeeded = new Set<string>();
      let cursor: string | null = null;
      try {
        do {
          // Pages are at most 50 (the API's default maximum); only this scenario's deliveries are listed.
          const since = new Date(ledger.startedAt - 1_000).toISOString();
          const query: string = `status=succeeded&limit=50&since=${encodeURIComponent(since)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page: { data: { endpointId: string; eventId: string }[]; nextCursor: string | null } =
            await this.api.call('GET', `/v1/workspaces/${this.workspaceId}/deliveries?${query}`);
          for (const d of page.data) succeeded.add(`${d.endpointId}|${d.eventId}`);
          cursor = page.nextCursor;
        } while (cursor);
        missing = wanted.filter((p) => !succeeded.has(`${p.endpointId}|${p.eventId}`)).length;
        if (missing === 0) break;
      } catch {
        // The API may still be reconnecting to Postgres.
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return { missing, checked: wanted.length };
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    await Promise.allSettled([...this.processes.values()].map((p) => p.stop()));
    await this.tap.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.receiver.stop();
    await this.env.stop();
  }

  private matchingEndpoints(sms: boolean): string[] {
    return ENDPOINTS.filter((e) => e.filter === null || sms).map((e) => this.endpointIds.get(e.name)!);
  }

  private messageReceived(sms: boolean) {
    const id = randomUUID();
    return {
      id,
      type: 'message.received',
      workspaceId: this.workspaceId,
      occurredAt: new Date().toISOString(),
      data: {
        id: `msg_${id.slice(0, 8)}`,
        conversationId: 'cnv_faults',
        communicationType: sms ? 'sms' : 'email',
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'fault suite',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    };
  }

  private poison(n: number): Buffer | string {
    const base = { id: randomUUID(), workspaceId: this.workspaceId, occurredAt: new Date().toISOString() };
    switch (n % 5) {
      case 0:
        return '{"id": "broken json';
      case 1:
        return JSON.stringify({ ...base, type: 'message.teleported', data: {} });
      case 2:
        return JSON.stringify({ ...base, type: 'message.received' });
      case 3:
        return JSON.stringify({
          ...base,
          type: 'message.received',
          data: { id: 'm', conversationId: 'c', text: 'x'.repeat(300_000) },
        });
      default:
        return Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    }
  }

  private onTapped(topic: string, value: Buffer | null): void {
    if (topic === Topics.eventsInvalid) {
      this.invalidEvents += 1;
      return;
    }
    if (topic !== Topics.deliveriesDead || value === null) return;
    try {
      const dead = JSON.parse(value.toString()) as { endpointId: string; eventId: string };
      this.ledgers.find((l) => l.owns(dead.eventId))?.deadLettered(dead.endpointId, dead.eventId);
    } catch {
      // not a delivery: ignored
    }
  }

  private answer(req: ReceivedRequest, res: ServerResponse): void {
    const endpointName = req.path.split('/')[2] ?? '';
    const endpointId = this.endpointIds.get(endpointName);
    let eventId = '';
    try {
      eventId = (JSON.parse(req.body.toString()) as { id: string }).id;
    } catch {
      // unreadable body: answered 400 below and never counted as delivered
    }
    const ledger = this.ledgers.find((l) => l.owns(eventId));
    ledger?.sawRequest();
    const ok = () => {
      if (res.destroyed) return;
      res.writeHead(200).end('ok');
      if (ledger && endpointId) ledger.accepted2xx(endpointId, eventId, String(req.headers['webhook-id']));
    };
    if (!ledger || !endpointId) return void res.writeHead(400).end();
    const roll = Math.random();
    if (this.mode === 'ok') return ok();
    if (this.mode === 'flaky') return roll < 0.25 ? void res.writeHead(500).end('flaky') : ok();
    // chaos: every misbehaviour a real receiver shows
    if (roll < 0.4) return ok();
    if (roll < 0.55) return void res.writeHead(500).end('boom');
    if (roll < 0.62) return void res.writeHead(503, { 'retry-after': '1' }).end('busy');
    if (roll < 0.72) {
      // hangs past the endpoint's 1 s timeout; the socket is dropped later
      this.hung.add(res);
      setTimeout(() => {
        this.hung.delete(res);
        res.destroy();
      }, 3_000).unref();
      return;
    }
    // connection reset mid-request
    if (roll < 0.82) return void res.socket?.resetAndDestroy();
    if (roll < 0.91) return void setTimeout(ok, 400);
    // a 2xx with a huge body: Herald must cap what it reads and still count it delivered
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Buffer.alloc(5 * 1_048_576, 0x61));
    if (endpointId) ledger.accepted2xx(endpointId, eventId, String(req.headers['webhook-id']));
  }
}
