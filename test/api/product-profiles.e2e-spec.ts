import { createHmac, randomUUID } from 'node:crypto';
import { HeraldApiClient, HeraldProcess, sampleMessageReceived, type ReceivedRequest } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * One-step product profiles (issue 18 item 3): `productProfile` alone sets what the seed product
 * documents (payload shape, signature scheme and header, retry schedule, verify-on-create), anything
 * sent beside it wins, and a real delivery arrives as that product's receivers expect it.
 */

interface View {
  id: string;
  secret?: string;
  productProfile: string | null;
  profileOverrides: string[];
  payloadProfile: string;
  signatureScheme: string;
  signatureHeader: string | null;
  retrySchedule: string[] | null;
  verification?: { delivered: boolean; status: number };
}

interface Failure {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

const NEXADESK_SCHEDULE = ['1m', '5m', '30m', '2h', '24h'];
// The profile's tiers plus a fast one for the default schedule; no delivery here is retried.
const TIERS = ['1s', ...NEXADESK_SCHEDULE];

const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body);
const json = (request: ReceivedRequest) =>
  JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;

/** What each profile must set, and how its receiver checks a delivery (from the seeds' own docs). */
const PROFILES = {
  guddesk: {
    settings: {
      payloadProfile: 'herald',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-GudDesk-Signature',
      retrySchedule: null,
    },
    header: 'x-guddesk-signature',
    sign: (secret: string, body: Buffer) => `sha256=${hmac(secret, body).digest('hex')}`,
    shape: ['id', 'type', 'workspaceId', 'occurredAt', 'data'],
  },
  messagedesk: {
    settings: {
      payloadProfile: 'messagedesk',
      signatureScheme: 'hmac-base64',
      signatureHeader: 'X-MessageDesk-Signature',
      retrySchedule: null,
    },
    header: 'x-messagedesk-signature',
    sign: (secret: string, body: Buffer) => hmac(secret, body).digest('base64'),
    shape: ['id', 'object', 'name', 'workspaceId', 'createdAt', 'dataType', 'data'],
  },
  'messages-dev': {
    settings: {
      payloadProfile: 'messages-dev',
      signatureScheme: 'hmac-hex',
      signatureHeader: 'X-Webhook-Signature',
      retrySchedule: null,
    },
    header: 'x-webhook-signature',
    sign: (secret: string, body: Buffer) => hmac(secret, body).digest('hex'),
    shape: ['event', 'data', 'timestamp'],
  },
  nexadesk: {
    settings: {
      payloadProfile: 'nexadesk',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-NexaDesk-Signature',
      retrySchedule: NEXADESK_SCHEDULE,
    },
    header: 'x-nexadesk-signature',
    sign: (secret: string, body: Buffer) => `sha256=${hmac(secret, body).digest('hex')}`,
    shape: ['event', 'timestamp', 'workspace_id', 'data'],
  },
} as const;

