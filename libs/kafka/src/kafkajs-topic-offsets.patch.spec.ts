/**
 * patches/kafkajs+2.2.4.patch: admin.fetchTopicOffsets sends its two ListOffsets requests (latest and
 * earliest) at once. Unpatched kafkajs 2.2.4 sends the second only after the first answered, so each
 * read of a topic's watermarks (the router's and dispatcher's catch-up before every batch) cost two
 * broker round trips. This fails when the installed kafkajs runs without the patch.
 */
const createAdmin = require('kafkajs/src/admin') as (options: object) => {
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string; low: string }[]>;
};

const silentLogger = {
  namespace: () => silentLogger,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('kafkajs admin.fetchTopicOffsets (patched)', () => {
  it('asks for the high and the low watermarks at once, and pairs them by partition', async () => {
    const pending: { fromBeginning: boolean; answer: () => void }[] = [];
    const cluster = {
      addTargetTopic: async () => undefined,
      refreshMetadataIfNecessary: async () => undefined,
      findTopicPartitionMetadata: () => [{ partitionId: 0 }, { partitionId: 1 }],
      fetchTopicsOffset: ([request]: [{ topic: string; fromBeginning: boolean }]) =>
        new Promise((resolve) =>
          pending.push({
            fromBeginning: request.fromBeginning,
            answer: () =>
              resolve([
                {
                  topic: request.topic,
                  partitions: [
                    { partition: 0, offset: request.fromBeginning ? '2' : '9' },
                    { partition: 1, offset: request.fromBeginning ? '0' : '4' },
                  ],
                },
              ]),
          }),
        ),
    };
    const admin = createAdmin({ logger: silentLogger, cluster, retry: { retries: 0 } });
    const offsets = admin.fetchTopicOffsets('herald.subscriptions');
    // Unpatched, the second request would wait for the first one's answer, which never comes here.
    for (let turn = 0; turn < 20 && pending.length < 2; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pending).toHaveLength(2);
    expect(pending.map((p) => p.fromBeginning).sort()).toEqual([false, true]);
    for (const request of pending) request.answer();
    expect(await offsets).toEqual([
      { partition: 0, offset: '9', high: '9', low: '2' },
      { partition: 1, offset: '4', high: '4', low: '0' },
    ]);
  });
});
