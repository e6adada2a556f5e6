import { createHash } from 'node:crypto';
import type { DomainEvent } from './domain-event.envelope';
import type { OperationalEvent } from './operational.event';

/**
 * The id an operational record is delivered under: a hash of its exact bytes. A producer's resend and
 * a re-read after a crash carry the same bytes, so the router's dedupe and the deterministic delivery
 * ids collapse them; two different events never share it.
 */
export function operationalEventId(value: Buffer | string): string {
  return `op_${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/**
 * The catalogue event a customer receives for an operational record: the same envelope as a domain
 * event, with `data` built field by field from what the type documents (`operational.schemas.ts`).
 * `reason` is operator text (thresholds, settings, receiver errors) and is never copied, nor is
 * anything else the record may carry.
 */
export function operationalDomainEvent(event: OperationalEvent, id: string): DomainEvent {
  return {
    id,
    type: event.type,
    workspaceId: event.workspaceId,
    occurredAt: event.at,
    data: customerData(event),
  };
}

function customerData(event: OperationalEvent): Record<string, unknown> {
  const d = event.details ?? {};
  const endpointId = event.endpointId;
  switch (event.type) {
    case 'endpoint.failing':
      return defined({
        endpointId,
        threshold: d.threshold,
        failingSince: d.failingSince,
        disableAt: d.disableAt,
      });
    case 'endpoint.recovered':
      return defined({ endpointId, failingSince: d.failingSince, threshold: d.threshold });
    case 'endpoint.disabled':
      return defined({
        endpointId,
        cause: d.cause ?? legacyCause(event.reason),
        deliveryId: event.deliveryId,
      });
    case 'endpoint.circuit_opened':
      return defined({ endpointId, probeAt: d.probeAt });
    case 'delivery.exhausted':
      return defined({
        endpointId,
        deliveryId: event.deliveryId ?? undefined,
        eventId: d.eventId,
        eventType: d.eventType,
        attempts: d.attempts,
      });
    case 'endpoint.enabled':
    case 'endpoint.circuit_closed':
      return { endpointId };
  }
}

/** Records from before `details` carried the auto-disable command's reason code as `reason`. */
function legacyCause(reason: string): string | undefined {
  return reason === 'endpoint_gone' || reason === 'endpoint_failing' ? reason : undefined;
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}
