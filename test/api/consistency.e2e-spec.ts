import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import {
  autoDisableEndpointCommand,
  encodeEndpointCommand,
  Topics,
  type EndpointSnapshot,
} from '@herald/contracts';
import {
  KafkaTap,
  eventually,
  waitForCommitPast,
  type HeraldApiClient,
  type WebhookReceiver,
} from '@herald/testing';
import type { EndpointBody, ErrorBody } from '../support/api-bodies';
import { startPipeline, type Pipeline } from '../support/pipeline';

/** The API group that applies herald.endpoint-commands (apps/api/src/api.service.ts). */
const API_GROUP_ID = 'herald-api';

/**
 * Rules that keep the API's answers true: Idempotency-Key under concurrency, re-registration,
 * catalogued event types, one timeout bound, honest rotation, header checks after a scheme change,
 * one pagination rule, and auto-disable commands applied on the same ordered path as edits.
 */
describe('API consistency', () => {
  let pipeline: Pipeline;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let tap: KafkaTap<{ key: string; offset: bigint; value: EndpointSnapshot | null }>;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'consistency-e2e',
      migrate: true,
      services: ['api', 'projector'],
    });
    ({ receiver, producer } = pipeline);
    tap = await KafkaTap.start(pipeline.kafka, [Topics.subscriptions], 'consistency-test', ({ message }) => ({
      key: message.key!.toString(),
      offset: BigInt(message.offset),
      value:
        message.value && message.value.length > 0
          ? (JSON.parse(message.value.toString()) as EndpointSnapshot)
          : null,
    }));
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `cons-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await tap?.stop();
    await pipeline?.stop();
  });

  const path = (rest = '') => `/v1/workspaces/${workspaceId}${rest}`;

  it('runs two concurrent requests with one Idempotency-Key once and answers both with the first response', async () => {
    // Creating an endpoint produces its snapshot inside the transaction, so a second request run
    // alongside would find the URL taken and answer 200 without the secret.
    for (let round = 0; round < 3; round += 1) {
      const key = `idem-${randomUUID()}`;
      const body = { url: receiver.url(`/idem-${randomUUID().slice(0, 6)}`), eventTypes: ['message.*'] };
      const send = () =>
        api.request<{ id: string; secret?: string }>('POST', path('/endpoints'), body, {
          'idempotency-key': key,
        });
      const [a, b] = await Promise.all([send(), send()]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(b.body.secret).toBe(a.body.secret);
    }
  });

  it('applies the event types and settings sent when a URL is registered again', async () => {
    const url = receiver.url(`/agent-${randomUUID().slice(0, 6)}`);
    const first = await api.createEndpoint(workspaceId, { url, eventTypes: ['message.received'] });
    const again = await api.request<EndpointBody & { secret?: string }>('POST', path('/endpoints'), {
      url,
      eventTypes: ['message.received', 'conversation.created'],
      description: 'agent v2',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: first.id,
      version: 2,
      eventTypes: ['message.received', 'conversation.created'],
      description: 'agent v2',
    });
    expect(again.body).not.toHaveProperty('secret');
    const snapshot = await eventually(
      async () => tap.records.find((r) => r.key === first.id && r.value?.version === 2)?.value ?? undefined,
      10_000,
    );
    expect(snapshot.eventTypes).toEqual(['message.received', 'conversation.created']);

    // The same registration once more changes nothing: no new version.
    const same = await api.request<EndpointBody>('POST', path('/endpoints'), {
      url,
      eventTypes: ['message.received', 'conversation.created'],
      description: 'agent v2',
    });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(2);
  });

  it('refuses subscriptions to event types the catalogue lacks with 422 naming the type', async () => {
    const url = receiver.url(`/types-${randomUUID().slice(0, 6)}`);
    for (const [eventTypes, named] of [
      [['message.received', 'message.deleted'], 'message.deleted'],
      [['invoice.*'], 'invoice.*'],
    ] as const) {
      const res = await api.request<ErrorBody>('POST', path('/endpoints'), { url, eventTypes });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('UNKNOWN_EVENT_TYPE');
      expect(res.body.error.message).toContain(named);
      expect(res.body.error.fields?.[0].field).toBe(`eventTypes[${eventTypes.length - 1}]`);
    }
    const endpoint = await api.createEndpoint(workspaceId, { url, eventTypes: ['lead.*', '*'] });
    const patch = await api.request<ErrorBody>('PATCH', path(`/endpoints/${endpoint.id}`), {
      eventTypes: ['lead.archived'],
    });
    expect(patch.status).toBe(422);
  });

  it('refuses an attempt timeout above the 30 s the sender allows with 422', async () => {
    const url = receiver.url(`/timeout-${randomUUID().slice(0, 6)}`);
    const res = await api.request<ErrorBody>('POST', path('/endpoints'), {
      url,
      eventTypes: ['message.*'],
      timeoutMs: 60_000,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields?.[0].field).toBe('timeoutMs');
    const ok = await api.createEndpoint(workspaceId, { url, eventTypes: ['message.*'], timeoutMs: 30_000 });
    expect(ok.timeoutMs).toBe(30_000);
  });

  it('refuses a rotation grace period for schemes that sign with one key, and rotates them at once', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(`/hex-${randomUUID().slice(0, 6)}`),
      eventTypes: ['message.*'],
      signatureScheme: 'hmac-hex',
    });
    const refused = await api.request<ErrorBody>('POST', path(`/endpoints/${endpoint.id}/secret/rotate`), {
      gracePeriod: '24h',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields?.[0].field).toBe('gracePeriod');
    const rotated = await api.call<{ previousExpiresAt: string | null }>(
      'POST',
      path(`/endpoints/${endpoint.id}/secret/rotate`),
      {},
    );
    // The previous secret stopped signing at once, not at a grace period's end.
    expect(Date.parse(rotated.previousExpiresAt!)).toBeLessThanOrEqual(Date.now());
    const read = await api.call<{ secrets: unknown[] }>('GET', path(`/endpoints/${endpoint.id}`));
    expect(read.secrets).toHaveLength(1);
  });

  it('re-checks custom headers against the signature header a scheme change brings', async () => {
    // Allowed while the signature travels in webhook-signature...
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(`/scheme-${randomUUID().slice(0, 6)}`),
      eventTypes: ['message.*'],
      headers: { 'X-Webhook-Signature': 'static' },
    });
    // ...but hmac-hex signs in X-Webhook-Signature, which the custom header would override.
    const res = await api.request<ErrorBody>('PATCH', path(`/endpoints/${endpoint.id}`), {
      signatureScheme: 'hmac-hex',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields?.[0].field).toBe('headers.X-Webhook-Signature');
  });

  it('refuses a page limit above the maximum with 422 on every listing route', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(`/pages-${randomUUID().slice(0, 6)}`),
      eventTypes: ['message.*'],
    });
    for (const route of [
      '/endpoints?limit=201',
      '/deliveries?limit=201',
      `/endpoints/${endpoint.id}/operational-events?limit=201`,
    ]) {
      const res = await api.request<ErrorBody>('GET', path(route));
      expect([route, res.status]).toEqual([route, 422]);
      expect(res.body.error.fields?.[0].field).toBe('limit');
    }
  });

  /** Sends an auto-disable command and returns where it landed. */
  async function sendAutoDisable(endpointId: string, observedVersion: number) {
    const command = autoDisableEndpointCommand({
      endpointId,
      workspaceId,
      observedVersion,
      reason: 'endpoint_gone',
      deliveryId: null,
      requestedAt: new Date().toISOString(),
    });
    const [meta] = await producer.send({
      topic: Topics.endpointCommands,
      messages: [{ key: endpointId, value: encodeEndpointCommand(command) }],
    });
    return { partition: meta.partition, offset: BigInt(meta.baseOffset!) };
  }

  /** Waits until the API's group committed past the command (it was applied or dropped). */
  const commandHandled = (at: { partition: number; offset: bigint }) =>
    waitForCommitPast(pipeline.kafka, API_GROUP_ID, { topic: Topics.endpointCommands, ...at });

  const lastSnapshot = (id: string) =>
    tap.records
      .filter((r) => r.key === id)
      .sort((x, y) => (x.offset < y.offset ? -1 : 1))
      .pop()?.value;

  it('applies an auto-disable at the observed version, publishes it and records endpoint.disabled; drops a stale one', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url(`/gone-${randomUUID().slice(0, 6)}`),
      eventTypes: ['message.*'],
    });
    const stale = await api.createEndpoint(workspaceId, {
      url: receiver.url(`/stale-${randomUUID().slice(0, 6)}`),
      eventTypes: ['message.*'],
    });
    await api.call('PATCH', path(`/endpoints/${stale.id}`), { description: 'edited' });

    await commandHandled(await sendAutoDisable(endpoint.id, 1));
    await commandHandled(await sendAutoDisable(stale.id, 1));

    const disabled = await api.call<EndpointBody>('GET', path(`/endpoints/${endpoint.id}`));
    expect(disabled).toMatchObject({ version: 2, disabled: true });
    expect(disabled.disabledReason).toContain('410');
    const snapshot = await eventually(
      async () =>
        tap.records.find((r) => r.key === endpoint.id && r.value?.version === 2)?.value ?? undefined,
      10_000,
    );
    expect(snapshot.disabled).toBe(true);
    const events = await eventually(async () => {
      const page = await api.call<{ data: { type: string; reason: string }[] }>(
        'GET',
        path(`/endpoints/${endpoint.id}/operational-events`),
      );
      return page.data.length > 0 ? page.data : undefined;
    }, 15_000);
    expect(events[0]).toMatchObject({ type: 'endpoint.disabled', reason: 'endpoint_gone' });

    expect(await api.call<EndpointBody>('GET', path(`/endpoints/${stale.id}`))).toMatchObject({
      version: 2,
      disabled: false,
    });
  });

  it('orders auto-disable commands racing API edits: Postgres and the last snapshot agree, no version published twice', async () => {
    const endpoints = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.createEndpoint(workspaceId, {
          url: receiver.url(`/race-${i}-${randomUUID().slice(0, 6)}`),
          eventTypes: ['message.*'],
        }),
      ),
    );
    const sent = await Promise.all(
      endpoints.map(async (endpoint) => {
        const [command] = await Promise.all([
          sendAutoDisable(endpoint.id, 1),
          api.call('PATCH', path(`/endpoints/${endpoint.id}`), { description: 'raced edit' }),
        ]);
        return command;
      }),
    );
    for (const at of sent) await commandHandled(at);

    for (const endpoint of endpoints) {
      const stored = await api.call<EndpointBody>('GET', path(`/endpoints/${endpoint.id}`));
      const last = await eventually(async () => {
        const snapshot = lastSnapshot(endpoint.id);
        return snapshot && snapshot.version === stored.version ? snapshot : undefined;
      }, 10_000);
      expect(last).toMatchObject({
        version: stored.version,
        disabled: stored.disabled,
        description: 'raced edit',
      });
      // Edit then command: the command is stale (v2) and dropped. Command then edit: v2 disabled, v3 edited.
      expect(stored.version).toBe(stored.disabled ? 3 : 2);
      const versions = tap.records.filter((r) => r.key === endpoint.id).map((r) => r.value!.version);
      expect(new Set(versions).size).toBe(versions.length);
    }
  });
});
