import { DomainError, ErrorCode } from '@herald/contracts';
import { matchesEventType, typePrefixes, validateEventTypePattern } from './event-type-pattern';

describe('event type patterns', () => {
  it.each([
    ['lead.created', 'exact', 'lead.created'],
    ['message.*', 'prefix', 'message'],
    ['a.b.*', 'prefix', 'a.b'],
    ['*', 'all', ''],
  ])('accepts %s as %s', (pattern, kind, value) => {
    expect(validateEventTypePattern(pattern)).toEqual({ kind, value });
  });

  it.each([
    '',
    'message.',
    '.message',
    'message.*.sent',
    'mess*',
    '**',
    'Message.Received',
    'a..b',
    '*.created',
    'a b',
  ])('rejects %j with InvalidEventTypePattern', (pattern) => {
    expect(() => validateEventTypePattern(pattern)).toThrow(DomainError);
    try {
      validateEventTypePattern(pattern);
    } catch (error) {
      expect((error as DomainError).code).toBe(ErrorCode.InvalidEventTypePattern);
    }
  });

  it('rejects very long patterns', () => {
    expect(() => validateEventTypePattern(`${'a'.repeat(300)}.created`)).toThrow(/longer than 200/);
  });

  it('matches exact, prefix and all', () => {
    expect(matchesEventType('lead.created', 'lead.created')).toBe(true);
    expect(matchesEventType('lead.created', 'lead.updated')).toBe(false);
    expect(matchesEventType('message.*', 'message.received')).toBe(true);
    expect(matchesEventType('message.*', 'messages.received')).toBe(false);
    expect(matchesEventType('message.*', 'message')).toBe(false);
    expect(matchesEventType('*', 'contact.updated')).toBe(true);
  });

  it('lists the prefixes of a type', () => {
    expect(typePrefixes('a.b.c')).toEqual(['a', 'a.b']);
    expect(typePrefixes('single')).toEqual([]);
  });

  it('* matches every domain type but no operational one, which a prefix or its name matches', () => {
    expect(matchesEventType('*', 'message.received')).toBe(true);
    expect(matchesEventType('*', 'endpoint.failing')).toBe(false);
    expect(matchesEventType('endpoint.*', 'endpoint.failing')).toBe(true);
    expect(matchesEventType('delivery.exhausted', 'delivery.exhausted')).toBe(true);
  });
});
