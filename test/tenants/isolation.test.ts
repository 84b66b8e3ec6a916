import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { JournalEntry } from '../../mock-server/journal/index.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import {
  adminCall,
  codeAt,
  confidentialClient,
  createTenant,
  expectJson,
  REDIRECT_URI,
  type TenantCaller,
  tenantCaller,
  tokenRequest,
} from './support.ts';

type Customer = { id: number; reference: string; name: string };

async function customers(caller: TenantCaller): Promise<Customer[]> {
  return expectJson<Customer[]>(
    caller.send('GET', '/customers?$top=5&$orderby=id&$select=id,reference,name'),
  );
}

async function journalOf(
  app: SandboxApp,
  tenant: string,
  at: 'root' | 'own' = 'own',
): Promise<JournalEntry[]> {
  const response =
    at === 'root'
      ? app.request(`/admin/requests?tenant=${tenant}`)
      : adminCall(app, tenant, 'GET', '/requests');
  return (await expectJson<{ requests: JournalEntry[] }>(response)).requests;
}

describe('two tenants on one sandbox', () => {
  let app: SandboxApp;
  let a: TenantDescription;
  let b: TenantDescription;

  beforeEach(async () => {
    // The root world is only read here: the tenants, built from their seeds, take the writes.
    app = sharedWorldSandbox();
    // The same seed, so the same users, sites and companies: only isolation can tell the tenants apart.
    [a, b] = [await createTenant(app, { seed: 11 }), await createTenant(app, { seed: 11 })];
  });

  it('serve different data at the same paths when their seeds differ', async () => {
    const c = await createTenant(app, { seed: 12 });
    const [fromA, fromC] = [
      await customers(await tenantCaller(app, a)),
      await customers(await tenantCaller(app, c)),
    ];
    expect(fromA).toHaveLength(5);
    expect(fromC).toHaveLength(5);
    expect(fromA.map((x) => x.name)).not.toEqual(fromC.map((x) => x.name));
  });

  it('keep writes to themselves', async () => {
    const [callerA, callerB] = [await tenantCaller(app, a), await tenantCaller(app, b)];
    await expectJson(callerA.send('POST', '/customers', { reference: 'ONLYA1', name: 'Only In A Ltd' }));
    const filter = `/customers?$filter=reference eq 'ONLYA1'&$select=id`;
    expect(await expectJson<unknown[]>(callerA.send('GET', filter))).toHaveLength(1);
    expect(await expectJson<unknown[]>(callerB.send('GET', filter))).toHaveLength(0);
    const atRoot = app.sandbox.store.world.sites.flatMap((s) =>
      s.companies.flatMap((c) => c.collections.customers),
    );
    expect(atRoot.some((customer) => customer.reference === 'ONLYA1')).toBe(false);
  });

  it("refuse each other's access tokens with 401, though the users and sites are the same", async () => {
    const [callerA, callerB] = [await tenantCaller(app, a), await tenantCaller(app, b)];
    expect(callerA.headers['X-Site']).toBe(callerB.headers['X-Site']);
    expect((await callerA.send('GET', '/customers?$top=1')).status).toBe(200);
    const response = await app.request(`/tenants/${b.id}/uk/sage200/accounts/v1/customers?$top=1`, {
      headers: callerA.headers,
    });
    expect(response.status).toBe(401);
    // Nor does the default tenant take a tenant's token, or a tenant the default's.
    expect((await app.request('/uk/sage200/accounts/v1/sites', { headers: callerA.headers })).status).toBe(
      401,
    );
    const rootToken = await expectJson<{ access_token: string }>(
      adminCall(app, 'default', 'POST', '/tokens', { user: 'full@sandbox.test' }),
    );
    const atA = await app.request(`/tenants/${a.id}/uk/sage200/accounts/v1/sites`, {
      headers: { Authorization: `Bearer ${rootToken.access_token}` },
    });
    expect(atA.status).toBe(401);
  });

  it("refuse each other's client credentials and codes at the token endpoint", async () => {
    const clientA = confidentialClient(a);
    const code = await codeAt(app, a);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    const atB = await tokenRequest(app, b.id, form, [clientA.client_id, clientA.client_secret]);
    expect(atB.status).toBe(401);
    expect(await atB.json()).toMatchObject({ error: 'access_denied' });
    // B's own client cannot redeem A's code either: it is unknown at B.
    const clientB = confidentialClient(b);
    const codeAtB = await tokenRequest(app, b.id, form, [clientB.client_id, clientB.client_secret]);
    expect(codeAtB.status).toBe(403);
    expect(await codeAtB.json()).toMatchObject({ error: 'invalid_grant' });
    // The code is still good where it was issued.
    expect((await tokenRequest(app, a.id, form, [clientA.client_id, clientA.client_secret])).status).toBe(
      200,
    );
    // And the default tenant's built-in client is no client of a tenant.
    const builtIn = await tokenRequest(app, a.id, form, ['sandbox-client', 'sandbox-secret']);
    expect(builtIn.status).toBe(401);
  });

  it("never fire each other's faults", async () => {
    const added = await adminCall(app, a.id, 'POST', '/faults', { path: '/customers', status: 503 });
    expect(added.status).toBe(201);
    expect(added.headers.get('Location')).toBe(`/tenants/${a.id}/admin/faults/fault-1`);
    const [callerA, callerB] = [await tenantCaller(app, a), await tenantCaller(app, b)];
    expect((await callerA.send('GET', '/customers')).status).toBe(503);
    expect((await callerB.send('GET', '/customers')).status).toBe(200);
    expect((await expectJson<{ faults: unknown[] }>(adminCall(app, b.id, 'GET', '/faults'))).faults).toEqual(
      [],
    );
    expect(
      (await expectJson<{ faults: unknown[] }>(adminCall(app, 'default', 'GET', '/faults'))).faults,
    ).toEqual([]);
  });

  it('keep separate journals, each with the paths as the tenant sees them', async () => {
    const [callerA, callerB] = [await tenantCaller(app, a), await tenantCaller(app, b)];
    await callerA.send('GET', '/customers?$top=1');
    await callerB.send('GET', '/suppliers?$top=1');
    await callerB.send('GET', '/suppliers?$top=2');
    const fromA = await journalOf(app, a.id);
    const fromB = await journalOf(app, b.id);
    expect(fromA.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /uk/sage200/accounts/v1/customers 200',
      'POST /admin/tokens 200',
    ]);
    expect(fromB.filter((e) => e.path.endsWith('/suppliers'))).toHaveLength(2);
    expect(fromB.some((e) => e.path.endsWith('/customers'))).toBe(false);
    expect(fromA[0]?.client_id).toBe(`sandbox-client-${a.id}`);
    // The root journal saw the tenants being created, and nothing the tenants were asked.
    const fromRoot = await journalOf(app, 'default');
    expect(fromRoot.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /admin/tenants',
      'POST /admin/tenants',
    ]);
  });

  it('let the root read any tenant journal with ?tenant=, and a tenant only its own', async () => {
    await (await tenantCaller(app, a)).send('GET', '/customers?$top=1');
    expect(await journalOf(app, a.id, 'root')).toEqual(await journalOf(app, a.id));
    expect((await journalOf(app, 'default', 'root')).map((e) => e.path)).toEqual([
      '/admin/tenants',
      '/admin/tenants',
    ]);
    const unknown = await expectJson<{ error: string }>(
      app.request('/admin/requests?tenant=t-00000000'),
      404,
    );
    expect(unknown.error).toBe('unknown_tenant');
    const other = await expectJson<{ message: string }>(
      adminCall(app, a.id, 'GET', `/requests?tenant=${b.id}`),
      400,
    );
    expect(other.message).toContain('its own journal');
    expect(await journalOf(app, a.id)).toHaveLength(2);
    await expectJson(adminCall(app, a.id, 'GET', `/requests?tenant=${a.id}`));
  });

  it('empty one journal with DELETE ?tenant= at the root, leaving the others', async () => {
    await (await tenantCaller(app, a)).send('GET', '/customers?$top=1');
    await (await tenantCaller(app, b)).send('GET', '/customers?$top=1');
    expect(await expectJson(app.request(`/admin/requests?tenant=${a.id}`, { method: 'DELETE' }))).toEqual({
      removed: 2,
    });
    expect(await journalOf(app, a.id)).toEqual([]);
    expect(await journalOf(app, b.id)).toHaveLength(2);
  });

  it('have independent clocks: advancing one leaves the others alone', async () => {
    const before = await expectJson<{ now: string }>(adminCall(app, b.id, 'GET', '/clock'));
    const advanced = await expectJson<{ offset_seconds: number }>(
      adminCall(app, a.id, 'POST', '/clock/advance', { seconds: 7200 }),
    );
    expect(advanced.offset_seconds).toBe(7200);
    expect(await expectJson(adminCall(app, b.id, 'GET', '/clock'))).toEqual({ ...before, offset_seconds: 0 });
    expect(await expectJson(adminCall(app, 'default', 'GET', '/clock'))).toMatchObject({ offset_seconds: 0 });
    // A's tokens expire on A's clock: a token minted before the advance is now refused at A's API.
    const callerB = await tenantCaller(app, b);
    const callerA = await tenantCaller(app, a);
    await expectJson(adminCall(app, a.id, 'POST', '/clock/advance', { seconds: 3600 }));
    expect((await callerA.send('GET', '/customers?$top=1')).status).toBe(401);
    expect((await callerB.send('GET', '/customers?$top=1')).status).toBe(200);
  });
});
