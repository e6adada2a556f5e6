import { Kafka, logLevel } from 'kafkajs';
import {
  HeraldApiClient,
  HeraldProcess,
  WebhookReceiver,
  sampleMessageReceived,
  startTestEnvironment,
} from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';

/**
 * Recovery after a receiver outage: the receiver answers 503 while N events arrive (they move into
 * the retry tiers), then comes back; the time from its return until every event has been delivered
 * once is the drain time. Tiers are the accelerated test tiers (200ms..2s), so the figure measures
 * Herald's own work rather than the schedule's waiting.
 */
export const scenario: BenchScenario = {
  name: 'drain',
  async run({ quick }) {
    const total = quick ? 1_000 : 5_000;
    const env = await startTestEnvironment({ partitions: 8 });
    const receiver = await WebhookReceiver.start();
    let down = true;
    receiver.respondWith((_request, res) => {
      res.writeHead(down ? 503 : 200).end();
    });
    const producer = new Kafka({
      clientId: 'bench-drain',
      brokers: env.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const herald = await HeraldProcess.start({
      // Enough attempts that nothing exhausts its schedule during the outage.
      env: env.heraldEnv({ LOG_LEVEL: 'error', HERALD_RETRY_SCHEDULE: Array(12).fill('2s').join(',') }),
    });
    try {
      const admin = new HeraldApiClient(herald.apiUrl, env.heraldEnv().HERALD_ADMIN_TOKEN);
      const tenants: string[] = [];
      for (let i = 0; i < 8; i++) {
        const tenant = await admin.provisionWorkspace(`drain-${i}-${Date.now()}`);
        await tenant.client.createEndpoint(tenant.workspaceId, {
          url: receiver.url('/drain'),
          eventTypes: ['message.*'],
        });
        tenants.push(tenant.workspaceId);
      }
      await new Promise((r) => setTimeout(r, 1_500));
      const events = Array.from({ length: total }, (_, i) =>
        sampleMessageReceived(tenants[i % tenants.length]),
      );
      for (let i = 0; i < total; i += 500) {
        await producer.send({
          topic: 'domain.messages',
          messages: events.slice(i, i + 500).map((e) => ({ key: e.id, value: JSON.stringify(e) })),
        });
      }
      // Outage: wait until every event has been refused at least once.
      const refused = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id']))).size;
      const outageStart = Date.now();
      while (refused() < total && Date.now() - outageStart < 300_000)
        await new Promise((r) => setTimeout(r, 200));
      const upAt = Date.now();
      down = false;
      const delivered = new Set<string>();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`drained ${delivered.size} of ${total}`)), 600_000);
        receiver.onRequest((r) => {
          if (r.receivedAt < upAt) return;
          delivered.add(String(r.headers['webhook-id']));
          if (delivered.size >= total) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const drainSeconds = (Date.now() - upAt) / 1000;
      return {
        events: total,
        tiers: '200ms,500ms,1s,2s',
        outage_s: Number(((upAt - outageStart) / 1000).toFixed(1)),
        drain_s: Number(drainSeconds.toFixed(1)),
        drained_per_s: Math.round(total / drainSeconds),
      };
    } finally {
      await herald.stop();
      await producer.disconnect();
      await receiver.stop();
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);
