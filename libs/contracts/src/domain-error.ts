/**
 * Codes transports map to their own answers: the API to an HTTP status (httpStatusOf in
 * apps/api/src/http/domain-error.filter.ts); a Kafka handler to a batch outcome where it knows the code
 * (the router reads a batch again later on SubscriptionsBehind) and otherwise lets the error fail the
 * batch. Dead letters on herald.events.invalid carry the router's own InvalidEventReason, not these.
 * Add codes here rather than throwing transport exceptions from domain code.
 */
export enum ErrorCode {
  InvalidDuration = 'INVALID_DURATION',
  InvalidConfiguration = 'INVALID_CONFIGURATION',
  InvalidFilter = 'INVALID_FILTER',
  InvalidEventTypePattern = 'INVALID_EVENT_TYPE_PATTERN',
  /** A subscription names a type (or a wildcard matching no type) the event catalogue lacks. */
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  InvalidRetrySchedule = 'INVALID_RETRY_SCHEDULE',
  UnknownRetryTier = 'UNKNOWN_RETRY_TIER',
  UnsafeUrl = 'UNSAFE_URL',
  InvalidSecret = 'INVALID_SECRET',
  DecryptionFailed = 'DECRYPTION_FAILED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Forbidden = 'FORBIDDEN',
  Unauthenticated = 'UNAUTHENTICATED',
  ValidationFailed = 'VALIDATION_FAILED',
  LimitExceeded = 'LIMIT_EXCEEDED',
  /** The workspace has as many endpoints as HERALD_WORKSPACE_MAX_ENDPOINTS allows. */
  EndpointLimitReached = 'ENDPOINT_LIMIT_REACHED',
  /** The workspace already runs as many backfill/recover jobs as allowed; details.retryAfterSeconds. */
  JobLimitReached = 'JOB_LIMIT_REACHED',
  /** The caller sent more requests than its rate allows; details.retryAfterSeconds. */
  RateLimited = 'RATE_LIMITED',
  /** The caller's role ranks below the role it tried to grant or act on (an admin and an owner key). */
  RoleOutranked = 'ROLE_OUTRANKED',
  /** A follower of herald.subscriptions could not read up to its end in time; try again later. */
  SubscriptionsBehind = 'SUBSCRIPTIONS_BEHIND',
  /** Verify-on-create: the URL did not answer the test ping with 200; details say what it did. */
  EndpointVerificationFailed = 'ENDPOINT_VERIFICATION_FAILED',
  /** A test ping's delivery is not retried; send another test ping instead. */
  TestDeliveryNotRetriable = 'TEST_DELIVERY_NOT_RETRIABLE',
  /** The delivery's payload was removed (details.reason: purged or retention), so it cannot be sent again. */
  PayloadRemoved = 'PAYLOAD_REMOVED',
  /** A workspace retention override outside the operator's bounds; details.bounds {minDays, maxDays}. */
  RetentionOutOfBounds = 'RETENTION_OUT_OF_BOUNDS',
  /** A portal link's token past its expiry: mint a new link. */
  PortalLinkExpired = 'PORTAL_LINK_EXPIRED',
  /** A portal link's token after the link was revoked. */
  PortalLinkRevoked = 'PORTAL_LINK_REVOKED',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
