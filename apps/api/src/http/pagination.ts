import { DomainError, ErrorCode } from '@herald/contracts';

export interface PageSizeBounds {
  HERALD_API_DEFAULT_PAGE_SIZE: number;
  HERALD_API_MAX_PAGE_SIZE: number;
}

/**
 * The page size of every listing route: the default when none is asked for, and a 422 naming
 * `limit` when more than the maximum is asked for (never a silent clamp, so a client paging through
 * with its own size never misses rows it thought it had read).
 */
export function resolvePageLimit(requested: number | undefined, bounds: PageSizeBounds): number {
  const limit = requested ?? bounds.HERALD_API_DEFAULT_PAGE_SIZE;
  if (limit > bounds.HERALD_API_MAX_PAGE_SIZE) {
    throw new DomainError(ErrorCode.LimitExceeded, `limit is at most ${bounds.HERALD_API_MAX_PAGE_SIZE}`, {
      fields: [{ field: 'limit', message: `at most ${bounds.HERALD_API_MAX_PAGE_SIZE}` }],
      status: 422,
    });
  }
  return limit;
}

/** One page out of `limit + 1` fetched rows, and whether more follow. */
export function takePage<T>(rows: T[], limit: number): { page: T[]; more: boolean } {
  return { page: rows.slice(0, limit), more: rows.length > limit };
}
