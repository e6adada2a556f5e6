import { randomUUID } from 'node:crypto';
import {
  type AutoDisableEndpointCommand,
  type DeliveryRequested,
  type EndpointHealth,
  KafkaHeaders,
  Topics,
} from '@herald/contracts';
import {
  sampleDeliveryRequested,
  sampleEndpointSnapshot,
  type HeraldProcess,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { DispatcherKafka, type SeenRecord } from './dispatcher-kafka';

const AUTO_DISABLE_AFTER_MS = 20_000;

/**
 * Auto-disable across a dispatcher restart: the failure streak lives on `herald.endpoint-health`, so a
 * dispatcher restarted mid-streak asks for the disable when the streak that began before the restart
 * reaches HERALD_AUTO_DISABLE_AFTER, not that long after the restart. The dispatcher never writes
 * `herald.subscriptions`; it sends an AutoDisableEndpointCommand and drops later deliveries itself.
 */
describe('dispatcher: auto-disable survives a restart', () => {
  let pipeline: Pipeline;
  let dispatcher: HeraldProcess;
  let kafka: DispatcherKafka;
  let receiver: WebhookReceiver;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'auto-disable-e2e',
      environment: { withPostgres: false },
      heraldEnv: {
        HERALD_AUTO_DISABLE_AFTER: `${AUTO_DISABLE_AFTER_MS}ms`,
        // Retries every 2 s for 40 s: the delivery keeps failing well past the disable window.
        HERALD_RETRY_SCHEDULE: Array.from({ length: 20 }, () => '2s').join(','),
        HERALD_BREAKER_MIN_ATTEMPTS: '1000',
      },
      // The dispatcher runs alone, so it restarts while the scheduler keeps bringing retries back.
      services: ['scheduler'],
      moreProcesses: [['dispatcher']],
      beforeHerald: async (started) => {
        started.receiver.respondWith((_req, res) => void res.writeHead(500).end('down'));
        kafka = await DispatcherKafka.on(started.kafka, started.producer, [
          Topics.endpointHealth,
          Topics.endpointCommands,
          Topics.subscriptions,
          Topics.deliveriesDead,
          Topics.attempts,
        ]);
      },
    });
    ({ receiver } = pipeline);
    dispatcher = pipeline.processes[1];
  });

  afterAll(async () => {
    await kafka?.stop();
    await pipeline?.stop();
  });

  it('continues the streak after a restart and asks for the disable on time, once', async () => {
    const now = new Date().toISOString();
    const endpoint = sampleEndpointSnapshot({
      id: `ep_${run}`,
      workspaceId: `ws_${run}`,
      url: receiver.url('/failing'),
      secrets: [],
      signatureScheme: 'standard-webhooks',
      createdAt: now,
      updatedAt: now,
    });
    // No secret: every attempt fails to sign, a failed attempt like a 500 (and one path to it).
    await kafka.publishEndpoints([endpoint]);
    const delivery = (n: number): DeliveryRequested =>
      sampleDeliveryRequested({
        deliveryId: `dlv_${run}_${n}`,
        workspaceId: endpoint.workspaceId,
        endpointId: endpoint.id,
        eventId: `evt_${run}_${n}`,
        payload: JSON.stringify({ n }),
      });
    const send = (d: DeliveryRequested) =>
      kafka.produce(Topics.deliveries, [{ key: d.endpointId, value: JSON.stringify(d) }]);
    const ofEndpoint = (topic: string) => (r: SeenRecord) => r.topic === topic && r.key === endpoint.id;

    await send(delivery(1));
    const [started] = await kafka.waitFor(
      1,
      (r) => ofEndpoint(Topics.endpointHealth)(r) && r.value !== null,
      30_000,
    );
    const streak = JSON.parse(started.value!) as EndpointHealth;
    expect(streak).toMatchObject({ endpointId: endpoint.id, version: endpoint.version });
    const failingSince = Date.parse(streak.failingSince);
    // Restart only after a few retries: a restart sooner than one retry interval (2 s, +20 % jitter)
    // plus the scheduler's lateness would leave "continued" and "started afresh" too close to tell.
    await kafka.waitFor(3, (r) => r.topic === Topics.attempts && r.key === `dlv_${run}_1`, 30_000);

    await dispatcher.stop();
    await dispatcher.start();
    const restartedAt = Date.now();
    // Restarted well inside the window, so a count started afresh would come too late.
    expect(restartedAt - failingSince).toBeLessThan(AUTO_DISABLE_AFTER_MS - 5_000);

    const [request] = await kafka.waitFor(1, ofEndpoint(Topics.endpointCommands), 60_000);
    const command = JSON.parse(request.value!) as AutoDisableEndpointCommand;
    expect(command).toMatchObject({
      type: 'endpoint.auto_disable',
      endpointId: endpoint.id,
      observedVersion: endpoint.version,
      reason: 'endpoint_failing',
    });
    const askedAt = Date.parse(command.requestedAt);
    expect(askedAt - failingSince).toBeGreaterThanOrEqual(AUTO_DISABLE_AFTER_MS);
    // One retry interval (2 s, +20% jitter) plus the scheduler's lateness after the window ends.
    expect(askedAt).toBeLessThan(restartedAt + AUTO_DISABLE_AFTER_MS);
    expect(askedAt - failingSince).toBeLessThan(AUTO_DISABLE_AFTER_MS + 6_000);

    // The dispatcher never writes endpoint snapshots; it drops later deliveries itself meanwhile.
    const later = delivery(2);
    await send(later);
    const [dead] = await kafka.waitFor(
      1,
      (r) => r.topic === Topics.deliveriesDead && r.value !== null && r.value.includes(later.deliveryId),
    );
    expect(dead.headers[KafkaHeaders.reasonCode]).toBe('endpoint_disabled');
    expect(
      kafka.matching(ofEndpoint(Topics.subscriptions)).filter((r) => r.value?.includes('"disabled":true')),
    ).toEqual([]);
    expect(kafka.matching(ofEndpoint(Topics.endpointCommands))).toHaveLength(1);
  }, 180_000);
});
