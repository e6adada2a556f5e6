import { DomainError, ErrorCode, type SignatureScheme } from '@herald/contracts';
import {
  ED25519_SECRET_PREFIX,
  HMAC_SECRET_PREFIX,
  type GeneratedSigningSecret,
} from './signing-secret.factory';
import { ed25519PublicKey } from './webhook.signer';

/** Standard Webhooks secrets: `whsec_` + base64 of 24 to 64 bytes (the spec's range). */
export const STANDARD_SECRET_BYTES = { min: 24, max: 64 } as const;
/** hmac-* secrets are used whole as the HMAC key, as the receiver pastes them. */
export const HMAC_SECRET_CHARS = { min: 32, max: 256 } as const;
const ED25519_SEED_BYTES = 32;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A signing secret the caller brings (a receiver provisioned before the endpoint exists, so it can
 * verify the very first ping), checked against the endpoint's scheme; the result is stored and shown
 * exactly like a generated one. ed25519 takes a `whsk_` private seed: Herald already shows and
 * reveals that secret, so bringing one gives away nothing the API would not. Errors name the field
 * and the expected format, never the value.
 */
export function checkSuppliedSecret(
  scheme: SignatureScheme,
  secret: string,
  field = 'secret',
): GeneratedSigningSecret {
  const problem = secretFormatProblem(scheme, secret);
  if (problem) {
    throw new DomainError(ErrorCode.InvalidSecret, `${field} is not a valid ${scheme} secret: ${problem}`, {
      fields: [{ field, message: problem }],
    });
  }
  return { secret, publicKey: scheme === 'ed25519' ? ed25519PublicKey(secret) : null };
}

/**
 * A scheme change keeps the endpoint's secrets, so each must fit the new scheme: a 32-character
 * hmac-* secret (supplied; generated ones are whsec_) is no Standard Webhooks key, and signing with it
 * anyway would produce signatures no receiver's library checks. Null when every secret fits.
 * Switches between ed25519 and HMAC are refused elsewhere (endpoint-changes.ts).
 */
export function schemeChangeRefusal(to: SignatureScheme, secrets: readonly string[]): DomainError | null {
  const problem = secrets.map((secret) => secretFormatProblem(to, secret)).find((p) => p !== null);
  if (!problem) return null;
  return new DomainError(
    ErrorCode.InvalidSecret,
    `the endpoint's signing secret is not a valid ${to} secret (${problem}): rotate to one that is ` +
      '(POST .../secret/rotate, generated or with a secret), then change the scheme',
    { fields: [{ field: 'signatureScheme', message: `the current secret does not fit ${to}` }] },
  );
}

/** What is wrong with `secret` as a `scheme` secret, or null; never the value itself. */
export function secretFormatProblem(scheme: SignatureScheme, secret: string): string | null {
  if (scheme === 'standard-webhooks') {
    const bytes = base64Bytes(secret, HMAC_SECRET_PREFIX);
    const { min, max } = STANDARD_SECRET_BYTES;
    if (bytes === null) return `expected ${HMAC_SECRET_PREFIX} followed by base64`;
    if (bytes < min || bytes > max)
      return `expected ${HMAC_SECRET_PREFIX} followed by base64 of ${min} to ${max} bytes`;
    return null;
  }
  if (scheme === 'ed25519') {
    const bytes = base64Bytes(secret, ED25519_SECRET_PREFIX);
    const expected = `expected ${ED25519_SECRET_PREFIX} followed by base64 of the ${ED25519_SEED_BYTES}-byte private seed`;
    return bytes === ED25519_SEED_BYTES ? null : expected;
  }
  const { min, max } = HMAC_SECRET_CHARS;
  if (secret.length < min || secret.length > max) return `expected ${min} to ${max} characters`;
  if (!PRINTABLE_ASCII.test(secret)) return 'expected printable ASCII characters only';
  // Pasted into an environment file, surrounding spaces are easily lost on the receiver's side.
  if (secret.trim() !== secret) return 'must not start or end with a space';
  return null;
}

/** Decoded length of `<prefix><canonical base64>`, or null when it is not that. */
function base64Bytes(secret: string, prefix: string): number | null {
  if (!secret.startsWith(prefix)) return null;
  const encoded = secret.slice(prefix.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) return null;
  return Buffer.from(encoded, 'base64').length;
}
