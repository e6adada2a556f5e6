import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { leadCreated, produceLeads, type LeadCreated } from './leads';
import { ConsoleBrowser, focusRingShown, inPage, signIn, tabTo } from './browser';

const TRACES = 'https://traces.example/trace';

type DeliveryBody = { id: string; status: string };

/**
 * The console in a real browser against the whole pipeline (all five services, Kafka, Postgres, a
 * receiver): an API key signs in and works the main flow by keyboard, a real event's delivery shows up
 * in the live log, is opened, retried and recovered; a viewer sees no secret and no mutating control;
 * an operator sees workspaces and the system (portal links: portal.e2e-spec.ts). Tests run in order and share the workspace. Every test
 * fails on a browser console error or page error.
 */
describe('console in the browser', () => {
  let pipeline: Pipeline;
  let browser: ConsoleBrowser;
  let api: HeraldApiClient;
  let workspaceId: string;
  let adminKey: string;
  let viewerKey: string;
  let receiverUp = false;
  let context: BrowserContext;
  let page: Page;
  let endpointId: string;
  let deliveryId: string;
  const hookPath = `/console-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'console-e2e',
      migrate: true,
      heraldEnv: { HERALD_TRACE_URL_TEMPLATE: `${TRACES}/{traceId}` },
    });
    pipeline.receiver.respondWith((_req, res) => {
      if (receiverUp) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    });
    const provisioned = await pipeline.admin.provisionWorkspace(`Console ${randomUUID().slice(0, 6)}`);
    ({ workspaceId, client: api, apiKey: adminKey } = provisioned);
    viewerKey = (await pipeline.admin.createApiKey(workspaceId, 'viewer', 'console-viewer')).key;
    browser = await ConsoleBrowser.launch(pipeline.herald.apiUrl);
    ({ context, page } = await browser.newPage());
  });

  afterEach(() => browser.assertClean());

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;
  const lead = () => leadCreated(workspaceId);
  const produce = (...events: LeadCreated[]) => produceLeads(pipeline.producer, events);
  const deliveryOf = (eventId: string, status: string) =>
    eventually(async () => {
      const res = await api.call<{ data: DeliveryBody[] }>('GET', path(`/events/${eventId}/deliveries`));
      return res.data.find((d) => d.status === status);
    }, 60_000);

  it('signs in and creates an endpoint with the keyboard alone', async () => {
    await page.goto(browser.url('/'));
    const token = page.getByLabel('API key or operator token');
    await token.waitFor();
    await browser.screenshot(page, 'sign-in');
    await tabTo(page, token);
    await page.keyboard.type(adminKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    // The token stays in this tab's sessionStorage, never in the address or localStorage.
    expect(page.url()).not.toContain(adminKey);
    expect(await inPage(page, 'localStorage.length')).toBe(0);
    expect(await inPage(page, "sessionStorage.getItem('herald.token')")).toBe(adminKey);
    await browser.screenshot(page, 'endpoints-empty');

    const newEndpoint = page.getByRole('link', { name: 'New endpoint' });
    await tabTo(page, newEndpoint);
    expect(await focusRingShown(page)).toBe(true);
    await page.keyboard.press('Enter');
    const url = page.getByLabel('URL');
    await url.waitFor();
    await tabTo(page, url);
    await page.keyboard.type(pipeline.receiver.url(hookPath));
    await page.keyboard.press('Tab');
    await page.keyboard.type('lead.*');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Console e2e receiver');
    await browser.screenshot(page, 'endpoint-new');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Endpoint created' }).waitFor();
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const open = page.getByRole('link', { name: 'Open endpoint' });
    await tabTo(page, open);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Endpoint', exact: true, level: 1 }).waitFor();
    endpointId = page.url().split('/').pop()!;
    const stored = await api.call<{ url: string; eventTypes: string[]; description: string }>(
      'GET',
      path(`/endpoints/${endpointId}`),
    );
    expect(stored).toMatchObject({
      url: pipeline.receiver.url(hookPath),
      eventTypes: ['lead.*'],
      description: 'Console e2e receiver',
    });
    await browser.screenshot(page, 'endpoint-detail');
  });

  it('shows a real delivery arriving in the live log and settling', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    await page.getByText('No deliveries match.').waitFor();
    const event = lead();
    await produce(event);
    // The log polls: the row appears without a reload, then turns failed after the fast retry tiers.
    const row = page.locator('tr[data-delivery-id]').filter({ hasText: 'lead.created' });
    await row.first().waitFor({ timeout: 60_000 });
    await row.filter({ hasText: 'failed' }).waitFor({ timeout: 60_000 });
    deliveryId = (await row.getAttribute('data-delivery-id'))!;
    expect((await deliveryOf(event.id, 'failed')).id).toBe(deliveryId);
    await browser.screenshot(page, 'deliveries');
  });

  it('finds the delivery by id, reads its attempts and retries it', async () => {
    // A status filter that excludes it empties the log; the search box opens it by id.
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=succeeded/);
    await page.getByText('No deliveries match.').waitFor();
    await page.getByLabel('Find by delivery id or event id').fill(deliveryId);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/deliveries/${deliveryId}$`));
    await page.getByRole('heading', { name: 'Delivery', exact: true, level: 1 }).waitFor();
    await page.getByRole('heading', { name: /^Attempts \(5\)$/ }).waitFor();
    await page.getByRole('heading', { name: 'Attempt 1: retry_scheduled · HTTP 503' }).waitFor();
    await page.getByRole('heading', { name: 'Attempt 5: exhausted · HTTP 503' }).waitFor();
    const first = page.locator('li.attempt').first();
    await first.getByText('Response').click();
    await first.getByText('down for maintenance').waitFor();
    await first.getByText('Request headers').click();
    await first.getByText('webhook-id').waitFor();
    // The trace id links to the operator's tracing UI (HERALD_TRACE_URL_TEMPLATE).
    const trace = first.getByRole('link', { name: /^[0-9a-f]{32}$/ });
    expect(await trace.getAttribute('href')).toBe(`${TRACES}/${await trace.innerText()}`);
    expect(await page.getByRole('region', { name: 'Request body' }).locator('pre').innerText()).toContain(
      '"type": "lead.created"',
    );
    await browser.screenshot(page, 'delivery-detail');

    receiverUp = true;
    await page.getByRole('button', { name: 'Retry delivery' }).click();
    await page.getByText('Retry accepted as attempt 6').waitFor();
    await page.getByRole('heading', { name: 'Attempt 6: succeeded · HTTP 200' }).waitFor({ timeout: 60_000 });
    await page.locator('.badge-succeeded').first().waitFor();
    await pipeline.receiver.waitFor(6, (r) => r.headers['webhook-id'] === deliveryId);
  });

  it('runs a recover job and follows it to the end', async () => {
    receiverUp = false;
    const event = lead();
    await produce(event);
    const failed = await deliveryOf(event.id, 'failed');
    receiverUp = true;
    await page.getByRole('navigation').getByRole('link', { name: 'Recover & backfill' }).click();
    await page.getByRole('heading', { name: 'Recover and backfill' }).waitFor();
    await page.getByLabel('Endpoint').selectOption(endpointId);
    await browser.screenshot(page, 'jobs');
    await page.getByRole('button', { name: 'Start recover' }).click();
    await page.getByRole('heading', { name: 'Recover job' }).waitFor();
    const status = page.getByRole('status').filter({ hasText: 'processed' });
    await status.filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toContain('1 deliveries requested');
    await browser.screenshot(page, 'job');
    await pipeline.receiver.waitFor(6, (r) => r.headers['webhook-id'] === failed.id);
    await deliveryOf(event.id, 'succeeded');
  });

  it('pages through the log with load more, newest first', async () => {
    await produce(...Array.from({ length: 30 }, lead));
    await eventually(async () => {
      const res = await api.call<{ data: DeliveryBody[] }>(
        'GET',
        path('/deliveries?limit=40&status=succeeded'),
      );
      return res.data.length >= 32 ? true : undefined;
    }, 60_000);
    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    const rows = page.locator('tr[data-delivery-id]');
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    expect(await rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(25).waitFor();
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-delivery-id')));
    const newest = await api.call<{ data: DeliveryBody[] }>('GET', path('/deliveries?limit=50'));
    expect(shown).toEqual(newest.data.slice(0, shown.length).map((d) => d.id));
    expect(shown.length).toBeGreaterThan(25);
  });

  it('sends a test event, rotates and reveals the secret, disables and deletes endpoints', async () => {
    await page.goto(browser.url(`/ws/${workspaceId}/endpoints/${endpointId}`));
    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.getByRole('region', { name: 'Test event' });
    await result.getByText('Delivered · HTTP 200').waitFor();
    await result.getByText('ok', { exact: true }).waitFor();

    await page.getByLabel('Previous secret keeps working for').selectOption('1h');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await page.getByLabel('New secret').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    await page.getByText('2 active keys').waitFor();
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    expect(await page.getByLabel('Current secret').inputValue()).toBe(rotated);

    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('button', { name: 'Enable', exact: true }).waitFor();
    expect((await api.call<{ disabled: boolean }>('GET', path(`/endpoints/${endpointId}`))).disabled).toBe(
      true,
    );
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByRole('button', { name: 'Disable', exact: true }).waitFor();
    expect((await api.call<{ disabled: boolean }>('GET', path(`/endpoints/${endpointId}`))).disabled).toBe(
      false,
    );

    const spare = await api.createEndpoint(workspaceId, {
      url: pipeline.receiver.url('/spare'),
      eventTypes: ['contact.*'],
    });
    await page.goto(browser.url(`/ws/${workspaceId}/endpoints/${spare.id}`));
    // Escape closes the confirmation without deleting; the dialog's button deletes.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await dialog.waitFor();
    await browser.screenshot(page, 'endpoint-delete-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.request('GET', path(`/endpoints/${spare.id}`))).status).toBe(200);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    expect((await api.request('GET', path(`/endpoints/${spare.id}`))).status).toBe(404);
  });

  it('shows endpoint health by window, the event catalogue and the keys page', async () => {
    await page.goto(browser.url(`/ws/${workspaceId}/endpoints/${endpointId}/health`));
    await page.getByRole('heading', { name: 'Endpoint health' }).waitFor();
    await page.getByLabel('7d').check();
    const health = await api.call<{ attempts: number }>(
      'GET',
      path(`/endpoints/${endpointId}/health?window=7d`),
    );
    expect(health.attempts).toBeGreaterThanOrEqual(7);
    await page
      .locator('dl.facts dd')
      .first()
      .filter({ hasText: String(health.attempts) })
      .waitFor();
    await browser.screenshot(page, 'endpoint-health');

    await page.getByRole('navigation').getByRole('link', { name: 'Endpoints' }).click();
    await page.locator('tr').filter({ hasText: hookPath }).waitFor();
    await browser.screenshot(page, 'endpoints');

    await page.getByRole('navigation').getByRole('link', { name: 'Event types' }).click();
    const lead = page.getByRole('region', { name: /^lead\.created/ });
    await lead.getByText('Example payload').click();
    await lead.getByLabel('Payload shape').selectOption('nexadesk');
    expect(await lead.getByLabel(/example in the nexadesk shape/).innerText()).toContain('"workspace_id"');
    await browser.screenshot(page, 'event-types');

    await page.getByRole('navigation').getByRole('link', { name: 'Keys & links' }).click();
    await page.getByRole('heading', { name: 'Keys and portal links' }).waitFor();
    await page.getByLabel('Key name').fill('made in the console');
    await page.getByLabel('Role').selectOption('developer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel(/API key made in the console/).inputValue();
    expect((await api.withToken(key).request('GET', path('/endpoints'))).status).toBe(200);
    await page.getByText('made in the console · developer').waitFor();
    await browser.screenshot(page, 'keys');
  });

  it('gives a viewer key no secret and no mutating control', async () => {
    const viewer = await browser.newPage();
    try {
      await signIn(viewer.page, browser, viewerKey);
      const nav = viewer.page.getByRole('navigation');
      await nav.getByRole('link', { name: 'Endpoints' }).waitFor();
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Endpoints', 'Deliveries', 'Event types']);
      await viewer.page.locator('tr').filter({ hasText: hookPath }).waitFor();
      expect(await viewer.page.getByRole('link', { name: 'New endpoint' }).count()).toBe(0);

      await viewer.page.getByRole('link', { name: pipeline.receiver.url(hookPath) }).click();
      await viewer.page.getByRole('heading', { name: 'Signing secret' }).waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Reveal secret' }).count()).toBe(0);
      expect(await viewer.page.getByRole('button', { name: 'Rotate secret' }).count()).toBe(0);
      expect(await viewer.page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
      for (const name of ['Send test event', 'Disable', 'Delete'])
        expect(await viewer.page.getByRole('button', { name, exact: true }).isDisabled()).toBe(true);
      expect(await viewer.page.locator('input.mono').count()).toBe(0);
      await browser.screenshot(viewer.page, 'endpoint-detail-viewer');

      await viewer.page.goto(browser.url(`/ws/${workspaceId}/deliveries/${deliveryId}`));
      await viewer.page.getByRole('heading', { name: /^Attempts \(6\)$/ }).waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Retry delivery' }).count()).toBe(0);
    } finally {
      await viewer.context.close();
    }
  });

  it('shows an operator the workspaces and the system', async () => {
    const operator = await browser.newPage();
    try {
      await signIn(operator.page, browser, pipeline.env.heraldEnv().HERALD_ADMIN_TOKEN);
      await operator.page.getByRole('heading', { name: 'Workspaces' }).waitFor();
      const workspace = await api.call<{ name: string }>('GET', `/v1/workspaces/${workspaceId}`);
      await operator.page.getByRole('link', { name: workspace.name }).waitFor();
      await browser.screenshot(operator.page, 'workspaces');
      await operator.page.getByRole('link', { name: workspace.name }).click();
      await operator.page.locator('tr').filter({ hasText: hookPath }).waitFor();
      await operator.page.getByRole('navigation').getByRole('link', { name: 'System' }).click();
      await operator.page.getByRole('heading', { name: 'Services' }).waitFor();
      await operator.page
        .getByRole('cell', { name: /postgres/i })
        .first()
        .waitFor();
      await browser.screenshot(operator.page, 'system');
    } finally {
      await operator.context.close();
    }
  });
});
