import type { Kafka, Producer } from 'kafkajs';
import type { HeraldProcess, ReceivedRequest, TestEnvironment, WebhookReceiver } from '@herald/testing';
import { leadCreated, type BenchRecord } from './bench-records';
import { isProbe, waitForCommitted } from './herald-services';
import { CpuMeter, brokerCpuMeter } from './process-cpu';

/** One event's trip: produced by the bench, received by its endpoint (epoch ms). */
export interface LatencySample {
  eventId: string;
  sentAt: number;
  receivedAt: number;
}

/** Fractions of the capacity just measured at which latency is reported. */
export const LOAD_FRACTIONS = [0.25, 0.5, 0.75] as const;

/** How often the steady sender wakes to send what is due (the send schedule, not a wait for state). */
const TICK_MS = 5;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface LatencyContext {
  env: TestEnvironment;
  kafka: Kafka;
  producer: Producer;
  receiver: WebhookReceiver;
  processes: Map<string, HeraldProcess>;
  /** Workspaces whose `lead.created` endpoint delivers to `/latency/<label>/`. */
  tenants: string[];
  label: string;
}

/**
 * Produce-to-receipt latency of `lead.created` events, matched by event id. Every phase starts once
 * the projector has caught up with what came before, so each one meets an otherwise idle Herald.
 */
export class LatencyProbe {
  private readonly sentAt = new Map<string, number>();
  private phase?: { samples: LatencySample[]; expected: number; done: () => void };
  /** Every receipt of each steady phase, for the per-hop split (latency-hops.ts). */
  readonly samples = new Map<string, LatencySample[]>();

  constructor(private readonly context: LatencyContext) {
    const prefix = `/latency/${context.label}/`;
    context.receiver.onRequest((request: ReceivedRequest) => {
      const phase = this.phase;
      if (!phase || !request.path.startsWith(prefix) || isProbe(request)) return;
      const id = (JSON.parse(request.body.toString('utf8')) as { id: string }).id;
      const start = this.sentAt.get(id);
      if (start === undefined) return;
      this.sentAt.delete(id);
      phase.samples.push({ eventId: id, sentAt: start, receivedAt: request.receivedAt });
      if (phase.samples.length >= phase.expected) phase.done();
    });
  }

  /**
   * `rate` events/s for `seconds`, sent every few milliseconds as they fall due (not in bursts);
   * p50/p99/max in ms and CPU per delivery of the Herald services and the broker over the phase.
   */
  async steady(rate: number, seconds: number, name: string): Promise<Record<string, number | string>> {
    const total = Math.max(1, Math.round(rate * seconds));
    const { samples, latencies, cpu } = await this.measure(total, async () => {
      const started = Date.now();
      let sent = 0;
      let index = 0;
      while (sent < total) {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
        if (due > sent) {
          const batch = Array.from({ length: due - sent }, () => this.event(index++));
          await this.send(batch);
          sent = due;
        }
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      }
    });
    this.samples.set(name, samples);
    return {
      [`latency_${name}_rate_per_s`]: rate,
      [`p50_${name}_ms`]: percentile(latencies, 50),
      [`p99_${name}_ms`]: percentile(latencies, 99),
      [`max_${name}_ms`]: latencies[latencies.length - 1],
      ...prefixed(cpu, `cpu_ms_per_delivery_${name}_`),
    };
  }

  /** `count` single events, each sent once the previous one was received. */
  async idle(count: number): Promise<Record<string, number | string>> {
    await waitForCommitted(this.context.kafka, 'herald-projector', ['herald.deliveries', 'herald.attempts']);
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const { latencies: one } = await this.measure(1, () => this.send([this.event(i)]), false);
      latencies.push(...one);
    }
    latencies.sort((a, b) => a - b);
    return {
      idle_events: count,
      idle_p50_ms: percentile(latencies, 50),
      idle_p99_ms: percentile(latencies, 99),
    };
  }

  private event(index: number): BenchRecord {
    const tenants = this.context.tenants;
    return leadCreated(tenants[index % tenants.length], index);
  }

  private async send(batch: BenchRecord[]): Promise<void> {
    const now = Date.now();
    for (const event of batch) this.sentAt.set(event.id, now);
    await this.context.producer.send({
      topic: 'domain.leads',
      acks: -1,
      messages: batch.map(({ key, value }) => ({ key, value })),
    });
  }

  /**
   * Runs `send` as one phase expecting `expected` receipts; its receipts, their latencies sorted, and
   * CPU per delivery.
   */
  private async measure(
    expected: number,
    send: () => Promise<void>,
    settle = true,
  ): Promise<{ samples: LatencySample[]; latencies: number[]; cpu: Record<string, number | string> }> {
    const { env, kafka, processes } = this.context;
    if (settle) await waitForCommitted(kafka, 'herald-projector', ['herald.deliveries', 'herald.attempts']);
    const samples: LatencySample[] = [];
    const received = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`latency: ${samples.length}/${expected} received in 120 s`)),
        120_000,
      );
      this.phase = { samples, expected, done: () => (clearTimeout(timer), resolve()) };
    });
    const meters = new Map([...processes].map(([name, p]) => [name, CpuMeter.ofPids([p.pid!])]));
    const broker = brokerCpuMeter(env);
    try {
      await send();
      await received;
    } finally {
      this.phase = undefined;
    }
    const cpu: Record<string, number | string> = {};
    let herald = 0;
    for (const [name, meter] of meters) {
      cpu[name] = meter.perDelivery(expected);
      herald += cpu[name] as number;
    }
    cpu.herald = Number(herald.toFixed(3));
    cpu.kafka = broker.perDelivery(expected);
    const latencies = samples.map((s) => s.receivedAt - s.sentAt).sort((a, b) => a - b);
    return { samples, latencies, cpu };
  }
}

/** The rows of one phase's CPU worth reporting: the two hot-path services, all of Herald, the broker. */
function prefixed(cpu: Record<string, number | string>, prefix: string): Record<string, number | string> {
  const rows: Record<string, number | string> = {};
  for (const name of ['router', 'dispatcher', 'herald', 'kafka'])
    if (name in cpu) rows[`${prefix}${name}`] = cpu[name];
  return rows;
}
