import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { HeraldApiClient, WebhookReceiver, eventually } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface DeliveryBody {
  id: string;
  status: string;
  attemptCount: number;
  endpointId: string;
}

/**
 * Replays through the whole pipeline (router, dispatcher, scheduler, projector and API in one process):
 * a failed delivery retried by hand, an outage recovered by a job, and a new endpoint backfilled, each
 * arriving at the receiver with the exact bytes and webhook-id of the original.
 */
describe('replays through the pipeline', () => {
  let pipeline: Pipeline;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let api: HeraldApiClient;
  let workspaceId: string;
  let receiverUp = false;
  const started = new Date(Date.now() - 1_000);

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'replay-pipeline', migrate: true });
    ({ receiver, producer } = pipeline);
    receiver.respondWith((_req, res) => {
      if (receiverUp) res.writeHead(200).end('ok');
      else res.writeHead(503).end('down');
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `pipe-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  function leadCreated() {
    const id = randomUUID();
    return {
      id,
      type: 'lead.created',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: { id: `lead_${id.slice(0, 6)}`, visitor_name: 'Ada', visitor_email: 'ada@example.com' },
    };
  }

  async function deliveryOf(eventId: string, status: string): Promise<DeliveryBody> {
    return eventually(async () => {
      const res = await api.call<{ data: DeliveryBody[] }>('GET', path(`/events/${eventId}/deliveries`));
      return res.data.find((d) => d.status === status);
    }, 60_000);
  }

  it('retries a failed delivery by hand, then recovers an outage, with identical bytes and webhook-id', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/leads'),
      eventTypes: ['lead.*'],
      retrySchedule: ['200ms'],
    });
    const first = leadCreated();
    const second = leadCreated();
    await producer.send({
      topic: 'domain.leads',
      messages: [first, second].map((e) => ({ key: e.id, value: JSON.stringify(e) })),
    });
    const failedFirst = await deliveryOf(first.id, 'failed');
    const failedSecond = await deliveryOf(second.id, 'failed');
    expect(failedFirst.attemptCount).toBe(2);
    const original = receiver.matching((r) => r.headers['webhook-id'] === failedFirst.id);
    expect(original.length).toBe(2);

    receiverUp = true;
    const retry = await api.request<{ attempt: number }>('POST', path(`/deliveries/${failedFirst.id}/retry`));
    expect(retry.status).toBe(202);
    expect(retry.body.attempt).toBe(3);
    const [, , manual] = await receiver.waitFor(3, (r) => r.headers['webhook-id'] === failedFirst.id, 30_000);
    expect(manual.body.equals(original[0].body)).toBe(true);
    const succeeded = await deliveryOf(first.id, 'succeeded');
    expect(succeeded.attemptCount).toBe(3);

    const job = await api.call<{ id: string }>('POST', path(`/endpoints/${endpoint.id}/recover`), {
      since: started.toISOString(),
    });
    const done = await eventually(async () => {
      const state = await api.call<{ state: string; produced: number }>('GET', path(`/jobs/${job.id}`));
      return state.state === 'succeeded' ? state : undefined;
    }, 30_000);
    // Only the second delivery was still failed.
    expect(done.produced).toBe(1);
    await receiver.waitFor(3, (r) => r.headers['webhook-id'] === failedSecond.id, 30_000);
    await deliveryOf(second.id, 'succeeded');
  });

  it('backfills a new endpoint with the events retained since a time', async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: receiver.url('/late'),
      eventTypes: ['lead.created'],
    });
    const job = await api.call<{ id: string }>('POST', path(`/endpoints/${endpoint.id}/backfill`), {
      since: started.toISOString(),
    });
    const done = await eventually(async () => {
      const state = await api.call<{ state: string; produced: number }>('GET', path(`/jobs/${job.id}`));
      return state.state === 'succeeded' || state.state === 'failed' ? state : undefined;
    }, 60_000);
    expect(done).toMatchObject({ state: 'succeeded', produced: 2 });
    const late = await receiver.waitFor(2, (r) => r.path === '/late', 30_000);
    const types = late.map((r) => (JSON.parse(r.body.toString('utf8')) as { type: string }).type);
    expect(types).toEqual(['lead.created', 'lead.created']);
    const logged = await eventually(async () => {
      const res = await api.call<{ data: { status: string }[] }>(
        'GET',
        path(`/deliveries?endpointId=${endpoint.id}&status=succeeded`),
      );
      return res.data.length === 2 ? res.data : undefined;
    }, 30_000);
    expect(logged).toHaveLength(2);
  });
});
