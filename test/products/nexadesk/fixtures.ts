import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { eventually, type HeraldApiClient } from '@herald/testing';
import type { ReceivedRequest } from './receiver';

/** NexaDesk events, settings and the API views nexadesk.e2e-spec.ts reads (not receiver code). */

/** What the NexaDesk docs specify, set field by field (what productProfile 'nexadesk' sets at once). */
export const NEXADESK_SETTINGS = {
  payloadProfile: 'nexadesk',
  signatureScheme: 'hmac-sha256-prefixed',
  signatureHeader: 'X-NexaDesk-Signature',
};

/** The seed's "Retry Policy" table, which the profile sets. */
export const NEXADESK_SCHEDULE = ['1m', '5m', '30m', '2h', '24h'];
/** One delay per row of the seed's table, from the test's fast tiers: the override the tests run on. */
export const FAST_NEXADESK_SCHEDULE = ['200ms', '500ms', '1s', '2s', '2s'];

/** A customer's NEXADESK_WEBHOOK_SECRET, any printable string of 32+ characters; chosen before Save. */
export function nexadeskSecret(): string {
  return 'nxd_' + randomBytes(24).toString('hex');
}

/**
 * Settings > Webhooks > Add Webhook: URL, events, Save (which pings first). The profile sets the
 * shape, signature, schedule and the ping; only the schedule is overridden, to run in seconds. With
 * `secret` (the one the handler already holds) the seed's code can verify that first ping.
 */
export function addWebhook(url: string, secret?: string) {
  return {
    url,
    eventTypes: ['lead.*', 'message.created'],
    productProfile: 'nexadesk',
    retrySchedule: FAST_NEXADESK_SCHEDULE,
    ...(secret === undefined ? {} : { secret }),
  };
}

export interface Delivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  trigger: string | null;
  test: boolean;
  attemptCount: number;
}
export interface DeliveryDetail extends Delivery {
  payload: string | null;
  occurredAt: string | null;
  attempts: { attempt: number; durationMs: number; response: { status: number; body: string } | null }[];
}
export interface Verification {
  deliveryId: string;
  delivered: boolean;
  status: number | null;
}
export interface CreatedEndpoint {
  id: string;
  secret: string;
  verification: Verification;
  productProfile: string | null;
  retrySchedule: string[] | null;
  profileOverrides: string[];
}
export interface Failure {
  error: { code: string; details?: Record<string, unknown> };
}

/** A lead.created with the seed's lead object; the name is non-ASCII to test re-serialisation. */
export function leadCreated(workspaceId: string) {
  const occurredAt = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'lead.created',
    workspaceId,
    occurredAt,
    data: {
      id: randomUUID(),
      visitor_name: 'Zoë Ångström 👋',
      visitor_email: '[email protected]',
      pipeline_stage: 'new',
      source: 'widget',
      created_at: occurredAt,
    },
  };
}

/** A visitor's message.created ("a new message was sent in any conversation"), with JSON escapes. */
export function messageCreated(workspaceId: string) {
  const occurredAt = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'message.created',
    workspaceId,
    occurredAt,
    data: {
      id: randomUUID(),
      conversationId: 'cnv_nexadesk_1',
      senderType: 'visitor',
      text: 'Hi, is anyone there? <b>"quoted"</b> & \\ escaped',
      createdAt: occurredAt,
    },
  };
}
export type NexaDeskEvent = ReturnType<typeof leadCreated> | ReturnType<typeof messageCreated>;

/** Whether a received request carries this event (matched on the resource id). */
export const of = (event: NexaDeskEvent) => (r: ReceivedRequest) => r.payload.data?.id === event.data.id;

/** The domain topic a producer publishes the event on. */
export function topicOf(event: NexaDeskEvent): string {
  return event.type.startsWith('lead.') ? 'domain.leads' : 'domain.messages';
}

/** What the tests read back through the API: Settings > Webhooks and its Logs. */
export function webhookLogs(api: HeraldApiClient, workspaceId: string) {
  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;
  return {
    async endpointUrls(): Promise<string[]> {
      const listed = await api.call<{ data: { url: string }[] }>('GET', path('/endpoints'));
      return listed.data.map((e) => e.url);
    },
    loggedDelivery(id: string): Promise<DeliveryDetail> {
      return eventually(async () => {
        const res = await api.request<DeliveryDetail>('GET', path(`/deliveries/${id}`));
        return res.status === 200 ? res.body : undefined;
      });
    },
  };
}

/** A loopback port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
