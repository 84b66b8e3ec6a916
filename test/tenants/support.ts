/** Helpers for the tenant tests: creating tenants and calling a tenant's Sage ID, API and control API by its prefix. */

import { API_BASE_PATH } from '../../mock-server/http/paths.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const FULL = 'full@sandbox.test';

/** The path prefix a tenant is served under: '' for `default`. */
export function prefixOf(tenant: string): string {
  return tenant === 'default' ? '' : `/tenants/${tenant}`;
}

/** A control API call: `/admin{path}` at the root, or under the tenant's prefix. */
export async function adminCall(
  app: SandboxApp,
  tenant: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return app.request(`${prefixOf(tenant)}/admin${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

export async function createTenant(app: SandboxApp, body: unknown = {}): Promise<TenantDescription> {
  const response = await adminCall(app, 'default', 'POST', '/tenants', body);
  if (response.status !== 201) throw new Error(`tenant refused: ${response.status} ${await response.text()}`);
  return (await response.json()) as TenantDescription;
}

/** A JSON body, insisting on the status. */
export async function expectJson<T = Record<string, unknown>>(
  response: Response | Promise<Response>,
  status = 200,
): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface TenantCaller {
  token: string;
  headers: Record<string, string>;
  /** Any verb on the tenant's API (`path` below the API base); a body is sent as JSON. */
  send(method: string, path: string, body?: unknown): Promise<Response>;
}

/** The user's first company on a tenant, as X-Site / X-Company. */
export function gatewayHeaders(tenant: TenantDescription, email = FULL): Record<string, string> {
  const user = tenant.users.find((u) => u.email === email);
  const company = user?.companies[0];
  if (!user || !company) throw new Error(`${email} has no company on ${tenant.id}`);
  return { 'X-Site': user.site_id, 'X-Company': String(company.company_id) };
}

/** A token minted by the tenant's control API for `email`, and calls to the tenant's API with it. */
export async function tenantCaller(
  app: SandboxApp,
  tenant: TenantDescription,
  email = FULL,
): Promise<TenantCaller> {
  const minted = await expectJson<{ access_token: string }>(
    adminCall(app, tenant.id, 'POST', '/tokens', { user: email }),
  );
  const headers = { Authorization: `Bearer ${minted.access_token}`, ...gatewayHeaders(tenant, email) };
  return {
    token: minted.access_token,
    headers,
    send: async (method, path, body) =>
      app.request(`${prefixOf(tenant.id)}${API_BASE_PATH}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

/** The tenant's Sage ID token endpoint, with a form body and optional HTTP Basic client authentication. */
export async function tokenRequest(
  app: SandboxApp,
  tenant: string,
  form: Record<string, string>,
  basic?: [string, string],
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) headers.Authorization = `Basic ${Buffer.from(basic.join(':')).toString('base64')}`;
  return app.request(`${prefixOf(tenant)}/id/oauth/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form).toString(),
  });
}

/** Signs `email` in at the tenant's Sage ID through the login_hint shortcut and returns the code. */
export async function codeAt(app: SandboxApp, tenant: TenantDescription, email = FULL): Promise<string> {
  const query = new URLSearchParams({
    client_id: confidentialClient(tenant).client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    audience: 's200ukipd/sage200',
    scope: 'openid profile email offline_access',
    state: 's',
    login_hint: email,
  });
  const response = await app.request(`${prefixOf(tenant.id)}/id/authorize?${query}`);
  const code = new URL(response.headers.get('Location') ?? 'http://x/').searchParams.get('code');
  if (response.status !== 302 || !code) throw new Error(`no code: ${response.status}`);
  return code;
}

export function confidentialClient(tenant: TenantDescription): { client_id: string; client_secret: string } {
  const client = tenant.clients.find((c) => c.type === 'confidential');
  if (!client?.client_secret) throw new Error(`${tenant.id} has no confidential client`);
  return { client_id: client.client_id, client_secret: client.client_secret };
}
