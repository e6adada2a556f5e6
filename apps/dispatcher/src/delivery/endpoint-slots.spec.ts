import { EndpointSlots } from './endpoint-slots';

describe('EndpointSlots', () => {
  it('hands freed slots to waiters in arrival order and leaves other endpoints alone', async () => {
    const slots = new EndpointSlots(100);
    const deadline = Date.now() + 5_000;
    expect(await slots.acquire('w', 'a', 1, null, deadline)).toBe('acquired');
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      slots.acquire('w', 'a', 1, null, deadline).then((r) => (order.push(n), r)),
    );
    expect(await slots.acquire('w', 'b', 1, null, deadline)).toBe('acquired');
    for (let i = 0; i < 3; i++) {
      slots.release('a');
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(waiting)).toEqual(['acquired', 'acquired', 'acquired']);
    expect(order).toEqual([1, 2, 3]);
  });

  it('gives up at the deadline so the caller can defer', async () => {
    const slots = new EndpointSlots(100);
    await slots.acquire('w', 'a', 1, null, Date.now() + 1_000);
    const started = Date.now();
    expect(await slots.acquire('w', 'a', 1, null, Date.now() + 50)).toBe('concurrency');
    expect(Date.now() - started).toBeLessThan(500);
    slots.release('a');
    expect(await slots.acquire('w', 'a', 1, null, Date.now() + 50)).toBe('acquired');
  });

  it('waits for rate tokens within the deadline', async () => {
    const slots = new EndpointSlots(100);
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await slots.acquire('w', 'a', 10, 2, Date.now() + 200);
      results.push(r);
      if (r === 'acquired') slots.release('a');
    }
    // Two tokens at once, a third within 200 ms would need 500 ms: refused.
    expect(results.slice(0, 2)).toEqual(['acquired', 'acquired']);
    expect(results[2]).toBe('rate');
  });

  it('queues behind the global cap', async () => {
    const slots = new EndpointSlots(1);
    await slots.acquire('w', 'a', 5, null, Date.now() + 1_000);
    const waiting = slots.acquire('w', 'b', 5, null, Date.now() + 1_000);
    slots.release('a');
    expect(await waiting).toBe('acquired');
  });

  it('parks a workspace holding its share until one of its own attempts ends, while another workspace goes', async () => {
    const slots = new EndpointSlots({ global: 4, workspace: 2 });
    const deadline = Date.now() + 5_000;
    expect(await slots.acquire('A', 'a1', 10, null, deadline)).toBe('acquired');
    expect(await slots.acquire('A', 'a2', 10, null, deadline)).toBe('acquired');
    let parked: string | undefined;
    const waiting = slots.acquire('A', 'a3', 10, null, deadline).then((r) => (parked = r));
    // The other workspace is not held back by A's queue.
    expect(await slots.acquire('B', 'b1', 10, null, deadline)).toBe('acquired');
    expect(await slots.acquire('B', 'b1', 10, null, deadline)).toBe('acquired');
    await new Promise((r) => setImmediate(r));
    expect(parked).toBeUndefined();
    // A release in B does not make room for A.
    slots.release('b1');
    await new Promise((r) => setImmediate(r));
    expect(parked).toBeUndefined();
    slots.release('a1');
    expect(await waiting).toBe('acquired');
    expect(slots.workspaceInFlight('A')).toBe(2);
  });

  it("says 'workspace' at the deadline so the caller defers, and keeps no state for idle keys", async () => {
    const slots = new EndpointSlots({ global: 4, workspace: 1 });
    expect(await slots.acquire('A', 'a1', 10, null, Date.now() + 1_000)).toBe('acquired');
    expect(await slots.acquire('A', 'a2', 10, null, Date.now() + 30)).toBe('workspace');
    expect(await slots.acquire('A', 'a1', 10, null, Date.now() + 30)).toBe('concurrency');
    slots.release('a1');
    expect(slots.size).toEqual({ endpoints: 0, workspaces: 0, queues: 0 });
  });
});
