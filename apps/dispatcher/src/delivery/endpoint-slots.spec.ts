import { EndpointSlots } from './endpoint-slots';

describe('EndpointSlots', () => {
  it('hands freed slots to waiters in arrival order and leaves other endpoints alone', async () => {
    const slots = new EndpointSlots(100);
    const deadline = Date.now() + 5_000;
    expect(await slots.acquire('a', 1, null, deadline)).toBe('acquired');
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      slots.acquire('a', 1, null, deadline).then((r) => (order.push(n), r)),
    );
    expect(await slots.acquire('b', 1, null, deadline)).toBe('acquired');
    for (let i = 0; i < 3; i++) {
      slots.release('a');
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(waiting)).toEqual(['acquired', 'acquired', 'acquired']);
    expect(order).toEqual([1, 2, 3]);
  });

  it('gives up at the deadline so the caller can defer', async () => {
    const slots = new EndpointSlots(100);
    await slots.acquire('a', 1, null, Date.now() + 1_000);
    const started = Date.now();
    expect(await slots.acquire('a', 1, null, Date.now() + 50)).toBe('concurrency');
    expect(Date.now() - started).toBeLessThan(500);
    slots.release('a');
    expect(await slots.acquire('a', 1, null, Date.now() + 50)).toBe('acquired');
  });

  it('waits for rate tokens within the deadline', async () => {
    const slots = new EndpointSlots(100);
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await slots.acquire('a', 10, 2, Date.now() + 200);
      results.push(r);
      if (r === 'acquired') slots.release('a');
    }
    // Two tokens at once, a third within 200 ms would need 500 ms: refused.
    expect(results.slice(0, 2)).toEqual(['acquired', 'acquired']);
    expect(results[2]).toBe('rate');
  });

  it('queues behind the global cap', async () => {
    const slots = new EndpointSlots(1);
    await slots.acquire('a', 5, null, Date.now() + 1_000);
    const waiting = slots.acquire('b', 5, null, Date.now() + 1_000);
    slots.release('a');
    expect(await waiting).toBe('acquired');
  });
});
