import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import type { JournalEntry } from '../../mock-server/journal/index.ts';
import type { TenantDescription } from '../../mock-server/tenants/index.ts';
import { sharedWorldSandbox, smallTestWorld, testSandbox } from '../support/sandbox.ts';
import {
  adminCall,
  codeAt,
  confidentialClient,
  createTenant,
  expectJson,
  REDIRECT_URI,
  tenantCaller,
  tokenRequest,
} from './support.ts';

/** The SHA-256 of the tenant's exported world: equal digests, equal bytes (and a failure prints 64 characters). */
async function stateOf(app: SandboxApp, tenant: string): Promise<string> {
  const response = await adminCall(app, tenant, 'GET', '/state');
  expect(response.status).toBe(200);
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

async function reset(app: SandboxApp, tenant: string, body?: unknown): Promise<Record<string, unknown>> {
  return expectJson(adminCall(app, tenant, 'POST', '/reset', body));
}

const NEW_CUSTOMER = { reference: 'RESET1', name: 'Before The Reset Ltd' };

describe('POST /admin/reset on a tenant', () => {
  let app: SandboxApp;
  let a: TenantDescription;
  let b: TenantDescription;

  beforeEach(async () => {
    // The root world is only read here: the tenants, built from their seeds, take the writes.
    app = sharedWorldSandbox();
    [a, b] = [await createTenant(app, { seed: 21 }), await createTenant(app, { seed: 21 })];
  });

  it('puts the world back to the bytes of its seed after writes, and leaves the other tenants alone', async () => {
    const seeded = await stateOf(app, a.id);
    await expectJson((await tenantCaller(app, a)).send('POST', '/customers', NEW_CUSTOMER));
    await expectJson((await tenantCaller(app, b)).send('POST', '/customers', NEW_CUSTOMER));
    expect(await stateOf(app, a.id)).not.toBe(seeded);
    const writtenAtB = await stateOf(app, b.id);
    const summary = await reset(app, a.id);
    expect(summary).toMatchObject({
      seed: 21,
      scale: 'small',
      users: smallTestWorld().users.length,
      state_file: null,
    });
    expect(await stateOf(app, a.id)).toBe(seeded);
    expect(await stateOf(app, b.id)).toBe(writtenAtB);
  });

  it('moves the clock offset back to zero', async () => {
    await expectJson(adminCall(app, a.id, 'POST', '/clock/advance', { seconds: 86400 }));
    await expectJson(adminCall(app, b.id, 'POST', '/clock/advance', { seconds: 60 }));
    const summary = await reset(app, a.id);
    expect(summary.clock).toMatchObject({ offset_seconds: 0 });
    expect(await expectJson(adminCall(app, a.id, 'GET', '/clock'))).toMatchObject({ offset_seconds: 0 });
    expect(await expectJson(adminCall(app, b.id, 'GET', '/clock'))).toMatchObject({ offset_seconds: 60 });
  });

  it('drops the fault rules, and numbers new ones from fault-1 again', async () => {
    await expectJson(adminCall(app, a.id, 'POST', '/faults', { status: 503 }), 201);
    await expectJson(adminCall(app, b.id, 'POST', '/faults', { status: 503 }), 201);
    await reset(app, a.id);
    expect(await expectJson(adminCall(app, a.id, 'GET', '/faults'))).toEqual({ faults: [] });
    expect((await (await tenantCaller(app, a)).send('GET', '/customers?$top=1')).status).toBe(200);
    expect((await (await tenantCaller(app, b)).send('GET', '/customers?$top=1')).status).toBe(503);
    const added = await expectJson<{ id: string }>(
      adminCall(app, a.id, 'POST', '/faults', { status: 500 }),
      201,
    );
    expect(added.id).toBe('fault-1');
  });

  it('empties the journal, which then holds the reset itself', async () => {
    await (await tenantCaller(app, a)).send('GET', '/customers?$top=1');
    await reset(app, a.id);
    const { requests } = await expectJson<{ requests: JournalEntry[] }>(
      adminCall(app, a.id, 'GET', '/requests'),
    );
    expect(requests.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /admin/reset']);
  });

  it('revokes every access token, code and refresh token issued before it; new ones work', async () => {
    const caller = await tenantCaller(app, a);
    const client = confidentialClient(a);
    const basic: [string, string] = [client.client_id, client.client_secret];
    const signedIn = await expectJson<{ refresh_token: string }>(
      tokenRequest(
        app,
        a.id,
        { grant_type: 'authorization_code', code: await codeAt(app, a), redirect_uri: REDIRECT_URI },
        basic,
      ),
    );
    const pendingCode = await codeAt(app, a);
    const callerB = await tenantCaller(app, b);
    await reset(app, a.id);
    expect((await caller.send('GET', '/customers?$top=1')).status).toBe(401);
    const redeemed = await tokenRequest(
      app,
      a.id,
      { grant_type: 'authorization_code', code: pendingCode, redirect_uri: REDIRECT_URI },
      basic,
    );
    expect(redeemed.status).toBe(403);
    const refreshed = await tokenRequest(
      app,
      a.id,
      { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token },
      basic,
    );
    expect(refreshed.status).toBe(403);
    // The tenant's clients survive a reset, and B's tokens were never A's to revoke.
    expect((await (await tenantCaller(app, a)).send('GET', '/customers?$top=1')).status).toBe(200);
    const fresh = await tokenRequest(
      app,
      a.id,
      { grant_type: 'authorization_code', code: await codeAt(app, a), redirect_uri: REDIRECT_URI },
      basic,
    );
    expect(fresh.status).toBe(200);
    expect((await callerB.send('GET', '/customers?$top=1')).status).toBe(200);
  });

  it('rebuilds from another seed and scale when asked, and keeps them for the next reset', async () => {
    const before = await stateOf(app, a.id);
    expect(await reset(app, a.id, { seed: 22 })).toMatchObject({ seed: 22, scale: 'small' });
    const reseeded = await stateOf(app, a.id);
    expect(reseeded).not.toBe(before);
    // Another seed, other site ids: the tenant's description tells the new ones.
    const described = await expectJson<TenantDescription>(
      adminCall(app, 'default', 'GET', `/tenants/${a.id}`),
    );
    expect(described).toMatchObject({ seed: 22, scale: 'small' });
    expect(described.users[0]?.site_id).not.toBe(a.users[0]?.site_id);
    await expectJson((await tenantCaller(app, described)).send('POST', '/customers', NEW_CUSTOMER));
    expect(await reset(app, a.id)).toMatchObject({ seed: 22 });
    expect(await stateOf(app, a.id)).toBe(reseeded);
  });

  it.each([
    [{ seed: -3 }, 'body.seed'],
    [{ seed: 'x' }, 'body.seed'],
    [{ scale: 'tiny' }, 'body.scale'],
    [{ sede: 3 }, 'body.sede'],
  ])('refuses %j with a 400 naming %s, and changes nothing', async (body, field) => {
    await expectJson((await tenantCaller(app, a)).send('POST', '/customers', NEW_CUSTOMER));
    const written = await stateOf(app, a.id);
    const answer = await expectJson<{ error: string; message: string }>(
      adminCall(app, a.id, 'POST', '/reset', body),
      400,
    );
    expect(answer).toMatchObject({ error: 'invalid_request' });
    expect(answer.message).toContain(field);
    expect(await stateOf(app, a.id)).toBe(written);
  });
});

describe('POST /admin/reset on the default tenant', () => {
  it('resets the root world only: a tenant keeps its writes', async () => {
    const app = testSandbox();
    const tenant = await createTenant(app, { seed: 200 });
    const seeded = await stateOf(app, 'default');
    await expectJson((await tenantCaller(app, tenant)).send('POST', '/customers', NEW_CUSTOMER));
    const tenantWritten = await stateOf(app, tenant.id);
    const root = await tenantCaller(
      app,
      await expectJson<TenantDescription>(app.request('/admin/tenants/default')),
    );
    await expectJson(root.send('POST', '/customers', NEW_CUSTOMER));
    expect(await stateOf(app, 'default')).not.toBe(seeded);
    await reset(app, 'default');
    expect(await stateOf(app, 'default')).toBe(seeded);
    expect(await stateOf(app, tenant.id)).toBe(tenantWritten);
  });

  describe('with a state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-reset-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the reset world to the state file, so a restart comes back reset', async () => {
      const stateFile = join(dir, 'world.state');
      const first = createSandbox({ stateFile, seed: 5, scale: 'small', freezeClock: true });
      const seeded = await stateOf(first, 'default');
      const description = await expectJson<TenantDescription>(first.request('/admin/tenants/default'));
      await expectJson((await tenantCaller(first, description)).send('POST', '/customers', NEW_CUSTOMER));
      const summary = await reset(first, 'default');
      expect(summary.state_file).toBe(stateFile);
      first.sandbox.close();
      const second = createSandbox({ stateFile, seed: 9, scale: 'small', freezeClock: true });
      try {
        expect(await stateOf(second, 'default')).toBe(seeded);
      } finally {
        second.sandbox.close();
      }
    });
  });
});
