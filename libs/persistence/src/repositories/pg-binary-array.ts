/**
 * One-dimensional arrays in Postgres's binary wire format (array_recv), for the projector's batch
 * parameters. node-pg sends a Buffer parameter with the binary format code, so Postgres reads these
 * without array_in's text parsing and pg does no array-literal escaping. The statement must still cast
 * the parameter (`$1::text[]`): the element type written here has to match the one it infers.
 *
 * Layout: ndim, has-nulls flag, element type OID, then per dimension its length and lower bound (1),
 * then each element as its byte length (-1 for NULL) and bytes; all integers big-endian. An empty
 * array has ndim 0 and no dimension entries.
 */

/** Element type OIDs (pg_type.oid). */
export const PG_OID = { bool: 16, int4: 23, text: 25, timestamptz: 1184, jsonb: 3802 } as const;

type Nullable<T> = T | null | undefined;

const HEADER = 12;
const DIMENSION = 8;

function header(oid: number, count: number, hasNulls: boolean, bodyBytes: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER + (count ? DIMENSION : 0) + bodyBytes);
  buf.writeInt32BE(count ? 1 : 0, 0);
  buf.writeInt32BE(hasNulls ? 1 : 0, 4);
  buf.writeInt32BE(oid, 8);
  if (count) {
    buf.writeInt32BE(count, 12);
    buf.writeInt32BE(1, 16);
  }
  return buf;
}

/** Elements of variable size: UTF-8 text, with `prefix` (jsonb's version byte) before each. */
function utf8Array(oid: number, values: readonly Nullable<string>[], prefix: number | null): Buffer {
  const extra = prefix === null ? 0 : 1;
  const sizes = new Int32Array(values.length);
  let body = 0;
  let hasNulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) {
      sizes[i] = -1;
      hasNulls = true;
      body += 4;
      continue;
    }
    if (typeof v !== 'string') throw new TypeError(`Expected a string or null, got ${typeof v}`);
    const size = Buffer.byteLength(v, 'utf8') + extra;
    sizes[i] = size;
    body += 4 + size;
  }
  const buf = header(oid, values.length, hasNulls, body);
  let at = HEADER + (values.length ? DIMENSION : 0);
  for (let i = 0; i < values.length; i++) {
    const size = sizes[i];
    buf.writeInt32BE(size, at);
    at += 4;
    if (size < 0) continue;
    if (prefix !== null) buf[at] = prefix;
    buf.write(values[i]!, at + extra, size - extra, 'utf8');
    at += size;
  }
  return buf;
}

/** Elements of one fixed size, written by `put` at `at`. */
function fixedArray<T>(
  oid: number,
  values: readonly Nullable<T>[],
  size: number,
  put: (buf: Buffer, at: number, value: T) => void,
): Buffer {
  let nulls = 0;
  for (const v of values) if (v == null) nulls++;
  const buf = header(oid, values.length, nulls > 0, values.length * 4 + (values.length - nulls) * size);
  let at = HEADER + (values.length ? DIMENSION : 0);
  for (const v of values) {
    if (v == null) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    buf.writeInt32BE(size, at);
    put(buf, at + 4, v);
    at += 4 + size;
  }
  return buf;
}

export function textArray(values: readonly Nullable<string>[]): Buffer {
  return utf8Array(PG_OID.text, values, null);
}

/** jsonb from JSON text: binary jsonb is a version byte (1) and the text, which Postgres parses. */
export function jsonbArray(json: readonly Nullable<string>[]): Buffer {
  return utf8Array(PG_OID.jsonb, json, 1);
}

export function int4Array(values: readonly Nullable<number>[]): Buffer {
  return fixedArray(PG_OID.int4, values, 4, (buf, at, v) => {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new RangeError(`Not an int4: ${String(v)}`);
    }
    buf.writeInt32BE(v, at);
  });
}

export function boolArray(values: readonly Nullable<boolean>[]): Buffer {
  return fixedArray(PG_OID.bool, values, 1, (buf, at, v) => {
    if (typeof v !== 'boolean') throw new TypeError(`Not a boolean: ${String(v)}`);
    buf[at] = v ? 1 : 0;
  });
}

/** timestamptz from ISO-8601 / RFC 3339 text (see parseTimestamp). */
export function timestamptzArray(values: readonly Nullable<string>[]): Buffer {
  return fixedArray(PG_OID.timestamptz, values, 8, (buf, at, v) => {
    const [seconds, micros] = parseTimestamp(v);
    const total = seconds * 1_000_000 + micros;
    if (Number.isSafeInteger(total)) {
      const high = Math.floor(total / 0x1_0000_0000);
      buf.writeInt32BE(high, at);
      buf.writeUInt32BE(total - high * 0x1_0000_0000, at + 4);
    } else {
      // Beyond ~285 years from 2000 the microseconds no longer fit a double exactly.
      buf.writeBigInt64BE(BigInt(seconds) * 1_000_000n + BigInt(micros), at);
    }
  });
}

/** Microseconds since 2000-01-01T00:00:00Z, the value binary timestamptz carries. */
export function timestamptzMicros(iso: string): bigint {
  const [seconds, micros] = parseTimestamp(iso);
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

// date, T or space, time, optional fraction, then Z or a ±hh[[:]mm] offset (RFC 3339, as the records
// carry them: toISOString() and the ajv `date-time` format of domain events).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt \t](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days from 1970-01-01 to 2000-01-01. */
const EPOCH_2000_DAYS = 10_957;

/**
 * `[seconds, microseconds]` since 2000-01-01T00:00:00Z. The fraction is rounded to microseconds the
 * way Postgres's own text input does (the digits as a double, times 10^6, rounded half to even), so a
 * value reads back as if it had been sent as text. A second of 60 (a leap second) rolls over into the
 * next minute, as Postgres does. Anything else throws: better a failed batch than a wrong time.
 */
export function parseTimestamp(iso: string): [number, number] {
  const m = typeof iso === 'string' ? ISO.exec(iso) : null;
  if (!m) throw new RangeError(`Unparseable timestamp: ${describe(iso)}`);
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const offsetHours = m[10] === undefined ? 0 : +m[10];
  const offsetMinutes = m[11] === undefined ? 0 : +m[11];
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > DAYS_IN_MONTH[month] + (leap ? 1 : 0) ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    offsetHours > 15 ||
    offsetMinutes > 59
  ) {
    throw new RangeError(`Timestamp out of range: ${describe(iso)}`);
  }
  let micros = 0;
  if (m[7] !== undefined) {
    const scaled = Number(m[7]) * 1_000_000;
    micros = Math.round(scaled);
    if (micros - scaled === 0.5 && micros % 2 !== 0) micros -= 1;
  }
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const days = daysFromCivil(year, month, day) - EPOCH_2000_DAYS;
  return [days * 86_400 + hour * 3600 + minute * 60 + second - offset, micros];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
