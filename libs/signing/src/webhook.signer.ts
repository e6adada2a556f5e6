import { createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { DomainError, ErrorCode, type EncryptedSecret, type SignatureScheme } from '@herald/contracts';
import { ED25519_PUBLIC_PREFIX, ED25519_SECRET_PREFIX, HMAC_SECRET_PREFIX } from './signing-secret.factory';

/** Header names per compatibility profile when the endpoint names none. */
export const DEFAULT_SIGNATURE_HEADERS: Record<SignatureScheme, string> = {
  'standard-webhooks': 'webhook-signature',
  ed25519: 'webhook-signature',
  'hmac-base64': 'x-messagedesk-signature',
  'hmac-hex': 'x-webhook-signature',
  'hmac-sha256-prefixed': 'x-guddesk-signature',
};

/** A secret decoded once, ready for the hot path. */
export interface SigningKey {
  scheme: SignatureScheme;
  hmacKey: Buffer | null;
  privateKey: KeyObject | null;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Standard Webhooks keys are the base64 part after `whsec_`; the raw-body compatibility profiles
 * use the whole secret string as the receiver would paste it.
 */
export function prepareSigningKey(scheme: SignatureScheme, secret: string): SigningKey {
  if (scheme === 'ed25519') {
    if (!secret.startsWith(ED25519_SECRET_PREFIX)) throw invalid('ed25519 secrets start with whsk_');
    const seed = Buffer.from(secret.slice(ED25519_SECRET_PREFIX.length), 'base64');
    if (seed.length !== 32) throw invalid('ed25519 secrets hold 32 bytes');
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    return { scheme, hmacKey: null, privateKey };
  }
  if (scheme === 'standard-webhooks') {
    const encoded = secret.startsWith(HMAC_SECRET_PREFIX) ? secret.slice(HMAC_SECRET_PREFIX.length) : secret;
    const key = Buffer.from(encoded, 'base64');
    if (key.length < 16)
      throw invalid('Standard Webhooks secrets are whsec_ followed by base64 of at least 16 bytes');
    return { scheme, hmacKey: key, privateKey: null };
  }
  return { scheme, hmacKey: Buffer.from(secret, 'utf8'), privateKey: null };
}

/** `whpk_…` for an ed25519 `whsk_…` secret, so receivers can be told their verification key. */
export function ed25519PublicKey(secret: string): string {
  const key = prepareSigningKey('ed25519', secret).privateKey!;
  const x = createPublicKey(key).export({ format: 'jwk' }).x!;
  return ED25519_PUBLIC_PREFIX + Buffer.from(x, 'base64url').toString('base64');
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidSecret, message);
}

export interface SignInput {
  webhookId: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact bytes sent. */
  body: string;
  /** Active keys, current first. */
  keys: readonly SigningKey[];
  /** Endpoint's header name for compatibility profiles. */
  signatureHeader?: string | null;
}

/**
 * Signature headers (lower-case names) for one attempt. Standard Webhooks and ed25519 put one
 * space-separated signature per active key in `webhook-signature`. The raw-body profiles carry a single
 * value that receivers compare whole, so they sign with the current key only: rotation there cannot
 * overlap, and a zero-downtime rotation needs the Standard Webhooks scheme.
 */
export function signWebhook(scheme: SignatureScheme, input: SignInput): Record<string, string> {
  if (input.keys.length === 0) throw invalid('the endpoint has no active signing secret');
  if (scheme === 'standard-webhooks' || scheme === 'ed25519') {
    const content = `${input.webhookId}.${input.timestamp}.${input.body}`;
    const signatures = input.keys.map((key) =>
      scheme === 'ed25519'
        ? `v1a,${sign(null, Buffer.from(content), key.privateKey!).toString('base64')}`
        : `v1,${createHmac('sha256', key.hmacKey!).update(content).digest('base64')}`,
    );
    return { 'webhook-signature': signatures.join(' ') };
  }
  const header = signatureHeaderName(scheme, input.signatureHeader);
  const mac = createHmac('sha256', input.keys[0].hmacKey!).update(input.body);
  const value =
    scheme === 'hmac-base64'
      ? mac.digest('base64')
      : scheme === 'hmac-hex'
        ? mac.digest('hex')
        : `sha256=${mac.digest('hex')}`;
  return { [header]: value };
}

export function signatureHeaderName(scheme: SignatureScheme, configured?: string | null): string {
  if (scheme === 'standard-webhooks' || scheme === 'ed25519') return 'webhook-signature';
  return (configured?.trim() || DEFAULT_SIGNATURE_HEADERS[scheme]).toLowerCase();
}

/**
 * Secrets that sign now: the current one (no expiry) and those whose rotation grace period has not
 * ended, newest first.
 */
export function activeSecrets(
  secrets: readonly EncryptedSecret[],
  now: number = Date.now(),
): EncryptedSecret[] {
  return secrets
    .filter((secret) => secret.expiresAt === null || Date.parse(secret.expiresAt) > now)
    .sort((a, b) => {
      if ((a.expiresAt === null) !== (b.expiresAt === null)) return a.expiresAt === null ? -1 : 1;
      return Date.parse(b.createdAt) - Date.parse(a.createdAt);
    });
}

/** When the next key leaves its grace period, so cached key sets know when to refresh. */
export function nextSecretExpiry(
  secrets: readonly EncryptedSecret[],
  now: number = Date.now(),
): number | null {
  const upcoming = secrets
    .map((s) => (s.expiresAt ? Date.parse(s.expiresAt) : Infinity))
    .filter((t) => t > now && t < Infinity);
  return upcoming.length ? Math.min(...upcoming) : null;
}
