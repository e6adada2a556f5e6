import { concat, fromBase64, utf8 } from './bytes.js';
import { fail } from './errors.js';
import type { Scheme } from './schemes.js';

export const HMAC_PREFIX = 'whsec_';
export const ED25519_PUBLIC_PREFIX = 'whpk_';
export const ED25519_SECRET_PREFIX = 'whsk_';

/** A secret read once: which algorithm it is for and its key bytes. */
export type ParsedSecret =
  | { kind: 'hmac'; key: Uint8Array }
  | { kind: 'ed25519-public'; key: Uint8Array }
  | { kind: 'ed25519-secret'; seed: Uint8Array };

/** The n-th secret as people count, so a message points at the right one without showing it. */
function which(index: number): string {
  return `secret #${index + 1}`;
}

/**
 * Reads a configured secret. Standard Webhooks secrets must carry their prefix (whsec_, whpk_ or
 * whsk_) so a raw-profile secret pasted here is named, not silently misused; raw profiles use the
 * whole string as the HMAC key, exactly as Herald does.
 */
export function parseSecret(scheme: Scheme, secret: string, index = 0): ParsedSecret {
  if (typeof secret !== 'string' || secret.length === 0)
    fail('UNKNOWN_SECRET_FORMAT', `${which(index)} is empty or not a string`);
  if (/\s/.test(secret))
    fail(
      'SECRET_WHITESPACE',
      `${which(index)} has whitespace (a space, tab or line break, often from copying it); remove it`,
    );
  if (scheme !== 'standard') return { kind: 'hmac', key: utf8(secret) };
  const bytes = (prefix: string, expected?: number): Uint8Array => {
    const decoded = fromBase64(secret.slice(prefix.length));
    if (!decoded || (expected !== undefined && decoded.length !== expected) || decoded.length < 16)
      fail(
        'UNKNOWN_SECRET_FORMAT',
        `${which(index)} starts with ${prefix} but what follows is not base64 of ` +
          (expected ? `${expected} bytes` : 'at least 16 bytes'),
      );
    return decoded;
  };
  if (secret.startsWith(HMAC_PREFIX)) return { kind: 'hmac', key: bytes(HMAC_PREFIX) };
  if (secret.startsWith(ED25519_PUBLIC_PREFIX))
    return { kind: 'ed25519-public', key: bytes(ED25519_PUBLIC_PREFIX, 32) };
  if (secret.startsWith(ED25519_SECRET_PREFIX))
    return { kind: 'ed25519-secret', seed: bytes(ED25519_SECRET_PREFIX, 32) };
  return fail(
    'UNKNOWN_SECRET_FORMAT',
    `${which(index)} is not a Standard Webhooks secret (whsec_… for HMAC, whpk_… for an ed25519 public key); ` +
      "for a raw-body profile's secret, set scheme to 'hmac-base64', 'hmac-hex' or 'hmac-sha256-prefixed'",
  );
}

/** The slice of Web Crypto used here, typed locally so the package builds with or without the DOM lib. */
export interface CryptoKey {
  readonly type: string;
}

interface Subtle {
  importKey(
    format: 'raw' | 'pkcs8',
    keyData: Uint8Array,
    algorithm: { name: string; hash?: string },
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey>;
  exportKey(format: 'jwk', key: CryptoKey): Promise<{ x?: string }>;
  sign(algorithm: string, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: string, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

interface WebCrypto {
  subtle?: Subtle;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

export function webCrypto(): Required<WebCrypto> {
  const api = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!api?.subtle)
    throw new Error('@herald/receiver needs Web Crypto (globalThis.crypto.subtle): Node 20+, Deno, Bun');
  return api as Required<WebCrypto>;
}

function subtle(): Subtle {
  return webCrypto().subtle;
}

// PKCS#8 wrapping of a raw 32-byte ed25519 seed (RFC 8410), the only form Web Crypto imports it in.
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export function importHmacKey(key: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function hmacSha256(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', key, data));
}

export function importEd25519Private(seed: Uint8Array): Promise<CryptoKey> {
  const der = concat(PKCS8_ED25519_PREFIX, seed);
  return subtle().importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
}

export async function importEd25519Public(key: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
}

/** The public half of a whsk_ seed: its JWK export carries it as `x`. */
export async function ed25519PublicOf(seed: Uint8Array): Promise<Uint8Array> {
  const jwk = await subtle().exportKey('jwk', await importEd25519Private(seed));
  const x = jwk.x!.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(x + '='.repeat((4 - (x.length % 4)) % 4))!;
}

export async function ed25519Sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('Ed25519', privateKey, data));
}

export function ed25519Verify(
  publicKey: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  return subtle().verify('Ed25519', publicKey, signature, data);
}
