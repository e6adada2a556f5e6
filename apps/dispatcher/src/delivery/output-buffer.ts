import type { HeraldProducer, OutgoingRecord } from '@herald/kafka';

/**
 * Gathers the records of many concurrent deliveries into few produce requests. `write` resolves once
 * Kafka acknowledged the records (acks=all), so callers only mark work done when it is durable.
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
    private readonly lingerMs = 5,
    private readonly maxRecords = 500,
  ) {}

  write(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.count += records.length;
      if (this.count >= this.maxRecords) this.flush();
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
