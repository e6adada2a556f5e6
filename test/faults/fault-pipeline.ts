import { randomBytes } from 'node:crypto';
import { Topics } from '@herald/contracts';
import {
  HeraldApiClient,
  HeraldProcess,
  KafkaTap,
  WebhookReceiver,
  startTestEnvironment,
  type TappedRecord,
  type TestEnvironment,
} from '@herald/testing';
import { DeliveryLedger } from './delivery-ledger';
import { EventLoad, type LoadOptions } from './event-load';
import { KafkaInspection } from './kafka-inspection';
import { ReceiverBehaviour } from './receiver-behaviour';

/** The endpoints every fault scenario delivers to: two match every message, one only SMS. */
const ENDPOINTS = [
  { name: 'all', eventTypes: ['message.received'], filter: null },
  { name: 'wild', eventTypes: ['message.*'], filter: null },
  { name: 'sms', eventTypes: ['message.received'], filter: { 'data.communicationType': 'sms' } },
] as const;

export const SERVICE_PROCESSES = ['api', 'router', 'dispatcher', 'scheduler', 'projector'] as const;
export type ServiceProcess = (typeof SERVICE_PROCESSES)[number];

/** Log lines of the consumers' self-healing: the stall watchdog's restarts and replacements. */
const HEALING_LINE = /restarting it|replacing it/;

/**
 * The whole pipeline for fault tests, on a 3-node Kafka cluster behind TCP proxies (when the harness
 * starts it): each service in its own Herald process (so one can be killed alone), endpoints created
 * through the API, a loopback receiver whose behaviour scenarios switch, and a tap on the dead-letter
 * topic feeding per-scenario ledgers.
 */
export class FaultPipeline {
  readonly processes = new Map<ServiceProcess, HeraldProcess>();
  readonly endpointIds = new Map<string, string>();
  readonly inspect: KafkaInspection;
  readonly receiverBehaviour: ReceiverBehaviour;
  private readonly ledgers: DeliveryLedger[] = [];
  private readonly load: EventLoad;
  private readonly healingSeen = new Set<string>();
  private tap?: KafkaTap<TappedRecord>;
  workspaceId = '';
  api!: HeraldApiClient;

  private constructor(
    readonly env: TestEnvironment,
    readonly receiver: WebhookReceiver,
    private readonly heraldEnv: Record<string, string>,
  ) {
    this.inspect = new KafkaInspection(env.kafkaBrokers);
    this.load = new EventLoad(
      env.kafkaBrokers,
      () => this.workspaceId,
      (sms) => ENDPOINTS.filter((e) => e.filter === null || sms).map((e) => this.endpointIds.get(e.name)!),
    );
    this.receiverBehaviour = new ReceiverBehaviour(
      (eventId) => this.ledgers.find((l) => l.owns(eventId)),
      (name) => this.endpointIds.get(name),
    );
  }

