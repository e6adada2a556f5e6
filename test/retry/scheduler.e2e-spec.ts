import { randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { KafkaHeaders, Topics, retryTierTopic } from '@herald/contracts';
import { KafkaTap, type HeraldProcess, type TappedRecord } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * The scheduler alone: records produced to tier topics with a due time come back on
 * herald.deliveries, unchanged, no earlier than due and soon after it, through restarts.
 */
describe('scheduler: retry tiers back to herald.deliveries', () => {
  let pipeline: Pipeline;
  let herald: HeraldProcess;
  let producer: Producer;
  let admin: Admin;
  let tap: KafkaTap<TappedRecord>;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'scheduler-e2e',
      environment: { withPostgres: false },
      heraldEnv: { HERALD_SCHEDULER_LAG_INTERVAL: '500ms', HERALD_SCHEDULER_SESSION_TIMEOUT: '6s' },
      services: ['scheduler'],
      beforeHerald: async ({ env, kafka }) => {
        admin = kafka.admin();
        [tap] = await Promise.all([
          KafkaTap.recording(env.kafkaBrokers, [Topics.deliveries], 'scheduler'),
          admin.connect(),
        ]);
      },
    });
    ({ herald, producer } = pipeline);
  });

  afterAll(async () => {
    await tap?.stop();
    await admin?.disconnect();
    await pipeline?.stop();
  });

  let seq = 0;
  function delivery(tag: string) {
    seq += 1;
    const deliveryId = `${run}-${tag}-${seq}`;
    return {
      deliveryId,
      key: `ep_${run}_${seq % 5}`,
      value: JSON.stringify({
        kind: 'DeliveryRequested',
        deliveryId,
        attempt: 2,
        payload: '{"hello":"world"}',
        trigger: 'retry',
      }),
    };
  }

  async function produceTier(
    tier: string,
    records: { key: string; value: string; dueAt?: number; headers?: Record<string, string> }[],
    partition?: number,
  ) {
    const [meta] = await producer.send({
      topic: retryTierTopic(tier),
      acks: -1,
      messages: records.map((r) => ({
        key: r.key,
        value: r.value,
        partition,
        headers: {
          ...(r.dueAt === undefined ? {} : { [KafkaHeaders.dueAt]: String(r.dueAt) }),
          ...(r.headers ?? {}),
        },
      })),
    });
    return meta;
  }

  const byId = (id: string) => (r: TappedRecord) =>
    r.value !== null && r.value.toString().includes(`"deliveryId":"${id}"`);

  it('holds a record until its due time, then forwards it with key, bytes and headers unchanged', async () => {
    const d = delivery('hold');
    const dueAt = Date.now() + 1_500;
    const origin = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await produceTier('1s', [
      { ...d, dueAt, headers: { [KafkaHeaders.originTraceparent]: origin, 'x-custom': 'kept' } },
    ]);
    const [back] = await tap.waitFor(1, byId(d.deliveryId), 15_000);
    expect(back.readAt).toBeGreaterThanOrEqual(dueAt);
    expect(back.readAt - dueAt).toBeLessThan(1_000);
    expect(back.key).toBe(d.key);
    expect(back.value!.toString()).toBe(d.value);
    expect(back.headers[KafkaHeaders.originTraceparent]).toBe(origin);
    expect(back.headers['x-custom']).toBe('kept');
    expect(back.headers[KafkaHeaders.dueAt]).toBe(String(dueAt));
  });

  it('does not hold a due record behind a not-yet-due head of the same partition (jitter)', async () => {
    const head = delivery('head');
    const behind = delivery('behind');
    const now = Date.now();
    await produceTier(
      '2s',
      [
        { ...head, dueAt: now + 3_000 },
        { ...behind, dueAt: now + 200 },
      ],
      0,
    );
    const [early] = await tap.waitFor(1, byId(behind.deliveryId), 15_000);
    expect(early.readAt - (now + 200)).toBeLessThan(1_000);
    expect(tap.matching(byId(head.deliveryId))).toHaveLength(0);
    const [late] = await tap.waitFor(1, byId(head.deliveryId), 15_000);
    expect(late.readAt).toBeGreaterThanOrEqual(now + 3_000);
    expect(late.readAt - (now + 3_000)).toBeLessThan(1_000);
    // Forwarded once each: the remembered offset is not sent again when the paused partition resumes.
    await new Promise((r) => setTimeout(r, 500));
    expect(tap.matching(byId(behind.deliveryId))).toHaveLength(1);
  });

  it('commits the head offset before pausing a never-committed partition (kafkajs #1599), then resumes it', async () => {
    const tierTopic = retryTierTopic('2s');
    const partition = 3;
    const before = await admin.fetchOffsets({ groupId: 'herald-scheduler', topics: [tierTopic] });
    const committedBefore = before[0].partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    const d = delivery('1599');
    const dueAt = Date.now() + 2_500;
    const meta = await produceTier('2s', [{ ...d, dueAt }], partition);
    // While the record waits (paused partition), the group already holds a commit at its offset.
    const committed = await waitUntil(async () => {
      const offsets = await admin.fetchOffsets({ groupId: 'herald-scheduler', topics: [tierTopic] });
      const at = offsets[0].partitions.find((p) => p.partition === partition)?.offset;
      return at !== undefined && at !== committedBefore ? at : undefined;
    }, 2_400);
    expect(committed).toBe(meta.baseOffset);
    expect(tap.matching(byId(d.deliveryId))).toHaveLength(0);
    const [back] = await tap.waitFor(1, byId(d.deliveryId), 15_000);
    expect(back.readAt).toBeGreaterThanOrEqual(dueAt);
    // And after forwarding, the commit moves past it.
    const after = await waitUntil(async () => {
      const offsets = await admin.fetchOffsets({ groupId: 'herald-scheduler', topics: [tierTopic] });
      const at = offsets[0].partitions.find((p) => p.partition === partition)?.offset;
      return at === String(BigInt(meta.baseOffset!) + 1n) ? at : undefined;
    }, 5_000);
    expect(after).toBeDefined();
  });

  it('forwards a record without a due header at produce time plus the tier delay', async () => {
    const d = delivery('noheader');
    const producedAt = Date.now();
    await produceTier('1s', [{ ...d }]);
    const [back] = await tap.waitFor(1, byId(d.deliveryId), 15_000);
    expect(back.readAt - producedAt).toBeGreaterThanOrEqual(950);
    expect(back.readAt - producedAt).toBeLessThan(2_500);
  });

  it('exposes due lateness and tier gauges on /metrics', async () => {
    const text = await waitUntil(async () => {
      const body = await (await fetch(`${herald.apiUrl}/metrics`)).text();
      return body.includes('herald_scheduler_tier_lag_records{tier="1s"}') ? body : undefined;
    }, 5_000);
    // The records of the tests above came back within a second of their due time.
    expect(text).toMatch(/herald_scheduler_due_lateness_seconds_bucket\{le="1",tier="1s"\} [1-9]/);
    expect(text).toMatch(/herald_scheduler_forwarded_total\{tier="2s"\} [1-9]/);
  });

  it('loses nothing when the scheduler is SIGKILLed while records wait, and honours due times after restart', async () => {
    const tiers: [string, number][] = [
      ['200ms', 200],
      ['500ms', 500],
      ['1s', 1_000],
      ['2s', 2_000],
    ];
    const sent: { id: string; dueAt: number }[] = [];
    for (let i = 0; i < 80; i += 1) {
      const d = delivery('kill');
      const [tier, tierMs] = tiers[i % tiers.length];
      // Within what the scheduler trusts (produce time + 2 tier delays + 1 s, resolveDueAt), so no
      // header is clamped to an earlier due time; the 2s tier's records wait up to 5 s.
      const dueAt = Date.now() + 500 + ((i * 37) % (2 * tierMs + 500));
      sent.push({ id: d.deliveryId, dueAt });
      await produceTier(tier, [{ ...d, dueAt }]);
    }
    // Killed once the scheduler is forwarding, while later records still wait.
    await tap.waitFor(1, (r) => sent.some((s) => byId(s.id)(r)), 15_000);
    const forwardedBeforeKill = tap.matching((r) => sent.some((s) => byId(s.id)(r))).length;
    expect(forwardedBeforeKill).toBeLessThan(sent.length);
    await herald.kill();
    await herald.start();
    // The kill may repeat a forward whose commit it cut off, so wait for each id, not a count.
    const arrived = await tap.waitForEach(
      sent.map((s) => s.id),
      (r) => (r.value ? (JSON.parse(r.value.toString()) as { deliveryId?: string }).deliveryId : undefined),
      30_000,
    );
    const lateness: number[] = [];
    for (const s of sent) {
      const first = tap.matching(byId(s.id))[0];
      expect(first.readAt).toBeGreaterThanOrEqual(s.dueAt);
      lateness.push(first.readAt - s.dueAt);
    }
    // Records due while the dead member still held its partitions wait for the group to notice
    // (HERALD_SCHEDULER_SESSION_TIMEOUT, 6 s here) and for the restarted member to join.
    const worst = Math.max(...lateness);
    expect(worst).toBeLessThan(20_000);
    console.log(
      JSON.stringify({
        scenario: 'scheduler SIGKILL',
        sent: sent.length,
        received: arrived.length,
        duplicates: arrived.length - sent.length,
        worstLatenessMs: worst,
      }),
    );
  });
});

async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
