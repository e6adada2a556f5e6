import { type OperationalEvent, Topics } from '@herald/contracts';
import { DispatcherSuite } from './dispatcher-suite';

/**
 * The dispatcher's limits against a loopback receiver: a hung endpoint beside a healthy one on the
 * same partition, an endpoint rate limit, and the circuit breaker.
 */
describe('dispatcher: limits', () => {
  const suite = new DispatcherSuite();
  const { endpoint, delivery, send, endpoints, behaviours, hung, requestsTo, waitAttempts } = suite;

  beforeAll(async () => {
    await suite.start('dispatcher-limits-e2e', () => {
      endpoint('hung', { timeoutMs: 8_000, maxInFlight: 2 });
      endpoint('healthy');
      endpoint('limited', { rateLimitPerSecond: 4 });
      endpoint('breaker');
    });
  });

  afterAll(() => suite.stop());

  it('keeps delivering to a healthy endpoint while a hung one shares its partition', async () => {
    behaviours.set('hung', (_req, res) => hung.push(res));
    await send(
      Array.from({ length: 10 }, () => delivery('hung')),
      0,
    );
    await suite.receiver.waitFor(2, (r) => r.path === '/hung');
    const healthy = Array.from({ length: 20 }, () => delivery('healthy'));
    const sentAt = Date.now();
    await send(healthy, 0);
    const got = await suite.receiver.waitFor(20, (r) => r.path === '/healthy', 15_000);
    const slowest = Math.max(...got.map((r) => r.receivedAt)) - sentAt;
    // The hung endpoint's attempts time out only after 8 s; healthy deliveries never wait for them.
    expect(slowest).toBeLessThan(3_000);
    // The hung endpoint never had more than its 2 slots in flight.
    expect(requestsTo('hung').length).toBeLessThanOrEqual(2);
  });

  it('honours an endpoint rate limit by deferring the excess without counting failures', async () => {
    const limited = Array.from({ length: 16 }, () => delivery('limited'));
    await send(limited);
    const got = await suite.receiver.waitFor(16, (r) => r.path === '/limited', 30_000);
    const times = got.map((r) => r.receivedAt).sort((a, b) => a - b);
    // A 4/s bucket holding at most 4 tokens: any 1 s window sees at most 4 + 4 requests.
    for (const start of times)
      expect(times.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(8);
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(((16 - 4) / 4) * 1_000 - 300);
    expect(got.every((r) => r.headers['webhook-attempt'] === '1')).toBe(true);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(16);
  });

  it('opens the circuit on sustained failure, stops hammering, and closes it after a good probe', async () => {
    let healthy = false;
    behaviours.set('breaker', (_req, res) => res.writeHead(healthy ? 200 : 503).end());
    const batch = Array.from({ length: 8 }, () => delivery('breaker'));
    await send(batch);
    const [opened] = await suite.kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === endpoints.breaker.id &&
        r.value!.includes('circuit_opened'),
    );
    const openedAt = Date.parse((JSON.parse(opened.value!) as OperationalEvent).at);
    const atOpen = requestsTo('breaker').length;
    healthy = true;
    await suite.kafka.waitFor(
      1,
      (r) =>
        r.topic === Topics.operational &&
        r.key === endpoints.breaker.id &&
        r.value!.includes('circuit_closed'),
    );
    // Open for 1 s: the probe that closed it is the first request since, and it came no sooner
    // (200 ms of slack for when the event's time was taken).
    const since = requestsTo('breaker').slice(atOpen);
    expect(since.length).toBeGreaterThan(0);
    expect(Math.min(...since.map((r) => r.receivedAt))).toBeGreaterThanOrEqual(openedAt + 1_000 - 200);
    for (const d of batch) {
      const attempts = await waitAttempts(d.deliveryId, 1);
      await suite.kafka.waitFor(
        1,
        (r) => r.topic === Topics.attempts && r.key === d.deliveryId && r.value!.includes('"succeeded"'),
        20_000,
      );
      expect(attempts.length).toBeGreaterThanOrEqual(1);
    }
  });
});
