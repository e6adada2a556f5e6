import { Topics } from '@herald/contracts';
import type { HeraldProducer, OutgoingRecord } from '@herald/kafka';

/**
 * Gathers the records of many concurrent deliveries into few produce requests. `write` resolves once
 * Kafka acknowledged the records (acks=all), so callers only mark work done when it is durable.
 * Fewer, larger requests cost the dispatcher less CPU per record and hand the projector fuller
 * batches; the wait delays only the records, not the HTTP attempts. FIFO lane records go at once,
 * since the next delivery of their endpoint waits for them.
 */
export class OutputBuffer {
  private pending: Array<{
    records: OutgoingRecord[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private count = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly producer: Pick<HeraldProducer, 'send'>,
    /** HERALD_DISPATCH_OUTPUT_LINGER (default 50ms, see dispatcher.env.ts); 0 sends every write at once. */
    private readonly lingerMs: number,
    private readonly maxRecords = 500,
  ) {}

  write(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.count += records.length;
      if (this.count >= this.maxRecords || this.lingerMs <= 0 || records.some(isLaneRecord)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.pending;
    this.pending = [];
    this.count = 0;
    if (entries.length === 0) return;
    this.producer.send(entries.flatMap((entry) => entry.records)).then(
      () => entries.forEach((entry) => entry.resolve()),
      (error: unknown) => entries.forEach((entry) => entry.reject(error)),
    );
  }
}

function isLaneRecord(record: OutgoingRecord): boolean {
  return record.topic === Topics.fifo;
}
