import { Topics } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import { SubscriptionIndex } from '@herald/matching';
import { sampleEndpointSnapshot } from '@herald/testing';
import { MarkerTrail } from '../../dedupe/marker-trail';
import type { DomainRecord } from './route-domain-events.command';
import { routerForSpec } from './route-domain-events.test-kit';

function record(id: string, offset: number): DomainRecord {
  const event = {
    id,
    type: 'message.received',
    workspaceId: 'ws_1',
    occurredAt: '2026-03-20T14:00:00.000Z',
    data: { id: `msg_${id}`, conversationId: 'cnv_1', communicationType: 'sms' },
  };
  const value = Buffer.from(JSON.stringify(event));
  return { key: null, value, headers: {}, offset: String(offset), timestamp: '1774015205000' };
}

/** A router whose marker sends wait until the test lets them through (or fails them). */
function setup() {
  const index = new SubscriptionIndex();
  index.upsert(sampleEndpointSnapshot({ id: 'ep_a', workspaceId: 'ws_1', eventTypes: ['message.*'] }));
  const held: { records: OutgoingRecord[]; release: () => void; fail: (error: Error) => void }[] = [];
  const sent: OutgoingRecord[] = [];
  const producer = {
    send: async (records: OutgoingRecord[]) => {
      if (records[0]?.topic !== Topics.dedupe) return void sent.push(...records);
      await new Promise<void>((release, fail) => held.push({ records, release, fail }));
      sent.push(...records);
    },
  };
  const trail = new MarkerTrail();
  const useCase = routerForSpec({ index, producer, trail });
  const commits: string[] = [];
  const route = (...records: DomainRecord[]) =>
    useCase.execute({
      topic: 'domain.messages',
      partition: 0,
      records,
      commitLater: async (offset) => {
        commits.push(offset);
        return true;
      },
    });
  const markersSent = () => sent.filter((r) => r.topic === Topics.dedupe).length;
  return { trail, route, held, sent, commits, markersSent };
}

/** Lets pending promise chains run. */
const drain = () => new Promise((resolve) => setImmediate(resolve));

describe('RouteDomainEventsUseCase with markers behind the batch', () => {
  it('returns once the deliveries are acknowledged, commits past the batch once its markers are', async () => {
    const t = setup();
    const summary = await t.route(record('e1', 10), record('e2', 11));
    expect(summary).toMatchObject({ deliveries: 2, commitBefore: '10' });
    expect(t.sent.filter((r) => r.topic === Topics.deliveries)).toHaveLength(2);
    await drain();
    expect(t.held).toHaveLength(1);
    expect(t.commits).toEqual([]);
    t.held[0].release();
    await t.trail.settled('domain.messages', 0);
    expect(t.commits).toEqual(['12']);
  });

  it("holds the partition's next batch until the earlier markers are done and their commit issued", async () => {
    const t = setup();
    await t.route(record('e1', 10));
    let returned = false;
    const next = t.route(record('e2', 11)).then((summary) => ((returned = true), summary));
    await drain();
    expect(returned).toBe(false);
    // The next batch's deliveries went out; only its return waits.
    expect(t.sent.filter((r) => r.topic === Topics.deliveries)).toHaveLength(2);
    t.held[0].release();
    const summary = await next;
    expect(t.commits).toEqual(['11']);
    expect(summary.commitBefore).toBe('11');
    await drain();
    t.held[1].release();
    await t.trail.settled('domain.messages', 0);
    expect(t.commits).toEqual(['11', '12']);
  });

  it('still commits when the markers fail: the events are remembered in memory', async () => {
    const t = setup();
    await t.route(record('e1', 10));
    await drain();
    t.held[0].fail(new Error('broker unavailable'));
    await t.trail.settled('domain.messages', 0);
    expect(t.commits).toEqual(['11']);
    expect(await t.route(record('e1', 11))).toMatchObject({ deliveries: 0, duplicates: 1 });
  });

  it('writes the markers before returning once shutdown began, so nothing trails the transport', async () => {
    const t = setup();
    await t.trail.beforeApplicationShutdown();
    let returned = false;
    const routed = t.route(record('e1', 10)).then((summary) => ((returned = true), summary));
    await drain();
    expect(returned).toBe(false);
    t.held[0].release();
    const summary = await routed;
    expect(summary.commitBefore).toBeUndefined();
    expect(t.markersSent()).toBe(1);
    expect(t.commits).toEqual([]);
  });
});
