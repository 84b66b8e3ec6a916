/**
 * The dashboard page in process: what it lists, that everything from data is escaped, that its links and its
 * script's calls are relative (so a tenant's page works under /tenants/{id}/), and how an admin key hides its data.
 */
import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_SCRIPT } from '../../mock-server/dashboard/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { copyOfWorld, sharedWorldSandbox, smallTestWorld } from '../support/sandbox.ts';

const ADMIN_KEY = 'dashboard-test-admin-key-0123';

async function html(app: SandboxApp, path = '/', headers: Record<string, string> = {}): Promise<string> {
  const response = await app.request(path, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
  return response.text();
}

/** Every `href` and `src` attribute value in a page. */
function urlsIn(page: string): string[] {
  return [...page.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
}

async function createTenant(app: SandboxApp): Promise<{ id: string; clients: { client_id: string }[] }> {
  const response = await app.request('/admin/tenants', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seed: 7 }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; clients: { client_id: string }[] };
}

describe('GET / without an admin key', () => {
  const app = sharedWorldSandbox({ redirectUris: ['http://localhost:9999/cb?a=1&b=<x>'] });

  it('lists every seeded user with the kind of their site', async () => {
    const page = await html(app);
    for (const user of app.sandbox.store.users) {
      expect(page).toContain(`data-copy="${user.email}"`);
      expect(page).toContain(`<span class="badge kind-${user.kind}">${user.kind}</span>`);
    }
  });

  it('lists every site id (X-Site) and company id (X-Company) as a value to copy, with the company names', async () => {
    const page = await html(app);
    const sites = app.sandbox.store.sites;
    expect(sites.length).toBeGreaterThan(1);
    for (const site of sites) {
      expect(page).toContain(`data-copy="${site.site_id}"`);
      for (const company of site.companies) {
        expect(page).toContain(`data-copy="${company.company_id}"`);
        expect(page).toContain(company.company_name);
      }
    }
  });

  it('offers a Copy a token button for every user, named for the user, with a status beside it', async () => {
    const page = await html(app);
    const buttons = [...page.matchAll(/<button[^>]*data-token-user="([^"]*)"[^>]*>Copy a token<\/button>/g)];
    expect(buttons.map((m) => m[1])).toEqual(app.sandbox.store.users.map((u) => u.email));
    for (const user of app.sandbox.store.users) {
      expect(page).toContain(`aria-label="Copy a token for ${user.email}"`);
    }
    expect(page.match(/class="token-status" role="status"/g)).toHaveLength(app.sandbox.store.users.length);
  });

  it('lists the OAuth clients with their ids, the confidential secret and the redirect URIs, escaped', async () => {
    const page = await html(app);
    expect(page).toContain('data-copy="sandbox-client"');
    expect(page).toContain('data-copy="sandbox-secret"');
    expect(page).toContain('data-copy="sandbox-public-client"');
    expect(page).toContain('data-copy="http://localhost:3000/callback"');
    expect(page).toContain('http://localhost:9999/cb?a=1&amp;b=&lt;x&gt;');
    expect(page).not.toContain('b=<x>');
  });

  it('shows the API base URL, the Sage ID issuer and the sandbox clock', async () => {
    const page = await html(app);
    expect(page).toContain('data-copy="http://127.0.0.1:3200/uk/sage200/accounts/v1/"');
    expect(page).toContain('data-copy="http://127.0.0.1:3200/id/"');
    expect(page).toContain(`datetime="${app.sandbox.clock.date().toISOString()}"`);
    expect(page).toContain('data-frozen="true"');
  });

  it.each([
    ['the API reference', 'docs', 'text/html'],
    ['the OpenAPI contract', 'openapi.json', 'application/json'],
    ['the Sage ID discovery document', 'id/.well-known/openid-configuration', 'application/json'],
  ])('links to %s by a relative URL that the sandbox serves', async (_name, href, type) => {
    const page = await html(app);
    expect(page).toContain('<base href="/">');
    expect(page).toContain(`href="${href}"`);
    const response = await app.request(`/${href}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain(type);
  });

  it('loads nothing from another origin: every href and src is relative or a data: URL', async () => {
    const urls = urlsIn(await html(app));
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url).toMatch(/^(?:data:|[^:]*$)/);
  });

  it("sends a CSP that allows exactly the page's own inline script and fetches to its own origin", async () => {
    const response = await app.request('/');
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    const page = await response.text();
    const inline = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1];
    expect(inline).toBe(DASHBOARD_SCRIPT);
    const hash = createHash('sha256').update(inline!, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('escaping', () => {
  const world = copyOfWorld(smallTestWorld());
  world.users[0]!.name = '<script>alert("name")</script>';
  world.sites[0]!.site_name = `Smith & Sons' <b>site</b>`;
  world.sites[0]!.companies[0]!.company_name = '"><img src=x onerror=alert(1)>';
  const app = sharedWorldSandbox({ world });

  it.each([
    ['a user name', '<script>alert("name")</script>', '&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;'],
    ['a site name', `Smith & Sons' <b>site</b>`, 'Smith &amp; Sons&#39; &lt;b&gt;site&lt;/b&gt;'],
    ['a company name', '"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
  ])('renders %s as text, never as markup', async (_what, raw, escaped) => {
    const page = await html(app);
    expect(page).toContain(escaped);
    expect(page).not.toContain(raw);
  });
});

describe("the page's script", () => {
  it('is valid JavaScript', () => {
    expect(() => new Script(DASHBOARD_SCRIPT)).not.toThrow();
  });

  it('calls the control API relative to the page, never by an absolute path', () => {
    const called = [...DASHBOARD_SCRIPT.matchAll(/\b(?:admin|postJson)\(\s*(?:id \? )?'([^']*)'/g)].map(
      (m) => m[1],
    );
    expect(called).toEqual(
      expect.arrayContaining(['admin/dashboard', 'admin/faults', 'admin/requests?', 'admin/clock/advance']),
    );
    for (const path of called) expect(path).toMatch(/^admin\//);
    expect(DASHBOARD_SCRIPT.match(/\bfetch\(/g)).toHaveLength(1);
    expect(DASHBOARD_SCRIPT).toContain('await fetch(path,');
    expect(DASHBOARD_SCRIPT).not.toMatch(/https?:\/\//);
  });

  it('inserts no HTML from the API except the admin/dashboard fragment', () => {
    expect(DASHBOARD_SCRIPT.match(/innerHTML/g)).toHaveLength(1);
    expect(DASHBOARD_SCRIPT).toContain("$('world').innerHTML = html");
  });
});

describe('with an admin key', () => {
  const app = sharedWorldSandbox({ adminKey: ADMIN_KEY });

  it('serves the page without any of the sandbox data, and asks for the key', async () => {
    const page = await html(app);
    expect(page).toContain('data-admin-key="required"');
    expect(page).toContain('id="key-form"');
    for (const user of app.sandbox.store.users) expect(page).not.toContain(user.email);
    for (const site of app.sandbox.store.sites) expect(page).not.toContain(site.site_id);
    expect(page).not.toContain('sandbox-secret');
  });

  it.each(['/admin/dashboard', '/admin/summary'])('refuses %s without the key with 401', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'admin_key_required' });
  });

  it('gives the page its world from /admin/dashboard with the key', async () => {
    const fragment = await html(app, '/admin/dashboard', { 'X-Admin-Key': ADMIN_KEY });
    expect(fragment).toContain('data-copy="sandbox-secret"');
    for (const user of app.sandbox.store.users) {
      expect(fragment).toContain(`data-copy="${user.email}"`);
      expect(fragment).toContain(`data-token-user="${user.email}"`);
    }
    expect(fragment).not.toContain('<script');
  });
});

describe('GET /admin/summary', () => {
  it('describes the sandbox as JSON: URLs, users, sites with companies, clients and clock', async () => {
    const app = sharedWorldSandbox();
    const response = await app.request('/admin/summary');
    expect(response.status).toBe(200);
    const summary = (await response.json()) as Record<string, unknown>;
    const full = app.sandbox.store.userByEmail('full@sandbox.test')!;
    expect(summary).toMatchObject({
      tenant: 'default',
      base_path: '/',
      api: 'http://127.0.0.1:3200/uk/sage200/accounts/v1/',
      sage_id: 'http://127.0.0.1:3200/id/',
      contract: 'http://127.0.0.1:3200/openapi.json',
      users: expect.arrayContaining([expect.objectContaining({ email: full.email, site_id: full.site_id })]),
      clients: expect.arrayContaining([
        expect.objectContaining({ client_id: 'sandbox-client', client_secret: 'sandbox-secret' }),
        expect.objectContaining({ client_id: 'sandbox-public-client', client_secret: null }),
      ]),
      clock: { now: app.sandbox.clock.date().toISOString(), offset_seconds: 0, frozen: true },
    });
  });

  it('shows a new world after POST /admin/reset with another seed', async () => {
    const app = sharedWorldSandbox();
    const before = app.sandbox.store.sites[0]!.site_id;
    const reset = await app.request('/admin/reset', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seed: 99, scale: 'small' }),
    });
    expect(reset.status).toBe(200);
    const page = await html(app);
    expect(page).not.toContain(before);
    expect(page).toContain(`data-copy="${app.sandbox.store.sites[0]!.site_id}"`);
  });
});

describe("a tenant's dashboard", () => {
  it.each(['', '/'])(
    'is served at /tenants/{id}%s with its own clients, and a base that keeps relative URLs inside the tenant',
    async (slash) => {
      const app = sharedWorldSandbox();
      const tenant = await createTenant(app);
      const page = await html(app, `/tenants/${tenant.id}${slash}`);
      expect(page).toContain(`<base href="/tenants/${tenant.id}/">`);
      expect(page).toContain(`tenant ${tenant.id}`);
      for (const client of tenant.clients) expect(page).toContain(`data-copy="${client.client_id}"`);
      expect(page).not.toContain('data-copy="sandbox-secret"');
      expect(page).toContain(
        `data-copy="http://127.0.0.1:3200/tenants/${tenant.id}/uk/sage200/accounts/v1/"`,
      );
    },
  );

  it.each(['docs', 'openapi.json', 'admin/dashboard', 'docs/assets/swagger-ui.css'])(
    'serves %s under the tenant, where the page points',
    async (relative) => {
      const app = sharedWorldSandbox();
      const tenant = await createTenant(app);
      const response = await app.request(`/tenants/${tenant.id}/${relative}`);
      expect(response.status).toBe(200);
    },
  );
});
