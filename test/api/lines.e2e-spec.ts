import { randomUUID } from 'node:crypto';
import { eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * Messages.dev lines (issue 18 item 2): each webhook is scoped to one line, set as the endpoint's
 * `line` and matched by the router on the event's data.lineId.
 */
describe('endpoints scoped to a line', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'lines-e2e' });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `line-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('delivers an event on line A only to the endpoint of line A', async () => {
    const lineA = '+15551234567';
    const lineB = '+15557654321';
    const a = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/line-a'),
      eventTypes: ['message.received'],
      line: lineA,
    });
    const b = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/line-b'),
      eventTypes: ['message.received'],
      line: lineB,
    });
    expect(a.line).toBe(lineA);
    expect(
      (await api.call<{ line: string | null }>('GET', `/v1/workspaces/${workspaceId}/endpoints/${b.id}`))
        .line,
    ).toBe(lineB);

    // One key: the router handles both in order, so once B has its own event it has seen A's.
    const key = randomUUID();
    const onA = sampleMessageReceived(workspaceId, { data: { lineId: lineA } });
    const onB = sampleMessageReceived(workspaceId, { data: { lineId: lineB } });
    await pipeline.producer.send({
      topic: 'domain.messages',
      messages: [
        { key, value: JSON.stringify(onA) },
        { key, value: JSON.stringify(onB) },
      ],
    });
    const has = (path: string, id: string) => (r: { path: string; body: Buffer }) =>
      r.path === path && r.body.toString('utf8').includes(id);
    await pipeline.receiver.waitFor(1, has('/line-a', onA.id));
    await pipeline.receiver.waitFor(1, has('/line-b', onB.id));
    // The delivery log is written from the attempts topic: wait until it lists the event.
    const deliveriesOf = (eventId: string) =>
      eventually(async () => {
        const listed = await api.call<{ data: { endpointId: string }[] }>(
          'GET',
          `/v1/workspaces/${workspaceId}/events/${eventId}/deliveries`,
        );
        return listed.data.length > 0 ? listed.data.map((d) => d.endpointId) : undefined;
      });
    expect(await deliveriesOf(onA.id)).toEqual([a.id]);
    expect(await deliveriesOf(onB.id)).toEqual([b.id]);
    expect(pipeline.receiver.matching(has('/line-b', onA.id))).toHaveLength(0);
    expect(pipeline.receiver.matching(has('/line-a', onB.id))).toHaveLength(0);
  });

  it('a line can be changed and cleared by PATCH, and delete by id in the body still works', async () => {
    const created = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/line-patch'),
      eventTypes: ['message.received'],
      line: 'A',
    });
    const path = `/v1/workspaces/${workspaceId}/endpoints`;
    expect(
      (await api.call<{ line: string | null }>('PATCH', `${path}/${created.id}`, { line: 'B' })).line,
    ).toBe('B');
    expect(
      (await api.call<{ line: string | null }>('PATCH', `${path}/${created.id}`, { line: null })).line,
    ).toBeNull();
    expect((await api.request('DELETE', path, { id: created.id })).status).toBe(204);
    expect((await api.request('GET', `${path}/${created.id}`)).status).toBe(404);
  });
});
