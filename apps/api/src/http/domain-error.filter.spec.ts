import { DomainError, ErrorCode } from '@herald/contracts';
import { DomainErrorFilter, httpStatusOf } from './domain-error.filter';

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
    [ErrorCode.EndpointVerificationFailed, { verification: { status: 503 } }, 422],
    [ErrorCode.TestDeliveryNotRetriable, undefined, 409],
    [ErrorCode.DecryptionFailed, undefined, 500],
  ])('%s %j -> %d', (code, details, status) => {
    expect(httpStatusOf(new DomainError(code, 'x', details))).toBe(status);
  });
});

describe('DomainErrorFilter body', () => {
  function answer(error: unknown): { status: number; body: unknown } {
    const sent: { status: number; body: unknown } = { status: 0, body: undefined };
    const res = {
      headersSent: false,
      setHeader: () => undefined,
      status(code: number) {
        sent.status = code;
        return this;
      },
      json(body: unknown) {
        sent.body = body;
      },
    };
    const host = {
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ path: '/v1/x' }) }),
    };
    new DomainErrorFilter().catch(error, host as never);
    return sent;
  }

  it('shows a failed verification its details', () => {
    const error = new DomainError(ErrorCode.EndpointVerificationFailed, 'not 200', {
      field: 'url',
      verification: { reason: 'refused', message: 'ECONNREFUSED' },
    });
    expect(answer(error)).toEqual({
      status: 422,
      body: {
        error: {
          code: 'ENDPOINT_VERIFICATION_FAILED',
          message: 'not 200',
          fields: [{ field: 'url', message: 'not 200' }],
          details: { reason: 'refused', message: 'ECONNREFUSED' },
        },
      },
    });
  });

  it('keeps other codes details to itself', () => {
    const body = answer(new DomainError(ErrorCode.Conflict, 'x', { status: 1 })).body as {
      error: Record<string, unknown>;
    };
    expect(body.error).not.toHaveProperty('details');
  });
});
