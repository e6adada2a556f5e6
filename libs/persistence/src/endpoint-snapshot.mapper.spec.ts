import type { EndpointSnapshot } from '@herald/contracts';
import { fromEndpointSnapshot, toEndpointSnapshot } from './endpoint-snapshot.mapper';

const snapshot: EndpointSnapshot = {
  id: '0b7f3f0e-5f7e-4c36-9a38-4e0c1b8f2a11',
  workspaceId: 'ws-1',
  version: 4,
  url: 'https://example.com/hook',
  eventTypes: ['message.*'],
  filter: { 'data.communicationType': 'sms' },
  description: null,
  payloadProfile: 'nexadesk',
  signatureScheme: 'hmac-sha256-prefixed',
  signatureHeader: 'X-NexaDesk-Signature',
  secrets: [
    {
      id: 'a1d0c0de-0000-4000-8000-000000000002',
      ciphertext: 'hs1.new',
      createdAt: '2026-11-22T10:00:00.000Z',
      expiresAt: null,
    },
    {
      id: 'a1d0c0de-0000-4000-8000-000000000001',
      ciphertext: 'hs1.old',
      createdAt: '2026-11-21T10:00:00.000Z',
      expiresAt: '2026-11-23T10:00:00.000Z',
    },
  ],
  headers: {},
  sealedHeaders: { 'X-Tenant': 'hs1.sealed-acme' },
  timeoutMs: 15_000,
  maxInFlight: 16,
  rateLimitPerSecond: 50,
  retrySchedule: ['1m', '5m'],
  fifo: true,
  disabled: true,
  disabledReason: 'receiver answered 410',
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
};

describe('endpoint snapshot mapping', () => {
  it('round-trips every field, secrets newest first', () => {
    const { endpoint, secrets } = fromEndpointSnapshot(snapshot);
    expect(toEndpointSnapshot(endpoint, [...secrets].reverse())).toEqual(snapshot);
  });

  it("carries the workspace's egress allowlist only when it has one", () => {
    const { endpoint, secrets } = fromEndpointSnapshot(snapshot);
    expect(toEndpointSnapshot(endpoint, secrets, ['10.20.0.0/16']).egressAllowCidrs).toEqual([
      '10.20.0.0/16',
    ]);
    expect(toEndpointSnapshot(endpoint, secrets, [])).not.toHaveProperty('egressAllowCidrs');
  });

  it('carries a line scope, and reads a snapshot without one as every line', () => {
    const scoped = fromEndpointSnapshot({ ...snapshot, line: '+15551234567' });
    expect(scoped.endpoint.line).toBe('+15551234567');
    expect(toEndpointSnapshot(scoped.endpoint, scoped.secrets).line).toBe('+15551234567');
    const { endpoint, secrets } = fromEndpointSnapshot(snapshot);
    expect(endpoint.line).toBeNull();
    expect(toEndpointSnapshot(endpoint, secrets)).not.toHaveProperty('line');
  });

  it('carries an event version pin, and reads a snapshot without one as unpinned', () => {
    const pinned = fromEndpointSnapshot({ ...snapshot, eventVersion: 2 });
    expect(pinned.endpoint.eventVersion).toBe(2);
    expect(toEndpointSnapshot(pinned.endpoint, pinned.secrets).eventVersion).toBe(2);
    const { endpoint, secrets } = fromEndpointSnapshot(snapshot);
    expect(endpoint.eventVersion).toBeNull();
    expect(toEndpointSnapshot(endpoint, secrets)).not.toHaveProperty('eventVersion');
  });

  it('carries only sealed secrets', () => {
    const { secrets } = fromEndpointSnapshot(snapshot);
    expect(
      Object.keys(toEndpointSnapshot(fromEndpointSnapshot(snapshot).endpoint, secrets).secrets[0]).sort(),
    ).toEqual(['ciphertext', 'createdAt', 'expiresAt', 'id']);
  });

  it('reads a snapshot published before header sealing: its clear values stay readable, as legacy', () => {
    const { sealedHeaders: _sealed, ...old } = { ...snapshot, headers: { 'X-Tenant': 'acme' } };
    const { endpoint } = fromEndpointSnapshot(old);
    expect(endpoint).toMatchObject({ legacyHeaders: { 'X-Tenant': 'acme' }, sealedHeaders: {} });
    expect(toEndpointSnapshot(endpoint, [])).toMatchObject({
      headers: { 'X-Tenant': 'acme' },
      sealedHeaders: {},
    });
  });
});
