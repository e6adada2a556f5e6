import { randomUUID } from 'node:crypto';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';

interface RetentionBody {
  retentionDays: number | null;
  bodyRetentionDays: number | null;
  effective: { retentionDays: number; bodyRetentionDays: number };
  bounds: { minDays: number; maxDays: number };
}
interface OutOfBoundsBody {
  error: {
    code: string;
    message: string;
    fields?: { field: string; message: string }[];
    details?: { bounds: { minDays: number; maxDays: number } };
  };
}

/**
 * A workspace's own retention through the API, within the operator's bounds (2..40 here), and the
 * backfill horizon that follows from them: the domain topics keep 40 days (the longer of 20 and 40).
 */
describe('workspace retention override', () => {
  let pipeline: Pipeline;
  let api: HeraldApiClient;
  let workspaceId: string;
  const path = () => `/v1/workspaces/${workspaceId}/retention`;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'workspace-retention',
      migrate: true,
      services: ['api'],
      heraldEnv: {
        HERALD_RETENTION_DAYS: '20',
        HERALD_BODY_RETENTION_DAYS: '5',
        HERALD_RETENTION_MIN_DAYS: '2',
        HERALD_RETENTION_MAX_DAYS: '40',
      },
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `retention-${randomUUID().slice(0, 6)}`,
    ));
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('starts at the operator default', async () => {
    const res = await api.request<RetentionBody>('GET', path());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      retentionDays: null,
      bodyRetentionDays: null,
      effective: { retentionDays: 20, bodyRetentionDays: 5 },
      bounds: { minDays: 2, maxDays: 40 },
    });
  });

  it.each([
    [{ retentionDays: 41 }, 'retentionDays'],
    [{ retentionDays: 1 }, 'retentionDays'],
    [{ bodyRetentionDays: 0 }, 'bodyRetentionDays'],
    [{ retentionDays: 10, bodyRetentionDays: 11 }, 'bodyRetentionDays'],
  ])('refuses %j with 422 RETENTION_OUT_OF_BOUNDS naming the bounds', async (body, field) => {
    const res = await api.request<OutOfBoundsBody>('PUT', path(), body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('RETENTION_OUT_OF_BOUNDS');
    expect(res.body.error.fields?.[0]?.field).toBe(field);
    expect(res.body.error.details?.bounds.minDays).toBe(2);
    expect(res.body.error.message).toMatch(/\d+/);
    // Nothing was stored.
    expect((await api.call<RetentionBody>('GET', path())).retentionDays).toBeNull();
  });

  it('refuses a value that is not a whole number with 400', async () => {
    const res = await api.request('PUT', path(), { retentionDays: 2.5 });
    expect(res.status).toBe(400);
  });

  it('stores an override within the bounds and reads it back', async () => {
    const res = await api.request<RetentionBody>('PUT', path(), { retentionDays: 40, bodyRetentionDays: 2 });
    expect(res.status).toBe(200);
    const read = await api.call<RetentionBody>('GET', path());
    expect(read).toEqual({
      retentionDays: 40,
      bodyRetentionDays: 2,
      effective: { retentionDays: 40, bodyRetentionDays: 2 },
      bounds: { minDays: 2, maxDays: 40 },
    });
    expect(res.body).toEqual(read);
  });

  it('keeps the default body retention under a shorter records override', async () => {
    await api.call('PUT', path(), { retentionDays: 3 });
    const read = await api.call<RetentionBody>('GET', path());
    expect(read.retentionDays).toBe(3);
    expect(read.bodyRetentionDays).toBeNull();
    expect(read.effective).toEqual({ retentionDays: 3, bodyRetentionDays: 3 });
  });

  it('goes back to the default with nulls', async () => {
    await api.call('PUT', path(), { retentionDays: null, bodyRetentionDays: null });
    const read = await api.call<RetentionBody>('GET', path());
    expect(read.retentionDays).toBeNull();
    expect(read.effective).toEqual({ retentionDays: 20, bodyRetentionDays: 5 });
  });

  it('answers 404 for a workspace the operator never created', async () => {
    const res = await pipeline.admin.request('PUT', '/v1/workspaces/no-such-ws/retention', {
      retentionDays: 5,
    });
    expect(res.status).toBe(404);
  });

  it("refuses a backfill since older than the domain topics' retention with 422, accepts one inside it", async () => {
    const endpoint = await api.createEndpoint(workspaceId, {
      url: 'http://127.0.0.1:9/retention',
      eventTypes: ['message.*'],
    });
    const backfill = (daysAgo: number) =>
      api.request<{ id: string; error?: { code: string; fields?: { field: string; message: string }[] } }>(
        'POST',
        `/v1/workspaces/${workspaceId}/endpoints/${endpoint.id}/backfill`,
        { since: new Date(Date.now() - daysAgo * 86_400_000).toISOString() },
      );
    const old = await backfill(41);
    expect(old.status).toBe(422);
    expect(old.body.error?.fields?.[0]?.field).toBe('since');
    expect(old.body.error?.fields?.[0]?.message).toContain('40 days');
    const recent = await backfill(39);
    expect(recent.status).toBe(202);
    // Let the job finish (whatever the empty topics give) before the API stops.
    await eventually(async () => {
      const job = await api.call<{ state: string }>(
        'GET',
        `/v1/workspaces/${workspaceId}/jobs/${recent.body.id}`,
      );
      return ['queued', 'running'].includes(job.state) ? undefined : job.state;
    });
  });
});
