import { HeraldApiClient } from '@herald/testing';
import type { DemoRoute } from './demo-receiver';

export interface DemoWorkspace {
  workspaceId: string;
  apiKey: string;
  routes: DemoRoute[];
}

const DEMO_ENDPOINTS: (Record<string, unknown> & { label: string; path: string; failureRate?: number })[] = [
  {
    label: 'all-events',
    path: '/all',
    eventTypes: ['*'],
    description: 'Every event, Standard Webhooks signatures',
  },
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

/**
 * Provisions the demo through Herald's own API, as a customer would: a workspace, an API key and
 * endpoints that show the payload profiles, a filter and retries.
 */
export async function provisionDemoWorkspace(
  apiUrl: string,
  adminToken: string,
  receiverUrl: string,
): Promise<DemoWorkspace> {
  const { workspaceId, apiKey, client } = await new HeraldApiClient(apiUrl, adminToken).provisionWorkspace(
    'demo',
  );
  const routes: DemoRoute[] = [];
  for (const { label, path, failureRate, ...spec } of DEMO_ENDPOINTS) {
    const endpoint = await client.createEndpoint(workspaceId, { ...spec, url: `${receiverUrl}${path}` });
    const standard = spec.signatureScheme === undefined;
    routes.push({ path, label, failureRate, secret: standard ? endpoint.secret : undefined });
  }
  return { workspaceId, apiKey, routes };
}
