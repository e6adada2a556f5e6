import { randomUUID } from 'node:crypto';
import { KafkaHeaders, Topics } from '@herald/contracts';
import { HeraldApiClient, KafkaProbe, WebhookReceiver, sampleMessageReceived } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/*
 * Issue 18, item 1 (versioning): an event names its schema version (schemaVersion, 1 when absent) and
 * is validated against that version's schema; an endpoint pinned to a version gets only that version,
 * labelled with it; GET /v1/event-types shows every version and every type the seed products name.
 */
describe('event schema versions through the pipeline', () => {
  let pipeline: Pipeline;
  let receiver: WebhookReceiver;
  let probe: KafkaProbe;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'event-versions-e2e',
      migrate: true,
      beforeHerald: async ({ env }) => {
        probe = new KafkaProbe(env.kafkaBrokers);
        await probe.start([Topics.eventsInvalid]);
      },
    });
    receiver = pipeline.receiver;
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `versions-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await probe?.stop();
    await pipeline?.stop();
  });

  const v1 = () => sampleMessageReceived(workspaceId, { data: { from: '+15559876543', to: ['+1702'] } });
  const v2 = () => ({
    ...sampleMessageReceived(workspaceId, {
      data: { from: { address: '+15559876543', name: 'Ada' }, to: [{ address: '+1702' }] },
    }),
    schemaVersion: 2,
  });
  const bodiesAt = (path: string) =>
    receiver
      .matching((r) => r.path === path)
      .map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>);

  it('lists every version of message.received and every type the seeds name', async () => {
    const listed = await api.call<{ data: { type: string; version: number; schema: object }[] }>(
      'GET',
      '/v1/event-types',
    );
    const received = listed.data.filter((entry) => entry.type === 'message.received');
    expect(received.map((entry) => entry.version).sort()).toEqual([1, 2]);
    expect(received[0].schema).not.toEqual(received[1].schema);
    const types = new Set(listed.data.map((entry) => entry.type));
    for (const type of ['message.created', 'conversation.assigned', 'lead.deleted', 'receipt.read']) {
      expect(types).toContain(type);
    }
  });

  it('validates against the named version and delivers each version to the endpoints pinned to it', async () => {
    const refused = await api.request('POST', `/v1/workspaces/${workspaceId}/endpoints`, {
      url: receiver.url('/v9'),
      eventTypes: ['message.received'],
      eventVersion: 9,
    });
    expect(refused.status).toBe(400);

    const any = await api.createEndpoint(workspaceId, {
      url: receiver.url('/any'),
      eventTypes: ['message.*'],
    });
    const pinned2 = await api.createEndpoint(workspaceId, {
      url: receiver.url('/v2'),
      eventTypes: ['message.*'],
      eventVersion: 2,
      payloadProfile: 'nexadesk',
    });
    await api.createEndpoint(workspaceId, {
      url: receiver.url('/v1'),
      eventTypes: ['message.*'],
      eventVersion: 1,
    });
    expect(pinned2.eventVersion).toBe(2);
    expect(any.eventVersion).toBeNull();

    // A v1-only-valid body that names v2 is refused, as is a version the catalogue lacks.
    const misnamed = { ...v1(), schemaVersion: 2 };
    const unknown = { ...v1(), schemaVersion: 7 };
    const first = v1();
    const second = v2();
    // One key, so one partition: the refused events are routed before the good ones.
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [misnamed, unknown, first, second].map((event) => ({
        key: workspaceId,
        value: JSON.stringify(event),
      })),
    });

    await receiver.waitFor(2, (r) => r.path === '/any', 60_000);
    await receiver.waitFor(1, (r) => r.path === '/v2', 30_000);
    await receiver.waitFor(1, (r) => r.path === '/v1', 30_000);
    const reasons = await probe.waitFor('both refused events on herald.events.invalid', () => {
      const found = probe.on(Topics.eventsInvalid).filter((record) => {
        const id = (JSON.parse(record.value!.toString()) as { id: string }).id;
        return id === misnamed.id || id === unknown.id;
      });
      return found.length === 2 && found.map((record) => String(record.headers[KafkaHeaders.reasonCode]));
    });
    expect(reasons.sort()).toEqual(['schema_violation', 'unknown_version']);

    const anyBodies = bodiesAt('/any');
    expect(anyBodies.map((body) => body.id).sort()).toEqual([first.id, second.id].sort());
    expect(anyBodies.find((body) => body.id === first.id)).not.toHaveProperty('schemaVersion');
    expect(anyBodies.find((body) => body.id === second.id)).toMatchObject({ schemaVersion: 2 });

    // Pinned to 2 (NexaDesk's snake_case shape): only the v2 event, labelled, its data in v2's shape.
    expect(bodiesAt('/v2')).toEqual([
      expect.objectContaining({ event: 'message.received', schema_version: 2, data: second.data }),
    ]);
    // Pinned to 1: only the v1 event, labelled although it named no version.
    expect(bodiesAt('/v1')).toEqual([expect.objectContaining({ id: first.id, schemaVersion: 1 })]);
    const ids = receiver.requests.map((r) => r.body.toString());
    expect(ids.some((body) => body.includes(misnamed.id) || body.includes(unknown.id))).toBe(false);
  });
});
