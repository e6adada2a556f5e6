import { decodeAttemptRecorded, type AttemptRecorded } from './attempt-recorded.event';
import {
  createdAtFromSourceRecord,
  decodeDeliveryRequested,
  retryDeliveryRecord,
  type DeliveryRequested,
} from './delivery-requested.event';

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
  requestedAt: '2026-06-01T00:00:02.000Z',
  trigger: 'event',
};
const attempt = {
  kind: 'AttemptRecorded',
  attemptId: 'a',
  deliveryId: 'dlv_1',
  endpointId: 'ep_1',
  attempt: 1,
  startedAt: '2026-06-01T00:00:03.000Z',
  outcome: 'succeeded',
} as AttemptRecorded;
const createdAt = '2026-06-01T00:00:01.000Z';

describe('partition key fields (createdAt, deliveryCreatedAt)', () => {
  it('DeliveryRequested decodes with and without createdAt', () => {
    expect(decodeDeliveryRequested(JSON.stringify(delivery))).toEqual(delivery);
    expect(decodeDeliveryRequested(JSON.stringify(delivery))?.createdAt).toBeUndefined();
    expect(decodeDeliveryRequested(JSON.stringify({ ...delivery, createdAt }))?.createdAt).toBe(createdAt);
  });

  it('DeliveryRequested with a malformed createdAt still decodes, without it', () => {
    for (const bad of [42, 'not a date', null]) {
      const decoded = decodeDeliveryRequested(JSON.stringify({ ...delivery, createdAt: bad }));
      expect(decoded).toMatchObject({ deliveryId: 'dlv_1' });
      expect(decoded).not.toHaveProperty('createdAt');
    }
  });

  it('AttemptRecorded decodes with and without deliveryCreatedAt', () => {
    expect(decodeAttemptRecorded(JSON.stringify(attempt))).toEqual(attempt);
    expect(decodeAttemptRecorded(JSON.stringify({ ...attempt, deliveryCreatedAt: createdAt }))).toEqual({
      ...attempt,
      deliveryCreatedAt: createdAt,
    });
    const bad = decodeAttemptRecorded(JSON.stringify({ ...attempt, deliveryCreatedAt: 'soon' }));
    expect(bad).toMatchObject({ attemptId: 'a' });
    expect(bad).not.toHaveProperty('deliveryCreatedAt');
  });

  it('a retry keeps the delivery createdAt while requestedAt moves on', () => {
    const record = retryDeliveryRecord({
      delivery: { ...delivery, createdAt },
      nextAttempt: 2,
      requestedAt: '2026-06-01T00:05:00.000Z',
      tierTopic: 'herald.retry.5m',
      key: 'ep_1',
      headers: {},
      dueAt: 1,
    });
    expect(decodeDeliveryRequested(record.value as string)).toMatchObject({
      attempt: 2,
      createdAt,
      requestedAt: '2026-06-01T00:05:00.000Z',
    });
  });

  it('createdAt from a source record timestamp: ISO of the epoch ms, undefined when there is none', () => {
    expect(createdAtFromSourceRecord('1780272001000')).toBe('2026-06-01T00:00:01.000Z');
    expect(createdAtFromSourceRecord('1780272001000')).toBe(createdAtFromSourceRecord('1780272001000'));
    for (const none of [undefined, '', '-1', 'x', '1.5'])
      expect(createdAtFromSourceRecord(none)).toBeUndefined();
  });
});
