/**
 * `/docs`: the API reference, Swagger UI from the `swagger-ui-dist` package served from node_modules under
 * `/docs/assets/`, pointed at the contract as OpenAPI 3.0 (`docs/openapi.json`, relative to the page's base; see
 * openapi-30.ts). Nothing is fetched from the
 * network: the validator badge is off and the CSP allows only this origin.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml } from '../http/html.ts';
import { cspHash } from './client-script.ts';

/** The Swagger UI files the page may load, with their media types; nothing else under /docs/assets is served. */
export const DOCS_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css.map': 'application/json; charset=utf-8',
  'swagger-ui-bundle.js.map': 'application/json; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The swagger-ui-dist version served (for the footer and the asset cache key). */
export const SWAGGER_UI_VERSION = (
  JSON.parse(readFileSync(join(SWAGGER_UI_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

const cache = new Map<string, Buffer>();

/** An asset's bytes and media type, or undefined when the name is not one of DOCS_ASSETS. */
export function docsAsset(name: string): { body: Buffer; type: string } | undefined {
  if (!Object.hasOwn(DOCS_ASSETS, name)) return undefined;
  const type = DOCS_ASSETS[name]!;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(join(SWAGGER_UI_DIR, name));
    // Source maps are large and only a debugger asks for them: read each time rather than kept.
    if (!name.endsWith('.map')) cache.set(name, body);
  }
  return { body, type };
}

const DOCS_INIT = `
window.ui = SwaggerUIBundle({
  // The contract as OpenAPI 3.0 (openapi-30.ts says why); the page's header links the 3.1 contract itself.
  url: new URL('docs/openapi.json', document.baseURI).href,
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  presets: [SwaggerUIBundle.presets.apis],
  deepLinking: true,
  validatorUrl: null,
  docExpansion: 'none',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  filter: true,
  tryItOutEnabled: false,
  persistAuthorization: false,
  withCredentials: false,
  // The contract's server is /uk/sage200/accounts/v1 at the root; under /tenants/{id}/ "Try it out" goes there.
  requestInterceptor: (request) => {
    const base = new URL('.', document.baseURI);
    const url = new URL(request.url, base);
    if (base.pathname !== '/' && url.origin === base.origin && !url.pathname.startsWith(base.pathname)) {
      url.pathname = base.pathname + url.pathname.slice(1);
      request.url = url.href;
    }
    return request;
  },
});
`;

const DOCS_STYLE = `
body { margin: 0; background: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.docs-bar { display: flex; align-items: center; gap: 1.25rem; padding: .7rem 1.5rem; border-bottom: 3px solid #008200; }
.docs-bar .brand { font-size: 1.1rem; font-weight: 600; }
.docs-bar .brand b { color: #008200; }
.docs-bar a { color: #006400; font-weight: 600; text-decoration: none; }
.docs-bar a:hover { text-decoration: underline; }
.docs-bar .muted { color: #5b6570; font-size: .85rem; margin-left: auto; }
#swagger-ui { max-width: 1400px; margin: 0 auto; }
.docs-auth { max-width: 1400px; margin: 1rem auto 0; padding: 0 20px; box-sizing: border-box; color: #1b1f23;
  font-size: .9rem; line-height: 1.5; }
.docs-auth p { margin: 0; padding: .6rem .9rem; background: #f1f8f1; border-left: 3px solid #008200; border-radius: 4px; }
.docs-auth code { white-space: nowrap; font-size: .85em; background: #fff; border: 1px solid #dde3e8; border-radius: 3px; padding: 0 .25rem; }
`;

/** The /docs page's CSP: its own origin only (Swagger UI sets inline styles, and its SVG icons are data: URLs). */
export const DOCS_CSP = [
  "default-src 'none'",
  `script-src 'self' ${cspHash(DOCS_INIT)}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * What Authorize wants and where it comes from, above Swagger UI (the contract's `bearerAuth` says the same in the
 * Authorize dialog). Paths are the tenant's own, so a tenant's reference names its own token endpoint.
 */
function authorizeHelp(basePath: string, adminKeyRequired: boolean): string {
  const path = (rest: string, method = '') => `<code>${method}${escapeHtml(basePath)}${rest}</code>`;
  const key = adminKeyRequired ? ' (with the admin key as <code>X-Admin-Key</code>)' : '';
  return `<aside class="docs-auth" id="authorize-help">
      <p><b>Try it out</b> needs an access token: choose <b>Authorize</b> and paste the bare token, the JWT alone, without <code>Bearer </code> (Swagger UI adds it). Get one from the <a href="./#users">dashboard</a>'s <b>Copy a token</b> button beside each user, from ${path('admin/tokens', 'POST ')}${key} with the body <code>{"user": "full@sandbox.test"}</code> (its <code>access_token</code>), or through the Sage ID sign-in an integration uses, ${path('id/authorize')} then ${path('id/oauth/token')}. Tokens expire by the sandbox clock. Then run <code>GET /sites</code>: every other call takes a row's <code>site_id</code> as <code>X-Site</code> and its <code>company_id</code> as <code>X-Company</code>.</p>
    </aside>`;
}

/** The /docs page; `basePath` (`/` or `/tenants/{id}/`) is its `<base>`, and every URL in it is relative. */
export function renderDocsPage(basePath: string, adminKeyRequired = false): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <base href="${escapeHtml(basePath)}">
    <title>Sage 200 sandbox: API reference</title>
    <link rel="icon" href="docs/assets/favicon-32x32.png" type="image/png">
    <link rel="stylesheet" href="docs/assets/swagger-ui.css">
    <style>${DOCS_STYLE}</style>
  </head>
  <body>
    <header class="docs-bar">
      <span class="brand"><b>Sage 200</b> sandbox: API reference</span>
      <a href="./">Dashboard</a>
      <a href="openapi.json">OpenAPI contract</a>
      <span class="muted">Swagger UI ${SWAGGER_UI_VERSION}, served by the sandbox</span>
    </header>
    ${authorizeHelp(basePath, adminKeyRequired)}
    <div id="swagger-ui"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script>${DOCS_INIT}</script>
  </body>
</html>
`;
}
