import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';
import { copyOfWorld, smallTestWorld } from '../support/sandbox.ts';
import { wire } from '../support/wire.ts';
import { confidentialClient, FULL, gatewayHeaders } from './support.ts';

/**
 * A CI job's view: it knows only the root admin URL. It creates a tenant and from then on uses nothing but the
 * tenant's base URLs, as it would use Sage's own (Sage ID's authority and the API base), over a real socket.
 */
describe('a created tenant, through its base URLs on a listening sandbox', () => {
  let running: RunningSandbox;
  let tenant: TenantDescription;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()) });
    const response = await request(running.server)
      .post('/admin/tenants')
      .send({ seed: 31, redirect_uris: ['https://ci.example.com/sage/callback'] })
      .expect(201);
    tenant = response.body as TenantDescription;
  });

  afterAll(() => running.stop());

  it('signs in with login_hint, exchanges the code, calls the API, refreshes, and is gone once deleted', async () => {
    const { base_urls: urls } = tenant;
    expect(urls.sage_id).toBe(`${running.url}/tenants/${tenant.id}/id/`);

    const discovery = (await wire('get', `${urls.sage_id}.well-known/openid-configuration`).expect(200))
      .body as Record<string, string>;
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
    const approved = await wire('get', authorize).expect(302);
    const callback = new URL(approved.headers.location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('ci-state');

    const exchanged = await wire('post', discovery.token_endpoint!)
      .auth(client.client_id, client.client_secret)
      .type('form')
      .send({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: redirectUri,
      })
      .expect(200);
    const tokens = exchanged.body as { access_token: string; refresh_token: string };
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: urls.sage_id, azp: client.client_id });

    const headers: Record<string, string> = {
      Authorization: `Bearer ${tokens.access_token}`,
      ...gatewayHeaders(tenant),
    };
    const sites = await wire('get', `${urls.api}sites`)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    expect((sites.body as { site_id: string }[]).map((s) => s.site_id)).toContain(headers['X-Site']);
    const customers = await wire('get', `${urls.api}customers?$top=2&$select=id,name`)
      .set(headers)
      .expect(200);
    expect(customers.body).toHaveLength(2);
    // The root API does not know the tenant's token.
    await wire('get', `${running.apiUrl}sites`).set(headers).expect(401);

    await wire('post', discovery.token_endpoint!)
      .auth(client.client_id, client.client_secret)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
      .expect(200);

    const journal = (await wire('get', `${urls.admin}/requests?limit=3`).expect(200)).body as {
      requests: { method: string; path: string; user: string | null }[];
    };
    expect(journal.requests.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /id/oauth/token',
      'GET /uk/sage200/accounts/v1/customers',
      'GET /uk/sage200/accounts/v1/sites',
    ]);

    await request(running.server).delete(`/admin/tenants/${tenant.id}`).expect(200);
    for (const url of [
      `${urls.api}customers`,
      `${urls.sage_id}.well-known/openid-configuration`,
      urls.admin,
    ]) {
      const gone = await wire('get', url).set(headers);
      expect(gone.status, url).toBe(404);
      expect(gone.body).toMatchObject({ error: 'unknown_tenant' });
    }
  });

  it("resets the connection for a tenant's reset_connection fault, and only at that tenant", async () => {
    const other = (await request(running.server).post('/admin/tenants').expect(201))
      .body as TenantDescription;
    await wire('post', `${other.base_urls.admin}/faults`)
      .send({ path: '/sites', status: 503, reset_connection: true })
      .expect(201);
    await expect(wire('get', `${other.base_urls.api}sites`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await wire('get', `${running.apiUrl}sites`).expect(401);
  });
});
