import { FifoLane } from './fifo-lane';

const LOST_AFTER = 60_000;

/** Decision kind only, for the common case. */
function kind(lane: FifoLane, seq: bigint, now: number, mayWait = true): string {
  return lane.decide(seq, now, LOST_AFTER, mayWait).kind;
}

describe('FifoLane', () => {
  it('attempts a delivery when nothing is ahead of it, one at a time', () => {
    const lane = new FifoLane();
    expect(kind(lane, 10n, 0)).toBe('attempt');
    lane.attempting(10n);
    // A follower waits in memory behind the attempt in flight rather than overtake it.
    expect(kind(lane, 11n, 0)).toBe('wait');
    // Not allowed to wait (its time ran out): it parks, due back right away.
    expect(lane.decide(11n, 5, LOST_AFTER, false)).toEqual({ kind: 'park', after: 5, lost: [] });
    lane.resolved(10n);
    lane.finished(10n);
    expect(kind(lane, 11n, 0)).toBe('attempt');
    // Success of a delivery the lane held nothing for changes nothing persisted.
    expect(lane.takeChanges()).toEqual([]);
  });

  it('blocks every other delivery behind a retrying head until it succeeds', () => {
    const lane = new FifoLane();
    lane.attempting(10n);
    lane.retrying(10n, 5_000);
    lane.finished(10n);
    expect(lane.takeChanges()).toEqual([[10n, { dueAt: 5_000, blocking: true }]]);
    // Followers park until the head is due back.
    expect(lane.decide(11n, 100, LOST_AFTER)).toEqual({ kind: 'park', after: 5_000, lost: [] });
    lane.deferred(11n, 6_000);
    expect(lane.decide(12n, 200, LOST_AFTER)).toEqual({ kind: 'park', after: 5_000, lost: [] });
    lane.deferred(12n, 6_000);
    // The head itself goes when it comes back.
    expect(kind(lane, 10n, 5_000)).toBe('attempt');
    lane.attempting(10n);
    // While the head is in flight, a returning follower waits for it instead of parking.
    expect(kind(lane, 11n, 5_100)).toBe('wait');
    lane.resolved(10n);
    lane.finished(10n);
    expect(lane.takeChanges()).toEqual([
      [11n, { dueAt: 6_000, blocking: false }],
      [12n, { dueAt: 6_000, blocking: false }],
      [10n, null],
    ]);
    // Then the smallest parked seq, and only then the next.
    expect(kind(lane, 12n, 6_000)).toBe('wait');
    expect(kind(lane, 11n, 6_000)).toBe('attempt');
    lane.attempting(11n);
    lane.resolved(11n);
    lane.finished(11n);
    expect(kind(lane, 12n, 6_000)).toBe('attempt');
  });

  it('keeps order when parked deliveries come back out of order', () => {
    const lane = new FifoLane();
    lane.deferred(11n, 1_000);
    lane.deferred(12n, 1_000);
    lane.deferred(13n, 1_000);
    // 13 is back before 11 and 12; 11 is due, so 13 waits for it briefly, else parks behind it.
    expect(kind(lane, 13n, 1_010)).toBe('wait');
    expect(lane.decide(13n, 1_010, LOST_AFTER, false)).toEqual({ kind: 'park', after: 1_010, lost: [] });
    // Had 11 not been due yet, 13 would park until 11 is.
    lane.deferred(11n, 3_000);
    expect(lane.decide(13n, 1_020, LOST_AFTER)).toEqual({ kind: 'park', after: 3_000, lost: [] });
    expect(kind(lane, 12n, 1_020)).toBe('park');
    expect(kind(lane, 11n, 3_000)).toBe('attempt');
    lane.attempting(11n);
    lane.resolved(11n);
    lane.finished(11n);
    expect(kind(lane, 13n, 3_000)).toBe('wait');
    expect(kind(lane, 12n, 3_000)).toBe('attempt');
  });

  it('a brand-new delivery does not overtake a parked one', () => {
    const lane = new FifoLane();
    lane.deferred(11n, 2_000);
    expect(lane.decide(40n, 100, LOST_AFTER)).toEqual({ kind: 'park', after: 2_000, lost: [] });
  });

  it('keeps blocking while the head fails again and again, with its latest due time', () => {
    const lane = new FifoLane();
    let now = 0;
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(kind(lane, 10n, now)).toBe('attempt');
      lane.attempting(10n);
      lane.retrying(10n, now + 1_000 * attempt);
      lane.finished(10n);
      expect(lane.decide(11n, now + 1, LOST_AFTER)).toEqual({
        kind: 'park',
        after: now + 1_000 * attempt,
        lost: [],
      });
      now += 1_000 * attempt;
    }
    expect(lane.entry(10n)).toEqual({ dueAt: now, blocking: true });
  });

  it('frees the endpoint when the head is dead-lettered, then keeps order behind it', () => {
    const lane = new FifoLane();
    lane.attempting(10n);
    lane.retrying(10n, 1_000);
    lane.finished(10n);
    lane.deferred(11n, 2_000);
    lane.deferred(12n, 2_000);
    lane.attempting(10n);
    lane.resolved(10n); // exhausted: dead-lettered
    lane.finished(10n);
    expect(lane.entry(10n)).toBeNull();
    expect(kind(lane, 12n, 2_000)).toBe('wait');
    expect(kind(lane, 11n, 2_000)).toBe('attempt');
  });

  it('delivers a duplicate of an already resolved seq (at-least-once) without blocking on it', () => {
    const lane = new FifoLane();
    lane.attempting(10n);
    lane.resolved(10n);
    lane.finished(10n);
    expect(kind(lane, 10n, 0)).toBe('attempt');
    // A duplicate smaller than the current head waits behind the head, and never holds the head.
    lane.attempting(20n);
    lane.retrying(20n, 1_000);
    lane.finished(20n);
    expect(kind(lane, 10n, 10)).toBe('park');
    lane.deferred(10n, 2_000);
    expect(kind(lane, 20n, 1_000)).toBe('attempt');
  });

  it('a deferred head (circuit open) keeps blocking with its new due time', () => {
    const lane = new FifoLane();
    lane.retrying(10n, 1_000);
    lane.deferred(10n, 9_000);
    expect(lane.entry(10n)).toEqual({ dueAt: 9_000, blocking: true });
    expect(lane.decide(11n, 1_500, LOST_AFTER)).toEqual({ kind: 'park', after: 9_000, lost: [] });
  });

  it('presumes lost an entry overdue by more than lostAfter, and persists its removal', () => {
    const lane = new FifoLane();
    lane.retrying(10n, 1_000);
    lane.deferred(11n, 1_000);
    lane.takeChanges();
    expect(lane.decide(12n, 1_000 + LOST_AFTER + 1, LOST_AFTER)).toEqual({
      kind: 'attempt',
      lost: [10n, 11n],
    });
    expect(lane.takeChanges()).toEqual([
      [10n, null],
      [11n, null],
    ]);
    // An entry in flight here is never presumed lost.
    lane.deferred(13n, 0);
    lane.attempting(13n);
    expect(lane.decide(14n, LOST_AFTER * 10, LOST_AFTER).kind).toBe('wait');
  });

  it('loads entries read back from the changelog without marking them changed', () => {
    const lane = new FifoLane();
    lane.load(12n, { dueAt: 500, blocking: false });
    lane.load(10n, { dueAt: 400, blocking: true });
    lane.load(11n, { dueAt: 500, blocking: false });
    expect(lane.takeChanges()).toEqual([]);
    expect(lane.decide(11n, 0, LOST_AFTER)).toEqual({ kind: 'park', after: 400, lost: [] });
    lane.load(10n, null);
    expect(kind(lane, 11n, 600)).toBe('attempt');
    expect(kind(lane, 12n, 600)).toBe('wait');
    expect(lane.seqs().sort()).toEqual([11n, 12n]);
  });

  it('restores changes whose write failed', () => {
    const lane = new FifoLane();
    lane.retrying(10n, 1_000);
    const taken = lane.takeChanges();
    lane.resolved(10n);
    expect(lane.takeChanges()).toEqual([[10n, null]]);
    lane.restoreChanges(taken.map(([seq]) => seq));
    // The current state is what gets written again: the resolution.
    expect(lane.takeChanges()).toEqual([[10n, null]]);
  });
});
