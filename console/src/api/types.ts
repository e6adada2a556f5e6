/** The API's views the console reads (apps/api/src/dto and the console contract). */
export type Permission =
  'read' | 'endpoints.write' | 'secrets.read' | 'replay' | 'keys.manage' | 'egress.manage' | 'data.purge';

export interface Branding {
  name?: string;
  primaryColor?: string;
  logoUrl?: string;
}

interface ConsoleSettings {
  console?: { traceUrlTemplate?: string };
}

export type Me = ConsoleSettings &
  (
    | { kind: 'operator' }
    | { kind: 'api-key'; workspaceId: string; role: string; permissions: Permission[] }
    | {
        kind: 'portal';
        workspaceId: string;
        endpointIds: string[] | null;
        permissions: Permission[];
        branding: Branding | null;
        expiresAt: string;
      }
  );

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export interface Endpoint {
  id: string;
  workspaceId: string;
  version: number;
  url: string;
  eventTypes: string[];
  filter: Record<string, unknown> | null;
  description: string | null;
  productProfile: string | null;
  payloadProfile: string;
  signatureScheme: string;
  signatureHeader: string | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxInFlight: number;
  rateLimitPerSecond: number | null;
  eventVersion: number | null;
  line: string | null;
  retrySchedule: string[] | null;
  fifo: boolean;
  disabled: boolean;
  disabledReason: string | null;
  secrets: { id: string; createdAt: string; expiresAt: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export interface TestResult {
  deliveryId: string;
  delivered: boolean;
  status: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
}

export type CreatedEndpoint = Endpoint & { secret?: string; publicKey?: string | null; test?: TestResult };

export interface Health {
  endpointId: string;
  window: string;
  from: string;
  to: string;
  attempts: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  latencyMs: { p50: number; p95: number } | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  circuit: { state: 'closed' | 'open'; since: string | null };
  disabled: boolean;
  disabledReason: string | null;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'retrying', 'succeeded', 'failed'];

export interface Delivery {
  id: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  trigger: string | null;
  test: boolean;
  attemptCount: number;
  occurredAt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  nextAttemptAt: string | null;
}

export interface Attempt {
  id: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: string;
  request: { url?: string; headers?: Record<string, string>; [key: string]: unknown };
  response: {
    status?: number;
    headers?: Record<string, string> | null;
    body?: string | null;
    bodyTruncated?: boolean;
  } | null;
  responseRemoved: { reason: string; at: string } | null;
  remoteIp: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  nextAttemptAt: string | null;
  traceId: string | null;
}

export interface DeliveryDetail extends Delivery {
  payload: string | null;
  payloadRemoved: { reason: string; at: string } | null;
  attempts: Attempt[];
}

export interface Job {
  id: string;
  kind: 'recover' | 'backfill' | 'purge';
  state: string;
  endpointId: string | null;
  params: Record<string, unknown>;
  total: number | null;
  processed: number;
  produced: number;
  percent: number | null;
  error: string | null;
  result: Record<string, unknown> | null;
  cancelRequested: boolean;
  deadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export const TERMINAL_JOB_STATES = ['succeeded', 'failed', 'timed_out', 'cancelled'];

export interface EventType {
  type: string;
  version: number;
  description: string;
  schema: Record<string, unknown>;
  examples?: Record<string, unknown>;
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
}

export interface PortalLink {
  id: string;
  url?: string;
  token?: string;
  expiresAt: string;
  endpointIds: string[] | null;
  permissions: string[];
  branding: Branding | null;
}

export interface SystemView {
  services: { name: string; status: 'up' | 'down' | 'unknown'; detail?: string }[];
  topics: { topic: string; group: string; lag: number }[];
  deadLetters: { topic: string; count: number }[];
}
