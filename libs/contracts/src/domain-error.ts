/**
 * Codes every transport maps to its own errors (HTTP status, Kafka dead letter reason).
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
