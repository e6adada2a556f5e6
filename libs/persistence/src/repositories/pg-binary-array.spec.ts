import {
  PG_OID,
  boolArray,
  int4Array,
  jsonbArray,
  parseTimestamp,
  textArray,
  timestamptzArray,
  timestamptzMicros,
} from './pg-binary-array';

/** Reads a one-dimensional binary array back as array_recv would: header, then raw elements. */
function read(buf: Buffer): { ndim: number; hasNulls: number; oid: number; elements: (Buffer | null)[] } {
  const ndim = buf.readInt32BE(0);
  const hasNulls = buf.readInt32BE(4);
  const oid = buf.readInt32BE(8);
  let at = 12;
  let count = 0;
  if (ndim === 1) {
    count = buf.readInt32BE(12);
    expect(buf.readInt32BE(16)).toBe(1);
    at = 20;
  }
  const elements: (Buffer | null)[] = [];
  for (let i = 0; i < count; i++) {
    const size = buf.readInt32BE(at);
    at += 4;
    elements.push(size < 0 ? null : buf.subarray(at, at + size));
    at += Math.max(size, 0);
  }
  expect(at).toBe(buf.length);
  return { ndim, hasNulls, oid, elements };
}

const EPOCH_2000_MS = Date.UTC(2000, 0, 1);
const micros = (iso: string) => timestamptzMicros(iso);

