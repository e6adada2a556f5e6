import { TEST_PING_TRIGGER } from '@herald/contracts';
import type { AttemptEntity, DeliveryEntity } from '@herald/persistence';
import type { AttemptView, BodyRemovedView, DeliveryView } from '../../dto/delivery.dto';

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
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  };
}

export function toAttemptView(a: AttemptEntity): AttemptView {
  return {
    id: a.attemptId,
    attempt: a.attempt,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    outcome: a.outcome,
    request: a.request as unknown as Record<string, unknown>,
    response: a.response as unknown as Record<string, unknown> | null,
    remoteIp: a.remoteIp,
    errorClass: a.errorClass,
    errorMessage: a.errorMessage,
    nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
    traceId: a.traceId,
    responseRemoved: removedView(a.responseRemovedAt, a.responseRemovedReason),
  };
}

/** The removal marker, or null while the body is kept. */
export function removedView(at: Date | null, reason: string | null): BodyRemovedView | null {
  return at ? { reason: reason ?? 'purged', at: at.toISOString() } : null;
}
