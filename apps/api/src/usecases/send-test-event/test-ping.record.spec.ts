import { decodeAttemptRecorded } from '@herald/contracts';
import type { SendResult } from '@herald/http-delivery';
import { testPingAttempt, type TestPing } from './test-ping.record';

const endpoint = { id: 'ep_1', workspaceId: 'ws_1' };

function ping(result: Partial<SendResult>): TestPing {
  return {
    deliveryId: 'd_1',
    eventId: 'test_1',
    eventType: 'herald.test',
    occurredAt: '2026-12-01T00:00:00.000Z',
    body: '{"event":"herald.test"}',
    performed: {
      startedAt: '2026-12-01T00:00:01.000Z',
      request: { url: 'https://example.com/hook', method: 'POST', headers: { 'webhook-id': 'd_1' } },
      result: {
        status: 200,
        headers: {},
        body: 'ok',
        bodyTruncated: false,
        durationMs: 12,
        remoteIp: '203.0.113.5',
        errorClass: null,
        errorMessage: null,
        ...result,
      },
    },
  };
}

describe('testPingAttempt', () => {
  it('is an AttemptRecorded carrying the test marker and payload, so the projector can make its row', () => {
    const record = testPingAttempt(ping({}), endpoint, 'a_1');
    expect(decodeAttemptRecorded(JSON.stringify(record))).toEqual(record);
    expect(record).toMatchObject({
      attemptId: 'a_1',
      deliveryId: 'd_1',
      endpointId: 'ep_1',
      workspaceId: 'ws_1',
      eventType: 'herald.test',
      attempt: 1,
      outcome: 'succeeded',
      nextAttemptAt: null,
      response: { status: 200, body: 'ok' },
      request: { bodyRef: 'delivery:d_1' },
      testPing: { payload: '{"event":"herald.test"}', occurredAt: '2026-12-01T00:00:00.000Z' },
      deliveryCreatedAt: '2026-12-01T00:00:01.000Z',
    });
  });

  it('ends a ping answered with an error status: exhausted, never a next attempt', () => {
    expect(testPingAttempt(ping({ status: 503, body: 'down' }), endpoint, 'a_1')).toMatchObject({
      outcome: 'exhausted',
      nextAttemptAt: null,
      errorClass: 'http_status',
      errorMessage: 'receiver answered 503',
    });
    expect(testPingAttempt(ping({ status: 302 }), endpoint, 'a_1').errorClass).toBe('redirect');
  });

  it('records a ping that got no answer with the sender error and no response', () => {
    const record = testPingAttempt(
      ping({ status: null, errorClass: 'timeout', errorMessage: 'timed out' }),
      endpoint,
      'a_1',
    );
    expect(record).toMatchObject({ outcome: 'exhausted', response: null, errorClass: 'timeout' });
  });
});
