import { KafkaHeaders } from '../kafka-headers';
import { Topics } from '../topics';
import { attemptRecordedRecord, decodeAttemptRecorded, type AttemptRecorded } from './attempt-recorded.event';
import { deadLetterReasonOf, deadLetterRecord } from './dead-letter.event';
import {
  decodeDeliveryRequested,
  deferredDeliveryRecord,
  type DeliveryRequested,
  retryDeliveryRecord,
} from './delivery-requested.event';
import { decodeEndpointHealth, endpointHealth, endpointHealthRecord } from './endpoint-health.event';
import { decodeFifoLaneRecord, fifoLaneRecord } from './fifo-lane-entry.event';
import { decodeOperationalEvent, operationalEventRecord } from './operational.event';

const delivery: DeliveryRequested = {
  kind: 'DeliveryRequested',
  deliveryId: 'dlv_1',
  workspaceId: 'ws_1',
  endpointId: 'ep_1',
  eventId: 'evt_1',
  eventType: 'message.created',
  occurredAt: '2026-06-01T00:00:00.000Z',
  attempt: 1,
  payload: '{"a":1}',
  requestedAt: '2026-06-01T00:00:00.000Z',
  trigger: 'event',
};
const origin = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('records the dispatcher writes', () => {
  it('retry: attempt+1 on the tier, origin kept, own traceparent dropped, due time and FIFO place set', () => {
    const record = retryDeliveryRecord({
      delivery,
      nextAttempt: 2,
      requestedAt: '2026-06-01T00:00:05.000Z',
      tierTopic: 'herald.retry.5s',
      key: 'ep_1',
      headers: { [KafkaHeaders.traceparent]: origin, 'x-extra': ['kept', 'second'] },
      dueAt: 123,
      previousAttemptTraceparent: 'prev',
      fifoSeq: 7n,
    });
    expect(record).toMatchObject({ topic: 'herald.retry.5s', key: 'ep_1' });
    expect(decodeDeliveryRequested(record.value as string)).toMatchObject({ attempt: 2, trigger: 'retry' });
    expect(record.headers).toEqual({
      'x-extra': 'kept',
      [KafkaHeaders.originTraceparent]: origin,
      [KafkaHeaders.previousAttemptTraceparent]: 'prev',
      [KafkaHeaders.dueAt]: '123',
      [KafkaHeaders.fifoSeq]: '7',
    });
  });

  it('deferred: the same bytes, due later; the parser refuses what is not a delivery', () => {
    const value = Buffer.from(JSON.stringify(delivery));
    const record = deferredDeliveryRecord({
      tierTopic: 'herald.retry.1m',
      key: 'ep_1',
      value,
      headers: {},
      dueAt: 9,
    });
    expect(record.value).toBe(value);
    expect(record.headers).toEqual({ [KafkaHeaders.dueAt]: '9' });
    expect(decodeDeliveryRequested(JSON.stringify({ ...delivery, attempt: 0 }))).toBeUndefined();
    expect(decodeDeliveryRequested('nope')).toBeUndefined();
  });

  it('dead letter: the bytes as read with the reason code header', () => {
    const record = deadLetterRecord({ key: 'ep_1', value: 'raw', headers: { a: 'b' }, reason: 'exhausted' });
    expect(record).toEqual({
      topic: Topics.deliveriesDead,
      key: 'ep_1',
      value: 'raw',
      headers: { a: 'b', [KafkaHeaders.reasonCode]: 'exhausted' },
    });
    expect(deadLetterReasonOf(record.headers)).toBe('exhausted');
    expect(deadLetterReasonOf({ [KafkaHeaders.reasonCode]: 'made_up' })).toBeUndefined();
  });

  it('attempt, operational event, health and lane entries round-trip through their parsers', () => {
    const attempt = {
      kind: 'AttemptRecorded',
      attemptId: 'a',
      deliveryId: 'dlv_1',
      endpointId: 'ep_1',
      attempt: 1,
      outcome: 'succeeded',
    } as AttemptRecorded;
    const attemptRecord = attemptRecordedRecord(attempt);
    expect(attemptRecord).toMatchObject({ topic: Topics.attempts, key: 'dlv_1' });
    expect(decodeAttemptRecorded(attemptRecord.value as string)).toEqual(attempt);

    const event = operationalEventRecord({
      type: 'delivery.exhausted',
      workspaceId: 'ws_1',
      endpointId: 'ep_1',
      deliveryId: 'dlv_1',
      reason: 'r',
      at: '2026-06-01T00:00:00.000Z',
    });
    expect(event).toMatchObject({ topic: Topics.operational, key: 'ep_1' });
    expect(decodeOperationalEvent(event.value as string)).toMatchObject({
      kind: 'OperationalEvent',
      type: 'delivery.exhausted',
    });

    const health = endpointHealth({
      endpointId: 'ep_1',
      version: 3,
      failingSince: '2026-06-01T00:00:00.000Z',
    });
    const healthRecord = endpointHealthRecord('ep_1', health, 'w');
    expect(healthRecord.headers).toEqual({ [KafkaHeaders.healthWriter]: 'w' });
    expect(decodeEndpointHealth(healthRecord.value as string)).toEqual(health);
    expect(endpointHealthRecord('ep_1', null, 'w').value).toBeNull();

    const lane = fifoLaneRecord({
      endpointId: 'ep/x',
      seq: 12n,
      entry: { dueAt: 5, blocking: true },
      writerId: 'w',
    });
    expect(lane.key).toBe('ep/x/12');
    expect(decodeFifoLaneRecord(lane.key!, lane.value as string)).toEqual({
      ok: true,
      endpointId: 'ep/x',
      seq: 12n,
      entry: { dueAt: 5, blocking: true },
    });
    expect(decodeFifoLaneRecord('ep/12', null)).toMatchObject({ ok: true, entry: null });
    expect(decodeFifoLaneRecord('no-seq', null).ok).toBe(false);
  });
});
