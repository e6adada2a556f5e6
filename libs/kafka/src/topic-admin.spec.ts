import type { Kafka } from 'kafkajs';
import { ensureTopics } from './topic-admin';

/** An admin whose metadata answers come from `answers` in turn, the last one repeating. */
function scriptedAdmin(answers: (() => unknown)[]) {
  let call = 0;
  const admin = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    listTopics: jest.fn(async () => [] as string[]),
    createTopics: jest.fn(async () => true),
    fetchTopicMetadata: jest.fn(async () => answers[Math.min(call++, answers.length - 1)]()),
  };
  return { admin, kafka: { admin: () => admin } as unknown as Kafka };
}

const led = () => ({ topics: [{ name: 't', partitions: [{ partitionId: 0, leader: 2 }] }] });
const leaderless = () => ({ topics: [{ name: 't', partitions: [{ partitionId: 0, leader: -1 }] }] });
const unknown = () => {
  throw new Error('This server does not host this topic-partition');
};

describe('ensureTopics', () => {
  it('waits through an unknown topic and a leaderless partition until every partition has a leader', async () => {
    const { admin, kafka } = scriptedAdmin([unknown, leaderless, led]);
    await expect(ensureTopics(kafka, [{ topic: 't', partitions: 1 }])).resolves.toEqual(['t']);
    expect(admin.fetchTopicMetadata).toHaveBeenCalledTimes(3);
    expect(admin.disconnect).toHaveBeenCalled();
  });

  it('gives up after leaderTimeoutMs, naming the topics and the last reason', async () => {
    const { admin, kafka } = scriptedAdmin([unknown]);
    await expect(
      ensureTopics(kafka, [{ topic: 't', partitions: 1 }], { leaderTimeoutMs: 150 }),
    ).rejects.toThrow(
      /^topics t have no leader after 150 ms: This server does not host this topic-partition$/,
    );
    expect(admin.disconnect).toHaveBeenCalled();
  });
});
