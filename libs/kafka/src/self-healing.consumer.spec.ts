import type { Kafka } from 'kafkajs';
import { SelfHealingConsumer, crashRestartDelayMs } from './self-healing.consumer';

/** Just enough of a kafkajs consumer: lifecycle calls counted, event listeners kept to fire. */
class FakeConsumer {
  readonly events = { CRASH: 'crash', GROUP_JOIN: 'join', REBALANCING: 'rebalancing' };
  readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  runs = 0;
  disconnects = 0;
  failConnect = false;
  on(event: string, listener: (event: unknown) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  crash(restart: boolean): void {
    for (const listener of this.listeners.get('crash') ?? []) {
      listener({ payload: { error: new Error('Failed to find group coordinator'), restart } });
    }
  }
  async connect(): Promise<void> {
    if (this.failConnect) throw new Error('No broker available');
  }
  async subscribe(): Promise<void> {}
  async run(): Promise<void> {
    this.runs += 1;
  }
  async stop(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }
}

function setUp(connectFailures = 0) {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer: () => {
      const consumer = new FakeConsumer();
      consumer.failConnect = consumers.length > 0 && consumers.length <= connectFailures;
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
  const healing = new SelfHealingConsumer({
    kafka,
    config: { groupId: 'herald-dispatcher', sessionTimeout: 30_000 },
    topics: ['herald.deliveries'],
    fromBeginning: true,
    run: {},
    commits: true,
  });
  return { consumers, healing };
}

/** Runs timers due in `ms`, and the promise callbacks they start. */
async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('SelfHealingConsumer after a crash', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('replaces a consumer kafkajs stopped for good', async () => {
    const { consumers, healing } = setUp();
    await healing.start();
    consumers[0].crash(false);
    await advance(crashRestartDelayMs(0));
    expect(consumers).toHaveLength(2);
    expect(consumers[1].runs).toBe(1);
    expect(healing.current).toBe(consumers[1]);
    await healing.stop();
  });

  it('leaves a crash kafkajs restarts itself to kafkajs', async () => {
    const { consumers, healing } = setUp();
    await healing.start();
    consumers[0].crash(true);
    await advance(60_000);
    expect(consumers).toHaveLength(1);
    await healing.stop();
  });

  it('keeps trying, with a growing delay, while the new consumer cannot start', async () => {
    const { consumers, healing } = setUp(2);
    await healing.start();
    consumers[0].crash(false);
    await advance(crashRestartDelayMs(0));
    expect(consumers).toHaveLength(2); // failed to connect
    await advance(crashRestartDelayMs(1));
    expect(consumers).toHaveLength(3); // failed again
    await advance(crashRestartDelayMs(2));
    expect(consumers).toHaveLength(4);
    expect(consumers[3].runs).toBe(1);
    await healing.stop();
  });

  it('does not replace anything once stopped', async () => {
    const { consumers, healing } = setUp();
    await healing.start();
    consumers[0].crash(false);
    await healing.stop();
    await advance(60_000);
    expect(consumers).toHaveLength(1);
  });
});
