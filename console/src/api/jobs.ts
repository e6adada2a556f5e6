import { api, wsPath } from './client';
import type { Job } from './types';

export const jobsApi = {
  list: (ws: string) => api<{ data: Job[] }>('GET', wsPath(ws, '/jobs'), { query: { limit: 20 } }),
  get: (ws: string, id: string) => api<Job>('GET', wsPath(ws, `/jobs/${id}`)),
  cancel: (ws: string, id: string) => api<Job>('POST', wsPath(ws, `/jobs/${id}/cancel`)),
};