describe('pg binary arrays', () => {
  it('lays out a text array byte by byte', () => {
    expect(textArray(['ab', null, 'é']).toString('hex')).toBe(
      [
        '00000001', // ndim
        '00000001', // has nulls
        '00000019', // oid 25
        '00000003', // length
        '00000001', // lower bound
        '00000002',
        '6162', // 'ab'
        'ffffffff', // NULL
        '00000002',
        'c3a9', // 'é'
      ].join(''),
    );
  });

  it('writes an empty array as zero dimensions and no entries', () => {
    for (const [buf, oid] of [
      [textArray([]), PG_OID.text],
      [int4Array([]), PG_OID.int4],
      [boolArray([]), PG_OID.bool],
      [timestamptzArray([]), PG_OID.timestamptz],
      [jsonbArray([]), PG_OID.jsonb],
    ] as const) {
      expect(buf.toString('hex')).toBe(`0000000000000000${oid.toString(16).padStart(8, '0')}`);
    }
  });

  it('flags NULLs only when there are some, undefined counting as NULL', () => {
    expect(read(textArray(['a', 'b'])).hasNulls).toBe(0);
    expect(read(textArray(['a', undefined])).elements).toEqual([Buffer.from('a'), null]);
    expect(read(int4Array([null, null])).hasNulls).toBe(1);
    expect(read(boolArray([true, null, false])).elements).toEqual([Buffer.from([1]), null, Buffer.from([0])]);
  });

  it('keeps unicode, quotes, backslashes, commas and braces as they are', () => {
    const values = ['"quoted", {braced}', 'back\\slash', '日本語 🎉', 'NULL', '', ' padded '];
    const { oid, elements } = read(textArray(values));
    expect(oid).toBe(PG_OID.text);
    expect(elements.map((e) => e!.toString('utf8'))).toEqual(values);
  });

  it('prefixes jsonb with its version byte', () => {
    const json = JSON.stringify({ a: 'ü', b: [1, 2] });
    const { oid, elements } = read(jsonbArray([json, null]));
    expect(oid).toBe(PG_OID.jsonb);
    expect(elements[0]![0]).toBe(1);
    expect(elements[0]!.subarray(1).toString('utf8')).toBe(json);
    expect(elements[1]).toBeNull();
  });

  it('writes int4 big-endian and refuses what is not one', () => {
    const { oid, elements } = read(int4Array([0, -1, 2147483647, -2147483648]));
    expect(oid).toBe(PG_OID.int4);
    expect(elements.map((e) => e!.readInt32BE(0))).toEqual([0, -1, 2147483647, -2147483648]);
    expect(() => int4Array([1.5])).toThrow(/int4/);
    expect(() => int4Array([2 ** 31])).toThrow(/int4/);
    expect(() => boolArray(['yes' as unknown as boolean])).toThrow(/boolean/);
    expect(() => textArray([5 as unknown as string])).toThrow(/string/);
  });

  describe('timestamptz', () => {
    it('counts microseconds from 2000-01-01 UTC, before and after it', () => {
      expect(micros('2000-01-01T00:00:00Z')).toBe(0n);
      expect(micros('2000-01-01T00:00:00.000001Z')).toBe(1n);
      expect(micros('1999-12-31T23:59:59.999999Z')).toBe(-1n);
      expect(micros('1970-01-01T00:00:00.000Z')).toBe(-946_684_800_000_000n);
      expect(micros('2026-12-03T11:46:36.123456Z')).toBe(
        BigInt(Date.parse('2026-12-03T11:46:36.123Z') - EPOCH_2000_MS) * 1000n + 456n,
      );
    });

    it('agrees with Date on millisecond times across years 1 to 9999', () => {
      let seed = 42;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const min = Date.parse('0001-01-01T00:00:00Z');
      const max = Date.parse('9999-12-31T23:59:59.999Z');
      for (let i = 0; i < 5000; i++) {
        const ms = Math.floor(min + random() * (max - min));
        const iso = new Date(ms).toISOString();
        expect([iso, micros(iso)]).toEqual([iso, BigInt(ms - EPOCH_2000_MS) * 1000n]);
      }
    });

    it('writes the same int64 on the fast and the far path', () => {
      const values = [
        '2026-12-03T11:46:36.123456Z',
        '1600-02-29T12:00:00.000001Z',
        '9999-12-31T23:59:59.999999Z',
      ];
      const { oid, elements } = read(timestamptzArray([...values, null]));
      expect(oid).toBe(PG_OID.timestamptz);
      expect(elements.slice(0, 3).map((e) => e!.readBigInt64BE(0))).toEqual(values.map(micros));
      expect(elements[3]).toBeNull();
    });

    it('applies offsets and the forms RFC 3339 allows', () => {
      const utc = micros('2000-01-01T00:00:00Z');
      for (const iso of [
        '2000-01-01T01:00:00+01:00',
        '2000-01-01T01:00:00+0100',
        '2000-01-01T01:00:00+01',
        '1999-12-31T18:30:00-05:30',
        '2000-01-01 00:00:00z',
        '2000-01-01t00:00:00.000000000Z',
      ]) {
        expect([iso, micros(iso)]).toEqual([iso, utc]);
      }
    });

    it('rounds digits past the microsecond as Postgres text input does', () => {
      expect(micros('2000-01-01T00:00:00.1234564Z')).toBe(123_456n);
      expect(micros('2000-01-01T00:00:00.1234566Z')).toBe(123_457n);
      expect(micros('2000-01-01T00:00:00.9999996Z')).toBe(1_000_000n);
      // Exact halves go to even (rint): 0.5 µs and 2.5 µs are exact in binary.
      expect(micros('2000-01-01T00:00:00.0000005Z')).toBe(0n);
      expect(micros('2000-01-01T00:00:00.0000025Z')).toBe(2n);
    });

    it('rolls a leap second into the next minute', () => {
      expect(micros('2016-12-31T23:59:60Z')).toBe(micros('2017-01-01T00:00:00Z'));
    });

    it('refuses what it cannot read exactly', () => {
      for (const bad of [
        '',
        'garbage',
        '2024-01-01',
        '2024-01-01T00:00:00', // no zone: Postgres would use the session's
        '2024-13-01T00:00:00Z',
        '2023-02-29T00:00:00Z',
        '2024-01-01T24:00:00Z',
        '0000-01-01T00:00:00Z',
        '2024-01-01T00:00:00+16:00',
        '+010000-01-01T00:00:00.000Z',
        'Mon, 01 Jan 2024 00:00:00 GMT',
      ]) {
        expect(() => parseTimestamp(bad)).toThrow(/timestamp/i);
      }
      expect(() => timestamptzArray(['2024-01-01T00:00:00Z', 'nope'])).toThrow(
        'Unparseable timestamp: "nope"',
      );
      expect(() => parseTimestamp(12 as unknown as string)).toThrow(/timestamp/i);
      expect(parseTimestamp('2024-02-29T00:00:00Z')[1]).toBe(0);
    });
  });
});
