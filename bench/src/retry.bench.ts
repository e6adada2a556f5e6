import { randomBytes } from 'node:crypto';
import { KafkaHeaders, Topics, parseDuration, retryTierTopic } from '@herald/contracts';
import { FAST_RETRY_TIERS, HeraldProcess, startTestEnvironment, testKafkaClient } from '@herald/testing';
import { runStandalone, type BenchScenario } from './bench-scenario';

/**
 * Due-time accuracy of the scheduler: retries produced to every tier at a steady rate with ±20 %
 * jitter (so tier partitions are out of due order, as in production), and the lateness of each one
 * measured where a dispatcher would see it: read back from herald.deliveries, minus its due time.
 */
export const scenario: BenchScenario = {
  name: 'retry',
  async run({ quick }) {
    const total = quick ? 2_000 : 12_000;
    const spreadMs = quick ? 5_000 : 20_000;
    const env = await startTestEnvironment({ withPostgres: false, partitions: 4 });
    const kafka = testKafkaClient(env.kafkaBrokers, 'bench-retry');
    const producer = kafka.producer();
    const consumer = kafka.consumer({
      groupId: `bench-retry-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 20,
    });
    const dueById = new Map<string, number>();
    const lateness: number[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    let early = 0;
    let herald: HeraldProcess | undefined;
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [Topics.deliveries], fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        eachMessage: async ({ message }) => {
          const readAt = Date.now();
          const id = message.key?.toString() ?? '';
          const dueAt = dueById.get(id);
          if (dueAt === undefined) return;
          if (seen.has(id)) {
            duplicates += 1;
            return;
          }
          seen.add(id);
          // The scheduler forwards records due within its 5 ms early margin.
          if (readAt < dueAt - 5) early += 1;
          lateness.push(Math.max(0, readAt - dueAt));
        },
      });
      herald = await HeraldProcess.start({
        env: env.heraldEnv({
          LOG_LEVEL: 'error',
          ...(process.env.BENCH_SCHEDULER_RESCAN
            ? { HERALD_SCHEDULER_RESCAN_INTERVAL: process.env.BENCH_SCHEDULER_RESCAN }
            : {}),
        }),
        services: ['scheduler'],
      });
      await joined;

      const tiers = FAST_RETRY_TIERS.map((label) => ({
        topic: retryTierTopic(label),
        delayMs: parseDuration(label),
      }));
      const started = Date.now();
      const perTick = Math.ceil(total / (spreadMs / 50));
      for (let sent = 0; sent < total;) {
        const messages: { topic: string; key: string; value: string; dueAt: number }[] = [];
        for (let i = 0; i < perTick && sent < total; i += 1, sent += 1) {
          const tier = tiers[sent % tiers.length];
          const dueAt = Date.now() + Math.round(tier.delayMs * (0.8 + Math.random() * 0.4));
          const id = `r${sent}-${randomBytes(3).toString('hex')}`;
          dueById.set(id, dueAt);
          messages.push({
            topic: tier.topic,
            key: id,
            value: JSON.stringify({ deliveryId: id, attempt: 2, payload: 'x'.repeat(300) }),
            dueAt,
          });
        }
        const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
        for (const m of messages) {
          const list = byTopic.get(m.topic) ?? [];
          list.push({ key: m.key, value: m.value, headers: { [KafkaHeaders.dueAt]: String(m.dueAt) } });
          byTopic.set(m.topic, list);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        });
        const next = started + (sent / perTick) * 50;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
      const deadline = Date.now() + 30_000;
      while (seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

      const metricsText = await (await fetch(`${herald.apiUrl}/metrics`)).text();
      lateness.sort((a, b) => a - b);
      const pct = (p: number) =>
        lateness.length
          ? lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))]
          : NaN;
      return {
        records: total,
        tiers: FAST_RETRY_TIERS.join(','),
        lateness_p50_ms: pct(50),
        lateness_p99_ms: pct(99),
        lateness_max_ms: lateness.length ? lateness[lateness.length - 1] : NaN,
        early_beyond_margin: early,
        lost: total - seen.size,
        duplicates,
        target_p99_ms: 1000,
        scheduler_p99_bucket_s: histogramP99(metricsText, 'herald_scheduler_due_lateness_seconds'),
        meets_target: pct(99) <= 1000 && seen.size === total ? 'yes' : 'no',
      };
    } finally {
      await herald?.stop();
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await env.stop();
    }
  },
};

if (require.main === module) runStandalone(scenario);

/** The upper bound of the bucket holding the 99th percentile, summed over tiers, from /metrics text. */
function histogramP99(text: string, name: string): string {
  const buckets = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"[^}]*\\} (\\d+)`).exec(line);
    if (match) buckets.set(match[1], (buckets.get(match[1]) ?? 0) + Number(match[2]));
  }
  const total = buckets.get('+Inf') ?? 0;
  if (total === 0) return 'n/a';
  for (const [le, count] of buckets) if (count >= 0.99 * total) return `<=${le}`;
  return 'n/a';
}
