import fc from 'fast-check';
import { PAYLOAD_PROFILES, SIGNATURE_SCHEMES } from '@herald/contracts';

/**
 * Hostile request bodies for the API property test, and its checks: prototype keys, wrong types, numbers at the
 * edges of double and integer range, huge strings, unicode, lone surrogates and control characters,
 * deep nesting and broken JSON, mixed with valid values so some requests get through.
 */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
export const edgeNumber = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  99,
  100,
  30_000,
  30_001,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  0.5,
  1e21,
);
export const edgeString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
    maxLength: 10,
  }),
  fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    '\u202e',
    'message.*',
    '*',
    '1m',
    '24h',
    '0s',
    '7d',
    '2026-11-22T00:00:00Z',
    'http://127.0.0.1:1/',
  ),
);
export const hostileKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, '$where', '$regex', '$expr', '$function', 'data.__proto__.x', 'a.b', ''),
  fc.string({ maxLength: 12 }),
);
const leaf = fc.oneof(edgeNumber, edgeString, fc.boolean(), fc.constant(null));
export const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}));
export const or = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: value });
const validFilter = fc.constantFrom(
  { 'data.communicationType': 'sms' },
  { 'data.x': { $in: [1, 2] } },
  { $or: [{ 'data.a': 1 }, { 'data.b': { $exists: true } }] },
  { 'data.text': { $regex: '^hi' } },
);
export const URL_MARK = '\u0001valid-url';
export const endpointFields = {
  url: or(fc.constant(URL_MARK)),
  eventTypes: or(fc.constantFrom(['message.*'], ['lead.created', 'message.*'], ['*'])),
  filter: or(fc.oneof(validFilter, fc.constant(null), fc.dictionary(hostileKey, value, { maxKeys: 3 }))),
  description: or(fc.oneof(edgeString, fc.constant(null))),
  payloadProfile: or(fc.constantFrom(...PAYLOAD_PROFILES)),
  signatureScheme: or(fc.constantFrom(...SIGNATURE_SCHEMES)),
  signatureHeader: or(fc.constantFrom('X-Sig', 'X-Herald-Signature', null)),
  headers: or(
    fc.dictionary(
      fc.oneof(fc.constantFrom('X-Partner', 'X-A'), hostileKey),
      or(fc.constantFrom('v1', 'abc')),
      { maxKeys: 3 },
    ),
  ),
  timeoutMs: or(fc.oneof(fc.integer({ min: 100, max: 30_000 }), edgeNumber)),
  maxInFlight: or(fc.oneof(fc.integer({ min: 1, max: 100 }), edgeNumber)),
  rateLimitPerSecond: or(fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.constant(null), edgeNumber)),
  retrySchedule: or(fc.constantFrom(['200ms', '500ms'], ['1s'], null)),
  fifo: or(fc.boolean()),
  disabled: or(fc.boolean()),
};
const withExtras = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(record, fc.option(fc.dictionary(hostileKey, value, { maxKeys: 2 }), { freq: 4 }))
    .map(([fields, extra]) => (extra ? Object.assign(Object.create(null), fields, extra) : fields));
/** A body: the route's fields (each valid or hostile, some left out), now and then any JSON at all. */
export const bodyOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { weight: 6, arbitrary: withExtras(fc.record(fields, { requiredKeys: [] })) },
    { weight: 1, arbitrary: value },
  );
/** The JSON text sent: usually the body as is, sometimes wrapped or broken in ways JSON.stringify cannot make. */
export const textOf = (body: fc.Arbitrary<unknown>) =>
  fc.tuple(body, fc.nat(9), fc.integer({ min: 60, max: 30_000 })).map(([b, variant, depth]) => {
    const text = JSON.stringify(b) ?? 'null';
    if (variant === 0) return '['.repeat(depth) + text + ']'.repeat(depth);
    if (variant === 1 && text.endsWith('}') && text.length > 2)
      return text.slice(0, -1) + ',"timeoutMs":1e400}';
    if (variant === 2) return text.slice(0, Math.max(1, text.length >> 1));
    return text;
  });

export const settings = (seed?: number) => ({
  numRuns: 150,
  interruptAfterTimeLimit: 10_000,
  markInterruptAsFailure: false,
  ...(seed === undefined ? {} : { seed }),
});
export const sent = (text: string) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
export const noServerError = (status: number, route: string, text: string, body: unknown) => {
  if (status >= 500)
    throw new Error(`${route} answered ${status} to ${text.slice(0, 300)}: ${JSON.stringify(body)}`);
};
/** Every field the request set reads back exactly as sent (header values are write-only: names only). */
export const expectStored = (request: Record<string, unknown>, stored: Record<string, unknown>) => {
  for (const [field, value] of Object.entries(request)) {
    if (field === 'headers') {
      expect(Object.keys(stored.headers as object).sort()).toEqual(Object.keys(value as object).sort());
    } else {
      expect({ field, value: stored[field] }).toEqual({ field, value });
    }
  }
};

/** Sends `text` exactly as given; the status and parsed body come back. */
export async function rawRequest(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  text: string,
  type = 'application/json',
) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    body: text,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });
  const body = await res.text();
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    // keep the text
  }
  return {
    status: res.status,
    body: parsed as { error?: { code: string; message: string } } & Record<string, unknown>,
  };
}
