import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Admin, Producer } from 'kafkajs';
import { KafkaHeaders, Topics } from '@herald/contracts';
import {
  KafkaTap,
  eventually,
  sampleMessageReceived,
  type HeraldApiClient,
  type HeraldProcess,
  type ReceivedRequest,
  type TappedRecord,
  type WebhookReceiver,
} from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

/**
 * Strict order per endpoint, end to end: endpoints created through the API, domain events on Kafka,
 * the router, the dispatcher and the scheduler as real processes, a loopback receiver. A FIFO
 * endpoint gets its events in order behind a failing head, after the head is dead-lettered, and
 * across a dispatcher restart; a non-FIFO endpoint beside it is never held back.
 */
describe('FIFO endpoints: strict order per endpoint', () => {
  let pipeline: Pipeline;
  let dispatcher: HeraldProcess;
  let receiver: WebhookReceiver;
  let producer: Producer;
  let admin: Admin;
  let tap: KafkaTap<TappedRecord>;
  let api: HeraldApiClient;
  const run = randomBytes(3).toString('hex');
  const behaviours = new Map<string, (request: ReceivedRequest, res: ServerResponse) => void>();

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'fifo-e2e',
      // The 90s tier holds a head's retry long enough to restart the dispatcher (its group membership
      // alone takes about 30s to settle) before the retry is due.
      environment: { retryTiers: ['200ms', '500ms', '1s', '2s', '90s'] },
      heraldEnv: { HERALD_RETRY_SCHEDULE: '200ms,500ms,1s,2s' },
      // The dispatcher runs alone so it can be killed and restarted without the scheduler.
      services: ['api', 'router', 'scheduler', 'projector'],
      moreProcesses: [['dispatcher']],
      beforeHerald: async (started) => {
        started.receiver.respondWith((request, res) => {
          const behaviour = behaviours.get(request.path);
          if (behaviour) behaviour(request, res);
          else res.writeHead(200).end('ok');
        });
      },
    });
    ({ receiver, producer, admin: api } = pipeline);
    dispatcher = pipeline.processes[1];
    admin = pipeline.kafka.admin();
    await admin.connect();
    tap = await KafkaTap.recording(pipeline.env.kafkaBrokers, [Topics.fifo, Topics.deliveriesDead], 'fifo');
  });

  afterAll(async () => {
    await tap?.stop();
    await admin?.disconnect();
    await pipeline?.stop();
  });

  /** The event number a request carries (its message text is `#<n>`), or 0 for the warm-up event. */
  const numberOf = (request: ReceivedRequest) => {
    const text = (JSON.parse(request.body.toString('utf8')) as { data: { text: string } }).data.text;
    return text.startsWith('#') ? Number(text.slice(1)) : 0;
  };
  const requestsTo = (path: string) => receiver.matching((r) => r.path === path && numberOf(r) > 0);

  /** A workspace with its endpoints, each known to the router and the dispatcher before it returns. */
  async function workspaceWith(name: string, endpoints: Record<string, Record<string, unknown>>) {
    const { workspaceId, client } = await api.provisionWorkspace(`${name}-${run}`);
    const paths: Record<string, string> = {};
    const ids: Record<string, string> = {};
    for (const [key, spec] of Object.entries(endpoints)) {
      paths[key] = `/${run}/${name}/${key}`;
      const created = await client.createEndpoint(workspaceId, {
        url: receiver.url(paths[key]),
        eventTypes: ['message.received'],
        ...spec,
      });
      ids[key] = created.id;
    }
    // A warm-up event reaching every endpoint proves the subscriptions arrived everywhere; one routed
    // before the router knew them matches nothing, so they are sent until one arrives.
    const warmedUp = () =>
      Object.values(paths).every((path) => receiver.matching((r) => r.path === path).length > 0);
    await eventually(async () => {
      if (warmedUp()) return true;
      await send(workspaceId, [0]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return warmedUp() ? true : undefined;
    }, 60_000);
    return { workspaceId, paths, ids };
  }

  /** Events `#n`, all with one key, so they reach the router (and so each endpoint) in this order. */
  async function send(workspaceId: string, numbers: number[]) {
    const events = numbers.map((n) =>
      sampleMessageReceived(workspaceId, { data: { text: n === 0 ? 'warm-up' : `#${n}` } }),
    );
    await producer.send({
      topic: 'domain.messages',
      acks: -1,
      messages: events.map((event) => ({ key: `fifo-${workspaceId}`, value: JSON.stringify(event) })),
    });
    return events;
  }

  /** Event numbers in the order they were received, answered 200 or not. */
  const arrivalOrder = (path: string) => requestsTo(path).map(numberOf);
  const succeeded = new Map<string, number[]>();
  function answer(path: string, fail: (n: number, attemptOfN: number) => boolean) {
    const attempts = new Map<number, number>();
    succeeded.set(path, []);
    behaviours.set(path, (request, res) => {
      const n = numberOf(request);
      const attempt = (attempts.get(n) ?? 0) + 1;
      attempts.set(n, attempt);
      if (n > 0 && fail(n, attempt)) {
        res.writeHead(500).end('not yet');
        return;
      }
      if (n > 0) succeeded.get(path)!.push(n);
      res.writeHead(200).end('ok');
    });
  }

  /** Every event delivered, in strictly increasing order once repeats of one event are folded. */
  function expectInOrder(order: number[], count: number) {
    const folded = order.filter((n, i) => i === 0 || n !== order[i - 1]);
    expect(folded).toEqual(Array.from({ length: count }, (_v, i) => i + 1));
  }

  it('delivers events in order behind a failing head, while a non-FIFO endpoint is not held back', async () => {
    const count = 8;
    const failures = 3;
    const { workspaceId, paths } = await workspaceWith('head', {
      ordered: { fifo: true, retrySchedule: ['500ms', '1s', '2s', '2s', '2s', '2s', '2s', '2s'] },
      free: { fifo: false },
    });
    // The ordered endpoint's #1 fails at least `failures` times and until the free endpoint has every
    // event: whatever reaches the ordered endpoint before then must be #1 alone.
    answer(paths.free, () => false);
    answer(
      paths.ordered,
      (n, attempt) => n === 1 && (attempt <= failures || succeeded.get(paths.free)!.length < count),
    );
    await send(
      workspaceId,
      Array.from({ length: count }, (_v, i) => i + 1),
    );

    await eventually(async () => (succeeded.get(paths.ordered)!.length >= count ? true : undefined), 90_000);
    expect(new Set(succeeded.get(paths.free))).toEqual(
      new Set(Array.from({ length: count }, (_v, i) => i + 1)),
    );
    const order = arrivalOrder(paths.ordered);
    expect(order.filter((n) => n === 1).length).toBeGreaterThan(failures);
    expectInOrder(order, count);
    expectInOrder(succeeded.get(paths.ordered)!, count);
  });

  it('continues in order with the next events once the head exhausted its retries', async () => {
    const count = 6;
    const { workspaceId, paths, ids } = await workspaceWith('exhaust', {
      ordered: { fifo: true, retrySchedule: ['200ms', '500ms'] },
    });
    answer(paths.ordered, (n) => n === 1);
    const [first] = await send(
      workspaceId,
      Array.from({ length: count }, (_v, i) => i + 1),
    );

    await eventually(
      async () => (succeeded.get(paths.ordered)!.length >= count - 1 ? true : undefined),
      90_000,
    );
    const order = arrivalOrder(paths.ordered);
    // Three attempts of #1 (the schedule has two retries), all before #2, then the rest in order.
    expect(order.slice(0, 3)).toEqual([1, 1, 1]);
    expectInOrder(order, count);
    expect(succeeded.get(paths.ordered)).toEqual([2, 3, 4, 5, 6]);
    const [dead] = await tap.waitFor(
      1,
      (r) =>
        r.topic === Topics.deliveriesDead &&
        r.key === ids.ordered &&
        r.value !== null &&
        r.value.toString().includes(`"eventId":"${first.id}"`),
    );
    expect(dead.headers[KafkaHeaders.reasonCode]).toBe('exhausted');
  });

  it('keeps the order across a dispatcher restart: the lane is loaded from herald.fifo', async () => {
    const count = 5;
    const { workspaceId, paths, ids } = await workspaceWith('restart', {
      ordered: { fifo: true, retrySchedule: ['90s', '200ms'] },
    });
    answer(paths.ordered, (n, attempt) => n === 1 && attempt === 1);
    await send(workspaceId, [1]);
    await receiver.waitFor(1, (r) => r.path === paths.ordered && numberOf(r) === 1);
    // The head's lane entry is durable, and its record committed, so the restart reads neither again.
    const [entry] = await tap.waitFor(
      1,
      (r) => r.topic === Topics.fifo && r.key?.startsWith(`${ids.ordered}/`) === true && r.value !== null,
    );
    const head = JSON.parse(entry.value!.toString()) as { dueAt: number; blocking: boolean };
    expect(head.blocking).toBe(true);
    await eventually(async () => {
      const [high, committed] = await Promise.all([
        admin.fetchTopicOffsets(Topics.deliveries),
        admin.fetchOffsets({ groupId: 'herald-dispatcher', topics: [Topics.deliveries] }),
      ]);
      const at = new Map(committed[0].partitions.map((p) => [p.partition, p.offset]));
      return high.every((p) => p.high === '0' || at.get(p.partition) === p.high) ? true : undefined;
    });

    await dispatcher.kill();
    await dispatcher.start();
    await send(
      workspaceId,
      Array.from({ length: count - 1 }, (_v, i) => i + 2),
    );
    // Sent while the head's retry still waits: only the loaded lane keeps them behind it.
    expect(Date.now()).toBeLessThan(head.dueAt);

    await eventually(async () => (succeeded.get(paths.ordered)!.length >= count ? true : undefined), 150_000);
    expectInOrder(arrivalOrder(paths.ordered), count);
    expect(succeeded.get(paths.ordered)).toEqual([1, 2, 3, 4, 5]);
  }, 240_000);
});
