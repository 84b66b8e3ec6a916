/**
 * The dashboard route family: the page at `/`, the API reference at `/docs` (and its assets), and two control API
 * views the page and scripts use, `GET /admin/dashboard` (the world as an HTML fragment) and `GET /admin/summary`
 * (the same as JSON). Built from one sandbox's (or tenant's) runtime only; mount it at that tenant's root, after
 * the admin key middleware, with `app.route('/', dashboardRoutes(runtime))`.
 */
import { Hono } from 'hono';
import { GatewayError } from '../errors.ts';
import { cspHash, DASHBOARD_SCRIPT_HASH } from './client-script.ts';
import { DOCS_CSP, docsAsset, renderDocsPage } from './docs.ts';
import { type DashboardRuntime, dashboardModel } from './model.ts';
import { renderDashboardPage, renderWorld } from './page.ts';
import { DASHBOARD_STYLE } from './style.ts';

/** The page's CSP: its own inline script and style by hash, fetches to its own origin, nothing else. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${DASHBOARD_SCRIPT_HASH}`,
  `style-src ${cspHash(DASHBOARD_STYLE)}`,
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

/** Builds the dashboard routes for one sandbox or tenant. */
export function dashboardRoutes(runtime: DashboardRuntime): Hono {
  const routes = new Hono();
  const keyRequired = () => runtime.options.adminKey !== undefined;

  routes.get('/', (c) =>
    c.html(
      renderDashboardPage({
        // With an admin key the page holds no data: its script fetches /admin/dashboard with the key.
        world: keyRequired() ? undefined : dashboardModel(runtime),
        adminKeyRequired: keyRequired(),
        tenant: runtime.tenant,
        basePath: `${runtime.basePath}/`,
      }),
      200,
      { ...PAGE_HEADERS, 'Content-Security-Policy': DASHBOARD_CSP },
    ),
  );

  routes.get('/docs', (c) =>
    c.html(renderDocsPage(`${runtime.basePath}/`, keyRequired()), 200, {
      ...PAGE_HEADERS,
      'Content-Security-Policy': DOCS_CSP,
    }),
  );

  routes.get('/docs/assets/:name', (c) => {
    const asset = docsAsset(c.req.param('name'));
    if (!asset) throw new GatewayError(404, 'Resource not found');
    return c.body(new Uint8Array(asset.body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  routes.get('/admin/dashboard', (c) =>
    c.html(renderWorld(dashboardModel(runtime)), 200, {
      ...PAGE_HEADERS,
      'Content-Security-Policy': "default-src 'none'",
    }),
  );

  routes.get('/admin/summary', (c) => c.json(dashboardModel(runtime), 200, { 'Cache-Control': 'no-store' }));

  return routes;
}
