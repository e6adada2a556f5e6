/**
 * What a receiver's answer means (Standard Webhooks semantics):
 * success on 2xx; 410 disables the endpoint; 429/502/503/504 ask us to slow down (honour Retry-After);
 * anything else, 3xx included (redirects are never followed), is a failure to retry.
 */
export type ResponseVerdict = 'success' | 'disable' | 'backoff' | 'retry';

const BACKOFF_STATUSES = new Set([429, 502, 503, 504]);

export function classifyStatus(status: number): ResponseVerdict {
  if (status >= 200 && status < 300) return 'success';
  if (status === 410) return 'disable';
  if (BACKOFF_STATUSES.has(status)) return 'backoff';
  return 'retry';
}
