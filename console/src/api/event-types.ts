import { api } from './client';
import type { EventType } from './types';

export const eventTypesApi = {
  list: () => api<{ data: EventType[]; envelope: Record<string, unknown> }>('GET', '/v1/event-types'),
};
