import { toMeView } from './me.view';

describe('GET /v1/me view', () => {
  it('gives the operator every permission', () => {
    expect(toMeView({ kind: 'operator' }, {})).toEqual({
      kind: 'operator',
      permissions: [
        'read',
        'endpoints.write',
        'secrets.read',
        'replay',
        'keys.manage',
        'egress.manage',
        'data.purge',
      ],
    });
  });

  it("lists an API key's workspace, role and the role's permissions", () => {
    expect(toMeView({ kind: 'api-key', keyId: 'k', workspaceId: 'ws', role: 'viewer' }, {})).toEqual({
      kind: 'api-key',
      workspaceId: 'ws',
      role: 'viewer',
      permissions: ['read'],
    });
    expect(
      toMeView({ kind: 'api-key', keyId: 'k', workspaceId: 'ws', role: 'developer' }, {}).permissions,
    ).toEqual(['read', 'endpoints.write', 'secrets.read', 'replay']);
  });

  it("shows a portal link's scope, branding and expiry, never its id or token", () => {
    const view = toMeView(
      {
        kind: 'portal',
        linkId: 'link-1',
        workspaceId: 'ws',
        endpointIds: ['e1'],
        permissions: ['read', 'replay'],
        branding: { name: 'Acme', primaryColor: '#112233' },
        expiresAt: new Date('2026-12-02T19:00:00Z'),
      },
      { traceUrlTemplate: 'https://jaeger.example.com/trace/{traceId}' },
    );
    expect(view).toEqual({
      kind: 'portal',
      workspaceId: 'ws',
      endpointIds: ['e1'],
      permissions: ['read', 'replay'],
      branding: { name: 'Acme', primaryColor: '#112233' },
      expiresAt: '2026-12-02T19:00:00.000Z',
      console: { traceUrlTemplate: 'https://jaeger.example.com/trace/{traceId}' },
    });
  });
});
