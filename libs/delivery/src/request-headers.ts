/** Names an endpoint's custom headers may not set: ours, the signatures', and hop-by-hop ones. */
const RESERVED = new Set([
  'content-type',
  'user-agent',
  'traceparent',
  'tracestate',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
]);

export function isReservedHeader(name: string, signatureHeader: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith('webhook-') || lower === signatureHeader;
}

export interface RequestHeaderInput {
  userAgent: string;
  webhookId: string;
  timestamp: number;
  attempt: number;
  traceparent: string | null;
  custom: Record<string, string>;
  signatures: Record<string, string>;
  signatureHeader: string;
}

/** Headers for one attempt; custom headers come first so ours and the signatures always win. */
export function buildRequestHeaders(input: RequestHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.custom)) {
    if (!isReservedHeader(name, input.signatureHeader) && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      headers[name.toLowerCase()] = String(value).replace(/[\r\n]/g, ' ');
    }
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = input.userAgent;
  headers['webhook-id'] = input.webhookId;
  headers['webhook-timestamp'] = String(input.timestamp);
  headers['webhook-attempt'] = String(input.attempt);
  if (input.traceparent) headers.traceparent = input.traceparent;
  Object.assign(headers, input.signatures);
  return headers;
}

/** The headers as recorded: signatures and anything credential-like replaced. */
export function redactHeaders(
  headers: Record<string, string>,
  signatureHeader: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const secret =
      lower === signatureHeader ||
      lower === 'webhook-signature' ||
      /authorization|token|secret|api-key|cookie|signature/.test(lower);
    out[lower] = secret ? '[redacted]' : value;
  }
  return out;
}
