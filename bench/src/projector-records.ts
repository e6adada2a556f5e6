import { randomUUID } from 'node:crypto';
import type { AttemptRecorded, DeliveryRequested } from '@herald/contracts';
import type { BenchRecord } from './bench-records';

/**
 * One delivery's records as Herald writes them in the throughput burst: the router's request (a
 * rendered message.received body) and the dispatcher's attempt, answered 200 by an Express receiver.
 * Shapes and sizes follow the real records, so the projector does the same work per delivery.
 */
export function projectedDelivery(
  workspaceId: string,
  endpointId: string,
  index: number,
): { request: BenchRecord; attempt: BenchRecord } {
  const deliveryId = randomUUID();
  const eventId = randomUUID();
  const created = new Date();
  const createdAt = created.toISOString();
  const startedAt = new Date(created.getTime() + 3).toISOString();
  const payload = JSON.stringify({
    type: 'message.received',
    timestamp: createdAt,
    data: {
      id: `msg_${index}`,
      conversationId: `cnv_${index % 100}`,
      communicationType: 'sms',
      from: '+17025551111',
      to: ['+17025550100'],
      text: 'The quick brown fox jumps over the lazy dog.',
      outbound: false,
      createdAt,
    },
  });
  const request: DeliveryRequested = {
    kind: 'DeliveryRequested',
    deliveryId,
    workspaceId,
    endpointId,
    eventId,
    eventType: 'message.received',
    occurredAt: createdAt,
    attempt: 1,
    payload,
    requestedAt: createdAt,
    createdAt,
    trigger: 'event',
  };
  const attempt: AttemptRecorded = {
    kind: 'AttemptRecorded',
    attemptId: randomUUID(),
    deliveryId,
    workspaceId,
    endpointId,
    eventId,
    eventType: 'message.received',
    attempt: 1,
    startedAt,
    durationMs: 2.7,
    request: {
      url: `http://127.0.0.1:40123/herald/bench/${index % 16}`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Herald-Webhooks/0.1',
        'webhook-id': deliveryId,
        'webhook-timestamp': String(Math.floor(created.getTime() / 1000)),
        'webhook-attempt': '1',
        traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().slice(0, 16).replace(/-/g, '0')}-01`,
        'webhook-signature': '[redacted]',
      },
      bodyRef: deliveryId,
    },
    response: {
      status: 200,
      headers: {
        'x-powered-by': 'Express',
        'content-type': 'text/plain; charset=utf-8',
        'content-length': '2',
        etag: 'W/"2-nOO9QiTIwXgNtWtBJezz8kv3SLc"',
        date: created.toUTCString(),
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
      },
      body: 'ok',
      bodyTruncated: false,
    },
    remoteIp: '127.0.0.1',
    errorClass: null,
    errorMessage: null,
    outcome: 'succeeded',
    nextAttemptAt: null,
    traceId: randomUUID().replace(/-/g, ''),
    spanId: randomUUID().slice(0, 16).replace(/-/g, '0'),
    deliveryCreatedAt: createdAt,
  };
  return {
    request: { id: deliveryId, key: endpointId, value: JSON.stringify(request) },
    attempt: { id: attempt.attemptId, key: endpointId, value: JSON.stringify(attempt) },
  };
}
