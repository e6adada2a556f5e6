import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { ConsoleBrowser, focusRingShown, inPage, signIn, tabTo } from './browser';

interface DeliveryBody {
  id: string;
  status: string;
}

/**
 * The console in a real browser against the whole pipeline (all five services, Kafka, Postgres, a
 * receiver): an API key signs in and works the main flow by keyboard, a real event's delivery shows up
 * in the live log, is opened, retried and recovered; a viewer sees no secret and no mutating control;
 * an operator sees workspaces and the system. Tests run in order and share the workspace. Every test
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
  let portal: { context: BrowserContext; page: Page } | undefined;
  let portalExpiresAt: string;
  let deliveryId: string;
  const hookPath = `/console-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    pipeline = await startPipeline({ label: 'console-e2e', migrate: true });
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
  const leadCreated = () => {
    const id = randomUUID();
    return {
      id,
      type: 'lead.created',
      workspaceId,
      occurredAt: new Date().toISOString(),
      data: { id: `lead_${id.slice(0, 6)}`, visitor_name: 'Ada', visitor_email: 'ada@example.com' },
    };
  };
  const produce = async (event: ReturnType<typeof leadCreated>) => {
    await pipeline.producer.send({
      topic: 'domain.leads',
      messages: [{ key: event.id, value: JSON.stringify(event) }],
    });
  };
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

  it('opens a portal link on its own workspace only, with its branding', async () => {
    const other = await pipeline.admin.provisionWorkspace(`Other ${randomUUID().slice(0, 6)}`);
    const foreign = await other.client.createEndpoint(other.workspaceId, {
      url: pipeline.receiver.url('/someone-else'),
      eventTypes: ['lead.*'],
    });
    const link = await api.call<{ url: string; token: string; expiresAt: string }>(
      'POST',
      path('/portal-links'),
      {
        expiresInSeconds: 60,
        branding: { name: 'Acme Webhooks', primaryColor: '#aa3300' },
      },
    );
    portalExpiresAt = link.expiresAt;
    expect(link.url).toMatch(/\/console\/portal(\?link=[^#]+)?#token=hpl_/);
    portal = await browser.newPage();
    const customer = portal.page;
    await customer.goto(link.url);
    await customer.getByText('Acme Webhooks').waitFor();
    await customer.locator('tr').filter({ hasText: hookPath }).waitFor();
    // The token left the address bar for this tab's sessionStorage.
    expect(customer.url()).not.toContain('#');
    expect(customer.url()).not.toContain(link.token);
    expect(await inPage(customer, "sessionStorage.getItem('herald.token')")).toBe(link.token);
    const primary = await inPage<string>(
      customer,
      "getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()",
    );
    expect(primary).toBe('#aa3300');
    const nav = customer.getByRole('navigation');
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Endpoints', 'Deliveries']);
    expect(await customer.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await customer.getByText('someone-else').count()).toBe(0);
    await browser.screenshot(customer, 'portal-endpoints');

    // Console pages of any workspace lead back to the portal's own pages.
    await customer.goto(browser.url(`/ws/${other.workspaceId}/endpoints`));
    await customer.waitForURL(/\/console\/portal\/endpoints$/);
    await customer.locator('tr').filter({ hasText: hookPath }).waitFor();
    // Another workspace's endpoint is not found for the link: the page and its health call get 404s.
    browser.allow(/status of 404/, 2);
    const refused = (suffix: string) =>
      customer.waitForResponse((res) => res.url().endsWith(`/endpoints/${foreign.id}${suffix}`));
    const answers = Promise.all([refused(''), refused('/health?window=24h')]);
    await customer.goto(browser.url(`/portal/endpoints/${foreign.id}`));
    expect((await answers).map((res) => res.status())).toEqual([404, 404]);
    await customer.getByRole('alert').waitFor();
    expect(await customer.getByText('someone-else').count()).toBe(0);

    await nav.getByRole('link', { name: 'Deliveries' }).click();
    await customer.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    await browser.screenshot(customer, 'portal-deliveries');
  });

  it('shows a real delivery arriving in the live log and settling', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    await page.getByText('No deliveries match.').waitFor();
    const event = leadCreated();
    await produce(event);
    // The log polls: the row appears without a reload, then turns failed after the fast retry tiers.
    const row = page.locator('tr[data-delivery-id]').filter({ hasText: 'lead.created' });
    await row.first().waitFor({ timeout: 60_000 });
    await row.filter({ hasText: 'failed' }).waitFor({ timeout: 60_000 });
    deliveryId = (await row.getAttribute('data-delivery-id'))!;
    expect((await deliveryOf(event.id, 'failed')).id).toBe(deliveryId);
    await browser.screenshot(page, 'deliveries');
  });

  it('opens the delivery, reads its attempts and retries it', async () => {
    await page.getByRole('link', { name: deliveryId }).click();
    await page.getByRole('heading', { name: 'Delivery', exact: true, level: 1 }).waitFor();
    await page.getByRole('heading', { name: /^Attempts \(5\)$/ }).waitFor();
    await page.getByRole('heading', { name: 'Attempt 1: retry_scheduled · HTTP 503' }).waitFor();
    await page.getByRole('heading', { name: 'Attempt 5: exhausted · HTTP 503' }).waitFor();
    const first = page.locator('li.attempt').first();
    await first.getByText('Response').click();
    await first.getByText('down for maintenance').waitFor();
    await first.getByText('Request headers').click();
    await first.getByText('webhook-id').waitFor();
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
    const event = leadCreated();
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

  it('shows endpoint health by window, the event catalogue and the keys page', async () => {
    await page.goto(browser.url(`/ws/${workspaceId}/endpoints/${endpointId}/health`));
    await page.getByRole('heading', { name: 'Endpoint health' }).waitFor();
    await page.getByLabel('7d').check();
    await page.locator('dl.facts').getByText('Attempts').waitFor();
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

  it('ends the portal session once its link expires', async () => {
    const { page: customer } = portal!;
    const expiresIn = Date.parse(portalExpiresAt) - Date.now();
    // The log keeps polling; the first answer after expiry is a 401 PORTAL_LINK_EXPIRED.
    browser.allow(/status of 401/, 3);
    await customer
      .getByRole('heading', { name: 'Link no longer valid' })
      .waitFor({ timeout: expiresIn + 20_000 });
    expect(await customer.getByRole('alert').innerText()).toMatch(/expired/i);
    expect(await customer.getByRole('navigation').count()).toBe(0);
    await browser.screenshot(customer, 'portal-expired');
    await portal!.context.close();
  }, 180_000);
});