  static async start(extraEnv: Record<string, string> = {}): Promise<FaultPipeline> {
    const env = await startTestEnvironment({ kafkaNodes: 3, proxied: true });
    const receiver = await WebhookReceiver.start();
    const heraldEnv = env.heraldEnv({
      // warn: the watchdog's restarts are logged, counted per scenario and printed on loss.
      LOG_LEVEL: process.env.HERALD_FAULTS_LOG_LEVEL ?? 'warn',
      // Fault tests care about loss, not about the breaker; keep it from parking whole endpoints.
      HERALD_BREAKER_FAILURE_RATE: '0.95',
      HERALD_BREAKER_OPEN_FOR: '2s',
      ...extraEnv,
    });
    const pipeline = new FaultPipeline(env, receiver, heraldEnv);
    receiver.respondWith((req, res) => pipeline.receiverBehaviour.answer(req, res));
    try {
      await pipeline.startServices();
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    return pipeline;
  }

  private async startServices(): Promise<void> {
    this.tap = await KafkaTap.recording(this.env.kafkaBrokers, [Topics.deliveriesDead], 'faults');
    this.tap.onRecord((record) => this.onDeadLetter(record.value));
    // The API process runs the migrations; the workers start once the schema exists.
    this.processes.set('api', await HeraldProcess.start({ env: this.heraldEnv, services: ['api'] }));
    await Promise.all(
      SERVICE_PROCESSES.filter((s) => s !== 'api').map(async (service) => {
        this.processes.set(service, await HeraldProcess.start({ env: this.heraldEnv, services: [service] }));
      }),
    );
    const admin = new HeraldApiClient(this.processes.get('api')!.apiUrl, this.heraldEnv.HERALD_ADMIN_TOKEN);
    const { workspaceId, client } = await admin.provisionWorkspace(
      `faults-${randomBytes(3).toString('hex')}`,
    );
    this.workspaceId = workspaceId;
    this.api = client;
    for (const spec of ENDPOINTS) {
      const created = await client.createEndpoint(workspaceId, {
        url: this.receiver.url(`/f/${spec.name}`),
        eventTypes: spec.eventTypes,
        filter: spec.filter,
        timeoutMs: 1_000,
        maxInFlight: 50,
      });
      this.endpointIds.set(spec.name, created.id);
    }
    await this.warmUp();
  }

  /**
   * Events until one reaches every endpoint: routers and dispatchers know the endpoints (an event
   * routed before a router has them matches nothing) and every consumer group has formed.
   */
  private async warmUp(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; Date.now() < deadline; attempt += 1) {
      const ledger = this.ledger(`warm-up-${attempt}`);
      // Event 0 is an SMS: it matches all three endpoints.
      await this.load.run(ledger, { count: 1, perSecond: 10 });
      await ledger.settle(5_000);
      if (ledger.outstanding().length === 0) return;
    }
    throw new Error(`the pipeline delivered no warm-up event in ${timeoutMs} ms`);
  }

  ledger(scenario: string): DeliveryLedger {
    const ledger = new DeliveryLedger(scenario);
    this.ledgers.push(ledger);
    return ledger;
  }

  /** Produces events at a steady rate into `ledger`; returns the poison count. */
  /** Load sends Kafka acknowledged so far. */
  get acked(): number {
    return this.load.acked;
  }

  produce(ledger: DeliveryLedger, options: LoadOptions): Promise<number> {
    return this.load.run(ledger, options);
  }

  async kill(service: ServiceProcess): Promise<void> {
    await this.processes.get(service)!.kill();
  }

  async restart(service: ServiceProcess): Promise<void> {
    await this.processes.get(service)!.start();
  }

  /** The last lines each service printed, for a failure's diagnosis. */
  serviceOutput(lines = 15): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [service, process] of this.processes) {
      out[service] = process.output.join('').split('\n').slice(-lines).join('\n');
    }
    return out;
  }

  /** Watchdog restarts and consumer replacements logged since the last call, per service. */
  healingSinceLastCall(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [service, process] of this.processes) {
      for (const line of process.output.join('').split('\n')) {
        if (!HEALING_LINE.test(line) || this.healingSeen.has(line)) continue;
        this.healingSeen.add(line);
        (out[service] ??= []).push(healingSummary(line));
      }
    }
    return out;
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
    this.receiverBehaviour.release();
    await Promise.allSettled([...this.processes.values()].map((p) => p.stop()));
    await this.tap?.stop().catch(() => undefined);
    await this.load.stop();
    await this.receiver.stop();
    await this.env.stop();
  }

  private onDeadLetter(value: Buffer | null): void {
    if (value === null) return;
    try {
      const dead = JSON.parse(value.toString()) as { endpointId: string; eventId: string };
      this.ledgers.find((l) => l.owns(dead.eventId))?.deadLettered(dead.endpointId, dead.eventId);
    } catch {
      // not a delivery: ignored
    }
  }
}

/** A pino line's time and message, for the report. */
function healingSummary(line: string): string {
  try {
    const parsed = JSON.parse(line) as { time?: number; msg?: string };
    return `${parsed.time ? new Date(parsed.time).toISOString() : ''} ${parsed.msg ?? line}`.trim();
  } catch {
    return line.slice(0, 300);
  }
}
