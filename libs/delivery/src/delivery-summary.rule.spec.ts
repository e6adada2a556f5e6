import {
  EMPTY_SUMMARY,
  deliveryStatus,
  mergeSummaries,
  summaryOf,
  type DeliverySummary,
  type SummaryAttempt,
} from './delivery-summary.rule';

const at = (
  attempt: number,
  outcome: SummaryAttempt['outcome'],
  startedAt = attempt * 1000,
): SummaryAttempt => ({
  attempt,
  startedAt,
  attemptId: `a${attempt}-${startedAt}`,
  outcome,
});

const fold = (attempts: SummaryAttempt[]): DeliverySummary =>
  attempts.map(summaryOf).reduce(mergeSummaries, EMPTY_SUMMARY);

describe('delivery summary', () => {
  const attempts = [
    at(1, 'retry_scheduled'),
    at(2, 'retry_scheduled'),
    at(3, 'exhausted'),
    at(3, 'circuit_open', 10),
  ];

  it('gives the same summary whatever the order and grouping of the attempts', () => {
    const expected = fold(attempts);
    const orders = [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    for (const order of orders) {
      const shuffled = order.map((i) => attempts[i]);
      expect(fold(shuffled)).toEqual(expected);
      const halves = mergeSummaries(fold(shuffled.slice(2)), fold(shuffled.slice(0, 2)));
      expect(halves).toEqual(expected);
    }
    expect(expected).toMatchObject({ attemptCount: 4, anySuccess: false, lastAttemptAt: 3000 });
    expect(expected.last?.outcome).toBe('exhausted');
  });

  it('is pending with no attempt, and succeeded once any attempt succeeded', () => {
    expect(deliveryStatus(EMPTY_SUMMARY, 1)).toBe('pending');
    expect(deliveryStatus(fold([at(2, 'exhausted'), at(1, 'succeeded')]), 2)).toBe('succeeded');
  });

  it('is failed when the last attempt gave up, unless a later attempt was requested', () => {
    const gaveUp = fold([at(1, 'retry_scheduled'), at(2, 'endpoint_disabled')]);
    expect(deliveryStatus(gaveUp, 2)).toBe('failed');
    expect(deliveryStatus(gaveUp, 3)).toBe('retrying');
    expect(deliveryStatus(fold([at(1, 'retry_scheduled')]), 1)).toBe('retrying');
  });

  it('orders attempts of the same number by start time, then id', () => {
    const early = at(2, 'exhausted', 100);
    const late = at(2, 'retry_scheduled', 200);
    expect(fold([late, early]).last).toEqual(late);
    const a = { ...early, attemptId: 'a' };
    const b = { ...early, attemptId: 'b', outcome: 'retry_scheduled' as const };
    expect(fold([b, a]).last).toEqual(b);
  });
});
