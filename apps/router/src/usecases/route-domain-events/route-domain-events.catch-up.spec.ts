import {
  DomainError,
  type EndpointSnapshot,
  ErrorCode,
  EventValidator,
  KafkaHeaders,
} from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { DedupeWindow } from '../../dedupe/dedupe-window';
import { RouteDomainEventsUseCase } from './route-domain-events.usecase';
import { MarkerTrail } from '../../dedupe/marker-trail';

const limits = {
  HERALD_MAX_EVENT_BYTES: 2_048,
  HERALD_ROUTER_MAX_RECORDS_PER_SEND: 100,
  HERALD_ROUTER_MAX_BYTES_PER_SEND: 1_000_000,
  HERALD_MAX_DEAD_LETTER_BYTES: 4_096,
};

const snapshot = (id: string, version: number): EndpointSnapshot =>
  ({
    id,
    workspaceId: 'ws_1',
    version,
    url: 'https://example.test',
    eventTypes: ['message.*'],
    filter: null,
    payloadProfile: 'herald',
    disabled: false,
  }) as EndpointSnapshot;

const eventRecord = (id: string) => ({
  key: Buffer.from('k'),
  offset: '0',
  timestamp: '1774015200000',
  headers: {},
  value: Buffer.from(
    JSON.stringify({
      id,
      type: 'message.received',
      workspaceId: 'ws_1',
      occurredAt: '2026-03-20T14:00:00.000Z',
      data: { id: `msg_${id}`, conversationId: 'cnv_1' },
    }),
  ),
});

function setup(catchUp: (index: SubscriptionIndex) => Promise<boolean>) {
  const index = new SubscriptionIndex();
  const dedupe = new DedupeWindow(86_400_000, 1_000);
  const sent: OutgoingRecord[] = [];
  const producer = { send: jest.fn(async (records: OutgoingRecord[]) => void sent.push(...records)) };
  const feed = { catchUp: jest.fn(() => catchUp(index)) };
  const useCase = new RouteDomainEventsUseCase(
    index,
    dedupe,
    new EventValidator(),
    producer as never,
    limits as never,
    feed,
    new MarkerTrail(),
  );
  const run = () => useCase.execute({ topic: 'domain.messages', partition: 0, records: [eventRecord('e1')] });
  return { index, dedupe, producer, feed, sent, run };
}

describe('RouteDomainEventsUseCase catch-up (read-your-writes)', () => {
  it('catches the index up before matching, so an endpoint written just before the event is matched', async () => {
    // The catch-up is what applies the snapshot: the index held nothing when the batch arrived.
    const t = setup(async (index) => {
      index.upsert(snapshot('ep_new', 4));
      return true;
    });
    await t.run();
    expect(t.feed.catchUp).toHaveBeenCalledTimes(1);
    const deliveries = t.sent.filter((r) => r.key === 'ep_new');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].headers?.[KafkaHeaders.endpointVersion]).toBe('4');
  });

  it('routes nothing and fails the batch when the index cannot catch up in time', async () => {
    const t = setup(async () => false);
    t.index.upsert(snapshot('ep_a', 1));
    const attempt = t.run();
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.SubscriptionsBehind });
    expect(t.producer.send).not.toHaveBeenCalled();
    // Nothing is remembered, so the batch read again fans out.
    expect(t.dedupe.has(DedupeWindow.key('ws_1', 'e1'), Date.now())).toBe(false);
  });
});
