import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';
import { smallTestWorld } from '../support/sandbox.ts';
import { confidentialClient, FULL, gatewayHeaders } from './support.ts';

/**
 * A CI job's view: it knows only the root admin URL. It creates a tenant and from then on uses nothing but the
 * tenant's base URLs, as it would use Sage's own (Sage ID's authority and the API base), over a real socket.
 */
describe('a created tenant, through its base URLs on a listening sandbox', () => {
  let running: RunningSandbox;
  let tenant: TenantDescription;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: structuredClone(smallTestWorld()) });
    const response = await fetch(`${running.admin}/tenants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seed: 31, redirect_uris: ['https://ci.example.com/sage/callback'] }),
    });
    expect(response.status).toBe(201);
    tenant = (await response.json()) as TenantDescription;
  });

  afterAll(() => running.stop());

  it('signs in with login_hint, exchanges the code, calls the API, refreshes, and is gone once deleted', async () => {
    const { base_urls: urls } = tenant;
    expect(urls.sage_id).toBe(`${running.url}/tenants/${tenant.id}/id/`);

    const discovery = (await (
      await fetch(`${urls.sage_id}.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(urls.sage_id);
    expect(discovery.token_endpoint).toBe(`${urls.sage_id}oauth/token`);

    const client = confidentialClient(tenant);
    const redirectUri = 'https://ci.example.com/sage/callback';
    const authorize = new URL(discovery.authorization_endpoint!);
    authorize.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      audience: 's200ukipd/sage200',
      scope: 'openid profile email offline_access',
      state: 'ci-state',
      login_hint: FULL,
    }).toString();
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('Location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('ci-state');

    const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
    const exchanged = await fetch(discovery.token_endpoint!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: redirectUri,
      }),
    });
    expect(exchanged.status).toBe(200);
    const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string };
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: urls.sage_id, azp: client.client_id });

    const headers: Record<string, string> = {
      Authorization: `Bearer ${tokens.access_token}`,
      ...gatewayHeaders(tenant),
    };
    const sites = await fetch(`${urls.api}sites`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(sites.status).toBe(200);
    expect(((await sites.json()) as { site_id: string }[]).map((s) => s.site_id)).toContain(
      headers['X-Site'],
    );
    const customers = await fetch(`${urls.api}customers?$top=2&$select=id,name`, { headers });
    expect(customers.status).toBe(200);
    expect(await customers.json()).toHaveLength(2);
    // The root API does not know the tenant's token.
    expect((await fetch(`${running.apiUrl}sites`, { headers })).status).toBe(401);

    const refreshed = await fetch(discovery.token_endpoint!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
    });
    expect(refreshed.status).toBe(200);

    const journal = (await (await fetch(`${urls.admin}/requests?limit=3`)).json()) as {
      requests: { method: string; path: string; user: string | null }[];
    };
    expect(journal.requests.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /id/oauth/token',
      'GET /uk/sage200/accounts/v1/customers',
      'GET /uk/sage200/accounts/v1/sites',
    ]);

    expect((await fetch(`${running.admin}/tenants/${tenant.id}`, { method: 'DELETE' })).status).toBe(200);
    for (const url of [
      `${urls.api}customers`,
      `${urls.sage_id}.well-known/openid-configuration`,
      urls.admin,
    ]) {
      const gone = await fetch(url, { headers });
      expect(gone.status, url).toBe(404);
      expect(await gone.json()).toMatchObject({ error: 'unknown_tenant' });
    }
  });

  it("resets the connection for a tenant's reset_connection fault, and only at that tenant", async () => {
    const created = await fetch(`${running.admin}/tenants`, { method: 'POST' });
    const other = (await created.json()) as TenantDescription;
    const fault = await fetch(`${other.base_urls.admin}/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: '/sites', status: 503, reset_connection: true }),
    });
    expect(fault.status).toBe(201);
    await expect(fetch(`${other.base_urls.api}sites`)).rejects.toThrow('fetch failed');
    expect((await fetch(`${running.apiUrl}sites`)).status).toBe(401);
  });
});
