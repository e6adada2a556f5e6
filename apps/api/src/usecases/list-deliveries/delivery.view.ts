import { TEST_PING_TRIGGER } from '@herald/contracts';
import type { AttemptWithBody, DeliveryEntity, DeliveryWithPayload } from '@herald/persistence';
import { bodyRemoval, type BodyRemoval, type BodyRemovalReason } from '@herald/retention';
import type { AttemptView, BodyRemovedView, DeliveryDetailView, DeliveryView } from '../../dto/delivery.dto';
import type { WorkspaceRetentionView } from '../../retention/workspace-retention.service';

export function toDeliveryView(d: DeliveryEntity): DeliveryView {
  return {
    id: d.deliveryId,
    workspaceId: d.workspaceId,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    trigger: d.trigger,
    test: d.trigger === TEST_PING_TRIGGER,
    attemptCount: d.attemptCount,
    occurredAt: d.occurredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastResponseStatus: d.lastResponseStatus,
    nextAttemptAt: d.status === 'succeeded' ? null : (d.lastNextAttemptAt?.toISOString() ?? null),
  };
}

/** The purge marker a delivery's row carries, if any. */
export function purgeMarker(d: DeliveryEntity): BodyRemoval | null {
  return d.payloadRemovedAt ? { reason: d.payloadRemovedReason ?? 'purged', at: d.payloadRemovedAt } : null;
}

/** Why the payload is not shown (purge or retention), or null when it is. */
export function payloadRemoval(d: DeliveryEntity, retention: WorkspaceRetentionView): BodyRemoval | null {
  return bodyRemoval({ createdAt: d.createdAt, purged: purgeMarker(d) }, retention.effective, retention.now);
}

export function toDetailView(
  d: DeliveryWithPayload,
  attempts: AttemptWithBody[],
  retention: WorkspaceRetentionView,
): DeliveryDetailView {
  const removed = payloadRemoval(d, retention);
  return {
    ...toDeliveryView(d),
    payload: removed ? null : d.payload,
    payloadRemoved: removedView(removed),
    attempts: attempts.map((a) => toAttemptView(a, d, retention)),
  };
}

function toAttemptView(
  a: AttemptWithBody,
  d: DeliveryEntity,
  retention: WorkspaceRetentionView,
): AttemptView {
  const own = a.responseRemovedAt
    ? { reason: a.responseRemovedReason ?? 'purged', at: a.responseRemovedAt }
    : null;
  // An attempt projected after its delivery was purged never stored its body: the purge covers it.
  const purged = own ?? (a.bodyStored ? null : purgeMarker(d));
  const removed =
    a.responseStatus === null
      ? null
      : bodyRemoval({ createdAt: d.createdAt, purged }, retention.effective, retention.now);
  return {
    id: a.attemptId,
    attempt: a.attempt,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    outcome: a.outcome,
    request: a.request as unknown as Record<string, unknown>,
    response:
      a.responseStatus === null
        ? null
        : {
            status: a.responseStatus,
            bodyTruncated: a.responseBodyTruncated ?? false,
            headers: removed ? null : a.responseHeaders,
            body: removed ? null : a.responseBody,
          },
    remoteIp: a.remoteIp,
    errorClass: a.errorClass,
    errorMessage: a.errorMessage,
    nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
    traceId: a.traceId,
    responseRemoved: removedView(removed),
  };
}

/** The removal marker, or null while the body is kept. */
export function removedView(removal: { reason: BodyRemovalReason; at: Date } | null): BodyRemovedView | null {
  return removal ? { reason: removal.reason, at: removal.at.toISOString() } : null;
}
