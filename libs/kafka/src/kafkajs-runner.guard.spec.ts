import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The race in a real kafkajs Runner with a stand-in consumer group: a stop() while the fetch
 * manager waits for a slow fetcher to end after the broker list changed. It runs in a child process
 * because, unguarded, it starves the event loop (so nothing in that process, not even a timeout,
 * runs again) and the child is killed from outside.
 */
const SCENARIO = `
  if (process.env.GUARD === '1') require(${JSON.stringify(join(__dirname, 'kafkajs-runner.guard.ts'))}).guardKafkaJSRunner();
  const Runner = require('kafkajs/src/consumer/runner');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const quiet = { info() {}, debug() {}, warn() {}, error() {} };
  const logger = { ...quiet, namespace: () => logger };
  let nodeIds = [1, 2];
  const group = {
    groupId: 'g', memberId: 'm', getNodeIds: () => nodeIds,
    connect: async () => {}, joinAndSync: async () => {}, leave: async () => {}, heartbeat: async () => {},
    // node 2's fetch is slow, as one to a broker that went away is
    fetch: async (nodeId) => { await sleep(nodeId === 2 ? 400 : 10); return []; },
  };
  const runner = new Runner({
    logger, consumerGroup: group, instrumentationEmitter: { emit() {} }, eachBatch: async () => {},
    concurrency: 1, heartbeatInterval: 3000, onCrash: () => {}, retry: { retries: 5, initialRetryTime: 20 },
  });
  let ticks = 0;
  setInterval(() => (ticks += 1), 10);
  (async () => {
    await runner.start();
    await sleep(50);
    nodeIds = [1, 2, 3]; // node 1's next fetch sees it and the fetchers are replaced
    await sleep(100);    // node 2 still fetching: the stop lands now
    let stopped = false;
    runner.stop().then(() => (stopped = true));
    await sleep(1000);
    console.log(JSON.stringify({ ticks, stopped }));
    process.exit(0);
  })();
`;

function runScenario(guard: boolean): { ticks: number; stopped: boolean } | 'starved' {
  const child = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', SCENARIO], {
    cwd: join(__dirname, '..', '..', '..'),
    env: { ...process.env, GUARD: guard ? '1' : '0' },
    timeout: 6_000,
    encoding: 'utf8',
  });
  if (child.error || child.signal) return 'starved';
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '');
}

describe('guardKafkaJSRunner', () => {
  it('without it, a stop during a fetcher replacement leaves a fetcher spinning and starves the process', () => {
    expect(runScenario(false)).toBe('starved');
  });

  it('with it, that stop completes and the event loop keeps running', () => {
    const result = runScenario(true);
    expect(result).not.toBe('starved');
    expect(result).toMatchObject({ stopped: true });
    expect((result as { ticks: number }).ticks).toBeGreaterThan(50);
  });
});
