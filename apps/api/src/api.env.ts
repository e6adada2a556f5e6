import { z } from 'zod';
import { DEFAULT_DOMAIN_TOPICS, MAX_ATTEMPT_TIMEOUT_MS } from '@herald/contracts';
import { envDuration, envInt, envList } from '@herald/config';
import { isCidrList } from '@herald/egress';

const withinAttemptBound = (ms: number) => ms > 0 && ms <= MAX_ATTEMPT_TIMEOUT_MS;
const attemptBoundMessage = `must be between 1ms and ${MAX_ATTEMPT_TIMEOUT_MS / 1000}s`;
const CIDR_LIST_MESSAGE = 'expected a comma list of CIDRs, e.g. 10.20.0.0/16,fd00::/8';

/** The management API's own settings; every limit has a safe default. */
export const apiEnv = z
  .object({
    /** Operator token: creates workspaces and API keys, and may act in any workspace. */
    HERALD_ADMIN_TOKEN: z
      .string({ message: 'set an operator token of at least 16 characters' })
      .min(16, 'use at least 16 characters'),
    HERALD_API_MAX_BODY_BYTES: envInt(262_144, 1_024, 16_777_216),
    /** Deepest nesting of objects and arrays a JSON body may have; deeper is a 400 before parsing. */
    HERALD_API_MAX_JSON_DEPTH: envInt(64, 8, 1_024),
    HERALD_API_MAX_URL_LENGTH: envInt(4_096, 256, 65_536),
    HERALD_API_MAX_HEADERS: envInt(100, 10, 1_000),
    HERALD_API_DEFAULT_PAGE_SIZE: envInt(50, 1, 1_000),
    HERALD_API_MAX_PAGE_SIZE: envInt(200, 1, 1_000),
    HERALD_ENDPOINT_MAX_URL_LENGTH: envInt(2_048, 64, 8_192),
    HERALD_ENDPOINT_MAX_HEADERS: envInt(20, 0, 100),
    HERALD_ENDPOINT_MAX_EVENT_TYPES: envInt(50, 1, 1_000),
    /**
     * Filter `$regex` limits, checked when a filter is saved (see libs/matching/README.md): characters
     * per pattern, and the cost of all of a filter's patterns (compiled size), which bounds its time.
     */
    HERALD_FILTER_MAX_REGEX_LENGTH: envInt(256, 16, 4_096),
    HERALD_FILTER_MAX_REGEX_COST: envInt(100, 25, 2_000),
    /** Per-attempt timeouts: never above the sender's MAX_ATTEMPT_TIMEOUT_MS (30s). */
    HERALD_ENDPOINT_DEFAULT_TIMEOUT: envDuration('15s').refine(withinAttemptBound, attemptBoundMessage),
    HERALD_ENDPOINT_MAX_TIMEOUT: envDuration('30s').refine(withinAttemptBound, attemptBoundMessage),
    HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT: envInt(16, 1, 10_000),
    /**
     * Most attempts in flight an endpoint may ask for: the dispatcher's default global cap
     * (HERALD_GLOBAL_CONCURRENCY), which clamps anything above it anyway.
     */
    HERALD_ENDPOINT_MAX_IN_FLIGHT: envInt(512, 1, 100_000),
    /** How long a stored Idempotency-Key response is replayed. */
    HERALD_IDEMPOTENCY_TTL: envDuration('24h'),
    /** CIDRs endpoints may reach even though they are private (e.g. a partner VPN). */
    HERALD_EGRESS_ALLOW_CIDRS: envList([]).refine(isCidrList, CIDR_LIST_MESSAGE),
    /**
     * Ranges a workspace owner or admin may open for that workspace's endpoints alone (PUT
     * /v1/workspaces/:ws/egress-allowlist); empty (the default) turns workspace allowlists off.
     */
    HERALD_EGRESS_WORKSPACE_CIDRS: envList([]).refine(isCidrList, CIDR_LIST_MESSAGE),
    /** Domain topics a backfill job reads. */
    HERALD_DOMAIN_TOPICS: envList(DEFAULT_DOMAIN_TOPICS),
    /**
     * Days the domain topics keep events, which bounds a backfill's `since`. Unset: what create-topics and the
     * chart give them, the longer of HERALD_RETENTION_DAYS and HERALD_RETENTION_MAX_DAYS (replayTopicRetentionDays).
     */
    HERALD_DOMAIN_TOPICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
    /** Endpoints one workspace may have; creating one more answers 422 ENDPOINT_LIMIT_REACHED. */
    HERALD_WORKSPACE_MAX_ENDPOINTS: envInt(100, 1, 100_000),
    /** Requests per second one API key may send on average, per API replica (429 RATE_LIMITED). */
    HERALD_API_KEY_RATE_LIMIT: envInt(50, 1, 100_000),
    /** Requests one API key may send at once before the average applies (see keyRateWindow). */
    HERALD_API_KEY_RATE_BURST: envInt(100, 1, 1_000_000),
    /** Built console (index.html + assets/); unset: dist/console beside the built API. */
    HERALD_CONSOLE_DIR: z.string().min(1).optional(),
    /** Base URL portal links point at; unset: derived from the request that mints the link. */
    HERALD_PUBLIC_URL: z
      .url({ protocol: /^https?$/, message: 'expected an http(s) URL, e.g. https://herald.example.com' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** Link from a delivery's trace id to a trace viewer, e.g. https://jaeger.example.com/trace/{traceId}. */
    HERALD_TRACE_URL_TEMPLATE: z
      .url({ protocol: /^https?$/, message: 'expected an http(s) URL containing {traceId}' })
      .refine((url) => url.includes('{traceId}'), 'must contain {traceId}')
      .optional(),
    /** Longest lifetime a portal link may be minted with (expiresInSeconds above it is a 400). */
    HERALD_PORTAL_MAX_TTL_SECONDS: envInt(86_400, 60, 2_592_000),
  })
  .refine((env) => env.HERALD_ENDPOINT_DEFAULT_TIMEOUT <= env.HERALD_ENDPOINT_MAX_TIMEOUT, {
    message: 'must not exceed HERALD_ENDPOINT_MAX_TIMEOUT',
    path: ['HERALD_ENDPOINT_DEFAULT_TIMEOUT'],
  })
  .refine((env) => env.HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT <= env.HERALD_ENDPOINT_MAX_IN_FLIGHT, {
    message: 'must not exceed HERALD_ENDPOINT_MAX_IN_FLIGHT',
    path: ['HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT'],
  })
  .refine(
    (env) =>
      env.HERALD_API_KEY_RATE_BURST >= env.HERALD_API_KEY_RATE_LIMIT &&
      env.HERALD_API_KEY_RATE_BURST <= env.HERALD_API_KEY_RATE_LIMIT * 60,
    {
      message: 'must be between HERALD_API_KEY_RATE_LIMIT and 60 times it (a window of 1s to 60s)',
      path: ['HERALD_API_KEY_RATE_BURST'],
    },
  );

export type ApiEnv = z.infer<typeof apiEnv>;
export const API_ENV = Symbol('API_ENV');
