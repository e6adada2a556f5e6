import { batchBytes, gatherDelayMs } from './fetch-gathering.policy';

const gathering = { bytes: 16_384, maxWaitMs: 20, busyAbove: 0.5 };

describe('gatherDelayMs', () => {
  it('never waits while the event loop has time to spare', () => {
    expect(gatherDelayMs(100, 0, gathering)).toBe(0);
    expect(gatherDelayMs(100, 0.5, gathering)).toBe(0);
  });

  it('waits after a small batch, longer the busier the loop', () => {
    expect(gatherDelayMs(100, 0.75, gathering)).toBe(10);
    expect(gatherDelayMs(100, 1, gathering)).toBe(20);
  });

  it('fetches again at once after a full batch (a backlog), however busy', () => {
    expect(gatherDelayMs(16_384, 1, gathering)).toBe(0);
  });

  it('is off at a zero wait, or a threshold no loop can pass', () => {
    expect(gatherDelayMs(100, 1, { ...gathering, maxWaitMs: 0 })).toBe(0);
    expect(gatherDelayMs(100, 1, { ...gathering, busyAbove: 1 })).toBe(0);
  });
});

describe('batchBytes', () => {
  it('counts keys and values, tombstones as empty', () => {
    expect(
      batchBytes([
        { key: Buffer.from('ab'), value: Buffer.from('xyz') },
        { key: null, value: null },
      ]),
    ).toBe(5);
  });
});
