import { EndpointSlots } from './endpoint-slots';

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('EndpointSlots', () => {
  it('hands freed slots to waiters in arrival order and leaves other endpoints alone', async () => {
    const slots = new EndpointSlots(100, { stallMs: 5_000 });
    expect(await slots.acquire('w', 'a', 1, null)).toBe('acquired');
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => slots.acquire('w', 'a', 1, null).then((r) => (order.push(n), r)));
    expect(await slots.acquire('w', 'b', 1, null)).toBe('acquired');
    for (let i = 0; i < 3; i++) {
      slots.release('a');
      await tick();
    }
    expect(await Promise.all(waiting)).toEqual(['acquired', 'acquired', 'acquired']);
    expect(order).toEqual([1, 2, 3]);
  });

  it('gives up once the endpoint freed no slot for the stall time, so the caller can defer', async () => {
    const slots = new EndpointSlots(100, { stallMs: 50 });
    await slots.acquire('w', 'a', 1, null);
    const started = Date.now();
    expect(await slots.acquire('w', 'a', 1, null)).toBe('concurrency');
    expect(Date.now() - started).toBeLessThan(500);
    slots.release('a');
    expect(await slots.acquire('w', 'a', 1, null)).toBe('acquired');
  });

  it('keeps waiting, well past the stall time, while the endpoint keeps freeing slots', async () => {
    const stallMs = 80;
    const slots = new EndpointSlots(100, { stallMs });
    expect(await slots.acquire('w', 'a', 1, null)).toBe('acquired');
    const outcomes: string[] = [];
    const waiting = Array.from({ length: 6 }, () =>
      slots.acquire('w', 'a', 1, null).then((r) => {
        outcomes.push(r);
        return r;
      }),
    );
    const started = Date.now();
    // One slot freed every half stall: the last waiter waits about three stall times in all.
    while (outcomes.length < 6) {
      await sleep(stallMs / 2);
      slots.release('a');
    }
    expect(await Promise.all(waiting)).toEqual(Array(6).fill('acquired'));
    expect(Date.now() - started).toBeGreaterThan(2 * stallMs);
    slots.release('a');
  });

  it('defers at once when the endpoint already has its most waiters', async () => {
    const slots = new EndpointSlots(100, { stallMs: 5_000, maxWaitingPerEndpoint: 2 });
    expect(await slots.acquire('w', 'a', 1, null)).toBe('acquired');
    const waiting = [slots.acquire('w', 'a', 1, null), slots.acquire('w', 'a', 1, null)];
    expect(await slots.acquire('w', 'a', 1, null)).toBe('queue_full');
    // Another endpoint is not held back by a's queue.
    expect(await slots.acquire('w', 'b', 1, null)).toBe('acquired');
    slots.release('a');
    await tick();
    slots.release('a');
    expect(await Promise.all(waiting)).toEqual(['acquired', 'acquired']);
  });

  it('defers at once when the process has its most waiters', async () => {
    const slots = new EndpointSlots(100, { stallMs: 5_000, maxWaiting: 1 });
    await slots.acquire('w', 'a', 1, null);
    await slots.acquire('w', 'b', 1, null);
    const waiting = slots.acquire('w', 'a', 1, null);
    expect(await slots.acquire('w', 'b', 1, null)).toBe('queue_full');
    slots.release('a');
    expect(await waiting).toBe('acquired');
  });

  it('waits for rate tokens no further away than the stall time', async () => {
    const slots = new EndpointSlots(100, { stallMs: 200 });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await slots.acquire('w', 'a', 10, 2);
      results.push(r);
      if (r === 'acquired') slots.release('a');
    }
    // Two tokens at once; a third would need 500 ms: refused.
    expect(results.slice(0, 2)).toEqual(['acquired', 'acquired']);
    expect(results[2]).toBe('rate');
  });

  it('queues behind the global cap', async () => {
    const slots = new EndpointSlots(1, { stallMs: 1_000 });
    await slots.acquire('w', 'a', 5, null);
    const waiting = slots.acquire('w', 'b', 5, null);
    slots.release('a');
    expect(await waiting).toBe('acquired');
  });

  it('parks a workspace holding its share until one of its own attempts ends, while another workspace goes', async () => {
    const slots = new EndpointSlots({ global: 4, workspace: 2 }, { stallMs: 5_000 });
    expect(await slots.acquire('A', 'a1', 10, null)).toBe('acquired');
    expect(await slots.acquire('A', 'a2', 10, null)).toBe('acquired');
    let parked: string | undefined;
    const waiting = slots.acquire('A', 'a3', 10, null).then((r) => (parked = r));
    // The other workspace is not held back by A's queue.
    expect(await slots.acquire('B', 'b1', 10, null)).toBe('acquired');
    expect(await slots.acquire('B', 'b1', 10, null)).toBe('acquired');
    await tick();
    expect(parked).toBeUndefined();
    // A release in B does not make room for A.
    slots.release('b1');
    await tick();
    expect(parked).toBeUndefined();
    slots.release('a1');
    expect(await waiting).toBe('acquired');
    expect(slots.workspaceInFlight('A')).toBe(2);
  });

  it("says 'workspace' once the share stalls, and keeps no state for idle keys", async () => {
    const slots = new EndpointSlots({ global: 4, workspace: 1 }, { stallMs: 30 });
    expect(await slots.acquire('A', 'a1', 10, null)).toBe('acquired');
    expect(await slots.acquire('A', 'a2', 10, null)).toBe('workspace');
    expect(await slots.acquire('A', 'a1', 1, null)).toBe('concurrency');
    slots.release('a1');
    expect(slots.size).toEqual({ endpoints: 0, workspaces: 0, queues: 0 });
  });
});
