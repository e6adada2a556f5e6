import { WaitQueue } from './wait-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WaitQueue', () => {
  it('wakes waiters in order, a front waiter first', async () => {
    const queue = new WaitQueue(1_000);
    const order: string[] = [];
    const a = queue.wait().then(() => order.push('a'));
    const b = queue.wait(true).then(() => order.push('b'));
    queue.wakeNext();
    queue.wakeNext();
    await Promise.all([a, b]);
    expect(order).toEqual(['b', 'a']);
    expect(queue.length).toBe(0);
  });

  it('lets every waiter give up once nobody was woken for the stall time', async () => {
    const queue = new WaitQueue(40);
    const started = Date.now();
    expect(await Promise.all([queue.wait(), queue.wait()])).toEqual([false, false]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(queue.length).toBe(0);
  });

  it('counts the stall from the last wake, not from arrival', async () => {
    const queue = new WaitQueue(60);
    const second = queue.wait(); // woken by nobody: it only waits
    const first = queue.wait(true);
    await sleep(40);
    queue.wakeNext(); // wakes `first`; `second` has seen progress at 40 ms
    expect(await first).toBe(true);
    const started = Date.now();
    expect(await second).toBe(false);
    // It gave up about 60 ms after the wake, not 60 ms after it arrived.
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('never waits with a stall time of 0', async () => {
    expect(await new WaitQueue(0).wait()).toBe(false);
  });
});
