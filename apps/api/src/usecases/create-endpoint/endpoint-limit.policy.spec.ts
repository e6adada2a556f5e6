import { ErrorCode } from '@herald/contracts';
import { endpointLimitRefusal } from './endpoint-limit.policy';

describe('endpoints per workspace', () => {
  it.each([
    [0, 1, true],
    [99, 100, true],
    [100, 100, false],
    // A limit lowered below what a workspace already has refuses new ones, keeps the old.
    [150, 100, false],
  ])('%d existing of at most %d: may create one more: %s', (existing, max, allowed) => {
    const refusal = endpointLimitRefusal(existing, max);
    expect(refusal === null).toBe(allowed);
    if (refusal) expect(refusal.code).toBe(ErrorCode.EndpointLimitReached);
  });

  it('names the limit', () => {
    expect(endpointLimitRefusal(3, 3)?.message).toBe(
      'this workspace has 3 endpoints and its limit is 3; delete one before creating another',
    );
  });
});
