import { api, wsPath } from './client';
import type { ApiKey, Branding, Page, PortalLink, Workspace } from './types';

export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export const PORTAL_PERMISSIONS = ['read', 'replay', 'endpoints.write', 'secrets.read'] as const;

export const workspacesApi = {
  list: (cursor?: string | null) =>
    api<Page<Workspace>>('GET', '/v1/workspaces', { query: { cursor, limit: 50 } }),
  create: (name: string, id?: string) =>
    api<Workspace>('POST', '/v1/workspaces', { body: id ? { name, id } : { name } }),
  keys: (ws: string) => api<{ data: ApiKey[] }>('GET', wsPath(ws, '/api-keys')),
  createKey: (ws: string, name: string, role: string) =>
    api<ApiKey & { key: string }>('POST', wsPath(ws, '/api-keys'), { body: { name, role } }),
  revokeKey: (ws: string, id: string) => api<void>('DELETE', wsPath(ws, `/api-keys/${id}`)),
  portalLinks: (ws: string) => api<{ data: PortalLink[] }>('GET', wsPath(ws, '/portal-links')),
  createPortalLink: (
    ws: string,
    body: { endpointIds?: string[]; expiresInSeconds?: number; permissions?: string[]; branding?: Branding },
  ) => api<PortalLink & { url: string; token: string }>('POST', wsPath(ws, '/portal-links'), { body }),
  revokePortalLink: (ws: string, id: string) => api<void>('DELETE', wsPath(ws, `/portal-links/${id}`)),
};
