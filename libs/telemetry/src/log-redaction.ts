const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-herald-api-key',
  'idempotency-key',
  'webhook-signature',
  'x-messagedesk-signature',
  'x-webhook-signature',
  'x-guddesk-signature',
  'x-nexadesk-signature',
];

const SECRET_FIELDS = [
  'secret',
  'secrets',
  'signingSecret',
  'signing_secret',
  'plainSecret',
  'apiKey',
  'api_key',
  'key',
  'token',
  'adminToken',
  'password',
  'authorization',
  'signature',
  'signatures',
  'masterKey',
  'privateKey',
];

/** Paths pino removes from every log line: credentials, signatures and secrets, at the depths Herald logs them. */
export const REDACTED_LOG_PATHS = [
  ...SECRET_HEADERS.flatMap((name) => [
    `req.headers["${name}"]`,
    `res.headers["${name}"]`,
    `headers["${name}"]`,
    `*.headers["${name}"]`,
    `*.*.headers["${name}"]`,
  ]),
  ...SECRET_FIELDS.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
];

// Values that are secret wherever they appear, even inside a message string.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(whsec|whsk)_[A-Za-z0-9+/=_-]{8,}/g, '$1_[redacted]'],
  [/\bv1a?,[A-Za-z0-9+/]{16,}={0,2}/g, 'v1,[redacted]'],
  [/\bsha256=[0-9a-fA-F]{32,}/g, 'sha256=[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // Herald API keys (hk_ + 43 base64url characters); the short display prefix stays readable.
  [/\bhk_[A-Za-z0-9_-]{20,}/g, 'hk_[redacted]'],
];

/** Replaces secret-looking values (signing secrets, signatures, bearer tokens) in free text. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Registers a literal value (an admin token, an API key prefix pattern) that must never be logged,
 * for secrets with no recognisable shape.
 */
export function registerSecretValue(value: string | undefined): void {
  if (!value || value.length < 8) return;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  SECRET_PATTERNS.push([new RegExp(escaped, 'g'), '[redacted]']);
}

/** Registers a regular expression whose matches are replaced (e.g. an API key format). */
export function registerSecretPattern(pattern: RegExp, replacement = '[redacted]'): void {
  SECRET_PATTERNS.push([
    new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
    replacement,
  ]);
}
