// @herald/receiver: verify Herald's webhooks with Web Crypto only (Node 20+, Deno, Bun, edge workers).
export { createVerifier } from './verifier.js';
export type { Verifier, VerifierOptions, VerifiedWebhook } from './verifier.js';
export { WebhookVerificationError } from './errors.js';
export type { VerificationErrorCode } from './errors.js';
export { ed25519PublicKey, sign } from './sign.js';
export type { SignOptions, SignedRequest } from './sign.js';
export { DEFAULT_SIGNATURE_HEADERS, DEFAULT_TOLERANCE_SECONDS, SCHEMES } from './schemes.js';
export type { Scheme } from './schemes.js';
export type { HeadersLike } from './headers.js';
export type { RawBody } from './body.js';