describe('product profiles', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let apiKey: string;
  let workspaceId: string;
  const path = (p: string) => `/v1/workspaces/${workspaceId}${p}`;
  const create = (body: Record<string, unknown>) => api.request<View>('POST', path('/endpoints'), body);
  const patch = (id: string, body: Record<string, unknown>) =>
    api.request<View>('PATCH', path(`/endpoints/${id}`), body);
  const created: Record<string, View> = {};

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'product-profiles-e2e', environment: { retryTiers: TIERS } });
    ({
      workspaceId,
      apiKey,
      client: api,
    } = await pipeline.admin.provisionWorkspace(`profiles-${randomUUID().slice(0, 6)}`));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it.each(Object.keys(PROFILES) as (keyof typeof PROFILES)[])(
    '%s alone sets every setting the product documents',
    async (name) => {
      const res = await create({
        url: pipeline.receiver.url(`/${name}`),
        eventTypes: ['message.*'],
        productProfile: name,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        productProfile: name,
        profileOverrides: [],
        ...PROFILES[name].settings,
      });
      // Verify-on-create is NexaDesk's alone: its URL got the test ping (and answered 200) first.
      if (name === 'nexadesk') expect(res.body.verification).toMatchObject({ delivered: true, status: 200 });
      else expect(res.body.verification).toBeUndefined();
      created[name] = res.body;
      const shown = await api.call<View>('GET', path(`/endpoints/${res.body.id}`));
      expect(shown).toMatchObject({ productProfile: name, ...PROFILES[name].settings });
    },
  );

  it('delivers an event to each in its product shape, signed as its docs verify', async () => {
    const event = sampleMessageReceived(workspaceId);
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    for (const name of Object.keys(PROFILES) as (keyof typeof PROFILES)[]) {
      const profile = PROFILES[name];
      const [delivery] = await pipeline.receiver.waitFor(
        1,
        (r) => r.path === `/${name}` && isEvent(r, event.id),
      );
      expect(delivery.headers[profile.header]).toBe(profile.sign(created[name].secret!, delivery.body));
      expect(Object.keys(json(delivery)).sort()).toEqual([...profile.shape].sort());
    }
  });

  it('lets settings sent beside the profile win, and shows them as overrides', async () => {
    const res = await create({
      url: pipeline.receiver.url('/nexadesk-fast'),
      eventTypes: ['message.*'],
      productProfile: 'nexadesk',
      retrySchedule: ['1s'],
      verifyOnCreate: false,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      productProfile: 'nexadesk',
      payloadProfile: 'nexadesk',
      signatureHeader: 'X-NexaDesk-Signature',
      retrySchedule: ['1s'],
      profileOverrides: ['retrySchedule'],
    });
    expect(res.body.verification).toBeUndefined();
    expect(pipeline.receiver.matching((r) => r.path === '/nexadesk-fast')).toHaveLength(0);
  });

  it('keeps the profile through a PATCH of one setting, re-applies a new one, and null clears the label', async () => {
    const id = created['messages-dev'].id;
    const one = await patch(id, { signatureHeader: 'X-Line-Signature' });
    expect(one.body).toMatchObject({
      productProfile: 'messages-dev',
      signatureHeader: 'X-Line-Signature',
      payloadProfile: 'messages-dev',
      profileOverrides: ['signatureHeader'],
    });

    // Another profile applies its settings, except those sent with it.
    const other = await patch(id, { productProfile: 'guddesk', signatureHeader: 'X-Agent-Signature' });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({
      productProfile: 'guddesk',
      payloadProfile: 'herald',
      signatureScheme: 'hmac-sha256-prefixed',
      signatureHeader: 'X-Agent-Signature',
      profileOverrides: ['signatureHeader'],
    });

    const cleared = await patch(id, { productProfile: null });
    expect(cleared.body).toMatchObject({
      productProfile: null,
      profileOverrides: [],
      payloadProfile: 'herald',
      signatureHeader: 'X-Agent-Signature',
    });
  });

  it('documents productProfile on create, PATCH and the view in OpenAPI', async () => {
    const doc = (await (await fetch(`${pipeline.herald.apiUrl}/docs-json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    const names = Object.keys(PROFILES).sort();
    for (const schema of ['CreateEndpointDto', 'UpdateEndpointDto', 'EndpointView']) {
      expect([...(doc.components.schemas[schema].properties.productProfile.enum ?? [])].sort()).toEqual(
        names,
      );
    }
    expect(doc.components.schemas.EndpointView.properties.profileOverrides).toBeDefined();
  });

  it('refuses an unknown profile, naming the field', async () => {
    const res = await api.request<Failure>('POST', path('/endpoints'), {
      url: pipeline.receiver.url('/unknown'),
      eventTypes: ['message.*'],
      productProfile: 'zendesk',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field)).toEqual(['productProfile']);
  });

  it('answers 422 naming the missing tiers where the deployment lacks them, unless overridden', async () => {
    const short = await HeraldProcess.start({
      env: pipeline.env.heraldEnv({ HERALD_RETRY_TIERS: '1s,1m,5m', HERALD_RETRY_SCHEDULE: '1s' }),
      services: ['api'],
    });
    try {
      const client = new HeraldApiClient(short.apiUrl, apiKey);
      const body = {
        url: pipeline.receiver.url('/short'),
        eventTypes: ['message.*'],
        productProfile: 'nexadesk',
      };
      const refused = await client.request<Failure>('POST', path('/endpoints'), body);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('UNKNOWN_RETRY_TIER');
      expect(refused.body.error.message).toContain('no retry tier for 30m, 2h, 24h');
      expect(refused.body.error.message).toContain('send retrySchedule');

      const overridden = await client.request<View>('POST', path('/endpoints'), {
        ...body,
        retrySchedule: ['1s', '1m', '5m'],
      });
      expect(overridden.status).toBe(201);
      expect(overridden.body).toMatchObject({
        productProfile: 'nexadesk',
        profileOverrides: ['retrySchedule'],
      });
    } finally {
      await short.stop();
    }
  });
});

/** A delivery of the event, not the verification ping (which NexaDesk's URL also got). */
function isEvent(request: ReceivedRequest, eventId: string): boolean {
  const body = json(request);
  const data = body.data as { id?: string } | undefined;
  return body.id === eventId || data?.id === `msg_${eventId.slice(0, 8)}`;
}
