import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@herald/contracts';

/** Which field a semantic error is about, when the use case did not say. */
const FIELD_OF: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.UnsafeUrl]: 'url',
  [ErrorCode.InvalidFilter]: 'filter',
  [ErrorCode.InvalidEventTypePattern]: 'eventTypes',
  [ErrorCode.UnknownEventType]: 'eventTypes',
  [ErrorCode.InvalidRetrySchedule]: 'retrySchedule',
  [ErrorCode.UnknownRetryTier]: 'retrySchedule',
  [ErrorCode.InvalidDuration]: 'gracePeriod',
};

export function httpStatusOf(error: DomainError): number {
  switch (error.code) {
    case ErrorCode.ValidationFailed:
      return error.details?.status === 422 ? 422 : 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.PortalLinkExpired:
    case ErrorCode.PortalLinkRevoked:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.RoleOutranked:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.TestDeliveryNotRetriable:
    case ErrorCode.PayloadRemoved:
      return 409;
    case ErrorCode.LimitExceeded:
      if (error.details?.status === 413) return 413;
      return error.details?.status === 422 ? 422 : 400;
    case ErrorCode.JobLimitReached:
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.EndpointLimitReached:
    case ErrorCode.UnsafeUrl:
    case ErrorCode.InvalidFilter:
    case ErrorCode.InvalidEventTypePattern:
    case ErrorCode.UnknownEventType:
    case ErrorCode.InvalidRetrySchedule:
    case ErrorCode.UnknownRetryTier:
    case ErrorCode.InvalidDuration:
    case ErrorCode.InvalidSecret:
    case ErrorCode.EndpointVerificationFailed:
    case ErrorCode.RetentionOutOfBounds:
      return 422;
    default:
      return 500;
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: { field: string; message: string }[];
    /** What the caller acts on, for the few codes that have any (a failed verification's answer). */
    details?: unknown;
  };
}

/**
 * The one place HTTP statuses come from: DomainError codes, framework exceptions, and body-parser
 * failures all answer `{ error: { code, message, fields? } }`.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    // Health, metrics and docs keep the framework's own error bodies (e.g. terminus' check details).
    if (exception instanceof HttpException && !req.path.startsWith('/v1/')) {
      if (!res.headersSent) res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const [status, body] = this.describe(exception);
    if (status >= 500) this.log.error(exception instanceof Error ? exception.stack : String(exception));
    const retryAfter = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number' && !res.headersSent) res.setHeader('Retry-After', String(retryAfter));
    if (!res.headersSent) res.status(status).json(body);
  }

  private describe(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      const status = httpStatusOf(exception);
      const fields = exception.details?.fields as { field: string; message: string }[] | undefined;
      const field = (exception.details?.field as string | undefined) ?? FIELD_OF[exception.code];
      // Other details only steer the mapping here; a verification's answer and retention bounds are for the caller.
      const shown =
        exception.code === ErrorCode.EndpointVerificationFailed
          ? exception.details?.verification
          : exception.code === ErrorCode.RetentionOutOfBounds
            ? { bounds: exception.details?.bounds }
            : undefined;
      return [
        status,
        {
          error: {
            code: exception.code,
            message: exception.message,
            ...(fields
              ? { fields }
              : field && status === 422
                ? { fields: [{ field, message: exception.message }] }
                : {}),
            ...(shown === undefined ? {} : { details: shown }),
          },
        },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { error: { code: codeForStatus(status), message: exception.message } }];
    }
    const parserError = exception as { type?: string; status?: number; message?: string };
    if (parserError.type === 'entity.too.large') {
      return [
        413,
        { error: { code: ErrorCode.LimitExceeded, message: 'request body is larger than the API accepts' } },
      ];
    }
    if (parserError.type === 'entity.parse.failed') {
      return [
        400,
        { error: { code: ErrorCode.ValidationFailed, message: 'request body is not valid JSON' } },
      ];
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return [
        parserError.status,
        { error: { code: codeForStatus(parserError.status), message: parserError.message ?? 'bad request' } },
      ];
    }
    return [500, { error: { code: 'INTERNAL', message: 'internal error' } }];
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.LimitExceeded;
    default:
      return status >= 500 ? 'INTERNAL' : 'HTTP_' + status;
  }
}
