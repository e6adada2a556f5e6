import { api } from './client';
import type { SystemView } from './types';

export const systemApi = {
  get: () => api<SystemView>('GET', '/v1/system'),
};
