import type { Kafka } from 'kafkajs';
import { ConfigError, loadConfig } from '@herald/config';
import { createTopicsCommand, resolveTopicSpecs } from './create-topics.command';
import { topicsEnv } from './topics.env';

const specsEnv = (specs: unknown) => ({
  HERALD_TOPIC_SPECS: typeof specs === 'string' ? specs : JSON.stringify(specs),
});

/** The first configuration error loadConfig would print, or undefined. */
function configError(env: NodeJS.ProcessEnv): string | undefined {
  try {
    loadConfig(topicsEnv, env);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/** Every message topicsEnv gives for HERALD_TOPIC_SPECS. */
function specIssues(text: string): string[] {
  const result = topicsEnv.safeParse({ HERALD_TOPIC_SPECS: text });
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('HERALD_TOPIC_SPECS', () => {
  it('is optional: unset or blank means the derived list', () => {
    expect(loadConfig(topicsEnv, {}).HERALD_TOPIC_SPECS).toBeUndefined();
    expect(loadConfig(topicsEnv, { HERALD_TOPIC_SPECS: '  ' }).HERALD_TOPIC_SPECS).toBeUndefined();
  });

  it('parses the list, configEntries defaulting to none', () => {
    const env = loadConfig(
      topicsEnv,
      specsEnv([
        {
          topic: 'herald.subscriptions',
          partitions: 12,
          replicationFactor: 3,
          configEntries: { 'cleanup.policy': 'compact' },
        },
        { topic: 'herald.retry.1d', partitions: 6 },
      ]),
    );
    expect(env.HERALD_TOPIC_SPECS).toEqual([
      {
        topic: 'herald.subscriptions',
        partitions: 12,
        replicationFactor: 3,
        configEntries: { 'cleanup.policy': 'compact' },
      },
      { topic: 'herald.retry.1d', partitions: 6, configEntries: {} },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{', /^HERALD_TOPIC_SPECS is not JSON: /],
    [
      'an object instead of a list',
      { topic: 'a', partitions: 1 },
      /^HERALD_TOPIC_SPECS must be a non-empty JSON array/,
    ],
    ['an empty list', [], /^HERALD_TOPIC_SPECS must be a non-empty JSON array/],
    [
      'an item that is not an object',
      [{ topic: 'a', partitions: 1 }, 7],
      /^HERALD_TOPIC_SPECS\[1\] must be an object$/,
    ],
    ['a missing topic', [{ partitions: 1 }], /^HERALD_TOPIC_SPECS\[0\]\.topic is required$/],
    [
      'a bad topic name',
      [{ topic: 'a b', partitions: 1 }],
      /^HERALD_TOPIC_SPECS\[0\]\.topic is not a valid topic name/,
    ],
    [
      'a topic named ..',
      [{ topic: '..', partitions: 1 }],
      /^HERALD_TOPIC_SPECS\[0\]\.topic is not a valid topic name/,
    ],
    [
      'a 250-character topic',
      [{ topic: 'a'.repeat(250), partitions: 1 }],
      /\[0\]\.topic is not a valid topic name/,
    ],
    [
      'zero partitions',
      [{ topic: 'a', partitions: 0 }],
      /^HERALD_TOPIC_SPECS\[0\]\.partitions must be a positive integer$/,
    ],
    [
      'fractional partitions',
      [{ topic: 'a', partitions: 1.5 }],
      /^HERALD_TOPIC_SPECS\[0\]\.partitions must be a positive integer$/,
    ],
    [
      'partitions as a string',
      [{ topic: 'a', partitions: '3' }],
      /^HERALD_TOPIC_SPECS\[0\]\.partitions must be a positive integer$/,
    ],
    ['missing partitions', [{ topic: 'a' }], /^HERALD_TOPIC_SPECS\[0\]\.partitions is required$/],
    [
      'a replication factor of 0',
      [{ topic: 'a', partitions: 1, replicationFactor: 0 }],
      /^HERALD_TOPIC_SPECS\[0\]\.replicationFactor must be a positive integer$/,
    ],
    [
      'a non-string config value',
      [{ topic: 'a', partitions: 1, configEntries: { 'retention.ms': 5 } }],
      /^HERALD_TOPIC_SPECS\[0\]\.configEntries\["retention\.ms"\] must be a string$/,
    ],
    [
      'configEntries as a list',
      [{ topic: 'a', partitions: 1, configEntries: ['retention.ms=5'] }],
      /^HERALD_TOPIC_SPECS\[0\]\.configEntries must be an object of strings$/,
    ],
    [
      'a misspelt field',
      [{ topic: 'a', partitions: 1, replication: 3 }],
      /^HERALD_TOPIC_SPECS\[0\] has unknown field\(s\) replication$/,
    ],
    [
      'a duplicate topic',
      [
        { topic: 'a', partitions: 1 },
        { topic: 'b', partitions: 1 },
        { topic: 'a', partitions: 2 },
      ],
      /^HERALD_TOPIC_SPECS\[2\]\.topic repeats a, already listed at HERALD_TOPIC_SPECS\[0\]$/,
    ],
  ])('rejects %s', (_what, specs, message) => {
    const issues = specIssues(typeof specs === 'string' ? specs : JSON.stringify(specs));
    expect(issues).toEqual([expect.stringMatching(message)]);
  });

  it('reports every bad field, and loadConfig prints the first on one line', () => {
    const text = JSON.stringify([
      { topic: 'a', partitions: 0 },
      { topic: 'b c', partitions: 1 },
    ]);
    expect(specIssues(text)).toEqual([
      'HERALD_TOPIC_SPECS[0].partitions must be a positive integer',
      expect.stringMatching(/^HERALD_TOPIC_SPECS\[1\]\.topic is not a valid topic name/),
    ]);
    const message = configError({ HERALD_TOPIC_SPECS: text });
    expect(message).toMatch(
      /^Configuration error: HERALD_TOPIC_SPECS is invalid \(.*\): HERALD_TOPIC_SPECS\[0\]\.partitions/,
    );
    expect(message).not.toContain('\n');
  });
});

describe('resolveTopicSpecs', () => {
  it('uses exactly HERALD_TOPIC_SPECS when set, ignoring the derived settings', () => {
    const env = loadConfig(topicsEnv, {
      ...specsEnv([{ topic: 'only.this', partitions: 5, replicationFactor: 2 }]),
      HERALD_TOPIC_PARTITIONS: '40',
      HERALD_DOMAIN_TOPICS: 'domain.other',
    });
    expect(resolveTopicSpecs(env, 90)).toEqual([
      { topic: 'only.this', partitions: 5, replicationFactor: 2, configEntries: {} },
    ]);
  });

  it('derives Herald topics, tier topics and domain topics otherwise', () => {
    const specs = resolveTopicSpecs(
      loadConfig(topicsEnv, {
        HERALD_RETRY_TIERS: '5s,24h',
        HERALD_DOMAIN_TOPICS: 'domain.a',
        HERALD_TOPIC_PARTITIONS: '3',
      }),
      7,
    );
    const topics = specs.map((spec) => spec.topic);
    expect(topics).toEqual(
      expect.arrayContaining(['herald.deliveries', 'herald.retry.5s', 'herald.retry.1d', 'domain.a']),
    );
    expect(specs.every((spec) => spec.partitions === 3 && spec.replicationFactor === undefined)).toBe(true);
    expect(specs.find((spec) => spec.topic === 'herald.subscriptions')?.configEntries).toEqual({
      'cleanup.policy': 'compact',
    });
  });
});

describe('resolveTopicSpecs retention of the topics a replay reads', () => {
  const derived = (days: number) =>
    resolveTopicSpecs(
      loadConfig(topicsEnv, { HERALD_DOMAIN_TOPICS: 'domain.a', HERALD_RETRY_TIERS: '5s' }),
      days,
    );
  const retentionOf = (specs: ReturnType<typeof derived>, topic: string) =>
    specs.find((spec) => spec.topic === topic)?.configEntries?.['retention.ms'];

  it('raises the domain topics and the log source topics to the replay retention', () => {
    const specs = derived(90);
    for (const topic of ['domain.a', 'herald.deliveries', 'herald.attempts', 'herald.operational']) {
      expect(retentionOf(specs, topic)).toBe(String(90 * 86_400_000));
    }
    // Others keep their built-in retention.
    expect(retentionOf(specs, 'herald.retry.5s')).toBe(String(7 * 86_400_000));
    expect(retentionOf(specs, 'herald.events.invalid')).toBe(String(7 * 86_400_000));
  });

  it('never lowers a built-in retention that is already longer', () => {
    expect(retentionOf(derived(3), 'domain.a')).toBe(String(7 * 86_400_000));
  });

  it('follows HERALD_RETENTION_DAYS / HERALD_RETENTION_MAX_DAYS in the command', async () => {
    const created: { topic: string; configEntries: { name: string; value: string }[] }[] = [];
    const admin = {
      connect: jest.fn(async () => undefined),
      disconnect: jest.fn(async () => undefined),
      listTopics: jest.fn(async () => []),
      createTopics: jest.fn(async ({ topics }: { topics: typeof created }) => {
        created.push(...topics);
        return true;
      }),
      fetchTopicMetadata: jest.fn(async ({ topics }: { topics: string[] }) => ({
        topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })),
      })),
    };
    await createTopicsCommand({
      env: {
        HERALD_DOMAIN_TOPICS: 'domain.a',
        HERALD_TOPIC_PARTITIONS: '1',
        HERALD_RETENTION_DAYS: '45',
        HERALD_RETENTION_MAX_DAYS: '60',
      },
      kafka: { admin: () => admin } as unknown as Kafka,
      out: () => undefined,
    });
    const domain = created.find((t) => t.topic === 'domain.a');
    expect(domain?.configEntries).toContainEqual({ name: 'retention.ms', value: String(60 * 86_400_000) });
  });
});

describe('createTopicsCommand', () => {
  function fakeKafka(existing: Record<string, number>) {
    const partitionsOf = { ...existing };
    const admin = {
      connect: jest.fn(async () => undefined),
      disconnect: jest.fn(async () => undefined),
      listTopics: jest.fn(async () => Object.keys(existing)),
      createTopics: jest.fn(async ({ topics }: { topics: { topic: string; numPartitions: number }[] }) => {
        for (const { topic, numPartitions } of topics) partitionsOf[topic] = numPartitions;
        return true;
      }),
      fetchTopicMetadata: jest.fn(async ({ topics }: { topics: string[] }) => ({
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: partitionsOf[name] ?? 0 }, (_x, id) => ({
            partitionId: id,
            leader: 1,
          })),
        })),
      })),
    };
    return { admin, kafka: { admin: () => admin } as unknown as Kafka };
  }

  it('creates the missing topics with their replication factor and reports short ones without altering them', async () => {
    const { admin, kafka } = fakeKafka({ 'herald.deliveries': 12, 'herald.attempts': 24 });
    const lines: string[] = [];
    await createTopicsCommand({
      env: specsEnv([
        { topic: 'herald.deliveries', partitions: 24, replicationFactor: 3 },
        { topic: 'herald.attempts', partitions: 12 },
        {
          topic: 'herald.retry.5s',
          partitions: 6,
          replicationFactor: 3,
          configEntries: { 'retention.ms': '604800000' },
        },
        { topic: 'herald.retry.1m', partitions: 6 },
      ]),
      kafka,
      out: (text) => lines.push(text),
    });
    expect(admin.createTopics).toHaveBeenCalledTimes(1);
    expect(admin.createTopics).toHaveBeenCalledWith({
      waitForLeaders: false,
      topics: [
        {
          topic: 'herald.retry.5s',
          numPartitions: 6,
          replicationFactor: 3,
          configEntries: [{ name: 'retention.ms', value: '604800000' }],
        },
        { topic: 'herald.retry.1m', numPartitions: 6, configEntries: [] },
      ],
    });
    expect(admin.fetchTopicMetadata).toHaveBeenCalledWith({ topics: ['herald.retry.5s', 'herald.retry.1m'] });
    expect(admin.fetchTopicMetadata).toHaveBeenCalledWith({
      topics: ['herald.deliveries', 'herald.attempts'],
    });
    expect(lines.join('')).toBe(
      'herald: 2 topic(s) created, 2 already present\n' +
        '  + herald.retry.5s (6 partitions)\n' +
        '  + herald.retry.1m (6 partitions)\n' +
        '  ! herald.deliveries has 12 partitions, 24 asked (not changed)\n',
    );
    expect(admin.disconnect).toHaveBeenCalled();
  });

  it('refuses a bad HERALD_TOPIC_SPECS before connecting', async () => {
    const { admin, kafka } = fakeKafka({});
    await expect(
      createTopicsCommand({ env: specsEnv([{ topic: 'a', partitions: -1 }]), kafka }),
    ).rejects.toThrow(
      /^Configuration error: HERALD_TOPIC_SPECS .*HERALD_TOPIC_SPECS\[0\]\.partitions must be a positive integer$/,
    );
    expect(admin.connect).not.toHaveBeenCalled();
  });
});
