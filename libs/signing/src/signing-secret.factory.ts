import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SignatureScheme } from '@herald/contracts';

export const HMAC_SECRET_PREFIX = 'whsec_';
export const ED25519_SECRET_PREFIX = 'whsk_';
export const ED25519_PUBLIC_PREFIX = 'whpk_';
const HMAC_SECRET_BYTES = 32;

export interface GeneratedSigningSecret {
  /** The plain secret to show the user once and store encrypted. */
  secret: string;
  /** ed25519 only: what the receiver verifies with. */
  publicKey: string | null;
}

/**
 * HMAC schemes get a Standard Webhooks `whsec_` secret (compat profiles use the whole string as their key,
 * as the receiver pastes it). ed25519 gets `whsk_` + base64 of the 32-byte private seed and
 * `whpk_` + base64 of the 32-byte raw public key.
 */
export function generateSigningSecret(scheme: SignatureScheme): GeneratedSigningSecret {
  if (scheme === 'ed25519') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    return {
      secret: ED25519_SECRET_PREFIX + seed.toString('base64'),
      publicKey: ED25519_PUBLIC_PREFIX + raw.toString('base64'),
    };
  }
  return { secret: HMAC_SECRET_PREFIX + randomBytes(HMAC_SECRET_BYTES).toString('base64'), publicKey: null };
}
