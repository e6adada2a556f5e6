import { customHeaderProblem } from './reserved-headers';

/** What recorded attempts show instead of a custom header's value or a signature. */
export const REDACTED = '[redacted]';

export interface RequestHeaderInput {
  userAgent: string;
  webhookId: string;
  timestamp: number;
  attempt: number;
  traceparent: string | null;
  /** The endpoint's custom headers, values in clear. */
  custom: Record<string, string>;
  signatures: Record<string, string>;
  signatureHeader: string;
}

export interface RequestHeaders {
  headers: Record<string, string>;
  /**
   * Custom headers left out (names as configured): reserved names or unsendable values. The API
   * refuses them today; older snapshots may still hold them.
   */
  skipped: string[];
}

/** Headers for one attempt; custom headers come first so ours and the signatures always win. */
export function buildRequestHeaders(input: RequestHeaderInput): RequestHeaders {
  const headers: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(input.custom)) {
    if (customHeaderProblem(name, value, input.signatureHeader) === null) headers[name.toLowerCase()] = value;
    else skipped.push(name);
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = input.userAgent;
  headers['webhook-id'] = input.webhookId;
  headers['webhook-timestamp'] = String(input.timestamp);
  headers['webhook-attempt'] = String(input.attempt);
  if (input.traceparent) headers.traceparent = input.traceparent;
  Object.assign(headers, input.signatures);
  return { headers, skipped };
}

/**
 * The headers as recorded in attempt logs: every custom header's value is replaced (custom headers
 * carry receivers' credentials, whatever they are named), as are signatures and anything
 * credential-like. Names stay, so a reader sees what was sent.
 */
export function redactHeaders(
  headers: Record<string, string>,
  signatureHeader: string,
  customNames: Iterable<string> = [],
): Record<string, string> {
  const custom = new Set([...customNames].map((name) => name.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const secret =
      custom.has(lower) ||
      lower === signatureHeader ||
      lower === 'webhook-signature' ||
      /authorization|token|secret|api-key|cookie|signature/.test(lower);
    out[lower] = secret ? REDACTED : value;
  }
  return out;
}
