/**
 * The dashboard and /docs in a real browser: Debian's Chromium, headless, driven by playwright-core, with every
 * request that is not to the sandbox aborted (the pages must work offline). CI installs /usr/bin/chromium
 * (`apt-get install -y chromium`); elsewhere the tests are skipped when it is missing. Screenshots go to
 * test/artifacts/ (ignored by git).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { CHROMIUM, chromiumMissing, launchChromium } from '../support/chromium.ts';
import { copyOfWorld, smallTestWorld } from '../support/sandbox.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ADMIN_KEY = 'browser-test-admin-key-0123456';

const missing = chromiumMissing('dashboard browser test');

/** What the fallback test reads of an `<input>` (the tests compile without the DOM library). */
interface SelectableField {
  readOnly: boolean;
  selectionStart: number | null;
  selectionEnd: number | null;
  ownerDocument: { activeElement: unknown };
}

/** A page that can reach the sandbox only: every other request is aborted and recorded. */
async function offlinePage(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; blocked: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, ...options });
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, blocked, errors };
}

async function mintToken(running: RunningSandbox, prefix = ''): Promise<string> {
  const response = await request(running.server)
    .post(`${prefix}/admin/tokens`)
    .send({ user: 'full@sandbox.test' })
    .expect(200);
  return (response.body as { access_token: string }).access_token;
}

