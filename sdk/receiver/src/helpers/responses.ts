/**
 * What to answer Herald, as plain data any framework can send. Herald counts any 2xx as delivered,
 * disables the endpoint on 410, and honours Retry-After on 429/503 (longer than its own delay wins).
 */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Received: answer before doing slow work (queue it), so Herald's timeout never fires. */
export function acknowledge(status = 204): WebhookResponse {
  if (status < 200 || status > 299) throw new RangeError('acknowledge() takes a 2xx status');
  return { status, headers: {}, body: '' };
}

/** 410 Gone: Herald disables this endpoint and stops sending to it. */
export function unsubscribe(): WebhookResponse {
  return { status: 410, headers: {}, body: '' };
}

/**
 * Not now: 503 (or 429) with Retry-After in whole seconds, or as an HTTP date when given a Date.
 * Herald retries no sooner than that.
 */
export function retryLater(after: number | Date, status: 429 | 503 = 503): WebhookResponse {
  const value = after instanceof Date ? after.toUTCString() : String(Math.max(0, Math.ceil(after)));
  return { status, headers: { 'retry-after': value }, body: '' };
}

/** A refused request: 401 with the error's code, so the reason shows in Herald's attempt log. */
export function rejected(error: { code: string; message: string }): WebhookResponse {
  return {
    status: 401,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: error.code, message: error.message }),
  };
}

/** As a fetch `Response` (Node 20+, Deno, Bun, workers). */
export function toResponse(response: WebhookResponse): Response {
  const noBody = response.status === 204 || response.body === '';
  return new Response(noBody ? null : response.body, { status: response.status, headers: response.headers });
}
