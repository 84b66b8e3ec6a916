import { describe, expect, it } from 'vitest';
import { parseCli } from '../../mock-server/cli.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { SandboxOptionsError } from '../../mock-server/options.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import { adminCall, createTenant, expectJson } from './support.ts';

describe('POST /admin/tenants', () => {
  const app = sharedWorldSandbox();

  it('answers 201 with the base URLs, own clients, redirect URIs, users with their companies, and clock', async () => {
    const response = await adminCall(app, 'default', 'POST', '/tenants', {
      seed: 7,
      scale: 'small',
      redirect_uris: ['https://ci.example.com/callback'],
    });
    expect(response.status).toBe(201);
    const tenant = (await response.json()) as TenantDescription;
    expect(tenant.id).toMatch(/^t-[0-9a-f]{8}$/);
    expect(response.headers.get('Location')).toBe(`/admin/tenants/${tenant.id}`);
    const origin = app.sandbox.options.origin;
    expect(tenant).toMatchObject({
      seed: 7,
      scale: 'small',
      base_urls: {
        sage_id: `${origin}/tenants/${tenant.id}/id/`,
        api: `${origin}/tenants/${tenant.id}/uk/sage200/accounts/v1/`,
        admin: `${origin}/tenants/${tenant.id}/admin`,
        dashboard: `${origin}/tenants/${tenant.id}/`,
      },
      clients: [
        { client_id: `sandbox-client-${tenant.id}`, type: 'confidential' },
        { client_id: `sandbox-public-client-${tenant.id}`, type: 'public' },
      ],
      clock: { offset_seconds: 0 },
    });
    expect(tenant.clients[0]?.client_secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(tenant.clients[0]?.client_secret).not.toBe('sandbox-secret');
    expect(tenant.clients[1]).not.toHaveProperty('client_secret');
    expect(tenant.redirect_uris).toEqual([
      'http://localhost:3000/callback',
      'http://127.0.0.1:3000/callback',
      'https://sage200cloud.codat.io/oauth/callback',
      'https://ci.example.com/callback',
    ]);
    expect(tenant.users.map((u) => [u.email, u.kind])).toEqual([
      ['full@sandbox.test', 'full'],
      ['trial@sandbox.test', 'trial'],
      ['sandbox@sandbox.test', 'sandbox'],
      ['limited@sandbox.test', 'limited'],
    ]);
    expect(tenant.users[0]?.companies[0]).toMatchObject({ company_id: 1, company_name: expect.any(String) });
  });

  it('gives every tenant its own id and client secret', async () => {
    const [a, b] = [await createTenant(app), await createTenant(app)];
    expect(a.id).not.toBe(b.id);
    expect(a.clients[0]?.client_secret).not.toBe(b.clients[0]?.client_secret);
  });

  it('builds a small world from the sandbox seed when the body is left out', async () => {
    const response = await app.request('/admin/tenants', { method: 'POST' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ seed: app.sandbox.options.seed, scale: 'small' });
  });

  it('registers the sandbox --redirect-uri ones for a tenant too', async () => {
    const withExtra = sharedWorldSandbox({ redirectUris: ['https://shared.example.com/cb'] });
    const tenant = await createTenant(withExtra, { redirect_uris: ['https://job.example.com/cb'] });
    expect(tenant.redirect_uris.slice(3)).toEqual([
      'https://shared.example.com/cb',
      'https://job.example.com/cb',
    ]);
  });

  it.each([
    [{ seed: -1 }, 'body.seed'],
    [{ seed: 1.5 }, 'body.seed'],
    [{ seed: '7' }, 'body.seed'],
    [{ scale: 'huge' }, 'body.scale'],
    [{ redirect_uris: 'https://a.example.com/cb' }, 'body.redirect_uris'],
    [{ redirect_uris: ['/relative'] }, 'body.redirect_uris[0]'],
    [{ redirect_uris: ['https://a.example.com/cb#frag'] }, 'body.redirect_uris[0]'],
    [{ redirect_uri: ['https://a.example.com/cb'] }, 'body.redirect_uri'],
    [{ as_of: '2026-02-30' }, 'body.as_of must be a calendar date YYYY-MM-DD'],
    [{ as_of: '02/11/2026' }, 'body.as_of must be a calendar date YYYY-MM-DD'],
    [{ as_of: 20261102 }, 'body.as_of must be a calendar date YYYY-MM-DD'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const before = app.tenants.size;
    const answer = await expectJson<{ error: string; message: string }>(
      adminCall(app, 'default', 'POST', '/tenants', body),
      400,
    );
    expect(answer.error).toBe('invalid_request');
    expect(answer.message).toContain(field);
    expect(app.tenants.size).toBe(before);
  });

  it('builds the world as of `as_of`: its history and clock at that date, kept by a reset', async () => {
    const tenant = await createTenant(app, { as_of: '2035-03-15' });
    expect(tenant.as_of).toBe('2035-03-15');
    expect(tenant.clock.now.slice(0, 10)).toBe('2035-03-15');
    const reset = await expectJson<{ as_of: string }>(adminCall(app, tenant.id, 'POST', '/reset', {}));
    expect(reset.as_of).toBe('2035-03-15');
    const again = await expectJson<TenantDescription>(
      adminCall(app, 'default', 'GET', `/tenants/${tenant.id}`),
    );
    expect(again.as_of).toBe('2035-03-15');
    // Without `as_of` (and no --as-of on the server), a tenant's world is as of its clock's date.
    const plain = await createTenant(app);
    expect(plain.as_of).toBe(plain.clock.now.slice(0, 10));
  }, 60_000);

  it('refuses a body that is not JSON with 415', async () => {
    const response = await app.request('/admin/tenants', { method: 'POST', body: 'seed=7' });
    expect(response.status).toBe(415);
  });

  it('is the root control API only: a tenant cannot create tenants', async () => {
    const tenant = await createTenant(app);
    const response = await adminCall(app, tenant.id, 'POST', '/tenants', {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('the tenant cap', () => {
  it('refuses a tenant beyond maxTenants with 409 and takes one again after a DELETE', async () => {
    const app = sharedWorldSandbox({ maxTenants: 2 });
    const first = await createTenant(app);
    await createTenant(app);
    const refused = await expectJson<{ error: string; message: string }>(
      adminCall(app, 'default', 'POST', '/tenants', {}),
      409,
    );
    expect(refused.error).toBe('too_many_tenants');
    expect(refused.message).toContain('2');
    expect(app.tenants.size).toBe(2);
    await expectJson(adminCall(app, 'default', 'DELETE', `/tenants/${first.id}`));
    await createTenant(app);
    expect(app.tenants.size).toBe(2);
  });

  it('defaults to 20 tenants', () => {
    expect(sharedWorldSandbox().tenants.max).toBe(20);
  });

  it.each([-1, 1.5, 1001])('refuses maxTenants %s at start-up', (maxTenants) => {
    expect(() => sharedWorldSandbox({ maxTenants })).toThrow(SandboxOptionsError);
  });
});

describe('GET and DELETE /admin/tenants', () => {
  let app: SandboxApp;

  it('lists default first, then the created tenants, with the cap', async () => {
    app = sharedWorldSandbox();
    const tenant = await createTenant(app);
    const list = await expectJson<{ max_tenants: number; count: number; tenants: TenantDescription[] }>(
      adminCall(app, 'default', 'GET', '/tenants'),
    );
    expect(list.max_tenants).toBe(20);
    expect(list.count).toBe(1);
    expect(list.tenants.map((t) => t.id)).toEqual(['default', tenant.id]);
    expect(list.tenants[0]).toMatchObject({
      base_urls: { sage_id: `${app.sandbox.options.origin}/id/` },
      clients: [
        { client_id: 'sandbox-client', client_secret: 'sandbox-secret' },
        { client_id: 'sandbox-public-client' },
      ],
    });
  });

  it('describes one tenant, the same as its creation did', async () => {
    app = sharedWorldSandbox();
    const created = await createTenant(app, { seed: 3 });
    const described = await expectJson<TenantDescription>(
      adminCall(app, 'default', 'GET', `/tenants/${created.id}`),
    );
    expect(described).toEqual(created);
  });

  it('drops a tenant: its API, Sage ID, control API and dashboard answer 404 unknown_tenant afterwards', async () => {
    app = sharedWorldSandbox();
    const tenant = await createTenant(app);
    const paths = [
      `/tenants/${tenant.id}/uk/sage200/accounts/v1/customers`,
      `/tenants/${tenant.id}/id/.well-known/openid-configuration`,
      `/tenants/${tenant.id}/admin/clock`,
      `/tenants/${tenant.id}/`,
      `/tenants/${tenant.id}`,
    ];
    expect((await app.request(paths[1]!)).status).toBe(200);
    expect((await app.request(paths[2]!)).status).toBe(200);
    const deleted = await expectJson(adminCall(app, 'default', 'DELETE', `/tenants/${tenant.id}`));
    expect(deleted).toEqual({ id: tenant.id, deleted: true });
    for (const path of paths) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'unknown_tenant' });
    }
    expect(app.tenants.get(tenant.id)).toBeUndefined();
    await expectJson(adminCall(app, 'default', 'GET', `/tenants/${tenant.id}`), 404);
    await expectJson(adminCall(app, 'default', 'DELETE', `/tenants/${tenant.id}`), 404);
  });

  it('refuses to delete the default tenant with 409', async () => {
    app = sharedWorldSandbox();
    const answer = await expectJson<{ error: string }>(
      adminCall(app, 'default', 'DELETE', '/tenants/default'),
      409,
    );
    expect(answer.error).toBe('default_tenant');
    expect((await app.request('/admin/clock')).status).toBe(200);
  });

  it.each(['/tenants/t-00000000/admin/clock', '/tenants/default/admin/clock', '/tenants/..%2Fadmin/clock'])(
    'answers %s with 404 unknown_tenant',
    async (path) => {
      app = sharedWorldSandbox();
      const response = await app.request(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'unknown_tenant' });
    },
  );

  it('keeps the tenant routes behind the admin key', async () => {
    const key = 'k'.repeat(16);
    app = sharedWorldSandbox({ adminKey: key });
    expect((await app.request('/admin/tenants', { method: 'POST' })).status).toBe(401);
    const created = await app.request('/admin/tenants', { method: 'POST', headers: { 'X-Admin-Key': key } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as TenantDescription;
    expect((await app.request(`/tenants/${id}/admin/clock`)).status).toBe(401);
    expect(
      (await app.request(`/tenants/${id}/admin/clock`, { headers: { 'X-Admin-Key': key } })).status,
    ).toBe(200);
    // The key guards the control API only: the tenant's Sage ID answers without it.
    expect((await app.request(`/tenants/${id}/id/.well-known/jwks.json`)).status).toBe(200);
  });
});

describe('--max-tenants', () => {
  it.each([
    [['--max-tenants', '3'], 3],
    [['--max-tenants', '0'], 0],
    [[], undefined],
  ])('parses %j as %s', (argv, expected) => {
    const parsed = parseCli(argv, {});
    if (parsed === 'help') throw new Error('help');
    expect(parsed.maxTenants).toBe(expected);
  });

  it.each(['-1', 'many', '1001'])('refuses --max-tenants %s', (value) => {
    expect(() => parseCli(['--max-tenants', value], {})).toThrow('--max-tenants');
  });
});
