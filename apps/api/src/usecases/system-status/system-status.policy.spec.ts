import type { ClusterSnapshot } from '@herald/kafka';
import { toSystemView } from './system-status.policy';

const groups = [
  { service: 'router', group: 'herald-router' },
  { service: 'dispatcher', group: 'herald-dispatcher' },
];
const dead = ['herald.deliveries.dead', 'herald.events.invalid'];

const snapshot: ClusterSnapshot = {
  brokers: 3,
  groups: [
    {
      group: 'herald-router',
      state: 'Stable',
      members: 2,
      committed: [
        { topic: 'domain.leads', partition: 0, offset: 10 },
        { topic: 'domain.leads', partition: 1, offset: -1 },
        { topic: 'domain.messages', partition: 0, offset: 7 },
      ],
    },
    {
      group: 'herald-dispatcher',
      state: 'Empty',
      members: 0,
      committed: [{ topic: 'herald.deliveries', partition: 0, offset: 4 }],
    },
  ],
  watermarks: [
    {
      topic: 'domain.leads',
      partitions: [
        { partition: 0, low: 0, high: 15 },
        { partition: 1, low: 2, high: 5 },
      ],
    },
    { topic: 'domain.messages', partitions: [{ partition: 0, low: 9, high: 9 }] },
    { topic: 'herald.deliveries', partitions: [{ partition: 0, low: 0, high: 4 }] },
    {
      topic: 'herald.deliveries.dead',
      partitions: [
        { partition: 0, low: 3, high: 8 },
        { partition: 1, low: 0, high: 2 },
      ],
    },
  ],
};

describe('system view', () => {
  it('sums lag per group and topic, from the low watermark where nothing was committed', () => {
    const view = toSystemView({
      postgres: { ok: true },
      kafka: { ok: true, snapshot },
      groups,
      deadLetterTopics: dead,
    });
    expect(view.topics).toEqual([
      // partition 0: 15 - 10; partition 1: 5 - 2 (no commit).
      { topic: 'domain.leads', group: 'herald-router', lag: 8 },
      // committed 7 is below the low watermark 9: nothing readable is left.
      { topic: 'domain.messages', group: 'herald-router', lag: 0 },
      { topic: 'herald.deliveries', group: 'herald-dispatcher', lag: 0 },
    ]);
  });

  it('counts what dead-letter topics hold, zero for one that does not exist yet', () => {
    const view = toSystemView({
      postgres: { ok: true },
      kafka: { ok: true, snapshot },
      groups,
      deadLetterTopics: dead,
    });
    expect(view.deadLetters).toEqual([
      { topic: 'herald.deliveries.dead', count: 7 },
      { topic: 'herald.events.invalid', count: 0 },
    ]);
  });

  it('has services up with members, down without, and says what Postgres and Kafka answered', () => {
    const view = toSystemView({
      postgres: { ok: false, error: 'connection refused' },
      kafka: { ok: true, snapshot },
      groups,
      deadLetterTopics: dead,
    });
    expect(view.services).toEqual([
      { name: 'api', status: 'up' },
      { name: 'postgres', status: 'down', detail: 'connection refused' },
      { name: 'kafka', status: 'up', detail: '3 broker(s)' },
      { name: 'router', status: 'up', detail: '2 member(s)' },
      {
        name: 'dispatcher',
        status: 'down',
        detail: 'consumer group herald-dispatcher has no members (Empty)',
      },
    ]);
  });

  it('says a rebalancing group is still up', () => {
    const rebalancing = { ...snapshot, groups: [{ ...snapshot.groups[0], state: 'PreparingRebalance' }] };
    const view = toSystemView({
      postgres: { ok: true },
      kafka: { ok: true, snapshot: rebalancing },
      groups,
      deadLetterTopics: [],
    });
    expect(view.services.find((s) => s.name === 'router')).toEqual({
      name: 'router',
      status: 'up',
      detail: '2 member(s), rebalancing',
    });
  });

  it('marks Kafka down and the groups unknown when Kafka does not answer', () => {
    const view = toSystemView({
      postgres: { ok: true },
      kafka: { ok: false, error: 'timed out after 5000 ms' },
      groups,
      deadLetterTopics: dead,
    });
    expect(view.services.slice(2)).toEqual([
      { name: 'kafka', status: 'down', detail: 'timed out after 5000 ms' },
      { name: 'router', status: 'unknown', detail: 'consumer group herald-router: Kafka did not answer' },
      {
        name: 'dispatcher',
        status: 'unknown',
        detail: 'consumer group herald-dispatcher: Kafka did not answer',
      },
    ]);
    expect(view.topics).toEqual([]);
    expect(view.deadLetters).toEqual([]);
  });
});
