import { DomainError } from '@herald/contracts';
import { httpStatusOf } from './domain-error.filter';
import { resolvePageLimit, takePage } from './pagination';

const bounds = { HERALD_API_DEFAULT_PAGE_SIZE: 50, HERALD_API_MAX_PAGE_SIZE: 200 };

describe('resolvePageLimit', () => {
  it('uses the default when no limit is asked for, and the asked limit up to the maximum', () => {
    expect(resolvePageLimit(undefined, bounds)).toBe(50);
    expect(resolvePageLimit(200, bounds)).toBe(200);
  });

  it('refuses a limit above the maximum with 422 naming limit, instead of clamping', () => {
    try {
      resolvePageLimit(201, bounds);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(httpStatusOf(error as DomainError)).toBe(422);
      expect((error as DomainError).details?.fields).toEqual([expect.objectContaining({ field: 'limit' })]);
    }
  });
});

describe('takePage', () => {
  it('says whether rows follow the page', () => {
    expect(takePage([1, 2, 3], 2)).toEqual({ page: [1, 2], more: true });
    expect(takePage([1, 2], 2)).toEqual({ page: [1, 2], more: false });
  });
});
