import type { AttemptRecorded, DeliveryRequested } from '@herald/contracts';

/**
 * A first-attempt DeliveryRequested as the router writes it to `herald.deliveries`: a message.created
 * event, requested (and created) now. Tests give the ids and override what they exercise.
 */
export function sampleDeliveryRequested(
  overrides: Pick<DeliveryRequested, 'deliveryId' | 'workspaceId' | 'endpointId' | 'eventId'> &
    Partial<DeliveryRequested>,
): DeliveryRequested {
  const now = new Date().toISOString();
  return {
    kind: 'DeliveryRequested',
    eventType: 'message.created',
    occurredAt: now,
    attempt: 1,
    payload: '{}',
    requestedAt: now,
    createdAt: now,
    trigger: 'event',
    ...overrides,
  };
}

/**
 * An AttemptRecorded of `request` as the dispatcher writes it to `herald.attempts`: answered 200 with a
 * short body, one second after the request. Tests override what they exercise.
 */
export function sampleAttemptRecorded(
  request: DeliveryRequested,
  overrides: Partial<AttemptRecorded> = {},
): AttemptRecorded {
  return {
    kind: 'AttemptRecorded',
    attemptId: `${request.deliveryId}-${overrides.attempt ?? request.attempt}`,
    deliveryId: request.deliveryId,
    workspaceId: request.workspaceId,
    endpointId: request.endpointId,
    eventId: request.eventId,
    eventType: request.eventType,
    attempt: request.attempt,
    startedAt: new Date(Date.parse(request.requestedAt) + 1000).toISOString(),
    durationMs: 4,
    request: { url: 'http://127.0.0.1:9/hook', method: 'POST', headers: {}, bodyRef: request.deliveryId },
    response: { status: 200, headers: {}, body: 'ok', bodyTruncated: false },
    remoteIp: '127.0.0.1',
    errorClass: null,
    errorMessage: null,
    outcome: 'succeeded',
    nextAttemptAt: null,
    traceId: null,
    spanId: null,
    deliveryCreatedAt: request.createdAt ?? request.requestedAt,
    ...overrides,
  };
}
