import { DomainError } from '@herald/contracts';
import { decodeCursor, encodeCursor, parseTime } from './page-cursor';

describe('page cursor', () => {
  it('round-trips the keyset position', () => {
    const at = new Date('2026-11-22T10:00:00.123Z');
    expect(decodeCursor(encodeCursor(at, 'd-1'))).toEqual({ createdAt: at, deliveryId: 'd-1' });
  });

  it.each(['nonsense', Buffer.from('["not a date","x"]').toString('base64url'), ''])(
    'refuses %j',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(DomainError);
    },
  );

  it('parses ISO times and names the field of a bad one', () => {
    expect(parseTime('2026-11-22T10:00:00Z', 'since')?.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(parseTime(undefined, 'since')).toBeUndefined();
    expect(() => parseTime('yesterday', 'since')).toThrow(/since/);
  });
});
