import type { DemoRoute } from './demo-receiver';

export interface DemoWorkspace {
  workspaceId: string;
  apiKey: string;
  routes: DemoRoute[];
}

async function call<T>(apiUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Provisions the demo through Herald's own API, as a customer would: a workspace, an API key and
 * endpoints that show the payload profiles, a filter and retries.
 */
export async function provisionDemoWorkspace(apiUrl: string, adminToken: string, receiverUrl: string): Promise<DemoWorkspace> {
  const workspace = await call<{ id: string }>(apiUrl, adminToken, 'POST', '/v1/workspaces', { name: 'Demo workspace' });
  const key = await call<{ key: string }>(apiUrl, adminToken, 'POST', `/v1/workspaces/${workspace.id}/api-keys`, {
    name: 'demo',
    role: 'admin',
  });
  const specs: (Record<string, unknown> & { label: string; path: string; failureRate?: number })[] = [
    { label: 'all-events', path: '/all', eventTypes: ['*'], description: 'Every event, Standard Webhooks signatures' },
    {
      label: 'sms-only',
      path: '/sms',
      eventTypes: ['message.*'],
      filter: { 'data.communicationType': 'sms' },
      payloadProfile: 'messagedesk',
      signatureScheme: 'hmac-base64',
      signatureHeader: 'X-MessageDesk-Signature',
      description: 'MessageDesk-style relay: SMS messages only',
    },
    {
      label: 'crm-leads',
      path: '/leads',
      eventTypes: ['lead.*', 'contact.*'],
      payloadProfile: 'nexadesk',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-NexaDesk-Signature',
      description: 'NexaDesk-style CRM sync',
    },
    {
      label: 'flaky',
      path: '/flaky',
      eventTypes: ['conversation.*'],
      failureRate: 0.3,
      description: 'Answers 503 three times in ten, to show retries',
    },
  ];
  const routes: DemoRoute[] = [];
  for (const { label, path, failureRate, ...spec } of specs) {
    const endpoint = await call<{ id: string; secret: string }>(
      apiUrl,
      key.key,
      'POST',
      `/v1/workspaces/${workspace.id}/endpoints`,
      { ...spec, url: `${receiverUrl}${path}` },
    );
    const standard = spec.signatureScheme === undefined;
    routes.push({ path, label, failureRate, secret: standard ? endpoint.secret : undefined });
  }
  return { workspaceId: workspace.id, apiKey: key.key, routes };
}
