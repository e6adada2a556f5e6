import { cell, colorEnabled, makeColors, paintStatus, renderRecord, renderTable } from './format';
import { attemptStatus, renderDeliveryLine, type DeliverySummary } from './delivery-lines';

const ESC = new RegExp(String.fromCharCode(27) + '\\[');
const plain = makeColors(false);

describe('output formatting', () => {
  it('turns colour on only for a terminal without NO_COLOR or --no-color', () => {
    expect(colorEnabled({ isTTY: true, env: {}, flag: true })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {}, flag: true })).toBe(false);
    expect(colorEnabled({ isTTY: undefined, env: {}, flag: true })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '' }, flag: true })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: {}, flag: false })).toBe(false);
  });

  it('renders cells, tables and records as plain text without colour', () => {
    expect([cell(null), cell([]), cell(['a', 'b']), cell({ a: 1 }), cell(3)]).toEqual([
      '-',
      '-',
      'a, b',
      '{"a":1}',
      '3',
    ]);
    const table = renderTable(
      [
        { header: 'id', value: (r: { id: string; n: number | null }) => r.id },
        { header: 'n', value: (r) => r.n },
      ],
      [
        { id: 'first', n: 1 },
        { id: 'x', n: null },
      ],
      plain,
    );
    expect(table.split('\n')).toEqual(['id     n', 'first  1', 'x      -']);
    expect(renderRecord({ id: 'e1', disabled: false }, plain)).toBe('id        e1\ndisabled  false');
    expect(table + renderRecord({ a: 1 }, plain)).not.toMatch(ESC);
  });

  it('paints statuses only when colour is on', () => {
    expect(paintStatus('failed', plain)).toBe('failed');
    expect(paintStatus('failed', makeColors(true))).toMatch(ESC);
  });

  it('renders a delivery line with its attempt status', () => {
    const delivery: DeliverySummary = {
      id: 'd1',
      endpointId: 'e1',
      eventId: 'ev1',
      eventType: 'message.received',
      status: 'retrying',
      trigger: 'event',
      test: false,
      attemptCount: 2,
      createdAt: '2026-12-02T10:00:00.000Z',
      lastAttemptAt: '2026-12-02T10:00:01.500Z',
      lastResponseStatus: 503,
      nextAttemptAt: '2026-12-02T10:00:06.000Z',
    };
    expect(renderDeliveryLine(delivery, plain)).toBe(
      '10:00:01  retrying   message.received       attempt 2: HTTP 503, next 10:00:06  d1 -> e1',
    );
    expect(attemptStatus({ ...delivery, attemptCount: 0 })).toBe('no attempt yet');
    expect(renderDeliveryLine({ ...delivery, trigger: 'manual-retry', test: true }, plain)).toMatch(
      /\[manual-retry\] \[test\]$/,
    );
  });
});
