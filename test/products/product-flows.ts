import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { eventually, type HeraldApiClient } from '@herald/testing';
import type { SeedReceiver, Verified } from './seed-receiver';

/**
 * The flows issue 18 asks of every product e2e, run the same way for each: a rotation without grace, a
 * retry after a 500, and a delivery that exhausts its schedule, is listed as failed and is retried by
 * hand. What only one product documents (payload equality in its own terms, its log fields) stays in
 * its spec, which gets back what it needs to assert it.
 */

export interface Delivery {
  id: string;
  endpointId: string;
  eventId: string;
  status: string;
  attemptCount: number;
}
interface AttemptStatus {
  attempt: number;
  response: { status: number } | null;
}
export interface DeliveryDetail extends Delivery {
  attempts: (AttemptStatus & { outcome: string })[];
}

/** One workspace, as its API client sees it. */
export interface Workspace {
  api: HeraldApiClient;
  workspaceId: string;
}

/** The endpoint under test and the seed receiver behind its URL. */
export interface FlowTarget<View> extends Workspace {
  endpointId: string;
  receiver: SeedReceiver<View>;
}

/** One event a spec produced: its id, and how to tell its requests at the receiver. */
export interface Sent<View> {
  eventId: string;
  of: (request: Verified<View>) => boolean;
}
export type Send<View> = () => Promise<Sent<View>>;

export function workspacePath({ workspaceId }: Workspace, rest: string): string {
  return `/v1/workspaces/${workspaceId}${rest}`;
}

/** Produces `events` under one key: the router handles them in order, so a later one proves the earlier. */
export async function produceInOrder(producer: Producer, topic: string, events: object[]): Promise<void> {
  const key = randomUUID();
  await producer.send({ topic, messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
}

/** The delivery log for an event, once it lists something `ready` accepts. */
export function eventDeliveries<D extends Delivery = Delivery>(
  w: Workspace,
  eventId: string,
  ready: (deliveries: D[]) => boolean = (deliveries) => deliveries.length > 0,
): Promise<D[]> {
  return eventually(async () => {
    const listed = await w.api.call<{ data: D[] }>('GET', workspacePath(w, `/events/${eventId}/deliveries`));
    return ready(listed.data) ? listed.data : undefined;
  }, 60_000);
}

/** The target endpoint's delivery of an event, once `ready` accepts it. */
export async function endpointDelivery<D extends Delivery = Delivery>(
  t: Workspace & { endpointId: string },
  eventId: string,
  ready: (delivery: D) => boolean,
): Promise<D> {
  const ours = (ds: D[]) => ds.find((d) => d.endpointId === t.endpointId && ready(d));
  return ours(await eventDeliveries<D>(t, eventId, (ds) => ours(ds) !== undefined))!;
}

/**
 * Rotates the target's secret with gracePeriod 0s; `adopt` is how the receiver learns the new one
 * (by default the rotation's answer). The next delivery verifies, by the seed's code in `verifies`,
 * with the new secret and not with `previous`. Returns the new secret.
 */
export async function rotateWithoutGrace<View>(
  t: FlowTarget<View>,
  send: Send<View>,
  options: {
    previous: string;
    verifies: (request: Verified<View>, secret: string) => boolean;
    adopt?: (rotated: string) => Promise<string>;
  },
): Promise<string> {
  const rotated = await t.api.call<{ secret: string }>(
    'POST',
    workspacePath(t, `/endpoints/${t.endpointId}/secret/rotate`),
    { gracePeriod: '0s' },
  );
  expect(rotated.secret).not.toBe(options.previous);
  t.receiver.useSecret(options.adopt ? await options.adopt(rotated.secret) : rotated.secret);

  const sent = await send();
  const [delivery] = await t.receiver.waitFor(1, sent.of);
  expect(options.verifies(delivery, rotated.secret)).toBe(true);
  expect(options.verifies(delivery, options.previous)).toBe(false);
  return rotated.secret;
}

/**
 * The receiver answers 500 once: the event arrives twice (500, then 200) and the log shows the two
 * attempts with those statuses. Returns what `send` sent, both requests and the logged delivery.
 */
export async function retryAfterA500<
  View,
  Detail extends { attempts: AttemptStatus[] } = DeliveryDetail,
  S extends Sent<View> = Sent<View>,
>(
  t: FlowTarget<View>,
  send: () => Promise<S>,
): Promise<{ sent: S; first: Verified<View>; second: Verified<View>; detail: Detail }> {
  t.receiver.failNext(1);
  const sent = await send();
  const [first, second] = await t.receiver.waitFor(2, sent.of);
  expect([first.answered, second.answered]).toEqual([500, 200]);

  const delivery = await endpointDelivery(
    t,
    sent.eventId,
    (d) => d.status === 'succeeded' && d.attemptCount === 2,
  );
  const detail = await eventually(async () => {
    const logged = await t.api.call<Detail>('GET', workspacePath(t, `/deliveries/${delivery.id}`));
    return logged.attempts.length === 2 ? logged : undefined;
  });
  expect(detail.attempts.map((a) => [a.attempt, a.response?.status])).toEqual([
    [1, 500],
    [2, 200],
  ]);
  return { sent, first, second, detail };
}

/**
 * The receiver answers 500 to all `attempts` (the first and one per retry delay): the delivery is
 * listed by ?status=failed with that attempt count; a manual retry (202) then arrives and succeeds.
 * Returns every request of the event and the succeeded delivery.
 */
export async function failThenRetryByHand<View>(
  t: FlowTarget<View>,
  send: Send<View>,
  attempts: number,
): Promise<{ arrived: Verified<View>[]; succeeded: Delivery }> {
  t.receiver.failNext(attempts);
  const sent = await send();
  await t.receiver.waitFor(attempts, sent.of, 60_000);
  const failed = await eventually(async () => {
    const listed = await t.api.call<{ data: Delivery[] }>(
      'GET',
      workspacePath(t, `/deliveries?status=failed&endpointId=${t.endpointId}`),
    );
    return listed.data.find((d) => d.eventId === sent.eventId);
  }, 60_000);
  expect(failed.attemptCount).toBe(attempts);
  expect(t.receiver.verified.filter(sent.of).map((r) => r.answered)).toEqual(Array(attempts).fill(500));

  const retry = await t.api.request('POST', workspacePath(t, `/deliveries/${failed.id}/retry`));
  expect(retry.status).toBe(202);
  const arrived = await t.receiver.waitFor(attempts + 1, sent.of);
  expect(arrived.map((r) => r.answered)).toEqual([...Array(attempts).fill(500), 200]);
  const succeeded = await endpointDelivery(t, sent.eventId, (d) => d.status === 'succeeded');
  return { arrived, succeeded };
}
