import {
  advanceAfterFetch,
  isPartitionDone,
  passedOffsets,
  planPartitionRange,
  settleWithWatermarks,
} from './partition-range.plan';

const at = (low: number, high: number, requestedStart: number | null) =>
  planPartitionRange({
    topic: 't',
    partition: 0,
    low: BigInt(low),
    high: BigInt(high),
    requestedStart: requestedStart === null ? null : BigInt(requestedStart),
  });

describe('planPartitionRange', () => {
  it('reads from the requested start up to the high watermark', () => {
    const { range, progress } = at(0, 10, 4);
    expect(range).toMatchObject({ start: 4n, end: 10n });
    expect(progress).toEqual({ position: 4n, lost: 0n });
    expect(isPartitionDone(range, progress)).toBe(false);
  });

  it('is done at once on an empty partition', () => {
    const { range, progress } = at(0, 0, null);
    expect(range).toMatchObject({ start: 0n, end: 0n });
    expect(isPartitionDone(range, progress)).toBe(true);
  });

  it('is done at once when every record was deleted (low == high > 0)', () => {
    const { range, progress } = at(7, 7, 7);
    expect(isPartitionDone(range, progress)).toBe(true);
  });

  it('is done at once when nothing is at or after the requested start', () => {
    const { range, progress } = at(0, 10, null);
    expect(range).toMatchObject({ start: 10n, end: 10n });
    expect(isPartitionDone(range, progress)).toBe(true);
  });

  it('starts at the low watermark when retention removed the start, and counts the loss', () => {
    const { range, progress } = at(6, 10, 2);
    expect(range).toMatchObject({ start: 6n, end: 10n });
    expect(progress).toEqual({ position: 6n, lost: 4n });
  });

  it('counts the whole range lost when retention removed all of it', () => {
    const { range, progress } = at(12, 12, 2);
    expect(progress).toEqual({ position: 12n, lost: 10n });
    expect(isPartitionDone(range, progress)).toBe(true);
  });
});

describe('advanceAfterFetch', () => {
  it('is done when a commit marker ends the range, though no message sits at end - 1', () => {
    // offsets 0..2 are data, 3 is the transaction's commit marker; the high watermark is 4
    const { range, progress } = at(0, 4, 0);
    const afterData = advanceAfterFetch(range, progress, { firstOffset: 0n, lastOffset: 2n });
    expect(isPartitionDone(range, afterData)).toBe(false);
    const afterMarker = advanceAfterFetch(range, afterData, { firstOffset: 3n, lastOffset: 3n });
    expect(isPartitionDone(range, afterMarker)).toBe(true);
    expect(passedOffsets(range, afterMarker)).toBe(4n);
  });

  it('stops at the end when a fetch runs past it', () => {
    const { range, progress } = at(0, 4, 0);
    const next = advanceAfterFetch(range, progress, { firstOffset: 0n, lastOffset: 9n });
    expect(next).toEqual({ position: 4n, lost: 0n });
    expect(passedOffsets(range, next)).toBe(4n);
  });

  it('counts a gap before the fetch as lost to retention', () => {
    const { range, progress } = at(0, 10, 0);
    const next = advanceAfterFetch(range, progress, { firstOffset: 5n, lastOffset: 7n });
    expect(next).toEqual({ position: 8n, lost: 5n });
  });

  it('ignores a fetch it already passed', () => {
    const { range, progress } = at(0, 10, 0);
    const once = advanceAfterFetch(range, progress, { firstOffset: 0n, lastOffset: 4n });
    expect(advanceAfterFetch(range, once, { firstOffset: 0n, lastOffset: 4n })).toBe(once);
  });
});

describe('settleWithWatermarks', () => {
  it('moves past what retention deleted under the reader, counting it lost', () => {
    const { range, progress } = at(0, 10, 0);
    const settled = settleWithWatermarks(range, progress, { low: 6n, high: 12n });
    expect(settled.progress).toEqual({ position: 6n, lost: 6n });
    expect(settled.range.end).toBe(10n);
  });

  it('ends a range whose remaining records were all deleted (no fetch will come)', () => {
    const { range, progress } = at(0, 10, 3);
    const settled = settleWithWatermarks(range, progress, { low: 15n, high: 15n });
    expect(settled.progress).toEqual({ position: 10n, lost: 7n });
    expect(isPartitionDone(settled.range, settled.progress)).toBe(true);
  });

  it('ends at the reader when the high watermark fell to it (an empty fetch at the high watermark)', () => {
    const { range } = at(0, 10, 0);
    const settled = settleWithWatermarks(range, { position: 8n, lost: 0n }, { low: 0n, high: 8n });
    expect(isPartitionDone(settled.range, settled.progress)).toBe(true);
  });

  it('changes nothing while the range is still readable', () => {
    const { range, progress } = at(0, 10, 2);
    expect(settleWithWatermarks(range, progress, { low: 0n, high: 20n })).toEqual({ range, progress });
  });
});
