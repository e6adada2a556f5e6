import type { EndpointSnapshot } from '@herald/contracts';

/**
 * An enabled endpoint snapshot as the API would publish it to `herald.subscriptions`: every event
 * type, the herald payload, standard-webhooks signatures, no secrets, default limits. Tests give the
 * id and workspace and override what they exercise.
 */
export function sampleEndpointSnapshot(
  overrides: Pick<EndpointSnapshot, 'id' | 'workspaceId'> & Partial<EndpointSnapshot>,
): EndpointSnapshot {
  const now = new Date().toISOString();
  return {
    version: 1,
    url: 'https://receiver.example.test/hook',
    eventTypes: ['*'],
    filter: null,
    description: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    secrets: [],
    headers: {},
    timeoutMs: 5_000,
    maxInFlight: 10,
    rateLimitPerSecond: null,
    retrySchedule: null,
    fifo: false,
    disabled: false,
    disabledReason: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
