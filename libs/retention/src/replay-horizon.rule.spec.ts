import { checkReplaySince, replayTopicRetentionDays } from './replay-horizon.rule';

describe('replayTopicRetentionDays', () => {
  it('covers the longest a workspace may keep its log', () => {
    expect(replayTopicRetentionDays({ recordsDays: 30, maxDays: 90 })).toBe(90);
    expect(replayTopicRetentionDays({ recordsDays: 30, maxDays: 30 })).toBe(30);
  });
});

describe('checkReplaySince', () => {
  const now = new Date('2026-12-10T12:00:00Z');

  it('accepts since within the topic retention, up to exactly its start', () => {
    expect(checkReplaySince(new Date('2026-12-09T00:00:00Z'), now, 7)).toBeUndefined();
    expect(checkReplaySince(new Date('2026-12-03T12:00:00Z'), now, 7)).toBeUndefined();
  });

  it('refuses since older than the topic retention, naming the oldest accepted', () => {
    const problem = checkReplaySince(new Date('2026-12-03T11:59:59.999Z'), now, 7);
    expect(problem?.code).toBe('SINCE_BEYOND_TOPIC_RETENTION');
    expect(problem?.oldest).toEqual(new Date('2026-12-03T12:00:00Z'));
    expect(problem?.message).toContain('7 days');
    expect(problem?.message).toContain('2026-12-03T12:00:00.000Z');
  });
});
