import { createHash } from 'node:crypto';
import type { AttemptRecorded, DeliveryRequested } from '@herald/contracts';

/** Seeded PRNG (mulberry32): the same seed fills the same log, so runs compare. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENT_TYPES = ['message.received', 'message.sent', 'lead.created', 'lead.updated', 'call.ended'];
const WORDS = 'the quick brown fox jumps over lazy dog order ticket agent reply status note call'.split(' ');

/** A uuid-shaped id from a string, as deterministic as Herald's own delivery ids. */
export function uuidOf(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One delivery the generator made: enough to find it again through the query API. */
export interface SampledDelivery {
  workspaceId: string;
  endpointId: string;
  eventId: string;
  deliveryId: string;
  createdAt: number;
}

interface Planned extends SampledDelivery {
  eventType: string;
  payload: string;
  attempts: number;
  /** The last attempt's outcome: succeeded, or exhausted after the third. */
  succeeds: boolean;
}

/** The records of one tick: the requests first (as the router and scheduler emit them), then attempts. */
export interface LogBatch {
  requests: DeliveryRequested[];
  attempts: AttemptRecorded[];
  deliveries: number;
}

export interface LogShape {
  workspaces: string[];
  endpointsPerWorkspace: number;
  /** Deliveries' created_at run from `startMs` to `endMs` as the fill progresses. */
  startMs: number;
  endMs: number;
  /** Attempts this stream writes in all. */
  attempts: number;
  /** New deliveries per tick. */
  perTick: number;
  seed: number;
}

/** Retries of a tick's deliveries come in the next ticks, as they would minutes later. */
const RETRY_DELAY_MS = [0, 60_000, 300_000];

/**
 * A time-ordered stream of delivery log records with realistic sizes: ~1 KiB JSON payloads; 70 % of
 * deliveries take one attempt, 20 % two and 10 % three (half of those exhaust); failed attempts answer
 * 500/503 with a short body or time out without a response; successes answer 200 with an empty or small
 * JSON body. Tick i carries the first attempts of its own deliveries and the retries of ticks i-1, i-2.
 */
export class LogStream {
  private readonly random: () => number;
  private readonly pending: Planned[][] = [[], []];
  private planned = 0;
  private emitted = 0;
  private serial = 0;

  constructor(private readonly shape: LogShape) {
    this.random = seededRandom(shape.seed);
  }

  get attemptsEmitted(): number {
    return this.emitted;
  }

  get done(): boolean {
    return this.planned >= this.shape.attempts && this.pending.every((tick) => tick.length === 0);
  }

  next(sample: (delivery: SampledDelivery) => void): LogBatch {
    const fresh: Planned[] = [];
    while (this.planned < this.shape.attempts && fresh.length < this.shape.perTick) {
      const delivery = this.plan();
      this.planned += delivery.attempts;
      fresh.push(delivery);
      sample(delivery);
    }
    const [second, third] = this.pending;
    const batch: LogBatch = { requests: [], attempts: [], deliveries: fresh.length };
    for (const delivery of fresh) this.emit(batch, delivery, 1);
    for (const delivery of second) if (delivery.attempts >= 2) this.emit(batch, delivery, 2);
    for (const delivery of third) if (delivery.attempts >= 3) this.emit(batch, delivery, 3);
    this.pending.splice(0, 2, fresh, second);
    return batch;
  }

  private plan(): Planned {
    const { workspaces, endpointsPerWorkspace, startMs, endMs } = this.shape;
    const n = this.serial++;
    const workspaceId = workspaces[Math.floor(this.random() * workspaces.length)];
    const endpointId = uuidOf(`${workspaceId}/ep/${Math.floor(this.random() * endpointsPerWorkspace)}`);
    const eventId = uuidOf(`${this.shape.seed}/event/${n}`);
    const roll = this.random();
    const attempts = roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
    const createdAt = startMs + Math.floor(((endMs - startMs) * this.planned) / this.shape.attempts);
    return {
      workspaceId,
      endpointId,
      eventId,
      eventType: EVENT_TYPES[n % EVENT_TYPES.length],
      deliveryId: uuidOf(`${endpointId}/${eventId}/${workspaceId}`),
      createdAt,
      payload: this.payload(eventId, workspaceId, createdAt),
      attempts,
      succeeds: attempts < 3 || this.random() < 0.5,
    };
  }

  private payload(eventId: string, workspaceId: string, at: number): string {
    const words = 60 + Math.floor(this.random() * 60);
    const text: string[] = [];
    for (let i = 0; i < words; i++) text.push(WORDS[Math.floor(this.random() * WORDS.length)]);
    return JSON.stringify({
      id: eventId,
      type: 'message.received',
      workspaceId,
      occurredAt: new Date(at).toISOString(),
      data: {
        id: `msg_${Math.floor(this.random() * 1e12).toString(36)}`,
        conversationId: `cnv_${Math.floor(this.random() * 1e9).toString(36)}`,
        communicationType: 'sms',
        from: '+17025551111',
        to: ['+17025550100'],
        text: text.join(' '),
        outbound: false,
        tags: ['support', 'priority'],
      },
    });
  }

  private emit(batch: LogBatch, d: Planned, attempt: number): void {
    const requestedAt = d.createdAt + RETRY_DELAY_MS[attempt - 1];
    const startedAt = new Date(requestedAt + 5).toISOString();
    const last = attempt === d.attempts;
    const ok = last && d.succeeds;
    batch.requests.push({
      kind: 'DeliveryRequested',
      deliveryId: d.deliveryId,
      workspaceId: d.workspaceId,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      occurredAt: new Date(d.createdAt - 20).toISOString(),
      attempt,
      payload: d.payload,
      requestedAt: new Date(requestedAt).toISOString(),
      createdAt: new Date(d.createdAt).toISOString(),
      trigger: attempt === 1 ? 'event' : 'retry',
    } as DeliveryRequested);
    const timedOut = !ok && this.random() < 0.2;
    batch.attempts.push({
      kind: 'AttemptRecorded',
      attemptId: uuidOf(`${d.deliveryId}/${attempt}`),
      deliveryId: d.deliveryId,
      workspaceId: d.workspaceId,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      attempt,
      startedAt,
      durationMs: timedOut ? 10_000 : 40 + Math.floor(this.random() * 400),
      request: {
        url: `https://hooks.example.com/herald/${d.endpointId.slice(0, 8)}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Herald-Webhooks/1.0',
          'webhook-id': d.deliveryId,
          'webhook-timestamp': String(Math.floor(requestedAt / 1000)),
          'webhook-signature': '[redacted]',
        },
        bodyRef: d.deliveryId,
      },
      response: timedOut ? null : this.response(ok),
      remoteIp: timedOut ? null : '203.0.113.10',
      errorClass: ok ? null : timedOut ? 'timeout' : 'http_status',
      errorMessage: ok ? null : timedOut ? 'no response within 10000 ms' : 'endpoint answered 503',
      outcome: ok ? 'succeeded' : last ? 'exhausted' : 'retry_scheduled',
      nextAttemptAt: last ? null : new Date(d.createdAt + RETRY_DELAY_MS[attempt]).toISOString(),
      traceId: uuidOf(`${d.deliveryId}/trace/${attempt}`).replace(/-/g, ''),
      spanId: null,
      deliveryCreatedAt: new Date(d.createdAt).toISOString(),
    } as AttemptRecorded);
    this.emitted += 1;
  }

  private response(ok: boolean): NonNullable<AttemptRecorded['response']> {
    const headers = {
      'content-type': 'application/json',
      date: new Date().toUTCString(),
      server: 'nginx',
      'x-request-id': uuidOf(String(this.random())),
    };
    if (!ok) {
      const body = JSON.stringify({ error: 'service unavailable', retryAfter: 30, detail: 'upstream busy' });
      return { status: this.random() < 0.5 ? 500 : 503, headers, body, bodyTruncated: false };
    }
    const body = this.random() < 0.4 ? '' : JSON.stringify({ ok: true, id: uuidOf(String(this.random())) });
    return { status: 200, headers, body, bodyTruncated: false };
  }
}
