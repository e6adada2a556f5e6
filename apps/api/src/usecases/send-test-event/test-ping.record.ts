import { TEST_PING_TRIGGER, type AttemptRecorded } from '@herald/contracts';
import type { PerformedAttempt } from '@herald/http-delivery';

export { TEST_PING_TRIGGER };

/** One test ping as sent: its delivery id (sent as webhook-id), the event and the exact body. */
export interface TestPing {
  deliveryId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  body: string;
  performed: PerformedAttempt;
}

/**
 * The delivery-log record of a test ping: an AttemptRecorded like the dispatcher's, carrying the
 * test marker and the payload, since no DeliveryRequested exists for it. A ping is never retried, so
 * any answer but 2xx ends it ('exhausted', no next attempt).
 */
export function testPingAttempt(
  ping: TestPing,
  endpoint: { id: string; workspaceId: string },
  attemptId: string,
): AttemptRecorded {
  const { result, request } = ping.performed;
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  const httpFailure = !ok && result.status !== null;
  // Named as the dispatcher names them (planAttemptOutcome): a 3xx is a redirect not followed.
  const httpClass =
    result.status !== null && result.status >= 300 && result.status < 400 ? 'redirect' : 'http_status';
  return {
    kind: 'AttemptRecorded',
    attemptId,
    deliveryId: ping.deliveryId,
    workspaceId: endpoint.workspaceId,
    endpointId: endpoint.id,
    eventId: ping.eventId,
    eventType: ping.eventType,
    attempt: 1,
    startedAt: ping.performed.startedAt,
    durationMs: result.durationMs,
    request: {
      url: request.url,
      method: 'POST',
      headers: request.headers,
      bodyRef: `delivery:${ping.deliveryId}`,
      ...(request.skippedHeaders?.length ? { skippedHeaders: request.skippedHeaders } : {}),
    },
    response:
      result.status === null
        ? null
        : {
            status: result.status,
            headers: result.headers,
            body: result.body,
            bodyTruncated: result.bodyTruncated,
          },
    remoteIp: result.remoteIp,
    errorClass: httpFailure ? httpClass : result.errorClass,
    errorMessage: httpFailure ? `receiver answered ${result.status}` : result.errorMessage,
    outcome: ok ? 'succeeded' : 'exhausted',
    nextAttemptAt: null,
    traceId: null,
    spanId: null,
    testPing: { payload: ping.body, occurredAt: ping.occurredAt },
    // A ping's delivery row is made from this record alone: its creation time is the ping's start.
    deliveryCreatedAt: ping.performed.startedAt,
  };
}
