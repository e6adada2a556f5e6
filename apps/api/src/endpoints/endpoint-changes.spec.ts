import { DomainError } from '@herald/contracts';
import type { EndpointEntity } from '@herald/persistence';
import { applyEndpointChanges, changesSigning } from './endpoint-changes';

function endpoint(overrides: Partial<EndpointEntity> = {}): EndpointEntity {
  const at = new Date('2026-12-01T00:00:00Z');
  return {
    id: '6f1c0e1e-0000-4000-8000-000000000001',
    workspaceId: 'ws',
    version: 1,
    url: 'https://receiver.example.test/hook',
    eventTypes: ['message.received'],
    filter: null,
    description: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    headers: {},
    timeoutMs: 15_000,
    maxInFlight: 16,
    rateLimitPerSecond: null,
    retrySchedule: null,
    fifo: false,
    disabled: false,
    disabledReason: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('applyEndpointChanges', () => {
  it('reports no change when the sent values are the stored ones (re-registration keeps its version)', () => {
    const e = endpoint();
    expect(applyEndpointChanges(e, { eventTypes: ['message.received'], fifo: false })).toBe(false);
  });

  it('applies new event types and settings and reports the change', () => {
    const e = endpoint();
    expect(
      applyEndpointChanges(e, { eventTypes: ['message.received', 'lead.created'], timeoutMs: 5_000 }),
    ).toBe(true);
    expect(e).toMatchObject({ eventTypes: ['message.received', 'lead.created'], timeoutMs: 5_000 });
  });

  it('keeps the reason of an endpoint disabled again, and clears it when re-enabled', () => {
    const e = endpoint({ disabled: true, disabledReason: 'auto-disabled: 410' });
    expect(applyEndpointChanges(e, { disabled: true })).toBe(false);
    expect(e.disabledReason).toBe('auto-disabled: 410');
    expect(applyEndpointChanges(e, { disabled: false })).toBe(true);
    expect(e.disabledReason).toBeNull();
  });

  it('refuses switching between ed25519 and HMAC schemes', () => {
    expect(() => applyEndpointChanges(endpoint(), { signatureScheme: 'ed25519' })).toThrow(DomainError);
  });
});

describe('changesSigning', () => {
  it('is true for the fields that decide the signature header, so custom headers are checked again', () => {
    expect(changesSigning({ signatureScheme: 'hmac-hex' })).toBe(true);
    expect(changesSigning({ signatureHeader: 'X-Sig' })).toBe(true);
    expect(changesSigning({ payloadProfile: 'nexadesk' })).toBe(true);
    expect(changesSigning({ description: 'x' })).toBe(false);
  });
});
