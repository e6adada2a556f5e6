import { compactForm, isStringifiedObject, rawBytes, reparsed, type RawBody } from './body.js';
import { concat, fromBase64, fromHex, fromUtf8, timingSafeEqual, utf8 } from './bytes.js';
import { fail } from './errors.js';
import { readHeader, type HeadersLike } from './headers.js';
import {
  type CryptoKey,
  ed25519PublicOf,
  ed25519Verify,
  hmacSha256,
  importEd25519Public,
  importHmacKey,
  parseSecret,
} from './keys.js';
import {
  DEFAULT_ID_HEADER,
  DEFAULT_SIGNATURE_HEADERS,
  DEFAULT_TIMESTAMP_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  SCHEMES,
  type Scheme,
} from './schemes.js';
import { checkTimestamp } from './timestamp.js';

export interface VerifierOptions {
  /** Every secret that may have signed: during a rotation, the new one and the old one. */
  secrets: readonly string[];
  /** Default 'standard' (Standard Webhooks v1 HMAC and v1a ed25519). */
  scheme?: Scheme;
  signatureHeader?: string;
  /**
   * Standard: default webhook-timestamp. Raw-body profiles sign no timestamp; set this to check the
   * (unsigned) webhook-timestamp Herald sends against the tolerance anyway.
   */
  timestampHeader?: string;
  idHeader?: string;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  now?: () => Date;
}

/** A request that verified: its payload and what Herald says about it. */
export interface VerifiedWebhook<T = unknown> {
  /** webhook-id: the same on every retry of one delivery, the key to dedupe on. */
  id: string | null;
  timestamp: Date | null;
  /** webhook-attempt, 1 for the first try. */
  attempt: number | null;
  /** The body as text, exactly as signed. */
  rawBody: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  payload: T;
}

export interface Verifier {
  /** Verifies and returns the parsed JSON payload; throws WebhookVerificationError. */
  verify<T = unknown>(rawBody: RawBody, headers: HeadersLike): Promise<T>;
  /** The same checks; returns the payload with the webhook's id, timestamp and attempt. */
  verifyWebhook<T = unknown>(rawBody: RawBody, headers: HeadersLike): Promise<VerifiedWebhook<T>>;
}

interface Keys {
  hmac: CryptoKey[];
  ed25519: CryptoKey[];
}

