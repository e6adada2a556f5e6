import { consumerSettings, kafkaEnv } from './kafka.env';

const base = { KAFKA_BROKERS: 'localhost:9092' };

describe('kafkaEnv fetch settings', () => {
  it('defaults to fetches that return as soon as a record is there, polling 100 ms when idle', () => {
    const settings = consumerSettings(kafkaEnv.parse(base));
    expect(settings).toEqual({
      minBytes: 1,
      maxWaitTimeInMs: 100,
      commitIntervalMs: 1_000,
      gathering: { bytes: 16_384, maxWaitMs: 20, busyAbove: 0.5 },
    });
  });

  it('takes larger minimums and waits from the environment', () => {
    const env = kafkaEnv.parse({ ...base, KAFKA_FETCH_MIN_BYTES: '16384', KAFKA_FETCH_MAX_WAIT: '250ms' });
    expect(consumerSettings(env)).toMatchObject({ minBytes: 16_384, maxWaitTimeInMs: 250 });
  });

  it.each([
    ['KAFKA_FETCH_MIN_BYTES', '0'],
    ['KAFKA_FETCH_MIN_BYTES', '104857600'],
    ['KAFKA_FETCH_MAX_WAIT', '0ms'],
    ['KAFKA_FETCH_MAX_WAIT', '11s'],
    ['KAFKA_FETCH_GATHER_MAX_WAIT', '101ms'],
    ['KAFKA_FETCH_GATHER_BUSY', '1.5'],
    ['KAFKA_FETCH_GATHER_BYTES', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(kafkaEnv.safeParse({ ...base, [name]: value }).success).toBe(false);
  });
});
