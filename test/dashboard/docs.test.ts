/**
 * `/docs` in process: the page points Swagger UI at the contract and loads it from /docs/assets, the assets are
 * swagger-ui-dist's own files with their media types, nothing else of the package is reachable, and nothing in the
 * page reaches beyond the sandbox.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_ASSETS, SWAGGER_UI_VERSION } from '../../mock-server/dashboard/index.ts';
import { sharedWorldSandbox, testSandbox } from '../support/sandbox.ts';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

describe('GET /docs', () => {
  const app = sharedWorldSandbox();

  it('serves a page that loads Swagger UI from /docs/assets and points it at docs/openapi.json, relative', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<base href="/">');
    expect(page).toContain('<script src="docs/assets/swagger-ui-bundle.js"></script>');
    expect(page).toContain('<link rel="stylesheet" href="docs/assets/swagger-ui.css">');
    expect(page).toContain("new URL('docs/openapi.json', document.baseURI)");
    // The header still links the contract itself.
    expect(page).toContain('<a href="openapi.json">OpenAPI contract</a>');
    expect(page).toContain(`Swagger UI ${SWAGGER_UI_VERSION}`);
  });

  it("turns off Swagger UI's validator badge, which would call validator.swagger.io", async () => {
    expect(await (await app.request('/docs')).text()).toContain('validatorUrl: null');
  });

  it('names no URL outside the sandbox: no scheme or host anywhere in the page', async () => {
    const page = await (await app.request('/docs')).text();
    expect(page).not.toMatch(/https?:|\/\/[a-z]/i);
  });

  it('sends a CSP that allows its own origin only, and its inline script by hash', async () => {
    const response = await app.request('/docs');
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    const page = await response.text();
    const inline = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256').update(inline[0]!, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
  });
});

describe('how to Authorize', () => {
  const app = testSandbox();

  it('says above Swagger UI what to paste, where a token comes from, and where X-Site and X-Company come from', async () => {
    const page = await (await app.request('/docs')).text();
    const help = /<aside class="docs-auth" id="authorize-help">([\s\S]*?)<\/aside>/.exec(page)?.[1] ?? '';
    expect(page.indexOf('id="authorize-help"')).toBeLessThan(page.indexOf('id="swagger-ui"'));
    for (const text of [
      '<b>Authorize</b>',
      'without <code>Bearer </code>',
      '<a href="./#users">dashboard</a>\'s <b>Copy a token</b>',
      '<code>POST /admin/tokens</code>',
      '<code>{"user": "full@sandbox.test"}</code>',
      '<code>/id/authorize</code>',
      '<code>GET /sites</code>',
      '<code>X-Site</code>',
      '<code>X-Company</code>',
    ]) {
      expect(help).toContain(text);
    }
    expect(help).not.toContain('X-Admin-Key');
  });

  it("names a tenant's own token endpoint, and the admin key when the sandbox has one", async () => {
    const keyed = testSandbox({ adminKey: 'docs-test-admin-key-0123456789' });
    const page = await (await keyed.request('/docs')).text();
    expect(page).toContain(
      '<code>POST /admin/tokens</code> (with the admin key as <code>X-Admin-Key</code>)',
    );
    const created = await app.request('/admin/tenants', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"scale":"small"}',
    });
    const { id } = (await created.json()) as { id: string };
    const tenantPage = await (await app.request(`/tenants/${id}/docs`)).text();
    expect(tenantPage).toContain(`<code>POST /tenants/${id}/admin/tokens</code>`);
    expect(tenantPage).toContain(`<code>/tenants/${id}/id/authorize</code>`);
  });

  it("explains the token in the served contract's bearer scheme, which Swagger UI shows in the Authorize dialog", async () => {
    const contract = (await (await app.request('/openapi.json')).json()) as {
      components: { securitySchemes: { bearerAuth: { description: string } } };
    };
    const description = contract.components.securitySchemes.bearerAuth.description;
    expect(description).toContain('paste the bare token (the JWT, without `Bearer `)');
    expect(description).toContain("the dashboard's **Copy a token** button");
    expect(description).toContain('`POST /admin/tokens`');
    expect(description).toContain('`/id/authorize`');
    expect(description).toContain('`X-Site` and `X-Company`');
    expect(description).toContain('`GET /sites`');
  });
});

describe('GET /docs/assets/{name}', () => {
  const app = sharedWorldSandbox();

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript'],
    ['swagger-ui.css', 'text/css'],
    ['favicon-32x32.png', 'image/png'],
    ['swagger-ui-bundle.js.map', 'application/json'],
  ])("serves swagger-ui-dist's %s as %s, byte for byte", async (name, type) => {
    const response = await app.request(`/docs/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain(type);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(readFileSync(join(SWAGGER_UI_DIR, name)))).toBe(true);
  });

  it('lists only files the package really ships', () => {
    for (const name of Object.keys(DOCS_ASSETS))
      expect(() => readFileSync(join(SWAGGER_UI_DIR, name))).not.toThrow();
  });

  it.each([
    'package.json',
    'index.html',
    'swagger-initializer.js',
    '..%2Fpackage.json',
    '..%2F..%2Fpackage.json',
    'toString',
    '__proto__',
  ])('answers 404 for %s, which is not one of the assets', async (name) => {
    const response = await app.request(`/docs/assets/${name}`);
    expect(response.status).toBe(404);
  });
});
