/**
 * The one list of header names an endpoint's custom headers may not set. The API refuses them at save
 * (422 naming the header) and the dispatcher skips them when building a request, so what the API
 * accepts is exactly what gets sent.
 */

/** Headers Herald sets itself on every attempt (plus any `webhook-*`, the Standard Webhooks namespace). */
export const HERALD_SET_HEADERS: readonly string[] = [
  'content-type',
  'content-length',
  'host',
  'user-agent',
  'traceparent',
  'tracestate',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'webhook-attempt',
];

/** Hop-by-hop and connection-level headers: they describe one connection, not the webhook. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
];

const HERALD_SET = new Set(HERALD_SET_HEADERS);
const RESERVED = new Set([...HERALD_SET_HEADERS, ...HOP_BY_HOP_HEADERS]);
/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Visible Latin-1 plus space and tab: anything else (control characters, code points above U+00FF) is refused. */
const HEADER_VALUE = /^[\t\x20-\x7e\xa0-\xff]*$/;
export const MAX_HEADER_VALUE_LENGTH = 4_096;

/** Whether Herald sets this header on every attempt, so a signature may not be carried in it. */
export function isHeraldSetHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return HERALD_SET.has(lower) || lower.startsWith('webhook-');
}

/** Whether an endpoint's custom header may not use this name (`signatureHeader` in lower case). */
export function isReservedHeader(name: string, signatureHeader: string | null): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith('webhook-') || lower === signatureHeader;
}

/** Why a custom header cannot be sent, or null when it can. */
export function customHeaderProblem(
  name: string,
  value: unknown,
  signatureHeader: string | null,
): string | null {
  if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name`;
  if (isReservedHeader(name, signatureHeader))
    return `${name} is set by Herald or the connection and cannot be a custom header`;
  if (typeof value !== 'string' || value.length > MAX_HEADER_VALUE_LENGTH)
    return `${name} must be a string of at most ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (!HEADER_VALUE.test(value))
    return `${name} must not contain control characters or characters outside Latin-1`;
  return null;
}

/** Why `name` cannot carry the signature, or null when it can. */
export function signatureHeaderProblem(name: string): string | null {
  if (!HEADER_NAME.test(name)) return 'signatureHeader is not a valid header name';
  if (isHeraldSetHeader(name) || RESERVED.has(name.toLowerCase()))
    return `signatureHeader cannot be ${name}: Herald or the connection sets that header`;
  return null;
}
