import { planBatchProgress, resumeDelayMs, type BatchProgressInput } from './batch-progress.plan';

/** A batch of offsets 10..14 on a partition whose high watermark is 20. */
const batch = (outcome: BatchProgressInput['outcome'], committedBefore = true) =>
  planBatchProgress({ firstOffset: '10', lastOffset: '14', highWatermark: '20', outcome, committedBefore });

describe('planBatchProgress', () => {
  it('resolves and commits the whole batch when the handler returns nothing', () => {
    expect(batch(undefined)).toEqual({
      resolve: '14',
      next: '15',
      commit: '15',
      commitNow: false,
      seek: false,
      pauseUntil: undefined,
      lag: 5,
    });
  });

  it('does not seek when the handler finished the last record', () => {
    const plan = batch({ processedThrough: '14', resumeAt: 1_000 });
    expect(plan).toMatchObject({ resolve: '14', next: '15', seek: false, pauseUntil: undefined });
  });

  it('reads the rest again from after the last finished record', () => {
    expect(batch({ processedThrough: '12' })).toMatchObject({
      resolve: '12',
      next: '13',
      commit: '13',
      seek: true,
      pauseUntil: undefined,
      lag: 7,
    });
  });

  it('reads the whole batch again when nothing was finished, still committing its start', () => {
    expect(batch({ processedThrough: null })).toMatchObject({
      resolve: null,
      next: '10',
      commit: '10',
      seek: true,
    });
  });

  it('pauses the partition until resumeAt when records remain', () => {
    expect(batch({ processedThrough: '11', resumeAt: 5_000 })).toMatchObject({
      next: '12',
      seek: true,
      pauseUntil: 5_000,
      commitNow: false,
    });
  });

  it('commits at once a partition paused before its first commit (kafkajs #1599)', () => {
    expect(batch({ processedThrough: '11', resumeAt: 5_000 }, false).commitNow).toBe(true);
    expect(batch({ processedThrough: '11' }, false).commitNow).toBe(false);
    expect(batch(undefined, false).commitNow).toBe(false);
  });

  it('commits no further than commitBefore while reading goes on', () => {
    expect(batch({ processedThrough: '14', commitBefore: '11' })).toMatchObject({
      resolve: '14',
      next: '15',
      commit: '11',
      seek: false,
    });
  });

  it('ignores a commitBefore at or beyond the next offset', () => {
    expect(batch({ processedThrough: '12', commitBefore: '13' }).commit).toBe('13');
    expect(batch({ processedThrough: '12', commitBefore: '40' }).commit).toBe('13');
  });

  it('compares offsets as integers, not strings', () => {
    const plan = planBatchProgress({
      firstOffset: '98',
      lastOffset: '101',
      highWatermark: '102',
      outcome: { processedThrough: '99', commitBefore: '9' },
      committedBefore: true,
    });
    expect(plan).toMatchObject({ next: '100', commit: '9', lag: 2 });
  });

  it('rewinds below the batch, discarding what the handler reported as finished', () => {
    expect(batch({ processedThrough: '14', rewindTo: '7' })).toMatchObject({
      resolve: null,
      next: '7',
      commit: '7',
      seek: true,
      lag: 13,
    });
  });

  it('rewinds inside the batch and pauses when asked', () => {
    expect(batch({ processedThrough: null, rewindTo: '12', resumeAt: 9_000 })).toMatchObject({
      resolve: null,
      next: '12',
      seek: true,
      pauseUntil: 9_000,
    });
  });

  it('keeps commitBefore below a rewind target', () => {
    expect(batch({ processedThrough: null, rewindTo: '13', commitBefore: '11' }).commit).toBe('11');
  });
});

describe('resumeDelayMs', () => {
  it('waits until resumeAt', () => expect(resumeDelayMs(1_500, 1_000)).toBe(500));
  it('resumes at once when resumeAt has passed', () => expect(resumeDelayMs(900, 1_000)).toBe(0));
});
