import type { Consumer, Kafka } from 'kafkajs';
import { COMMIT_STALL_FACTOR, ConsumerStallWatchdog } from './consumer-stall.watchdog';

const TOPIC = 'herald.deliveries';
const TIMEOUT_MS = 1_000;

/** One partition whose high watermark and committed offset the test sets. */
function setup() {
  process.env.KAFKA_STALL_CHECK_INTERVAL_MS = '500';
  process.env.KAFKA_STALL_TIMEOUT_MS = String(TIMEOUT_MS);
  const state = { high: 10n, committed: 0n };
  type Listener = (event: { payload: { memberAssignment: Record<string, number[]> } }) => void;
  const listeners = new Map<string, Listener>();
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing' },
    on: (event: string, listener: Listener) => listeners.set(event, listener),
  } as unknown as Consumer;
  const onJoin: Listener = (event) => listeners.get('consumer.group_join')!(event);
  const onRebalancing = () => listeners.get('consumer.rebalancing')!({ payload: { memberAssignment: {} } });
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchOffsets: async () => [
      { topic: TOPIC, partitions: [{ partition: 0, offset: state.committed.toString() }] },
    ],
    fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: state.high.toString() }],
  };
  const kafka = { admin: () => admin } as unknown as Kafka;
  const restart = jest.fn(async () => undefined);
  const watchdog = new ConsumerStallWatchdog({
    kafka,
    consumer,
    groupId: 'herald-dispatcher',
    restart,
    useCommittedOffsets: true,
    fromBeginning: true,
  });
  onJoin({ payload: { memberAssignment: { [TOPIC]: [0] } } });
  watchdog.start();
  return { watchdog, state, restart, onJoin, onRebalancing };
}

describe('ConsumerStallWatchdog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    delete process.env.KAFKA_STALL_CHECK_INTERVAL_MS;
    delete process.env.KAFKA_STALL_TIMEOUT_MS;
  });

  it('restarts a consumer whose position stays below the high watermark', async () => {
    const { watchdog, state, restart } = setup();
    watchdog.noteProgress(TOPIC, 0, '4');
    state.committed = 4n;
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS + 1_100);
    expect(restart).toHaveBeenCalledTimes(1);
    await watchdog.stop();
  });

  it('does not restart a consumer while it rejoins its group, and watches again after the join', async () => {
    const { watchdog, state, restart, onJoin, onRebalancing } = setup();
    watchdog.noteProgress(TOPIC, 0, '4');
    state.committed = 4n;
    onRebalancing();
    await jest.advanceTimersByTimeAsync(3 * TIMEOUT_MS);
    expect(restart).not.toHaveBeenCalled();
    onJoin({ payload: { memberAssignment: { [TOPIC]: [0] } } });
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS + 1_100);
    expect(restart).toHaveBeenCalledTimes(1);
    await watchdog.stop();
  });

  it('leaves a caught-up partition alone while its commit trails and moves', async () => {
    const { watchdog, state, restart } = setup();
    watchdog.noteProgress(TOPIC, 0, '10');
    for (let committed = 1n; committed <= 9n; committed += 1n) {
      state.committed = committed;
      await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
    }
    expect(restart).not.toHaveBeenCalled();
    await watchdog.stop();
  });

  it('restarts a caught-up partition whose commit has not moved for the commit stall time', async () => {
    const { watchdog, state, restart } = setup();
    // Read to the end; a record at offset 3 was never finished, so commits stay there.
    watchdog.noteProgress(TOPIC, 0, '10');
    state.committed = 3n;
    await jest.advanceTimersByTimeAsync(COMMIT_STALL_FACTOR * TIMEOUT_MS - 1_000);
    expect(restart).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_600);
    expect(restart).toHaveBeenCalledTimes(1);
    await watchdog.stop();
  });
});
