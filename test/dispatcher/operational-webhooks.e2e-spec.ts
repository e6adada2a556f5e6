import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import {
  FAST_RETRY_TIERS,
  type HeraldApiClient,
  type ReceivedRequest,
  type WebhookReceiver,
  eventually,
  sampleMessageReceived,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

const AUTO_DISABLE_AFTER_MS = 20_000;
/** How often the test's producer sends an event for the failing endpoint: each one is an attempt. */
const PUMP_EVERY_MS = 250;

interface OperationalWebhook {
  id: string;
  type: string;
  workspaceId: string;
  occurredAt: string;
  data: {
    endpointId: string;
    threshold?: number;
    failingSince?: string;
    disableAt?: string;
    cause?: string;
    eventType?: string;
    attempts?: number;
  };
}

/**
 * Operational webhooks through the real pipeline: endpoint A fails, and the workspace's operational
 * endpoint B, subscribed to `endpoint.*`, is told so (signed, like every delivery): the 50 % warning and,
 * after a success, `endpoint.recovered`; then, failing again, the 50, 70 and 90 % warnings, in order and
 * once each, then `endpoint.disabled`; re-enabling A gives `endpoint.enabled`. A subscribes to
 * `endpoint.*` too and never hears of its own trouble. B's deliveries are logged and replayable. The dispatcher decides the warnings, the router
 * turns herald.operational into catalogue events for subscribed endpoints.
 */
describe('operational webhooks: a workspace hears about its failing endpoint', () => {
  let pipeline: Pipeline;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let api: HeraldApiClient;
  let workspaceId: string;
  let failingOk = false;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'operational-webhooks-e2e',
      heraldEnv: {
        HERALD_AUTO_DISABLE_AFTER: `${AUTO_DISABLE_AFTER_MS}ms`,
        // The breaker stays closed: every event is an attempt, and its own events do not interleave.
        HERALD_BREAKER_MIN_ATTEMPTS: '1000000',
      },
    });
    ({ receiver, producer } = pipeline);
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `opwh-${randomBytes(3).toString('hex')}`,
    ));
    receiver.respondWith((req, res) => {
      res.writeHead(req.path === '/a' && !failingOk ? 500 : 200).end();
    });
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  /** Keeps events flowing to A until stopped; not a wait for anything. */
  function pump(): () => void {
    const timer = setInterval(() => {
      const event = sampleMessageReceived(workspaceId);
      void producer
        .send({ topic: 'domain.messages', messages: [{ key: event.id, value: JSON.stringify(event) }] })
        .catch(() => undefined);
    }, PUMP_EVERY_MS);
    return () => clearInterval(timer);
  }

  it('warns B at 50/70/90 % then says disabled, recovered after a success, enabled after re-enabling, never about B itself', async () => {
    const a = await api.createEndpoint(workspaceId, {
      url: receiver.url('/a'),
      eventTypes: ['message.*', 'endpoint.*'],
    });
    const b = await api.createEndpoint(workspaceId, {
      url: receiver.url('/b'),
      eventTypes: ['endpoint.*', 'delivery.*'],
    });
    const webhook = new Webhook(b.secret);
    /** B's requests, each verified against B's signing secret (throws if one is not). */
    const atB = (): OperationalWebhook[] =>
      receiver.matching((r) => r.path === '/b').map((r) => verified(webhook, r));
    // The test environment's retry schedule is short, so A's deliveries also run out (delivery.*).
    const typesAtB = () =>
      atB()
        .filter((e) => e.type.startsWith('endpoint.'))
        .map((e) => (e.type === 'endpoint.failing' ? `failing:${e.data.threshold}` : e.type));
    const endpointEventsAtB = () => atB().filter((e) => e.type.startsWith('endpoint.'));
    const waitAtB = (label: string, timeoutMs = 60_000) =>
      eventually(async () => (typesAtB().includes(label) ? atB() : undefined), timeoutMs, 100);

    // Phase 1: A fails past half the window, then a success ends the streak.
    let stop = pump();
    try {
      await waitAtB('failing:50');
      failingOk = true;
      await waitAtB('endpoint.recovered');
    } finally {
      stop();
    }
    expect(typesAtB()).toEqual(['failing:50', 'endpoint.recovered']);
    const [warning, recovered] = endpointEventsAtB();
    expect(warning.data).toMatchObject({ endpointId: a.id, threshold: 50 });
    expect(Date.parse(warning.data.disableAt!) - Date.parse(warning.data.failingSince!)).toBe(
      AUTO_DISABLE_AFTER_MS,
    );
    expect(recovered.data).toEqual({
      endpointId: a.id,
      failingSince: warning.data.failingSince,
      threshold: 50,
    });

    // Phase 2: failing again, a new streak: every level once, in order, then the disable.
    failingOk = false;
    stop = pump();
    try {
      await waitAtB('endpoint.disabled', 90_000);
    } finally {
      stop();
    }
    expect(typesAtB().slice(2)).toEqual(['failing:50', 'failing:70', 'failing:90', 'endpoint.disabled']);
    const disabled = endpointEventsAtB()[5];
    expect(disabled.data).toMatchObject({ endpointId: a.id, cause: 'endpoint_failing' });
    const view = await api.call<{ disabled: boolean }>(
      'GET',
      `/v1/workspaces/${workspaceId}/endpoints/${a.id}`,
    );
    expect(view.disabled).toBe(true);

    // Phase 3: re-enabled through the API.
    await api.call('PATCH', `/v1/workspaces/${workspaceId}/endpoints/${a.id}`, { disabled: false });
    await waitAtB('endpoint.enabled');
    expect(typesAtB().slice(6)).toEqual(['endpoint.enabled']);

    const exhausted = atB().filter((e) => e.type === 'delivery.exhausted');
    expect(exhausted.length).toBeGreaterThan(0);
    for (const event of exhausted)
      expect(event.data).toMatchObject({
        eventType: 'message.received',
        attempts: FAST_RETRY_TIERS.length + 1,
      });

    // Every event B received was about A, in A's workspace; A never heard of its own trouble.
    for (const event of atB()) expect(event).toMatchObject({ workspaceId, data: { endpointId: a.id } });
    const atA = receiver
      .matching((r) => r.path === '/a')
      .map((r) => JSON.parse(r.body.toString()) as { type: string });
    expect(atA.filter((e) => !e.type.startsWith('message.'))).toEqual([]);

    // Logged like every delivery: B's delivery of the disable is in the delivery log.
    const logged = await eventually(async () => {
      const res = await api.call<{ data: { id: string; endpointId: string; status: string }[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/events/${disabled.id}/deliveries`,
      );
      return res.data.find((d) => d.endpointId === b.id && d.status === 'succeeded');
    });
    // Replayable: a manual retry sends the same signed bytes under the same webhook-id.
    const isDisable = (r: ReceivedRequest) => r.path === '/b' && r.body.toString().includes(disabled.id);
    const [original] = receiver.matching(isDisable);
    await api.call('POST', `/v1/workspaces/${workspaceId}/deliveries/${logged.id}/retry`);
    const [, replayed] = await receiver.waitFor(2, isDisable);
    expect(replayed.body.equals(original.body)).toBe(true);
    expect(replayed.headers['webhook-id']).toBe(original.headers['webhook-id']);
    expect(verified(webhook, replayed).type).toBe('endpoint.disabled');
  }, 240_000);
});

function verified(webhook: Webhook, request: ReceivedRequest): OperationalWebhook {
  return webhook.verify(request.body.toString('utf8'), {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  }) as OperationalWebhook;
}
