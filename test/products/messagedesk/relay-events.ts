import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { type DeliveryRequested, Topics } from '@herald/contracts';
import { sampleMessageReceived, type KafkaTap, type TappedRecord } from '@herald/testing';

/** A message event of `type` ('message.received' or 'message.sent') with the fields a relay tests. */
export function messageEvent(
  workspaceId: string,
  type: 'message.received' | 'message.sent',
  data: { communicationType: string; text: string },
) {
  return { ...sampleMessageReceived(workspaceId, { data }), type };
}

/** The only event the sentinel endpoint takes: a text no relay condition matches. */
export const SENTINEL_TEXT = 'sentinel: the router got this far';

type MessageEvent = ReturnType<typeof messageEvent>;

/**
 * Produces `events` under one key, then a sentinel event on the same key (the router handles a key
 * in order), waits until the sentinel endpoint's delivery of it is on herald.deliveries and reads that
 * topic to its end. After that, every delivery the router will ever request for `events` is in the
 * tap: returns, per event id, how many fan-out deliveries `endpointId` got.
 */
export async function routeAndSettle(
  producer: Producer,
  tap: KafkaTap<TappedRecord>,
  sentinel: { workspaceId: string; endpointId: string },
  endpointId: string,
  events: MessageEvent[],
): Promise<Map<string, number>> {
  const key = randomUUID();
  const last = messageEvent(sentinel.workspaceId, 'message.sent', {
    communicationType: 'sms',
    text: SENTINEL_TEXT,
  });
  await producer.send({
    topic: 'domain.messages',
    acks: -1,
    messages: [...events, last].map((event) => ({ key, value: JSON.stringify(event) })),
  });
  const requested = () =>
    tap.records.map((record) => JSON.parse(record.value!.toString()) as DeliveryRequested);
  await tap.waitFor(1, (record) => {
    const delivery = JSON.parse(record.value!.toString()) as DeliveryRequested;
    return delivery.endpointId === sentinel.endpointId && delivery.eventId === last.id;
  });
  await tap.readToEnd(Topics.deliveries);
  const ids = new Set(events.map((event) => event.id));
  const counts = new Map<string, number>();
  for (const delivery of requested()) {
    if (delivery.endpointId !== endpointId || delivery.trigger !== 'event' || !ids.has(delivery.eventId))
      continue;
    counts.set(delivery.eventId, (counts.get(delivery.eventId) ?? 0) + 1);
  }
  return counts;
}
