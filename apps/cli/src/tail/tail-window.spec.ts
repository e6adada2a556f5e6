import type { DeliverySummary } from '../output/delivery-lines';
import { TailWindow } from './tail-window';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
function delivery(id: string, createdMs: number, status = 'pending', attemptCount = 0): DeliverySummary {
  return {
    id,
    endpointId: 'e',
    eventId: `ev-${id}`,
    eventType: 'message.received',
    status,
    trigger: 'event',
    test: false,
    attemptCount,
    createdAt: at(createdMs),
    lastAttemptAt: attemptCount > 0 ? at(createdMs + attemptCount * 100) : null,
    lastResponseStatus: null,
    nextAttemptAt: null,
  };
}

describe('TailWindow', () => {
  it('shows each delivery once per state, oldest first, and nothing from before the start', () => {
    const window = new TailWindow(T0, 60_000);
    expect(
      window
        .observe([delivery('b', 2_000), delivery('a', 1_000), delivery('old', -5)], T0 + 3_000)
        .map((d) => d.id),
    ).toEqual(['a', 'b']);
    // the same page again: nothing new
    expect(window.observe([delivery('b', 2_000), delivery('a', 1_000)], T0 + 4_000)).toEqual([]);
    // a moved on: shown again; b unchanged
    const next = window.observe([delivery('b', 2_000), delivery('a', 1_000, 'succeeded', 1)], T0 + 5_000);
    expect(next.map((d) => `${d.id}:${d.status}`)).toEqual(['a:succeeded']);
  });

  it('reads from the start, then a window back from now', () => {
    const window = new TailWindow(T0, 60_000);
    expect(window.since(T0 + 10_000)).toBe(at(0));
    expect(window.since(T0 + 100_000)).toBe(at(40_000));
  });

  it('forgets deliveries well past the window, so memory stays flat', () => {
    const window = new TailWindow(T0, 1_000);
    window.observe([delivery('a', 0), delivery('b', 100)], T0 + 200);
    expect(window.size).toBe(2);
    window.observe([delivery('c', 5_000)], T0 + 5_000);
    expect(window.size).toBe(1);
  });
});
