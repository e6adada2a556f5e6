/** `standard` is Standard Webhooks: `v1` HMAC and `v1a` ed25519 in `webhook-signature`. */
export type Scheme = 'standard' | 'hmac-base64' | 'hmac-hex' | 'hmac-sha256-prefixed';

export const SCHEMES: readonly Scheme[] = ['standard', 'hmac-base64', 'hmac-hex', 'hmac-sha256-prefixed'];

/** Herald's header names when the endpoint names none (a seed product's profile may name another). */
export const DEFAULT_SIGNATURE_HEADERS: Readonly<Record<Scheme, string>> = {
  standard: 'webhook-signature',
  'hmac-base64': 'x-messagedesk-signature',
  'hmac-hex': 'x-webhook-signature',
  'hmac-sha256-prefixed': 'x-guddesk-signature',
};

export const DEFAULT_ID_HEADER = 'webhook-id';
export const DEFAULT_TIMESTAMP_HEADER = 'webhook-timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;
