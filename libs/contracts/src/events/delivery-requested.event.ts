/** One delivery of one event to one endpoint, on `herald.deliveries` keyed by endpoint id. */
export interface DeliveryRequested {
  kind: 'DeliveryRequested';
  /** Stable across retries; sent as `webhook-id`. */
  deliveryId: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** 1-based number of the attempt this record asks for. */
  attempt: number;
  /** The exact body bytes (UTF-8 JSON), fixed at fan-out so every retry sends identical bytes. */
  payload: string;
  requestedAt: string;
  /** Why this delivery exists beyond normal fan-out. */
  trigger: 'event' | 'retry' | 'manual-retry' | 'recover' | 'backfill' | 'test';
}
