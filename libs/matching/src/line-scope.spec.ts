import type { EndpointSnapshot } from '@herald/contracts';
import { sampleEndpointSnapshot } from '@herald/testing/fixtures';
import { eventLine, onLine } from './line-scope';
import { SubscriptionIndex } from './subscription-index';

function endpoint(id: string, overrides: Partial<EndpointSnapshot> = {}): EndpointSnapshot {
  return sampleEndpointSnapshot({ id, workspaceId: 'ws_1', eventTypes: ['message.received'], ...overrides });
}

const onLineOf = (lineId?: string) => ({
  type: 'message.received',
  workspaceId: 'ws_1',
  data: { id: 'msg_1', conversationId: 'cnv_1', communicationType: 'sms', ...(lineId ? { lineId } : {}) },
});
const ids = (list: EndpointSnapshot[]) => list.map((e) => e.id).sort();

describe('line scoping', () => {
  it('reads the line from data.lineId', () => {
    expect(eventLine(onLineOf('+15551234567'))).toBe('+15551234567');
    expect(eventLine(onLineOf())).toBeUndefined();
    expect(eventLine({ data: { lineId: 7 } })).toBeUndefined();
    expect(eventLine({})).toBeUndefined();
    expect(onLine(null, undefined)).toBe(true);
    expect(onLine('A', 'B')).toBe(false);
  });

  it('delivers an event on line A only to A and to endpoints without a line', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint('a', { line: 'A' }));
    index.upsert(endpoint('b', { line: 'B' }));
    index.upsert(endpoint('any'));
    expect(ids(index.match(onLineOf('A')))).toEqual(['a', 'any']);
    expect(ids(index.match(onLineOf('B')))).toEqual(['any', 'b']);
    expect(ids(index.match(onLineOf('C')))).toEqual(['any']);
    expect(ids(index.match(onLineOf()))).toEqual(['any']);
  });

  it('scopes filtered endpoints by line as well', () => {
    const index = new SubscriptionIndex();
    const filter = { 'data.communicationType': 'sms' };
    index.upsert(endpoint('a', { line: 'A', filter }));
    index.upsert(endpoint('b', { line: 'B', filter }));
    expect(ids(index.match(onLineOf('A')))).toEqual(['a']);
    expect(ids(index.match(onLineOf()))).toEqual([]);
  });

  it('follows a line change and a line removal', () => {
    const index = new SubscriptionIndex();
    index.upsert(endpoint('a', { line: 'A' }));
    expect(ids(index.match(onLineOf('A')))).toEqual(['a']);
    index.upsert(endpoint('a', { version: 2, line: 'B' }));
    expect(ids(index.match(onLineOf('A')))).toEqual([]);
    expect(ids(index.match(onLineOf('B')))).toEqual(['a']);
    index.upsert(endpoint('a', { version: 3, line: null }));
    expect(ids(index.match(onLineOf('A')))).toEqual(['a']);
  });
});