export function createVerifier(options: VerifierOptions): Verifier {
  const scheme = options.scheme ?? 'standard';
  if (!SCHEMES.includes(scheme)) throw new TypeError(`scheme must be one of ${SCHEMES.join(', ')}`);
  if (!Array.isArray(options.secrets) || options.secrets.length === 0)
    fail('NO_SECRETS', 'secrets is empty: pass the endpoint secret (two during a rotation)');
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new TypeError('toleranceSeconds must be 0 or more');
  // Parsed now, so a badly pasted secret fails at start-up rather than on the first request.
  const parsed = options.secrets.map((secret, index) => parseSecret(scheme, secret, index));
  const now = options.now ?? (() => new Date());
  const signatureHeader = (options.signatureHeader ?? DEFAULT_SIGNATURE_HEADERS[scheme]).toLowerCase();
  const idHeader = options.idHeader ?? DEFAULT_ID_HEADER;
  const timestampHeader =
    options.timestampHeader ?? (scheme === 'standard' ? DEFAULT_TIMESTAMP_HEADER : undefined);

  let keys: Promise<Keys> | undefined;
  const loadKeys = (): Promise<Keys> =>
    (keys ??= (async () => ({
      hmac: await Promise.all(parsed.flatMap((s) => (s.kind === 'hmac' ? [importHmacKey(s.key)] : []))),
      ed25519: await Promise.all(
        parsed.flatMap((s) =>
          s.kind === 'ed25519-public'
            ? [importEd25519Public(s.key)]
            : s.kind === 'ed25519-secret'
              ? [ed25519PublicOf(s.seed).then(importEd25519Public)]
              : [],
        ),
      ),
    }))());

  async function verifyWebhook<T>(rawBody: RawBody, headers: HeadersLike): Promise<VerifiedWebhook<T>> {
    const body = rawBytes(rawBody);
    const signature = readHeader(headers, signatureHeader);
    if (!signature)
      fail(
        'NO_SIGNATURE',
        `no ${signatureHeader} header; this request did not come through Herald ` +
          '(or a proxy dropped the header, or the endpoint uses another signature scheme)',
      );
    const id = readHeader(headers, idHeader) ?? null;
    if (scheme === 'standard' && !id)
      fail('NO_ID', `no ${idHeader} header; Standard Webhooks signs it, so the request cannot be checked`);
    const rawTimestamp = timestampHeader ? readHeader(headers, timestampHeader) : undefined;
    if (timestampHeader && rawTimestamp === undefined)
      fail('NO_TIMESTAMP', `no ${timestampHeader} header; this request did not come through Herald`);
    const timestamp =
      rawTimestamp === undefined ? null : checkTimestamp(rawTimestamp, now(), tolerance, timestampHeader!);

    const matches = (bytes: Uint8Array) =>
      scheme === 'standard'
        ? matchesStandard(bytes, id!, rawTimestamp!, signature, loadKeys())
        : matchesRaw(scheme, bytes, signature, loadKeys());
    if (!(await matches(body))) {
      if (isStringifiedObject(body)) reparsed('the body is the text "[object Object]"');
      const compact = compactForm(body);
      if (compact && (await matches(compact)))
        reparsed('its compact JSON form verifies, so something re-formatted it after it arrived');
      fail(
        'BAD_SIGNATURE',
        `no signature in ${signatureHeader} matches any of the ${parsed.length} configured secret(s): ` +
          'a wrong or rotated secret, a body changed on the way, or a body re-serialised before verifying',
      );
    }
    const text = fromUtf8(body);
    const attempt = Number(readHeader(headers, 'webhook-attempt'));
    return {
      id,
      timestamp,
      attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null,
      rawBody: text,
      payload: parseJson(text) as T,
    };
  }

  return {
    verifyWebhook,
    verify: async <T>(rawBody: RawBody, headers: HeadersLike) =>
      (await verifyWebhook<T>(rawBody, headers)).payload,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Any `v1,<base64>` against any HMAC key, any `v1a,<base64>` against any ed25519 key. */
async function matchesStandard(
  body: Uint8Array,
  id: string,
  timestamp: string,
  header: string,
  keysPromise: Promise<Keys>,
): Promise<boolean> {
  const keys = await keysPromise;
  const content = concat(utf8(`${id}.${timestamp}.`), body);
  const expected = await Promise.all(keys.hmac.map((key) => hmacSha256(key, content)));
  let ok = false;
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const signature = fromBase64(entry.slice(comma + 1));
    if (!signature) continue;
    if (version === 'v1') {
      // Every candidate is compared, so timing does not show which key or signature matched.
      for (const mac of expected) ok = timingSafeEqual(mac, signature) || ok;
    } else if (version === 'v1a' && signature.length === 64) {
      for (const key of keys.ed25519) ok = (await ed25519Verify(key, signature, content)) || ok;
    }
  }
  return ok;
}

/** The raw-body profiles: one HMAC of the body alone, rendered base64, hex, or `sha256=<hex>`. */
async function matchesRaw(
  scheme: Exclude<Scheme, 'standard'>,
  body: Uint8Array,
  header: string,
  keysPromise: Promise<Keys>,
): Promise<boolean> {
  const value = header.trim();
  const received =
    scheme === 'hmac-base64'
      ? fromBase64(value)
      : scheme === 'hmac-hex'
        ? fromHex(value)
        : /^sha256=/i.test(value)
          ? fromHex(value.slice('sha256='.length))
          : null;
  if (!received) return false;
  const keys = await keysPromise;
  let ok = false;
  for (const key of keys.hmac) ok = timingSafeEqual(await hmacSha256(key, body), received) || ok;
  return ok;
}
