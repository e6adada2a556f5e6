/**
 * A record as Herald produces it, built by the constructors beside each record type. The Kafka
 * adapter's OutgoingRecord has this shape, so these go to the producer as they are.
 */
export interface HeraldRecord {
  topic: string;
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
}

/** Headers as read from Kafka, where a name may repeat. */
export type ReadHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

/** First value of each header, for a record written on from one that was read. */
export function copyHeaders(headers: ReadHeaders | undefined): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first;
  }
  return out;
}

/** A header's first value as text. */
export function headerText(headers: ReadHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** True for a string that parses as a point in time (the ISO timestamps records carry). */
export function isIsoTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
