import { Agent, request } from 'undici';
import { MAX_ATTEMPT_TIMEOUT_MS, type AttemptErrorClass } from '@herald/contracts';
import { assertSafeUrl, withAllowlist, type EgressPolicy } from '@herald/egress';
import { AttemptDeadline } from './attempt-deadline';
import {
  safeLookup,
  UNSAFE_ADDRESS_CODE,
  type LookupFunction,
  type RefusedAddressListener,
} from './safe-lookup';

/** Recorded response bodies stop here. */
export const MAX_RECORDED_BODY_BYTES = 64 * 1024;
/** Beyond this the rest of a response is not even read; the connection is dropped instead. */
const MAX_DRAINED_BODY_BYTES = 1024 * 1024;
/** No endpoint may hold a connection longer than this per attempt; the API refuses longer settings. */
export const MAX_TIMEOUT_MS = MAX_ATTEMPT_TIMEOUT_MS;

export interface WebhookSenderOptions {
  policy: EgressPolicy;
  /** Keep-alive connections per origin. */
  connectionsPerOrigin?: number;
  keepAliveTimeoutMs?: number;
  /** DNS resolver; tests inject one to simulate rebinding. */
  resolve?: LookupFunction;
  /** Hears the address behind each refused name, for the operator's logs (never the attempt log). */
  onRefusedAddress?: RefusedAddressListener;
}

/** Workspaces with their own allowlist each get a pool; beyond this many the oldest is closed. */
const MAX_ALLOWLIST_POOLS = 256;

/** One connection pool and the policy its connect-time check applies. */
interface Route {
  agent: Agent;
  policy: EgressPolicy;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The endpoint's workspace allowlist, opened on top of the global one for this request only. */
  egressAllowCidrs?: readonly string[];
}

export interface SendResult {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  durationMs: number;
  remoteIp: string | null;
  errorClass: AttemptErrorClass | null;
  errorMessage: string | null;
}

/**
 * POSTs webhooks over undici Agents (keep-alive pools per origin): one for the global policy, one per
 * distinct workspace allowlist. Every connection goes through
 * the SSRF-checking lookup; IP-literal URLs are checked here since they skip DNS. Redirects are never
 * followed (undici's request does not follow them).
 */
export class WebhookSender {
  private readonly main: Route;
  /** Pools of workspaces with their own allowlist, keyed by it: a connection opened under one
   * workspace's allowlist is never reused for a request the global policy alone would refuse. */
  private readonly allowlisted = new Map<string, Route>();
  private readonly lastAddress = new Map<string, string>();
  private readonly checkedUrls = new Map<string, URL | string>();

  constructor(private readonly options: WebhookSenderOptions) {
    this.main = this.newRoute(options.policy);
  }

  private newRoute(policy: EgressPolicy): Route {
    const agent = new Agent({
      connections: this.options.connectionsPerOrigin ?? 64,
      pipelining: 1,
      keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 30_000,
      connect: {
        timeout: 10_000,
        lookup: safeLookup(
          policy,
          this.options.resolve,
          (host, address) => {
            if (this.lastAddress.size > 10_000) this.lastAddress.clear();
            this.lastAddress.set(host, address);
          },
          this.options.onRefusedAddress,
        ),
      },
    });
    return { agent, policy };
  }

  private routeFor(allow: readonly string[] | undefined): { key: string; route: Route } {
    if (!allow || allow.length === 0) return { key: '', route: this.main };
    const key = [...allow].sort().join(',');
    let route = this.allowlisted.get(key);
    if (!route) {
      if (this.allowlisted.size >= MAX_ALLOWLIST_POOLS) {
        const [oldestKey, oldest] = this.allowlisted.entries().next().value!;
        this.allowlisted.delete(oldestKey);
        // Close lets requests already sent on it finish.
        void oldest.agent.close().catch(() => undefined);
      }
      route = this.newRoute(withAllowlist(this.options.policy, allow));
      this.allowlisted.set(key, route);
    }
    return { key, route };
  }

