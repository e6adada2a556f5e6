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
export const CREATE_REQUIRED = ['url', 'eventTypes'];
/** Valid values of every endpoint field; bodyOf mutates them, so accepted bodies are not rare. */
export const endpointFields = {
  url: fc.constant(URL_MARK),
  eventTypes: fc.constantFrom(['message.*'], ['lead.created', 'message.*'], ['*']),
  filter: fc.oneof(validFilter, fc.constant(null)),
  description: fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constant(null),
  ),
  payloadProfile: fc.constantFrom(...PAYLOAD_PROFILES),
  signatureScheme: fc.constantFrom(...SIGNATURE_SCHEMES),
  signatureHeader: fc.constantFrom('X-Sig', null),
  headers: fc.dictionary(fc.constantFrom('X-Partner', 'X-A'), fc.constantFrom('v1', 'abc'), { maxKeys: 2 }),
  timeoutMs: fc.integer({ min: 100, max: 30_000 }),
  maxInFlight: fc.integer({ min: 1, max: 100 }),
  rateLimitPerSecond: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.constant(null)),
  retrySchedule: fc.constantFrom(['200ms', '500ms'], ['1s'], null),
  fifo: fc.boolean(),
  disabled: fc.boolean(),
};
const EXTRA = '\u0000extra';
/**
 * A body: the route's fields (valid values, some left out; `required` always present), as is or with
 * one field replaced by a hostile value or one hostile key added; now and then any JSON at all.
 */
export const bodyOf = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) => {
  const valid = fc.record(fields, { requiredKeys: required });
  const mutated = fc
    .tuple(valid, fc.constantFrom(...Object.keys(fields), EXTRA), hostileKey, value)
    .map(([body, field, key, hostile]) =>
      Object.assign(Object.create(null), body, { [field === EXTRA ? key : field]: hostile }),
    );
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: value },
  );
};
/** The JSON text sent: usually the body as is, sometimes wrapped or broken in ways JSON.stringify cannot make. */
export const textOf = (body: fc.Arbitrary<unknown>) =>
  fc.tuple(body, fc.nat(11), fc.integer({ min: 60, max: 30_000 })).map(([b, variant, depth]) => {
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
