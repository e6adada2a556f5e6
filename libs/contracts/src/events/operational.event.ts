export type OperationalEventType =
  'endpoint.disabled' | 'endpoint.circuit_opened' | 'endpoint.circuit_closed' | 'delivery.exhausted';

/** State changes that must never be silent, on `herald.operational` keyed by endpoint id. */
export interface OperationalEvent {
  kind: 'OperationalEvent';
  type: OperationalEventType;
  workspaceId: string;
  endpointId: string;
  deliveryId: string | null;
  reason: string;
  at: string;
}
