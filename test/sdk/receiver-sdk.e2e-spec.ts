import { randomBytes, randomUUID } from 'node:crypto';
import { FAST_RETRY_TIERS, eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { SDK_ENTRY, SdkReceiver, sdk, type Accepted } from './sdk-receiver';
import type { VerifierOptions } from '../../sdk/receiver/src/index';

/**
 * Issue 22 item 4: a receiver built only with @herald/receiver (./sdk-receiver) verifies real Herald
 * deliveries of every scheme and product profile, through Kafka, the router and the dispatcher; keeps
 * verifying across a secret rotation; and refuses a tampered body, a replayed old timestamp, a wrong
 * secret and a missing signature with the SDK's codes. Every rejection is of a captured real delivery,
 * so a receiver that accepted everything, or one that never ran the SDK, fails here.
 */

type Scheme = NonNullable<VerifierOptions['scheme']>;
interface Target {
  name: string;
  /** What the endpoint is created with, secret aside. */
  create: Record<string, unknown>;
  scheme: Scheme;
  /** The header the SDK reads, when the test passes one (otherwise the SDK's default must fit). */
  signatureHeader?: string;
  /** The header Herald signs in, lower case. */
  header: string;
  /** A fresh secret in the endpoint's format: what Herald signs with (whsk_ for ed25519). */
  secret: () => string;
}

const whsec = () => 'whsec_' + randomBytes(32).toString('base64');
const whsk = () => 'whsk_' + randomBytes(32).toString('base64');
const plain = () => 'rcv_' + randomBytes(24).toString('hex');

const TARGETS: Target[] = [
  { name: 'standard', create: {}, scheme: 'standard', header: 'webhook-signature', secret: whsec },
  {
    name: 'ed25519',
    create: { signatureScheme: 'ed25519' },
    scheme: 'standard',
    header: 'webhook-signature',
    secret: whsk,
  },
  {
    name: 'messagedesk',
    create: { productProfile: 'messagedesk' },
    scheme: 'hmac-base64',
    header: 'x-messagedesk-signature',
    secret: plain,
  },
  {
    name: 'messages-dev',
    create: { productProfile: 'messages-dev' },
    scheme: 'hmac-hex',
    header: 'x-webhook-signature',
    secret: plain,
  },
  {
    name: 'guddesk',
    create: { productProfile: 'guddesk' },
    scheme: 'hmac-sha256-prefixed',
    header: 'x-guddesk-signature',
    secret: plain,
  },
  {
    name: 'nexadesk',
    create: { productProfile: 'nexadesk' },
    scheme: 'hmac-sha256-prefixed',
    signatureHeader: 'X-NexaDesk-Signature',
    header: 'x-nexadesk-signature',
    secret: plain,
  },
];
const MULTI_KEY = ['standard', 'ed25519'];
const NEXADESK_SCHEDULE = ['1m', '5m', '30m', '2h', '24h'];

describe('@herald/receiver verifies real Herald deliveries', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiver: SdkReceiver;
  /** Per target: the secret Herald signs with now, and the key the receiver holds for it (whpk_ for ed25519). */
  const signing: Record<string, string> = {};
  const holding: Record<string, string> = {};
  const endpointIds: Record<string, string> = {};
  /** One real delivery per target, captured by the receiver. */
  const captured: Record<string, Accepted> = {};
  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  /** The key a receiver configures for a signing secret: ed25519 receivers hold only the public key. */
  const keyFor = (secret: string) => (secret.startsWith('whsk_') ? sdk.ed25519PublicKey(secret) : secret);
  const configure = (route: string, t: Target, secrets: string[], extra: Partial<VerifierOptions> = {}) =>
    receiver.configure(route, { secrets, scheme: t.scheme, signatureHeader: t.signatureHeader, ...extra });

  /** Produces one message event; resolves with its request at each of `targets`' main routes. */
  const deliverOne = async (targets: Target[]): Promise<Record<string, Accepted>> => {
    const event = sampleMessageReceived(workspaceId);
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
    const arrived = await Promise.all(targets.map((t) => receiver.waitFor(`/${t.name}`, event.data.id)));
    return Object.fromEntries(targets.map((t, i) => [t.name, arrived[i]]));
  };

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'receiver-sdk-e2e',
      // The NexaDesk profile's own delays must be configured tiers for its endpoint to be created.
      environment: { retryTiers: [...FAST_RETRY_TIERS, ...NEXADESK_SCHEDULE] },
      heraldEnv: { HERALD_RETRY_SCHEDULE: FAST_RETRY_TIERS.join(',') },
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `sdk-${randomUUID().slice(0, 6)}`,
    ));
    receiver = await SdkReceiver.start();
    for (const t of TARGETS) {
      signing[t.name] = t.secret();
      holding[t.name] = await keyFor(signing[t.name]);
      // Configured before the endpoint exists: NexaDesk's Save pings the URL and needs a 200.
      configure(`/${t.name}`, t, [holding[t.name]]);
      const created = await api.request<{ id: string; publicKey: string | null; verification?: unknown }>(
        'POST',
        path('/endpoints'),
        { url: receiver.url(`/${t.name}`), eventTypes: ['message.*'], ...t.create, secret: signing[t.name] },
      );
      // On a refusal, Herald's answer and what the SDK refused say why.
      const why = created.status === 201 ? null : { answer: created.body, refused: receiver.refused };
      expect([t.name, created.status, why]).toEqual([t.name, 201, null]);
      endpointIds[t.name] = created.body.id;
      // Herald's whpk_ for the endpoint is the one the SDK derives from the same whsk_.
      if (t.name === 'ed25519') expect(created.body.publicKey).toBe(holding[t.name]);
    }
  });

  afterAll(async () => {
    await receiver?.stop();
    await pipeline?.stop();
  });

  it('loads the SDK from its built package entry, not from sources', () => {
    expect(SDK_ENTRY).toMatch(/sdk[\\/]receiver[\\/]dist[\\/]cjs[\\/]index\.js$/);
  });

  it("NexaDesk's Save ping was verified by the SDK before the endpoint was stored", () => {
    const ping = receiver.accepted.find((a) => a.path === '/nexadesk');
    expect(ping?.headers['x-nexadesk-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('verifies one delivery of every scheme and profile, each signed in its own header', async () => {
    Object.assign(captured, await deliverOne(TARGETS));
    for (const t of TARGETS) {
      const got = captured[t.name];
      expect([t.name, typeof got.headers[t.header]]).toEqual([t.name, 'string']);
      expect(got.webhook.id).toBe(got.headers['webhook-id']);
      expect(got.webhook.payload.data.id).toMatch(/^msg_/);
    }
    expect(captured.standard.headers['webhook-signature']).toMatch(/^v1,/);
    expect(captured.ed25519.headers['webhook-signature']).toMatch(/^v1a,/);
    expect(captured.ed25519.webhook.timestamp).toBeInstanceOf(Date);
    // Nothing Herald sent was refused on the way.
    expect(receiver.refused).toEqual([]);
  });

  it.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s: a captured delivery sent again verifies, and is refused as tampered, under a wrong secret and unsigned',
    async (name, t) => {
      const got = captured[name];
      expect(await receiver.resend(`/${name}`, got)).toEqual({ status: 200, code: undefined });

      const tampered = got.body.replace(got.webhook.payload.data.id, `${got.webhook.payload.data.id}x`);
      expect(tampered).not.toBe(got.body);
      expect(await receiver.resend(`/${name}`, { ...got, body: tampered })).toEqual({
        status: 401,
        code: 'BAD_SIGNATURE',
      });

      configure(`/wrong/${name}`, t, [await keyFor(t.secret())]);
      expect(await receiver.resend(`/wrong/${name}`, got)).toEqual({ status: 401, code: 'BAD_SIGNATURE' });

      const unsigned = Object.fromEntries(Object.entries(got.headers).filter(([h]) => h !== t.header));
      expect(await receiver.resend(`/${name}`, { ...got, headers: unsigned })).toEqual({
        status: 401,
        code: 'NO_SIGNATURE',
      });
    },
  );

  it.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s: a captured delivery replayed once the clock is past the tolerance is TIMESTAMP_TOO_OLD',
    async (name, t) => {
      const got = captured[name];
      const sentAt = Number(got.headers['webhook-timestamp']) * 1000;
      // Raw profiles sign no timestamp: the receiver opts in to checking Herald's webhook-timestamp.
      const timestampHeader = t.scheme === 'standard' ? undefined : 'webhook-timestamp';
      configure(`/later/${name}`, t, [holding[name]], {
        timestampHeader,
        toleranceSeconds: 300,
        now: () => new Date(sentAt + 7 * 60_000 + 5_000),
      });
      expect(await receiver.resend(`/later/${name}`, got)).toEqual({
        status: 401,
        code: 'TIMESTAMP_TOO_OLD',
      });
      expect(receiver.refused.at(-1)?.message).toContain('7 minutes old');
      // The same bytes within the tolerance verify: only the clock made the difference.
      configure(`/sooner/${name}`, t, [holding[name]], {
        timestampHeader,
        now: () => new Date(sentAt + 60_000),
      });
      expect(await receiver.resend(`/sooner/${name}`, got)).toEqual({ status: 200, code: undefined });
    },
  );

  it('Standard Webhooks and ed25519: deliveries in the grace window verify with both secrets, then with only the new one', async () => {
    const multi = TARGETS.filter((t) => MULTI_KEY.includes(t.name));
    const next: Record<string, string> = {};
    for (const t of multi) {
      next[t.name] = t.secret();
      const newKey = await keyFor(next[t.name]);
      // The operator adds the new key first, then rotates with it (supplied), keeping the old one 20 s.
      configure(`/${t.name}`, t, [holding[t.name], newKey]);
      configure(`/old/${t.name}`, t, [holding[t.name]]);
      configure(`/new/${t.name}`, t, [newKey]);
      const rotated = await api.call<{ secret: string; publicKey: string | null; previousExpiresAt: string }>(
        'POST',
        path(`/endpoints/${endpointIds[t.name]}/secret/rotate`),
        { gracePeriod: '20s', secret: next[t.name] },
      );
      expect(rotated.secret).toBe(next[t.name]);
      if (t.name === 'ed25519') expect(rotated.publicKey).toBe(newKey);
    }
    const signatures = (a: Accepted, header: string) => a.headers[header].split(' ').length;

    // In the window: Herald signs with both keys; each alone verifies it, and both together.
    const inGrace = await eventually(async () => {
      const got = await deliverOne(multi);
      return multi.every((t) => signatures(got[t.name], t.header) === 2) ? got : undefined;
    }, 30_000);
    for (const t of multi) {
      expect(await receiver.resend(`/old/${t.name}`, inGrace[t.name])).toEqual({
        status: 200,
        code: undefined,
      });
      expect(await receiver.resend(`/new/${t.name}`, inGrace[t.name])).toEqual({
        status: 200,
        code: undefined,
      });
      // The operator drops the old key: the receiver now holds the new one only.
      configure(`/${t.name}`, t, [await keyFor(next[t.name])]);
    }

    // After the window: one signature, by the new key; the old key alone no longer verifies.
    const after = await eventually(async () => {
      const got = await deliverOne(multi);
      return multi.every((t) => signatures(got[t.name], t.header) === 1) ? got : undefined;
    }, 60_000);
    for (const t of multi) {
      expect(await receiver.resend(`/old/${t.name}`, after[t.name])).toEqual({
        status: 401,
        code: 'BAD_SIGNATURE',
      });
    }
  });

  it('raw-body profiles (one signature): after a 0s rotation, deliveries verify with both secrets configured and with only the new one', async () => {
    const raw = TARGETS.filter((t) => !MULTI_KEY.includes(t.name));
    for (const t of raw) {
      const previous = signing[t.name];
      signing[t.name] = t.secret();
      configure(`/${t.name}`, t, [previous, signing[t.name]]);
      configure(`/old/${t.name}`, t, [previous]);
      configure(`/new/${t.name}`, t, [signing[t.name]]);
      await api.call('POST', path(`/endpoints/${endpointIds[t.name]}/secret/rotate`), {
        gracePeriod: '0s',
        secret: signing[t.name],
      });
    }
    // Until the dispatcher has the new key a delivery may still carry the old one's signature.
    const rotated = await eventually(async () => {
      const got = await deliverOne(raw);
      const fresh = await Promise.all(raw.map((t) => receiver.resend(`/new/${t.name}`, got[t.name])));
      return fresh.every((r) => r.status === 200) ? got : undefined;
    }, 30_000);
    for (const t of raw) {
      expect(await receiver.resend(`/old/${t.name}`, rotated[t.name])).toEqual({
        status: 401,
        code: 'BAD_SIGNATURE',
      });
    }
  });
});
