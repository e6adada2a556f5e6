import type { Kafka, Message, Producer } from 'kafkajs';

export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
}

export interface HeraldProducerOptions {
  /** Whole-batch sends after the first one fails retriably (default 12). */
  retries?: number;
  /**
   * No retry starts this long after the first send (KAFKA_PRODUCE_TIMEOUT, default 40 s). One send
   * can itself take tens of seconds while kafkajs reconnects, so a count alone could keep a failing
   * produce going for minutes, past the consumer watchdog's commit stall.
   */
  timeoutMs?: number;
  /** Backoff before retry n: initialRetryMs * 2^n, at most maxRetryMs, ±20 % jitter. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

export const DEFAULT_PRODUCE_TIMEOUT_MS = 40_000;

/** How long to wait before retry `attempt` (0-based); `random` in [0, 1). */
export function producerRetryDelayMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: number,
): number {
  return Math.round(Math.min(maxMs, initialMs * 2 ** attempt) * (0.8 + 0.4 * random));
}

/**
 * Producer with acks from all in-sync replicas; `send` resolves only once Kafka has acknowledged
 * every record, which is what lets consumers commit their input offsets afterwards.
 *
 * kafkajs' own produce retry is switched off and the whole batch is sent again instead: between its
 * retries kafkajs skips brokers that already answered, so records whose partition moved to such a
 * broker (its leader died mid-send) were never sent while send() resolved (kafkajs issue #1303).
 * Resending the whole batch can duplicate records; every consumer of Herald's topics is idempotent.
 */
export class HeraldProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly retries: number;
  private readonly initialRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly timeoutMs: number;

  constructor(kafka: Kafka, options: HeraldProducerOptions = {}) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      maxInFlightRequests: 5,
      retry: { retries: 0 },
    });
    this.retries = options.retries ?? 12;
    this.initialRetryMs = options.initialRetryMs ?? 100;
    this.maxRetryMs = options.maxRetryMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PRODUCE_TIMEOUT_MS;
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      // The next send connects again instead of failing on this attempt for ever.
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, list);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const giveUpAt = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.connect();
        await this.producer.sendBatch({ acks: -1, topicMessages });
        return;
      } catch (error) {
        const delay = producerRetryDelayMs(attempt, this.initialRetryMs, this.maxRetryMs, Math.random());
        if (attempt >= this.retries || !retriable(error) || Date.now() + delay > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.connected.catch(() => undefined);
    await this.producer.disconnect();
    this.connected = undefined;
  }
}

/**
 * With kafkajs' retries at 0, a retriable failure surfaces as KafkaJSNumberOfRetriesExceeded; a
 * failure kafkajs would not retry (a record too large, an unknown topic) as another error, which
 * resending would only repeat. Connection errors from connect() are retriable too.
 */
function retriable(error: unknown): boolean {
  const { name, retriable: flag } = error as { name?: string; retriable?: boolean };
  return name === 'KafkaJSNumberOfRetriesExceeded' || flag === true;
}
