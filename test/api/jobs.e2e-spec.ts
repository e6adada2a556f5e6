import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { eventually, sampleMessageReceived, type HeraldApiClient } from '@herald/testing';
import type { JobBody } from '../support/api-bodies';
import { startPipeline, type Pipeline } from '../support/pipeline';

const EMPTY = 'jobs.empty';
const TXN = 'jobs.txn';
const BULK = 'jobs.bulk';
const BULK_EVENTS = 40_000;
const TERMINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];

/**
 * Backfill jobs always end, on a real broker: on empty topics, on a range whose last offset is a
 * transaction's commit marker, at their time limit and on cancellation. Backfill reads only this file's
 * three topics (HERALD_DOMAIN_TOPICS); the tests run in order, each adding records the next ones read.
 */
describe('replay jobs', () => {
  let pipeline: Pipeline;
  let kafka: Kafka;
  let producer: Producer;
  let api: HeraldApiClient;
  let workspaceId: string;
  let endpointId: string;
  const since = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'jobs-e2e',
      migrate: true,
      heraldEnv: { HERALD_DOMAIN_TOPICS: [EMPTY, TXN, BULK].join(','), HERALD_JOB_TIME_LIMIT: '10m' },
      services: ['api'],
      beforeHerald: async (started) => {
        const admin = started.kafka.admin();
        await admin.connect();
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            { topic: EMPTY, numPartitions: 3 },
            { topic: TXN, numPartitions: 1 },
            { topic: BULK, numPartitions: 1 },
          ],
        });
        await admin.disconnect();
      },
    });
    ({ kafka, producer } = pipeline);
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `jobs-${randomUUID().slice(0, 6)}`,
    ));
    endpointId = (
      await api.createEndpoint(workspaceId, { url: 'http://127.0.0.1:9/jobs', eventTypes: ['message.*'] })
    ).id;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;
  const event = () =>
    sampleMessageReceived(workspaceId, {
      data: {
        from: '+17025551111',
        to: ['+17025550100'],
        text: 'replay me',
        outbound: false,
        createdAt: new Date().toISOString(),
      },
    });
  const startBackfill = (body: Record<string, unknown> = {}) =>
    api.request<JobBody>('POST', path(`/endpoints/${endpointId}/backfill`), { since, ...body });
  const getJob = (id: string) => api.call<JobBody>('GET', path(`/jobs/${id}`));
  const ended = (id: string) =>
    eventually(async () => {
      const job = await getJob(id);
      return TERMINAL.includes(job.state) ? job : undefined;
    }, 60_000);

  it('ends succeeded at once when every topic is empty', async () => {
    const started = await startBackfill();
    expect(started.status).toBe(202);
    const job = await ended(started.body.id);
    expect(job).toMatchObject({ state: 'succeeded', total: 0, processed: 0, produced: 0, percent: 100 });
    expect(job.result).toEqual({ recordsRead: 0, lostToRetention: 0, partitions: 5 });
  });

  it('ends when the range ends on a transaction commit marker, counting the marker as passed', async () => {
    const txProducer = kafka.producer({
      transactionalId: `jobs-test-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await txProducer.connect();
    const tx = await txProducer.transaction();
    const events = [event(), event(), event()];
    await tx.send({ topic: TXN, messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })) });
    await tx.commit();
    await txProducer.disconnect();

    const started = await startBackfill();
    const job = await ended(started.body.id);
    // offsets 0-2 hold the events and 3 the commit marker: the high watermark is 4, no message sits at 3
    expect(job).toMatchObject({ state: 'succeeded', total: 4, processed: 4, produced: 3, percent: 100 });
    expect(job.result).toMatchObject({ recordsRead: 3, lostToRetention: 0 });
  });

  describe('with a range that takes a while to read', () => {
    beforeAll(async () => {
      for (let sent = 0; sent < BULK_EVENTS; sent += 1_000) {
        const batch = Array.from({ length: 1_000 }, () => event());
        await producer.send({
          topic: BULK,
          messages: batch.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
        });
      }
    }, 120_000);

    it('ends timed_out at its time limit, keeping its progress', async () => {
      const started = await startBackfill({ timeLimit: '1s' });
      expect(started.status).toBe(202);
      const job = await ended(started.body.id);
      expect({ state: job.state, error: job.error }).toEqual({ state: 'timed_out', error: null });
      expect(job.total).toBe(4 + BULK_EVENTS);
      expect(job.processed).toBeLessThan(job.total!);
      expect(job.percent).toBeLessThan(100);
      expect(job.result!.recordsRead).toBeLessThanOrEqual(job.processed);
      expect(job.produced).toBeLessThanOrEqual(job.result!.recordsRead);
      expect(Date.parse(job.finishedAt!) - Date.parse(job.createdAt)).toBeGreaterThanOrEqual(1_000);
      // the counters written when it ended stay
      expect(await getJob(job.id)).toMatchObject({ state: 'timed_out', processed: job.processed });
    });

    it('refuses a time limit above HERALD_JOB_TIME_LIMIT', async () => {
      expect((await startBackfill({ timeLimit: '11m' })).status).toBe(422);
      expect((await startBackfill({ timeLimit: 'soon' })).status).toBe(400);
    });

    it('cancels a running job promptly and idempotently; a finished job cannot be cancelled', async () => {
      const started = await startBackfill();
      await eventually(
        async () => ((await getJob(started.body.id)).processed > 0 ? true : undefined),
        30_000,
      );
      const asked = Date.now();
      const cancelled = await api.request<JobBody>('POST', path(`/jobs/${started.body.id}/cancel`));
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ state: 'cancelled', cancelRequested: true });
      expect(Date.now() - asked).toBeLessThan(5_000);
      expect(cancelled.body.processed).toBeGreaterThan(0);
      expect(cancelled.body.processed).toBeLessThan(cancelled.body.total!);

      const again = await api.request<JobBody>('POST', path(`/jobs/${started.body.id}/cancel`));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ state: 'cancelled', processed: cancelled.body.processed });

      const { data } = await api.call<{ data: JobBody[] }>('GET', path('/jobs'));
      const succeeded = data.find((j) => j.state === 'succeeded')!;
      const refused = await api.request<{ error: { code: string } }>(
        'POST',
        path(`/jobs/${succeeded.id}/cancel`),
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('CONFLICT');
      expect((await api.request('POST', path(`/jobs/${randomUUID()}/cancel`))).status).toBe(404);
    });

    it('reads the whole range when left alone: every offset passed, every match sent', async () => {
      const started = await startBackfill();
      const job = await ended(started.body.id);
      expect(job).toMatchObject({
        state: 'succeeded',
        total: 4 + BULK_EVENTS,
        processed: 4 + BULK_EVENTS,
        produced: 3 + BULK_EVENTS,
        percent: 100,
      });
      expect(job.result).toMatchObject({ recordsRead: 3 + BULK_EVENTS, lostToRetention: 0 });
    });

    it('lists the jobs newest first, none that ended still showing running', async () => {
      const { data } = await api.call<{ data: JobBody[] }>('GET', path('/jobs'));
      expect(data.map((j) => j.state)).toEqual([
        'succeeded',
        'cancelled',
        'timed_out',
        'succeeded',
        'succeeded',
      ]);
      for (const job of data) expect(TERMINAL).toContain(job.state);
    });
  });
});
