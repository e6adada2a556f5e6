import { DomainError, ErrorCode, formatDuration, parseDuration } from '@herald/contracts';
import { resolveTimeLimit } from '@herald/jobs';

/** A request's `timeLimit` (a duration such as "5m"), bounded by HERALD_JOB_TIME_LIMIT. */
export function jobTimeLimitMs(requested: string | undefined, maxMs: number): number {
  let ms: number | undefined;
  try {
    ms = requested === undefined ? undefined : parseDuration(requested);
  } catch (error) {
    throw invalid((error as Error).message, 400);
  }
  const limit = resolveTimeLimit(ms, maxMs);
  if (limit === null) throw invalid(`must be above 0 and at most ${formatDuration(maxMs)}`, 422);
  return limit;
}

/** 400 for text that is no duration, 422 for a duration outside the bound. */
function invalid(message: string, status: 400 | 422): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `timeLimit ${message}`, {
    fields: [{ field: 'timeLimit', message }],
    status,
  });
}
