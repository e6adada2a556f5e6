import { addPurgeCounts, planPurgeBatch } from './purge-batch.plan';

const CURSOR = { createdAt: new Date('2026-11-01T00:00:00Z'), deliveryId: 'dlv_9' };

describe('planPurgeBatch', () => {
  it('starts with a first page of the batch size', () => {
    expect(planPurgeBatch({ cursor: null, lastPageRows: null, stopRequested: false }, 1000)).toEqual({
      done: false,
      after: null,
      limit: 1000,
    });
  });

  it('continues after the last key while pages come back full', () => {
    expect(planPurgeBatch({ cursor: CURSOR, lastPageRows: 1000, stopRequested: false }, 1000)).toEqual({
      done: false,
      after: CURSOR,
      limit: 1000,
    });
  });

  it('is done after a short or empty page', () => {
    expect(planPurgeBatch({ cursor: CURSOR, lastPageRows: 999, stopRequested: false }, 1000)).toEqual({
      done: true,
    });
    expect(planPurgeBatch({ cursor: null, lastPageRows: 0, stopRequested: false }, 1000)).toEqual({
      done: true,
    });
  });

  it('stops when asked, even before the first page', () => {
    expect(planPurgeBatch({ cursor: null, lastPageRows: null, stopRequested: true })).toEqual({ done: true });
    expect(planPurgeBatch({ cursor: CURSOR, lastPageRows: 1000, stopRequested: true }, 1000)).toEqual({
      done: true,
    });
  });

  it('defaults to 1000 rows and refuses a batch size that is no positive integer', () => {
    expect(planPurgeBatch({ cursor: null, lastPageRows: null, stopRequested: false })).toMatchObject({
      limit: 1000,
    });
    expect(() => planPurgeBatch({ cursor: null, lastPageRows: null, stopRequested: false }, 0)).toThrow(
      RangeError,
    );
    expect(() => planPurgeBatch({ cursor: null, lastPageRows: null, stopRequested: false }, 1.5)).toThrow(
      RangeError,
    );
  });
});

describe('addPurgeCounts', () => {
  it('adds each count', () => {
    expect(
      addPurgeCounts({ deliveries: 1, attempts: 2, bytes: 30 }, { deliveries: 4, attempts: 5, bytes: 60 }),
    ).toEqual({ deliveries: 5, attempts: 7, bytes: 90 });
  });
});
