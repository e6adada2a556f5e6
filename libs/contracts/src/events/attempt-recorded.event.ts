export type AttemptOutcome =
  'succeeded' | 'retry_scheduled' | 'exhausted' | 'endpoint_disabled' | 'circuit_open';

export type AttemptErrorClass =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'reset'
  | 'unsafe_address'
  | 'http_status'
  | 'redirect'
  | 'circuit_open'
  | 'unknown';

/** One HTTP attempt, on `herald.attempts` keyed by delivery id. */
export interface AttemptRecorded {
  kind: 'AttemptRecorded';
  attemptId: string;
  deliveryId: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  request: {
    url: string;
    method: 'POST';
    /** Signature headers are redacted. */
    headers: Record<string, string>;
    /** The body is stored once on the delivery; this names it. */
    bodyRef: string;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    /** At most 64 KiB. */
    body: string;
    bodyTruncated: boolean;
  } | null;
  remoteIp: string | null;
  errorClass: AttemptErrorClass | null;
  errorMessage: string | null;
  outcome: AttemptOutcome;
  /** When the next attempt is due, if one is scheduled. */
  nextAttemptAt: string | null;
  traceId: string | null;
  spanId: string | null;
}
