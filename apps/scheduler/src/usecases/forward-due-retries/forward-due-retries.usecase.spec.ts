import { register } from 'prom-client';
import type { HeraldProducer, OutgoingRecord } from '@herald/kafka';
import { ForwardedOffsetsRegistry } from '../../forwarded-offsets.registry';
import { SchedulerMetrics } from '../../scheduler.metrics';
import type { SchedulerClock } from '../../scheduler.clock';
import { schedulerEnv } from '../../scheduler.env';
import { ForwardDueRetriesUseCase, type TierRecord } from './forward-due-retries.usecase';

const tier = { label: '5s', delayMs: 5000, rescanMs: 1000 };
const topic = 'herald.retry.5s';

function record(offset: number, dueAt: number | undefined, extra: Record<string, string> = {}): TierRecord {
  return {
    offset: String(offset),
    key: Buffer.from(`ep_${offset}`),
    value: Buffer.from(JSON.stringify({ deliveryId: `d${offset}` })),
    headers: { ...(dueAt === undefined ? {} : { 'herald-due-at': Buffer.from(String(dueAt)) }), ...extra },
    timestamp: dueAt === undefined ? '0' : String(dueAt - 5000),
  };
}

function setup(now: { t: number }, failSends = 0) {
  const sent: OutgoingRecord[][] = [];
  let failures = failSends;
  const producer = {
    send: jest.fn(async (records: OutgoingRecord[]) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('NOT_ENOUGH_REPLICAS');
      }
      sent.push(records);
    }),
  } as unknown as HeraldProducer;
  const clock = { now: () => now.t } as SchedulerClock;
  const registry = new ForwardedOffsetsRegistry();
  const usecase = new ForwardDueRetriesUseCase(
    producer,
    registry,
    new SchedulerMetrics(),
    clock,
    schedulerEnv.parse({}),
  );
  return { usecase, sent, registry, producer };
}

describe('ForwardDueRetriesUseCase', () => {
  afterAll(() => register.clear());

  it('forwards due records to herald.deliveries with key, value and every header unchanged', async () => {
    const now = { t: 10_000 };
    const { usecase, sent } = setup(now);
    const result = await usecase.execute({
      topic,
      partition: 0,
      tier,
      records: [record(0, 9000, { 'herald-origin-traceparent': '00-abc-def-01' })],
    });
    expect(result).toEqual({ complete: true });
    expect(sent).toHaveLength(1);
    expect(sent[0][0]).toMatchObject({ topic: 'herald.deliveries', key: 'ep_0' });
    expect(sent[0][0].value!.toString()).toBe('{"deliveryId":"d0"}');
    expect(sent[0][0].headers!['herald-origin-traceparent'].toString()).toBe('00-abc-def-01');
    expect(sent[0][0].headers!['herald-due-at'].toString()).toBe('9000');
  });

  it('pauses on a not-yet-due head, forwards the due record behind it once, then commits everything', async () => {
    const now = { t: 10_000 };
    const { usecase, sent } = setup(now);
    const batch = [record(0, 12_000), record(1, 9_500), record(2, 11_000)];
    const first = await usecase.execute({ topic, partition: 0, tier, records: batch });
    expect(first).toEqual({ complete: false, processedThrough: null, resumeAt: 11_000 });
    expect(sent.flat().map((r) => r.key)).toEqual(['ep_1']);

    now.t = 11_000; // resume: the transport re-reads from the head
    const second = await usecase.execute({ topic, partition: 0, tier, records: batch });
    expect(second).toEqual({ complete: false, processedThrough: null, resumeAt: 12_000 });
    expect(sent.flat().map((r) => r.key)).toEqual(['ep_1', 'ep_2']);

    now.t = 12_000;
    const third = await usecase.execute({ topic, partition: 0, tier, records: batch });
    expect(third).toEqual({ complete: true });
    expect(sent.flat().map((r) => r.key)).toEqual(['ep_1', 'ep_2', 'ep_0']);
  });

  it('looks again after the rescan interval when the head is due later, to catch records appended meanwhile', async () => {
    const now = { t: 10_000 };
    const { usecase, sent } = setup(now);
    const head = record(0, 14_000);
    expect(await usecase.execute({ topic, partition: 2, tier, records: [head] })).toEqual({
      complete: false,
      processedThrough: null,
      resumeAt: 11_000,
    });
    now.t = 11_000; // appended while paused, due before the head
    const appended = record(1, 10_900);
    expect(await usecase.execute({ topic, partition: 2, tier, records: [head, appended] })).toEqual({
      complete: false,
      processedThrough: null,
      resumeAt: 12_000,
    });
    expect(sent.flat().map((r) => r.key)).toEqual(['ep_1']);
  });

  it('commits nothing new and retries later when Kafka refuses the forward', async () => {
    const now = { t: 10_000 };
    const { usecase, sent } = setup(now, 1);
    const batch = [record(0, 9000), record(1, 9000)];
    const failed = await usecase.execute({ topic, partition: 0, tier, records: batch });
    expect(failed).toEqual({ complete: false, processedThrough: null, resumeAt: 11_000 });
    expect(sent).toHaveLength(0);
    const retried = await usecase.execute({ topic, partition: 0, tier, records: batch });
    expect(retried).toEqual({ complete: true });
    expect(sent.flat()).toHaveLength(2);
  });

  it('forwards a record without a due header at produce time plus the tier delay', async () => {
    const now = { t: 4_000 };
    const { usecase, sent } = setup(now);
    const early = await usecase.execute({ topic, partition: 1, tier, records: [record(0, undefined)] });
    expect(early).toEqual({ complete: false, processedThrough: null, resumeAt: 5_000 });
    now.t = 5_000;
    expect(await usecase.execute({ topic, partition: 1, tier, records: [record(0, undefined)] })).toEqual({
      complete: true,
    });
    expect(sent.flat()).toHaveLength(1);
  });
});
