import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { REDACTED } from '../../mock-server/journal/index.ts';
import { addFault, admin, journal } from '../faults/support.ts';
import {
  api,
  type Caller,
  callerFor,
  companyHeaders,
  sharedWorldSandbox,
  USERS,
  userOf,
} from '../support/sandbox.ts';

describe('the request journal', () => {
  let app: SandboxApp;
  let caller: Caller;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('records an API call with its user, site, company, client, status and latency', async () => {
    await caller.get('/customers?$top=2&$select=id');
    const [entry] = await journal(app, '?limit=1');
    const { 'X-Site': site, 'X-Company': company } = companyHeaders(app, USERS.full);
    expect(entry).toMatchObject({
      method: 'GET',
      path: api('/customers'),
      query: { $top: '2', $select: 'id' },
      status: 200,
      fault: null,
      user: USERS.full,
      site,
      company: Number(company),
      client_id: 'sandbox-client',
    });
    expect(entry?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(entry!.time)).not.toBeNaN();
  });

  it('records a gateway refusal with no user, site or company', async () => {
    await app.request(api('/customers'), { headers: { ...caller.headers, Authorization: 'Bearer nope' } });
    const [entry] = await journal(app, '?limit=1');
    expect(entry).toMatchObject({ status: 401, user: null, site: null, company: null, client_id: null });
    expect(entry?.headers['x-site']).toBe(userOf(app, USERS.full).site_id);
  });

  it('records the fault a rule applied', async () => {
    const id = await addFault(app, { status: 503, times: 1 });
    await caller.get('/customers');
    const [entry] = await journal(app, '?limit=1');
    expect(entry?.status).toBe(503);
    expect(entry?.fault).toEqual({ rules: [id], status: 503, latency_ms: 0, connection_reset: false });
  });

  it('never stores credentials headers', async () => {
    await app.request(api('/sites'), {
      headers: {
        Authorization: `Bearer ${caller.token}`,
        Cookie: 'session=secret-cookie',
        'X-Admin-Key': 'secret-admin-key',
        'Ocp-Apim-Subscription-Key': 'secret-subscription-key',
        'User-Agent': 'journal-test',
      },
    });
    const [entry] = await journal(app, '?limit=1');
    expect(entry?.headers).toMatchObject({
      authorization: REDACTED,
      cookie: REDACTED,
      'x-admin-key': REDACTED,
      'ocp-apim-subscription-key': REDACTED,
      'user-agent': 'journal-test',
    });
    const stored = JSON.stringify(await journal(app));
    for (const secret of [caller.token, 'secret-cookie', 'secret-admin-key', 'secret-subscription-key']) {
      expect(stored).not.toContain(secret);
    }
  });

  it.each([
    'code',
    'refresh_token',
    'client_secret',
    'access_token',
    'code_verifier',
    'password',
    'token',
    'id_token_hint',
    'subscription-key',
  ])('redacts the value of the %s query parameter', async (name) => {
    await app.request(`/id/authorize?${name}=s3cr3t-value&client_id=sandbox-client&${name}=again`);
    const [entry] = await journal(app, '?limit=1');
    expect(entry?.query[name]).toEqual([REDACTED, REDACTED]);
    expect(entry?.query.client_id).toBe('sandbox-client');
    expect(JSON.stringify(entry)).not.toContain('s3cr3t');
  });

  it('records a Sage ID token request with its client but not its body', async () => {
    await app.request('/id/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=the-code&client_id=sandbox-client&client_secret=sandbox-secret',
    });
    const [entry] = await journal(app, '?limit=1');
    expect(entry).toMatchObject({ method: 'POST', path: '/id/oauth/token', client_id: 'sandbox-client' });
    expect(JSON.stringify(entry)).not.toContain('sandbox-secret');
    expect(JSON.stringify(entry)).not.toContain('the-code');
  });

  it('records admin calls but not reads of the journal itself', async () => {
    await admin(app, 'GET', '/clock');
    await journal(app);
    await journal(app);
    const entries = await journal(app);
    expect(entries.map((e) => e.path)).toEqual(['/admin/clock', '/admin/tokens']);
  });

  it('lists newest first and filters by path, status, method, after and limit', async () => {
    await caller.get('/customers');
    await caller.get('/suppliers');
    await caller.get('/customers/999999999');
    await app.request(api('/customers'));
    const paths = (entries: { path: string; status: number }[]) =>
      entries.map((e) => `${e.status} ${e.path}`);
    expect(paths(await journal(app, '?path=/customers*'))).toEqual([
      `401 ${api('/customers')}`,
      `404 ${api('/customers/999999999')}`,
      `200 ${api('/customers')}`,
    ]);
    expect(paths(await journal(app, '?status=4xx'))).toEqual([
      `401 ${api('/customers')}`,
      `404 ${api('/customers/999999999')}`,
    ]);
    expect(paths(await journal(app, '?status=200&path=/suppliers'))).toEqual([`200 ${api('/suppliers')}`]);
    expect(paths(await journal(app, `?path=${api('/suppliers')}`))).toEqual([`200 ${api('/suppliers')}`]);
    expect(await journal(app, '?method=DELETE')).toEqual([]);
    expect(paths(await journal(app, '?method=post&path=/admin/*'))).toEqual(['200 /admin/tokens']);
    const all = await journal(app);
    expect(all.map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect((await journal(app, '?after=3')).map((e) => e.id)).toEqual([5, 4]);
    expect((await journal(app, '?limit=2')).map((e) => e.id)).toEqual([5, 4]);
  });

  it.each([
    ['?status=20', 'status'],
    ['?status=6xx', 'status'],
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?after=-1', 'after'],
    ['?path=customers', 'path'],
    ['?method=G-T', 'method'],
    ['?tenant=a%20b', 'tenant must be a tenant id'],
    ['?user=a', 'unknown query parameter user'],
  ])('refuses %s with a 400 AdminError naming %s', async (query, name) => {
    const response = await admin(app, 'GET', `/requests${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_request');
    expect(body.message).toContain(name);
  });

  it('empties with DELETE /admin/requests and keeps counting ids', async () => {
    await caller.get('/sites');
    const cleared = await admin(app, 'DELETE', '/requests');
    expect(await cleared.json()).toEqual({ removed: 2 });
    expect(await journal(app)).toEqual([]);
    await caller.get('/sites');
    expect((await journal(app)).map((e) => e.id)).toEqual([3]);
  });

  it('reports its capacity, length and how many requests it has recorded', async () => {
    const small = sharedWorldSandbox({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await small.request(api('/sites'));
    const body = (await (await admin(small, 'GET', '/requests')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ capacity: 3, length: 3, recorded: 5 });
  });
});
