import type { Kafka } from 'kafkajs';
import { HeraldProducer, producerRetryDelayMs } from './herald-producer';

class FakeProducer {
  readonly batches: unknown[] = [];
  failures: Error[] = [];
  /** How long each sendBatch takes before it answers. */
  sendMs = 0;
  connects = 0;
  connectFailures: Error[] = [];
  options: unknown;
  async connect(): Promise<void> {
    this.connects += 1;
    const failure = this.connectFailures.shift();
    if (failure) throw failure;
  }
  async sendBatch(batch: unknown): Promise<void> {
    this.batches.push(batch);
    if (this.sendMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sendMs));
    const failure = this.failures.shift();
    if (failure) throw failure;
  }
  async disconnect(): Promise<void> {}
}

function setUp(timeoutMs?: number): { fake: FakeProducer; producer: HeraldProducer } {
  const fake = new FakeProducer();
  const kafka = {
    producer: (options: unknown) => {
      fake.options = options;
      return fake;
    },
  } as unknown as Kafka;
  return { fake, producer: new HeraldProducer(kafka, { initialRetryMs: 1, maxRetryMs: 2, timeoutMs }) };
}

const exhausted = () =>
  Object.assign(new Error('Not leader for partition'), { name: 'KafkaJSNumberOfRetriesExceeded' });
const record = (key: string) => ({ topic: 'herald.deliveries', key, value: `v-${key}` });

describe('HeraldProducer', () => {
  it('switches kafkajs produce retries off', () => {
    const { fake } = setUp();
    expect(fake.options).toMatchObject({ retry: { retries: 0 } });
  });

  it('sends the whole batch again after a retriable failure', async () => {
    const { fake, producer } = setUp();
    fake.failures = [exhausted()];
    await producer.send([record('a'), record('b')]);
    expect(fake.batches).toHaveLength(2);
    // The retry carries every record, not only those kafkajs had not yet had acknowledged.
    expect(fake.batches[1]).toEqual(fake.batches[0]);
    expect(fake.batches[1]).toMatchObject({
      acks: -1,
      topicMessages: [{ topic: 'herald.deliveries', messages: [{ key: 'a' }, { key: 'b' }] }],
    });
  });

  it('gives up at once on a failure kafkajs would not retry', async () => {
    const { fake, producer } = setUp();
    fake.failures = [Object.assign(new Error('too large'), { name: 'KafkaJSNonRetriableError' })];
    await expect(producer.send([record('a')])).rejects.toThrow('too large');
    expect(fake.batches).toHaveLength(1);
  });

  it('gives up after its retries', async () => {
    const { fake, producer } = setUp();
    fake.failures = Array.from({ length: 20 }, exhausted);
    await expect(producer.send([record('a')])).rejects.toThrow('Not leader');
    expect(fake.batches).toHaveLength(13);
  });

  it('starts no retry past its time budget, however few retries it made', async () => {
    const { fake, producer } = setUp(100);
    fake.sendMs = 40;
    fake.failures = Array.from({ length: 20 }, exhausted);
    const started = Date.now();
    await expect(producer.send([record('a')])).rejects.toThrow('Not leader');
    // Sends at about 0, 40 and 80 ms; a fourth would start past 100 ms.
    expect(fake.batches.length).toBeGreaterThanOrEqual(2);
    expect(fake.batches.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(100 + 2 * fake.sendMs);
  });

  it('connects again after a failed connect', async () => {
    const { fake, producer } = setUp();
    fake.connectFailures = [Object.assign(new Error('ECONNREFUSED'), { retriable: true })];
    await producer.send([record('a')]);
    expect(fake.connects).toBe(2);
    expect(fake.batches).toHaveLength(1);
  });
});

describe('producerRetryDelayMs', () => {
  it('doubles from the initial delay up to the cap, within ±20 %', () => {
    expect(producerRetryDelayMs(0, 100, 5_000, 0.5)).toBe(100);
    expect(producerRetryDelayMs(3, 100, 5_000, 0.5)).toBe(800);
    expect(producerRetryDelayMs(10, 100, 5_000, 0.5)).toBe(5_000);
    expect(producerRetryDelayMs(0, 100, 5_000, 0)).toBe(80);
    expect(producerRetryDelayMs(0, 100, 5_000, 0.999)).toBe(120);
  });
});
