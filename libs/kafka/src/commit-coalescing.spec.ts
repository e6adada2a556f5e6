import { CommitCoalescer, commitsAtOnce } from './commit-coalescing';

describe('commitsAtOnce', () => {
  it('coalesces only with an interval, unforced, while not closing', () => {
    expect(commitsAtOnce({ forced: false, intervalMs: 500, closing: false })).toBe(false);
    expect(commitsAtOnce({ forced: true, intervalMs: 500, closing: false })).toBe(true);
    expect(commitsAtOnce({ forced: false, intervalMs: 0, closing: false })).toBe(true);
    expect(commitsAtOnce({ forced: false, intervalMs: 500, closing: true })).toBe(true);
  });
});

describe('CommitCoalescer', () => {
  const a = (offset: string) => ({ topic: 't', partition: 0, offset });
  const b = (offset: string) => ({ topic: 't', partition: 1, offset });

  it('keeps the latest offset per partition and hands them over once', () => {
    const commits = new CommitCoalescer();
    commits.hold(a('5'));
    commits.hold(b('3'));
    commits.hold(a('9'));
    expect(commits.size).toBe(2);
    expect(commits.take()).toEqual([a('9'), b('3')]);
    expect(commits.size).toBe(0);
    expect(commits.take()).toEqual([]);
  });

  it('forgets a partition committed on its own', () => {
    const commits = new CommitCoalescer();
    commits.hold(a('5'));
    commits.hold(b('3'));
    commits.drop('t', 0);
    expect(commits.take()).toEqual([b('3')]);
  });

  it('puts failed offsets back unless a newer one arrived meanwhile', () => {
    const commits = new CommitCoalescer();
    commits.hold(a('5'));
    commits.hold(b('3'));
    const inFlight = commits.take();
    commits.hold(a('8'));
    commits.restore(inFlight);
    expect(commits.take()).toEqual([a('8'), b('3')]);
  });

  it('remembers which partitions were committed at least once', () => {
    const commits = new CommitCoalescer();
    expect(commits.hasCommitted('t', 0)).toBe(false);
    commits.markCommitted([a('1')]);
    expect(commits.hasCommitted('t', 0)).toBe(true);
    expect(commits.hasCommitted('t', 1)).toBe(false);
    expect(commits.hasCommitted('u', 0)).toBe(false);
  });
});