// One browser for the file; each test opens its own page.
let browser: Browser;
beforeAll(async () => {
  if (!missing) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(missing)(`the dashboard in headless Chromium (${CHROMIUM})`, () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()) });
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('shows the seeded companies, adds a 503 fault from its form, and shows the faulted API call in its journal', async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/`);
    expect(await page.title()).toBe('Sage 200 sandbox');

    const users = page.locator('#users');
    for (const site of running.app.sandbox.store.sites) {
      await expect.poll(() => users.textContent()).toContain(site.site_id);
      for (const company of site.companies) {
        expect(await users.locator(`button[data-copy="${company.company_id}"]`).count()).toBe(1);
        expect(await users.textContent()).toContain(company.company_name);
      }
    }

    await page.getByLabel('Method').selectOption('GET');
    await page.getByLabel('Path pattern').fill('/customers*');
    await page.getByLabel('Status').selectOption('503');
    await page.getByLabel('Times').fill('1');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults-rows tr[data-fault="fault-1"]').waitFor();
    expect(await page.locator('#faults-rows').textContent()).toContain('0 / 0');
    expect(running.app.sandbox.faults.list()).toEqual([
      expect.objectContaining({ id: 'fault-1', method: 'GET', path: '/customers*', status: 503, times: 1 }),
    ]);

    const user = running.app.sandbox.store.userByEmail('full@sandbox.test')!;
    const company = running.app.sandbox.store.site(user.site_id)!.site.companies[0]!;
    const headers = {
      Authorization: `Bearer ${await mintToken(running)}`,
      'X-Site': user.site_id,
      'X-Company': String(company.company_id),
    };
    const customers = '/uk/sage200/accounts/v1/customers?$top=2';
    await request(running.server).get(customers).set(headers).expect(503);
    await request(running.server).get(customers).set(headers).expect(200);

    const faultedRow = page.locator('#journal-rows tr.faulted');
    await faultedRow.waitFor();
    const faultedText = await faultedRow.textContent();
    expect(faultedText).toContain('/uk/sage200/accounts/v1/customers?$top=2');
    expect(faultedText).toContain('503');
    expect(faultedText).toContain('fault-1');
    const okRow = page.locator('#journal-rows tr', { hasText: 'full@sandbox.test' });
    await okRow.waitFor();
    expect(await okRow.textContent()).toContain('200');
    // The rule's counts follow the journal: 0 / 0 when added, then fired on its one match (an exhausted rule
    // counts no more matches).
    await expect.poll(() => page.locator('#faults-rows').textContent()).toContain('1 / 1');
    expect(await page.locator('#faults-rows').textContent()).toContain('0 of 1 left');

    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  /** Calls GET /sites with a token the page gave: 200 when the token is a real one for that sandbox. */
  async function sitesStatus(token: string): Promise<number> {
    const response = await fetch(`${running.apiUrl}sites`, { headers: { Authorization: `Bearer ${token}` } });
    return response.status;
  }

  it("copies a user's access token to the clipboard with its expiry, and the API accepts it", async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await page.goto(`${running.url}/`);
    await page.getByRole('button', { name: 'Copy a token for trial@sandbox.test' }).click();
    const status = page.locator('#users tr', { hasText: 'trial@sandbox.test' }).locator('.token-status');
    await expect.poll(() => status.textContent()).toContain('copied');
    expect(await status.textContent()).toMatch(
      /^Token for trial@sandbox\.test copied\. It expires at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC sandbox time \(in 60 min\)\.$/,
    );
    const token = (await page.evaluate('navigator.clipboard.readText()')) as string;
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    const expiry = new Date(exp * 1000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
    expect(await status.textContent()).toContain(`It expires at ${expiry} sandbox time`);
    expect(await page.locator('input.token-field').count()).toBe(0);
    expect(await sitesStatus(token)).toBe(200);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the token selected in a field when the browser has no clipboard (plain http beyond localhost)', async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    await page.addInitScript(
      "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined })",
    );
    await page.goto(`${running.url}/`);
    await page.getByRole('button', { name: 'Copy a token for full@sandbox.test' }).click();
    const field = page.getByRole('textbox', { name: 'Access token for full@sandbox.test' });
    await field.waitFor();
    const token = await field.inputValue();
    expect(
      await field.evaluate((input: SelectableField) => [
        input.ownerDocument.activeElement === input,
        input.readOnly,
        input.selectionStart,
        input.selectionEnd,
      ]),
    ).toEqual([true, true, 0, token.length]);
    expect(await page.locator('#users .token-status', { hasText: 'No clipboard' }).textContent()).toContain(
      'It expires at',
    );
    expect(await sitesStatus(token)).toBe(200);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('advances the sandbox clock and removes a fault rule from the page', async () => {
    const { page, errors } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/`);
    const before = running.app.sandbox.clock.offsetSeconds();
    await page.getByRole('button', { name: '+1 day' }).click();
    await expect.poll(() => running.app.sandbox.clock.offsetSeconds()).toBe(before + 86_400);
    await expect.poll(() => page.locator('#clock-offset').textContent()).toContain('1 d');

    const added = await request(running.server)
      .post('/admin/faults')
      .send({ path: '/suppliers', status: 500 })
      .expect(201);
    const rule = added.body as { id: string };
    await page.reload();
    await page.locator(`#faults-rows tr[data-fault="${rule.id}"]`).waitFor();
    await page.getByRole('button', { name: `Remove ${rule.id}` }).click();
    await expect.poll(() => running.app.sandbox.faults.list().map((r) => r.id)).not.toContain(rule.id);
    await expect.poll(() => page.locator(`#faults-rows tr[data-fault="${rule.id}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("serves a tenant's dashboard under /tenants/{id}, whose form adds faults to that tenant only", async () => {
    const created = await request(running.server).post('/admin/tenants').send({}).expect(201);
    const tenant = created.body as { id: string; clients: { client_id: string }[] };
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    // Without the trailing slash: the page's <base> keeps its relative URLs inside the tenant.
    await page.goto(`${running.url}/tenants/${tenant.id}`);
    expect(await page.locator('#clients').textContent()).toContain(tenant.clients[0]!.client_id);

    await page.getByLabel('Path pattern').fill('/sites');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults-rows tr[data-fault="fault-1"]').waitFor();
    const tenantFaults = await request(running.server).get(`/tenants/${tenant.id}/admin/faults`).expect(200);
    expect((tenantFaults.body as { faults: unknown[] }).faults).toHaveLength(1);
    expect(running.app.sandbox.faults.list().map((rule) => rule.path)).not.toContain('/sites');

    await request(running.server)
      .get(`/tenants/${tenant.id}/uk/sage200/accounts/v1/sites`)
      .set('Authorization', `Bearer ${await mintToken(running, `/tenants/${tenant.id}`)}`)
      .expect(503);
    await page.locator('#journal-rows tr.faulted', { hasText: '/uk/sage200/accounts/v1/sites' }).waitFor();
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders the API reference at /docs with the network disabled', async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/docs`);
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor();
    expect(await title.textContent()).toContain('Sage 200 Standard (UK) API');
    // Operations are grouped by Sage module, collapsed: open the Sales group and read its paths.
    const groups = page.locator('.opblock-tag');
    await groups.first().waitFor();
    expect(await groups.count()).toBeGreaterThanOrEqual(10);
    await page.locator('.opblock-tag', { hasText: 'Customers and posted sales ledger entries' }).click();
    await page.locator('.opblock-summary-path', { hasText: '/customers/{Id}' }).first().waitFor();
    // Swagger UI draws a group of 150 operations a few at a time: the first of them are enough here.
    await expect
      .poll(() => page.locator('.opblock-summary-path').count(), { timeout: 20_000 })
      .toBeGreaterThan(5);
    const shown = await page.locator('.opblock-summary-path').allTextContents();
    expect(shown).toEqual(expect.arrayContaining(['/customers', '/customers/{Id}']));
    // Swagger UI lists any problem it finds reading the document (docs/openapi.json) in an errors box.
    expect(await page.locator('.swagger-ui .errors-wrapper').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}docs.png` });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('explains Authorize, which takes the bare token, and Try it out on /sites then answers 200', async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/docs`);
    expect(await page.locator('#authorize-help').textContent()).toContain('without Bearer');
    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Copy a token');
    await dialog.getByLabel('auth-bearer-value').fill(await mintToken(running));
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.locator('.opblock-tag', { hasText: 'Sites, company details, licence' }).click();
    await page
      .locator('.opblock-summary-path', { hasText: /^\/sites$/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Try it out' }).first().click();
    const answered = page.waitForResponse((response) => response.url().endsWith('/sites'));
    await page.getByRole('button', { name: 'Execute' }).first().click();
    expect((await answered).status()).toBe(200);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sends a tenant's reference's Try it out to that tenant's API", async () => {
    const created = await request(running.server).post('/admin/tenants').send({}).expect(201);
    const tenant = created.body as { id: string };
    const { page, blocked } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/tenants/${tenant.id}/docs`);
    await page.locator('.opblock-tag', { hasText: 'Sites, company details, licence' }).click();
    await page
      .locator('.opblock-summary-path', { hasText: /^\/sites$/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Try it out' }).first().click();
    const sent = page.waitForRequest((request) => request.url().endsWith('/sites'));
    await page.getByRole('button', { name: 'Execute' }).first().click();
    expect((await sent).url()).toBe(`${running.url}/tenants/${tenant.id}/uk/sage200/accounts/v1/sites`);
    expect(blocked).toEqual([]);
    await page.close();
  });
});

describe.skipIf(missing)('the dashboard of a sandbox with an admin key', () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()), adminKey: ADMIN_KEY });
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('shows nothing until the key is given, refuses a wrong one, and keeps the right one for the tab', async () => {
    const { page, blocked } = await offlinePage(browser, running.url);
    await page.goto(`${running.url}/`);
    const email = 'full@sandbox.test';
    expect(await page.content()).not.toContain(email);

    await page.getByLabel('Admin key').fill('not-the-admin-key-at-all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#key-error').textContent()).toContain('refused');
    expect(await page.content()).not.toContain(email);

    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('#users', { hasText: email }).waitFor();
    await page.locator('#journal-state', { hasText: 'updating' }).waitFor();

    // Copy a token is a control API write, so it goes with the key too.
    await page.getByRole('button', { name: `Copy a token for ${email}` }).click();
    await expect
      .poll(() => page.locator('#users .token-status').first().textContent())
      .toContain('It expires at');

    await page.reload();
    await page.locator('#users', { hasText: email }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage).length')).toBe(1);
    await page.getByRole('button', { name: 'Forget it' }).click();
    await expect.poll(() => page.content()).not.toContain(email);
    expect(await page.evaluate('Object.keys(sessionStorage).length')).toBe(0);
    expect(blocked).toEqual([]);
    await page.close();
  });
});
