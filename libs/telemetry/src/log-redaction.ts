/** Paths pino removes from every log line: credentials, signatures and secrets. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.secret',
  '*.secrets',
  '*.signingSecret',
  '*.apiKey',
  '*.key',
  '*.token',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["webhook-signature"]',
];
