import { rawBytes, type RawBody } from './body.js';
import { fromUtf8, toBase64, toHex, utf8 } from './bytes.js';
import { fail } from './errors.js';
import {
  ED25519_PUBLIC_PREFIX,
  ed25519PublicOf,
  ed25519Sign,
  hmacSha256,
  importEd25519Private,
  importHmacKey,
  parseSecret,
  webCrypto,
} from './keys.js';
import { DEFAULT_SIGNATURE_HEADERS, type Scheme } from './schemes.js';

export interface SignOptions {
  /** whsec_… or whsk_… for 'standard' (several: one signature each, as during a rotation). */
  secret: string | readonly string[];
  /** A string is sent as is; anything else is JSON-serialised first. */
  body: RawBody | object;
  /** Default: a random msg_… id. */
  id?: string;
  /** Unix seconds or a Date; default now. */
  timestamp?: number | Date;
  scheme?: Scheme;
  signatureHeader?: string;
  attempt?: number;
}

export interface SignedRequest {
  /** Lower-case names, as Herald sends them. */
  headers: Record<string, string>;
  /** The exact text that was signed: send this, not a re-serialisation. */
  body: string;
}

/** A request signed the way Herald signs it, for a receiver's own tests. */
export async function sign(options: SignOptions): Promise<SignedRequest> {
  const scheme = options.scheme ?? 'standard';
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (secrets.length === 0) fail('NO_SECRETS', 'sign() needs a secret');
  const body = bodyText(options.body);
  const id = options.id ?? `msg_${randomId()}`;
  const timestamp =
    options.timestamp instanceof Date
      ? Math.floor(options.timestamp.getTime() / 1000)
      : (options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-attempt': String(options.attempt ?? 1),
  };
  const parsed = secrets.map((secret, index) => parseSecret(scheme, secret, index));
  if (scheme === 'standard') {
    const content = utf8(`${id}.${timestamp}.${body}`);
    const signatures = await Promise.all(
      parsed.map(async (secret) => {
        if (secret.kind === 'hmac')
          return `v1,${toBase64(await hmacSha256(await importHmacKey(secret.key), content))}`;
        if (secret.kind === 'ed25519-secret')
          return `v1a,${toBase64(await ed25519Sign(await importEd25519Private(secret.seed), content))}`;
        return fail('CANNOT_SIGN', 'a whpk_ public key only verifies; sign with its whsk_ secret');
      }),
    );
    headers[(options.signatureHeader ?? 'webhook-signature').toLowerCase()] = signatures.join(' ');
    return { headers, body };
  }
  // Raw-body profiles carry one value, so they sign with the first secret only, as Herald does.
  const mac = await hmacSha256(await importHmacKey((parsed[0] as { key: Uint8Array }).key), utf8(body));
  const value =
    scheme === 'hmac-base64' ? toBase64(mac) : scheme === 'hmac-hex' ? toHex(mac) : `sha256=${toHex(mac)}`;
  headers[(options.signatureHeader ?? DEFAULT_SIGNATURE_HEADERS[scheme]).toLowerCase()] = value;
  return { headers, body };
}

function bodyText(body: RawBody | object): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array || body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return fromUtf8(rawBytes(body));
  return JSON.stringify(body);
}

function randomId(): string {
  return toHex(webCrypto().getRandomValues(new Uint8Array(12)));
}

/** The `whpk_…` public key of a `whsk_…` ed25519 secret: what a receiver configures to verify. */
export async function ed25519PublicKey(secret: string): Promise<string> {
  const parsed = parseSecret('standard', secret);
  if (parsed.kind !== 'ed25519-secret')
    return fail('UNKNOWN_SECRET_FORMAT', 'expected a whsk_ ed25519 secret');
  return ED25519_PUBLIC_PREFIX + toBase64(await ed25519PublicOf(parsed.seed));
}
