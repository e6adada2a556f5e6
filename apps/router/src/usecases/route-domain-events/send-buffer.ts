import type { HeraldProducer, OutgoingRecord } from '@herald/kafka';

/**
 * Collects output records and sends them in acknowledged requests no larger than the caps. Kafka
 * rejects a partition's record batch above max.message.bytes (1 MB by default), so a large fan-out
 * must not go out as one request.
 */
export class SendBuffer {
  private pending: OutgoingRecord[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly producer: Pick<HeraldProducer, 'send'>,
    private readonly maxRecords: number,
    private readonly maxBytes: number,
    private readonly afterSend?: () => Promise<void>,
  ) {}

  async add(record: OutgoingRecord): Promise<void> {
    const size = recordBytes(record);
    if (this.pending.length > 0 && this.pendingBytes + size > this.maxBytes) await this.flush();
    this.pending.push(record);
    this.pendingBytes += size;
    if (this.pending.length >= this.maxRecords) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.producer.send(records);
    await this.afterSend?.();
  }
}

function recordBytes(record: OutgoingRecord): number {
  let size = 70 + (record.key?.length ?? 0) + byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {}))
    size += name.length + byteLength(value) + 8;
  return size;
}

function byteLength(value: string | Buffer | readonly (string | Buffer)[] | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  return value.reduce((sum, item) => sum + byteLength(item), 0);
}
