import { randomUUID } from 'node:crypto';
import { logLevel, type Kafka, type Producer } from 'kafkajs';
import { testKafkaClient } from '@herald/testing';
import type { DeliveryLedger } from './delivery-ledger';

export interface LoadOptions {
  count: number;
  perSecond: number;
  /** Share of extra records that are poison (invalid JSON, unknown type, missing fields, oversize, bad bytes). */
  poisonRatio?: number;
  /** Called as the load runs, with the ms elapsed since it started; faults are injected from here. */
  onTick?: (elapsedMs: number) => void | Promise<void>;
}

type OutRecord = { key: string; value: Buffer | string };

/**
 * Longest a connect or a send may take before the producer is presumed stuck and replaced: after every
 * broker restarted, a kafkajs producer can wait on a dead connection without ever settling.
 */
const SEND_TIMEOUT_MS = 15_000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The test's producer of domain events: a steady rate of message.received events, each registered in
 * a ledger with the endpoints it must reach before it is sent, and resent until Kafka acknowledges it.
 */
export class EventLoad {
  private producer?: Producer;
  private producerReady?: Promise<Producer>;
  private readonly kafka: Kafka;
  /** Sends Kafka acknowledged so far, for the report of a load that does not finish. */
  acked = 0;

  constructor(
    brokers: string[],
    private readonly workspaceId: () => string,
    private readonly endpointsFor: (sms: boolean) => string[],
  ) {
    this.kafka = testKafkaClient(brokers, 'faults-load', {
      logLevel: process.env.HERALD_FAULTS_KAFKA_LOG ? logLevel.DEBUG : logLevel.NOTHING,
      // Fail fast so a producer whose connection went dead is replaced rather than waited on.
      requestTimeout: 5_000,
      retry: { retries: 3, maxRetryTime: 1_000 },
    });
  }

  /** Produces valid events (and optional poison) at a steady rate; returns the poison count. */
  async run(ledger: DeliveryLedger, options: LoadOptions): Promise<number> {
    const started = Date.now();
    const poisonEvery = options.poisonRatio ? Math.round(1 / options.poisonRatio) : 0;
    let poison = 0;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < options.count; i += 1) {
      const sms = i % 2 === 0;
      const event = this.messageReceived(sms);
      ledger.expect(event.id, this.endpointsFor(sms));
      const records: OutRecord[] = [{ key: event.id, value: JSON.stringify(event) }];
      if (poisonEvery > 0 && i % (poisonEvery - 1) === 0) {
        records.push({ key: `poison-${i}`, value: this.poison(poison) });
        poison += 1;
      }
      sends.push(this.sendUntilAcked(records));
      await options.onTick?.(Date.now() - started);
      const wait = started + ((i + 1) * 1_000) / options.perSecond - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    ledger.loadEnded();
    await Promise.all(sends);
    verbose(`${ledger.scenario}: all acked after ${Date.now() - started} ms`);
    return poison;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Retries until Kafka acknowledges: an event the test gave up on would look like a loss. */
  private async sendUntilAcked(records: OutRecord[]): Promise<void> {
    for (;;) {
      let producer: Producer | undefined;
      try {
        producer = await within(this.currentProducer(), SEND_TIMEOUT_MS, 'producer connect');
        await within(
          producer.send({ topic: 'domain.messages', acks: -1, messages: records }),
          SEND_TIMEOUT_MS,
          'send',
        );
        this.acked += 1;
        return;
      } catch (error) {
        // Brokers down or unreachable: the router's dedupe absorbs a repeat. A producer whose requests
        // keep timing out on a dead connection is replaced.
        verbose(`send failed, retrying: ${(error as Error).message}`);
        if (!producer && this.producerReady) {
          // A connect that never settled: start a fresh one on the next try.
          this.producerReady = undefined;
        }
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

  private messageReceived(sms: boolean) {
    const id = randomUUID();
    return {
      id,
      type: 'message.received',
      workspaceId: this.workspaceId(),
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
    const base = { id: randomUUID(), workspaceId: this.workspaceId(), occurredAt: new Date().toISOString() };
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
}

export function verbose(line: string): void {
  if (process.env.HERALD_FAULTS_VERBOSE) process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}
