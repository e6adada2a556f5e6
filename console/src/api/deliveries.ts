import { api, wsPath } from './client';
import type { Delivery, DeliveryDetail, DeliveryStatus, Page } from './types';

export interface DeliveryFilters {
  endpointId?: string;
  status?: DeliveryStatus | '';
  eventType?: string;
  eventId?: string;
  since?: string;
  until?: string;
}

export const deliveriesApi = {
  /** Newest first. An event id has its own route; the other filters are query parameters. */
  list: (ws: string, filters: DeliveryFilters, cursor?: string | null, limit = 25) => {
    const { eventId, ...rest } = filters;
    if (eventId)
      return api<Page<Delivery>>('GET', wsPath(ws, `/events/${encodeURIComponent(eventId)}/deliveries`), {
        query: { cursor, limit },
      });
    return api<Page<Delivery>>('GET', wsPath(ws, '/deliveries'), { query: { ...rest, cursor, limit } });
  },
  get: (ws: string, id: string) =>
    api<DeliveryDetail>('GET', wsPath(ws, `/deliveries/${encodeURIComponent(id)}`)),
  retry: (ws: string, id: string) =>
    api<{ deliveryId: string; attempt: number }>(
      'POST',
      wsPath(ws, `/deliveries/${encodeURIComponent(id)}/retry`),
    ),
};
