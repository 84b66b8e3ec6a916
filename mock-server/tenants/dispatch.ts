/**
 * Serving tenants below the root: `/tenants/{id}/...` goes to that tenant's app with the prefix taken off, so a
 * tenant sees the same paths as the default tenant does at the root (`/id/...`, `/uk/sage200/...`, `/admin/...`).
 * Its journal, fault patterns and routes all work on those paths.
 */
import type { Context, ExecutionContext, Handler } from 'hono';
import { AdminError, echoed } from '../errors.ts';
import { DEFAULT_TENANT, TENANTS_PATH } from '../runtime.ts';
import type { TenantRegistry } from './registry.ts';

const PREFIXED = new RegExp(`^${TENANTS_PATH}/([^/]+)(/.*)?$`);

/** The handler for `/tenants/:id` and `/tenants/:id/*`; register it before every middleware of the root app. */
export function dispatchToTenant(tenants: TenantRegistry): Handler {
  return (c) => {
    const url = new URL(c.req.url);
    // The raw segment, not the decoded parameter: the prefix cut below must be exactly what the client sent.
    const match = PREFIXED.exec(url.pathname);
    if (!match) throw new AdminError(404, 'unknown_tenant', `no tenant in ${echoed(url.pathname)}`);
    const tenant = tenants.served(match[1]!);
    url.pathname = match[2] ?? '/';
    return tenant.app.fetch(new Request(url, c.req.raw), c.env, executionContext(c));
  };
}

/** Which journal `GET /admin/requests` reads: `?tenant=` at the root, a tenant's own under its prefix. */
export function journalTenant(c: Context, own: string, tenants: TenantRegistry | undefined): string {
  const asked = c.req.query('tenant');
  if (asked === undefined) return own;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(asked)) {
    throw new AdminError(400, 'invalid_request', `tenant must be a tenant id such as ${DEFAULT_TENANT}`);
  }
  if (tenants === undefined && asked !== own) {
    throw new AdminError(
      400,
      'invalid_request',
      `tenant ${own} reads only its own journal; GET /admin/requests?tenant=${asked} at the root reads another's`,
    );
  }
  return asked;
}

function executionContext(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    // Node has no execution context; Hono's getter throws rather than return undefined.
    return undefined;
  }
}
