import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, type HeraldApiClient } from '@herald/testing';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { ConsoleBrowser, inPage } from './browser';

/**
 * A customer portal link in a real browser: the API and the projector (test pings reach the log
 * through it) serve one workspace's endpoint and delivery pages, branded, to a browser holding only
 * the link; another workspace stays out of reach, and the session ends when the link expires. Fails
 * on any browser console or page error it did not provoke on purpose.
 */
describe('console portal link in the browser', () => {
  let pipeline: Pipeline;
  let browser: ConsoleBrowser;
  let api: HeraldApiClient;
  let workspaceId: string;
  let portal: { context: BrowserContext; page: Page };
  let expiresAt: string;
  let endpointId: string;
  const hookPath = `/portal-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    pipeline = await startPipeline({
      label: 'console-portal-e2e',
      migrate: true,
      services: ['api', 'projector'],
    });
    ({ workspaceId, client: api } = await pipeline.admin.provisionWorkspace(
      `Portal ${randomUUID().slice(0, 6)}`,
    ));
    endpointId = (
      await api.createEndpoint(workspaceId, { url: pipeline.receiver.url(hookPath), eventTypes: ['lead.*'] })
    ).id;
    browser = await ConsoleBrowser.launch(pipeline.herald.apiUrl);
  });

  afterEach(() => browser.assertClean());

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  const path = (rest: string) => `/v1/workspaces/${workspaceId}${rest}`;

  it('opens a portal link on its own workspace only, with its branding', async () => {
    const other = await pipeline.admin.provisionWorkspace(`Other ${randomUUID().slice(0, 6)}`);
    const foreign = await other.client.createEndpoint(other.workspaceId, {
      url: pipeline.receiver.url('/someone-else'),
      eventTypes: ['lead.*'],
    });
    const ping = await api.call<{ deliveryId: string }>('POST', path(`/endpoints/${endpointId}/test`));
    await eventually(async () =>
      (await api.request('GET', path(`/deliveries/${ping.deliveryId}`))).status === 200 ? true : undefined,
    );
    const link = await api.call<{ url: string; token: string; expiresAt: string }>(
      'POST',
      path('/portal-links'),
      {
        expiresInSeconds: 60,
        branding: { name: 'Acme Webhooks', primaryColor: '#aa3300' },
      },
    );
    expiresAt = link.expiresAt;
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
    expect(await inPage(customer, 'localStorage.length')).toBe(0);
    const primary = await inPage<string>(
      customer,
      "getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()",
    );
    expect(primary).toBe('#aa3300');
    const nav = customer.getByRole('navigation');
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Endpoints', 'Deliveries']);
    expect(await customer.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await customer.getByRole('link', { name: 'New endpoint' }).count()).toBe(0);
    expect(await customer.getByText('someone-else').count()).toBe(0);
    await browser.screenshot(customer, 'portal-endpoints');

    await customer.getByRole('link', { name: pipeline.receiver.url(hookPath) }).click();
    await customer.getByRole('heading', { name: 'Signing secret' }).waitFor();
    // The default link may read and replay, not change endpoints or see secrets.
    expect(await customer.getByRole('button', { name: 'Reveal secret' }).count()).toBe(0);
    expect(await customer.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(true);
    await browser.screenshot(customer, 'portal-endpoint-detail');

    // Console pages of any workspace lead back to the portal's own pages.
    await customer.goto(browser.url(`/ws/${other.workspaceId}/endpoints`));
    await customer.waitForURL(/\/console\/portal\/endpoints$/);
    await customer.locator('tr').filter({ hasText: hookPath }).waitFor();
    // Another workspace's endpoint is not found for the link: the page and its health call get 404s.
    browser.allow(/status of 404/, 2);
    const refused = (suffix: string) =>
      customer.waitForResponse((res) =>
        res.url().endsWith(`/v1/workspaces/${workspaceId}/endpoints/${foreign.id}${suffix}`),
      );
    const answers = Promise.all([refused(''), refused('/health?window=24h')]);
    await customer.goto(browser.url(`/portal/endpoints/${foreign.id}`));
    expect((await answers).map((res) => res.status())).toEqual([404, 404]);
    await customer.getByRole('alert').waitFor();
    expect(await customer.getByText('someone-else').count()).toBe(0);

    await customer.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    const row = customer.locator(`tr[data-delivery-id="${ping.deliveryId}"]`);
    await row.filter({ hasText: 'herald.test' }).waitFor();
    await browser.screenshot(customer, 'portal-deliveries');
    await row.getByRole('link').click();
    await customer.getByRole('heading', { name: /^Attempts \(1\)$/ }).waitFor();
  });

  it('ends the portal session once its link expires', async () => {
    const customer = portal.page;
    await customer.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    await customer.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    // The log keeps polling; the first answer after expiry is a 401 PORTAL_LINK_EXPIRED.
    browser.allow(/status of 401/, 3);
    const expiresIn = Date.parse(expiresAt) - Date.now();
    await customer
      .getByRole('heading', { name: 'Link no longer valid' })
      .waitFor({ timeout: expiresIn + 20_000 });
    expect(await customer.getByRole('alert').innerText()).toMatch(/expired/i);
    expect(await customer.getByRole('navigation').count()).toBe(0);
    await browser.screenshot(customer, 'portal-expired');
    await portal.context.close();
  }, 180_000);
});