  async send(input: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const timeoutMs = Math.min(Math.max(1, input.timeoutMs), MAX_TIMEOUT_MS);
    const { key, route } = this.routeFor(input.egressAllowCidrs);
    const checked = this.checkUrl(input.url, key, route.policy);
    if (typeof checked === 'string') return failure(started, 'unsafe_address', checked, null);
    const url = checked;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const deadline = new AttemptDeadline(timeoutMs);
    try {
      const response = await request(url, {
        method: 'POST',
        headers: input.headers,
        body: input.body,
        dispatcher: route.agent,
        signal: deadline,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const { text, truncated } = await readCapped(response.body);
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: text,
        bodyTruncated: truncated,
        durationMs: Math.round(performance.now() - started),
        remoteIp: this.lastAddress.get(host) ?? (isIpLiteral(host) ? host : null),
        errorClass: null,
        errorMessage: null,
      };
    } catch (error) {
      return failure(started, classifyError(error), describe(error), this.lastAddress.get(host) ?? null);
    } finally {
      deadline.clear();
    }
  }

  /** The static URL check, remembered per allowlist and URL: policies are fixed, endpoints repeat. */
  private checkUrl(raw: string, allowKey: string, policy: EgressPolicy): URL | string {
    const cacheKey = `${allowKey} ${raw}`;
    const known = this.checkedUrls.get(cacheKey);
    if (known !== undefined) return known;
    let verdict: URL | string;
    try {
      verdict = assertSafeUrl(raw, policy);
    } catch (error) {
      verdict = (error as Error).message;
    }
    if (this.checkedUrls.size >= 10_000) this.checkedUrls.clear();
    this.checkedUrls.set(cacheKey, verdict);
    return verdict;
  }

  async close(): Promise<void> {
    const routes = [this.main, ...this.allowlisted.values()];
    this.allowlisted.clear();
    await Promise.all(routes.map((route) => route.agent.close()));
  }
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function failure(
  started: number,
  errorClass: AttemptErrorClass,
  message: string,
  remoteIp: string | null,
): SendResult {
  return failedSend(errorClass, message, Math.round(performance.now() - started), remoteIp);
}

/** The result of an attempt that got no answer; the one place such a result is made. */
export function failedSend(
  errorClass: AttemptErrorClass,
  message: string,
  durationMs = 0,
  remoteIp: string | null = null,
): SendResult {
  return {
    status: null,
    headers: {},
    body: '',
    bodyTruncated: false,
    durationMs,
    remoteIp,
    errorClass,
    errorMessage: message,
  };
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (kept < MAX_RECORDED_BODY_BYTES) {
      const part = chunk.subarray(0, MAX_RECORDED_BODY_BYTES - kept);
      chunks.push(part);
      kept += part.length;
    }
    if (seen > MAX_DRAINED_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  // Cutting may split a multi-byte character; the replacement character marks it.
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: seen > kept };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') codes.push(e.name);
    if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...codesOf(inner));
    current = e.cause;
  }
  return codes;
}

/** Maps network failures to the error classes recorded on attempts. */
export function classifyError(error: unknown): AttemptErrorClass {
  const codes = codesOf(error);
  const has = (predicate: (code: string) => boolean) => codes.some(predicate);
  if (has((c) => c === UNSAFE_ADDRESS_CODE)) return 'unsafe_address';
  if (
    has((c) =>
      [
        'TimeoutError',
        'AbortError',
        'UND_ERR_CONNECT_TIMEOUT',
        'UND_ERR_HEADERS_TIMEOUT',
        'UND_ERR_BODY_TIMEOUT',
        'ETIMEDOUT',
      ].includes(c),
    )
  )
    return 'timeout';
  if (has((c) => ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME'].includes(c)))
    return 'dns';
  if (
    has(
      (c) =>
        c.startsWith('ERR_TLS') ||
        c.startsWith('ERR_SSL') ||
        c.includes('CERT') ||
        c === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
        c === 'EPROTO',
    )
  )
    return 'tls';
  if (has((c) => ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(c)))
    return 'connect';
  if (has((c) => ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(c))) return 'reset';
  return 'unknown';
}

function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 3; depth++) {
    const e = current as { message?: string; code?: string; cause?: unknown };
    if (e.message) parts.push(e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message);
    current = e.cause;
  }
  return parts.join(': ').slice(0, 1000) || 'unknown error';
}
