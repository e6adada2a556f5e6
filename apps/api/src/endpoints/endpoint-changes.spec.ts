import { DomainError } from '@herald/contracts';
import type { EndpointEntity } from '@herald/persistence';
import { SecretCipher, sealHeaders } from '@herald/signing';
import { applyEndpointChanges, applyHeaderChange, changesSigning, currentHeaders } from './endpoint-changes';

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
    productProfile: null,
    payloadProfile: 'herald',
    signatureScheme: 'standard-webhooks',
    signatureHeader: null,
    legacyHeaders: {},
    sealedHeaders: {},
    eventVersion: null,
    line: null,
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

describe('applyHeaderChange (header values are sealed)', () => {
  const cipher = new SecretCipher(Buffer.alloc(32, 5));

  it('seals new values and reports the change; the stored values are envelopes, never the clear text', () => {
    const e = endpoint();
    expect(applyHeaderChange(e, { 'X-Partner-Key': 'pk_live_1' }, cipher)).toBe(true);
    expect(JSON.stringify(e)).not.toContain('pk_live_1');
    expect(currentHeaders(e, cipher)).toEqual({ 'X-Partner-Key': 'pk_live_1' });
  });

  it('reports no change for the same values in clear, so re-registration keeps its version', () => {
    const e = endpoint({ sealedHeaders: sealHeaders(cipher, { 'X-Partner-Key': 'pk_live_1' }) });
    const before = { ...e.sealedHeaders };
    expect(applyHeaderChange(e, { 'X-Partner-Key': 'pk_live_1' }, cipher)).toBe(false);
    expect(e.sealedHeaders).toEqual(before);
    expect(applyHeaderChange(e, { 'X-Partner-Key': 'pk_live_2' }, cipher)).toBe(true);
  });

  it('moves clear values saved before sealing into sealed ones when headers are sent', () => {
    const e = endpoint({ legacyHeaders: { 'X-Partner-Key': 'pk_old' } });
    expect(currentHeaders(e, cipher)).toEqual({ 'X-Partner-Key': 'pk_old' });
    expect(applyHeaderChange(e, { 'X-Partner-Key': 'pk_old' }, cipher)).toBe(true);
    expect(e.legacyHeaders).toEqual({});
    expect(currentHeaders(e, cipher)).toEqual({ 'X-Partner-Key': 'pk_old' });
  });

  it('leaves headers alone when none are sent', () => {
    const e = endpoint({ legacyHeaders: { 'X-Partner-Key': 'pk_old' } });
    expect(applyHeaderChange(e, undefined, cipher)).toBe(false);
    expect(e.legacyHeaders).toEqual({ 'X-Partner-Key': 'pk_old' });
  });
});
