import { DomainError, ErrorCode } from '@herald/contracts';
import { httpStatusOf } from './domain-error.filter';

describe('DomainError to HTTP status', () => {
  it.each([
    [ErrorCode.ValidationFailed, undefined, 400],
    [ErrorCode.ValidationFailed, { status: 422 }, 422],
    [ErrorCode.Unauthenticated, undefined, 401],
    [ErrorCode.Forbidden, undefined, 403],
    [ErrorCode.NotFound, undefined, 404],
    [ErrorCode.Conflict, undefined, 409],
    [ErrorCode.LimitExceeded, undefined, 400],
    [ErrorCode.LimitExceeded, { status: 413 }, 413],
    [ErrorCode.LimitExceeded, { status: 422 }, 422],
    [ErrorCode.UnknownEventType, undefined, 422],
    [ErrorCode.UnsafeUrl, undefined, 422],
    [ErrorCode.InvalidFilter, undefined, 422],
    [ErrorCode.InvalidEventTypePattern, undefined, 422],
    [ErrorCode.UnknownRetryTier, undefined, 422],
    [ErrorCode.InvalidRetrySchedule, undefined, 422],
    [ErrorCode.EndpointLimitReached, undefined, 422],
    [ErrorCode.JobLimitReached, { retryAfterSeconds: 5 }, 429],
    [ErrorCode.RateLimited, { retryAfterSeconds: 1 }, 429],
    [ErrorCode.RoleOutranked, undefined, 403],
    [ErrorCode.DecryptionFailed, undefined, 500],
  ])('%s %j -> %d', (code, details, status) => {
    expect(httpStatusOf(new DomainError(code, 'x', details))).toBe(status);
  });
});
