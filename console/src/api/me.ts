import { api } from './client';
import type { Me } from './types';

export const getMe = () => api<Me>('GET', '/v1/me');
