import { api, wsPath } from './client';
import type { CreatedEndpoint, Endpoint, Health, Job, Page, TestResult } from './types';

export const HEALTH_WINDOWS = ['1h', '24h', '7d', '30d'] as const;
export type HealthWindow = (typeof HEALTH_WINDOWS)[number];

export type EndpointInput = Partial<
  Pick<
    Endpoint,
    | 'url'
    | 'eventTypes'
    | 'description'
    | 'payloadProfile'
    | 'signatureScheme'
    | 'timeoutMs'
    | 'fifo'
    | 'disabled'
    | 'filter'
    | 'rateLimitPerSecond'
  >
>;

export const endpointsApi = {
  list: (ws: string, cursor?: string | null) =>
    api<Page<Endpoint>>('GET', wsPath(ws, '/endpoints'), { query: { cursor, limit: 50 } }),
  get: (ws: string, id: string) => api<Endpoint>('GET', wsPath(ws, `/endpoints/${id}`)),
  create: (ws: string, body: EndpointInput) =>
    api<CreatedEndpoint>('POST', wsPath(ws, '/endpoints'), { body }),
  update: (ws: string, id: string, body: EndpointInput) =>
    api<Endpoint>('PATCH', wsPath(ws, `/endpoints/${id}`), { body }),
  remove: (ws: string, id: string) => api<void>('DELETE', wsPath(ws, `/endpoints/${id}`)),
  test: (ws: string, id: string) => api<TestResult>('POST', wsPath(ws, `/endpoints/${id}/test`)),
  revealSecret: (ws: string, id: string) =>
    api<{ id: string; secret: string; publicKey: string | null; expiresAt: string | null }>(
      'GET',
      wsPath(ws, `/endpoints/${id}/secret`),
    ),
  rotateSecret: (ws: string, id: string, gracePeriod: string) =>
    api<{ id: string; secret: string; publicKey: string | null; previousExpiresAt: string | null }>(
      'POST',
      wsPath(ws, `/endpoints/${id}/secret/rotate`),
      { body: { gracePeriod } },
    ),
  health: (ws: string, id: string, window: HealthWindow) =>
    api<Health>('GET', wsPath(ws, `/endpoints/${id}/health`), { query: { window } }),
  healthAll: (ws: string, window: HealthWindow) =>
    api<{ data: Health[] }>('GET', wsPath(ws, '/endpoints/health'), { query: { window } }),
  recover: (ws: string, id: string, body: { since: string; until?: string }) =>
    api<Job>('POST', wsPath(ws, `/endpoints/${id}/recover`), { body }),
  backfill: (ws: string, id: string, body: { since: string }) =>
    api<Job>('POST', wsPath(ws, `/endpoints/${id}/backfill`), { body }),
};
