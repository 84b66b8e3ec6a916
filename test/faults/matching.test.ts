import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, callerFor, companyHeaders, mintToken, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { addFault, admin } from './support.ts';

async function status(app: SandboxApp, path: string, init: RequestInit = {}): Promise<number> {
  return (await app.request(path, init)).status;
}

describe('fault rules: what they match', () => {
  let app: SandboxApp;
  let auth: Record<string, string>;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    auth = (await callerFor(app, USERS.full)).headers;
  });

  it.each([
    ['/customers', '/customers', true],
    ['/customers', '/customers/', true],
    ['/customers', '/CUSTOMERS', true],
    ['/customers', '/customers/1', false],
    ['/customers*', '/customers/1/contacts', true],
    ['/customers*', '/suppliers', false],
    ['/customers/{Id}', '/customers/1', true],
    ['/customers/{Id}', '/customers', false],
    ['/customers/{Id}', '/customers/1/contacts', false],
    ['/customers/{Id}/contacts', '/customers/1/contacts', true],
    ['*', '/tax_codes', true],
    ['/uk/sage200/accounts/v1/customers', '/customers', true],
    ['/uk/sage200/accounts/v1/customers', '/suppliers', false],
  ])('path pattern %s against %s: faulted %s', async (pattern, path, faulted) => {
    await addFault(app, { path: pattern, status: 503 });
    const response = await app.request(api(path), { headers: auth });
    expect(response.status === 503).toBe(faulted);
  });

  it('matches by method', async () => {
    await addFault(app, { method: 'POST', path: '/customers', status: 503 });
    expect(await status(app, api('/customers'), { headers: auth })).toBe(200);
    const post = await app.request(api('/customers'), {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(503);
  });

  it('matches by site and company as sent in X-Site and X-Company', async () => {
    const [first, second] = [companyHeaders(app, USERS.full, 0), companyHeaders(app, USERS.full, 1)];
    await addFault(app, {
      site: first['X-Site']!.toUpperCase(),
      company: Number(second['X-Company']),
      status: 503,
    });
    expect(await status(app, api('/customers'), { headers: { ...auth, ...first } })).toBe(200);
    expect(await status(app, api('/customers'), { headers: { ...auth, ...second } })).toBe(503);
    const trial = await callerFor(app, USERS.trial);
    expect(await status(app, api('/customers'), { headers: trial.headers })).toBe(200);
  });

  it('matches by the client id of the bearer token', async () => {
    await addFault(app, { client_id: 'sandbox-public-client', status: 503 });
    expect(await status(app, api('/customers'), { headers: auth })).toBe(200);
    const response = await admin(app, 'POST', '/tokens', {
      user: USERS.full,
      client_id: 'sandbox-public-client',
    });
    const { access_token } = (await response.json()) as { access_token: string };
    const headers = { ...auth, Authorization: `Bearer ${access_token}` };
    expect(await status(app, api('/customers'), { headers })).toBe(503);
  });

  it('matches Sage ID token requests by path and by the client id in the form or in HTTP Basic', async () => {
    await addFault(app, { path: '/id/oauth/token', client_id: 'sandbox-client', status: 429 });
    const form = (clientId: string) => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&refresh_token=nope&client_id=${clientId}&client_secret=x`,
    });
    expect(await status(app, '/id/oauth/token', form('sandbox-client'))).toBe(429);
    expect(await status(app, '/id/oauth/token', form('sandbox-public-client'))).not.toBe(429);
    const basic = {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
      },
      body: 'grant_type=refresh_token&refresh_token=nope',
    };
    expect(await status(app, '/id/oauth/token', basic)).toBe(429);
  });

  it('leaves Sage ID alone unless the rule names a Sage ID path', async () => {
    await addFault(app, { status: 503 });
    expect(await status(app, '/id/.well-known/openid-configuration')).toBe(200);
    expect(await status(app, api('/customers'), { headers: auth })).toBe(503);
  });

  it('never applies to the control API, the contract or the home page', async () => {
    await addFault(app, { path: '*', status: 503 });
    expect(await status(app, '/admin/faults')).toBe(200);
    expect(await status(app, '/openapi.json')).toBe(200);
    expect(await status(app, '/')).toBe(200);
  });

  it('applies before the gateway: a 429 reaches a call without a token, and an unknown path', async () => {
    await addFault(app, { path: '*', status: 429 });
    expect(await status(app, api('/customers'))).toBe(429);
    expect(await status(app, api('/no_such_resource'))).toBe(429);
  });
});

describe('fault rules: how often they fire', () => {
  let app: SandboxApp;
  let get: () => Promise<number>;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    const caller = await callerFor(app, USERS.full);
    get = async () => (await caller.get('/customers?$top=1')).status;
  });

  async function statuses(count: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push(await get());
    return seen;
  }

  it('fires on the next N matches only, with times', async () => {
    await addFault(app, { status: 503, times: 2 });
    expect(await statuses(4)).toEqual([503, 503, 200, 200]);
  });

  it('fires on every Nth match, with every', async () => {
    await addFault(app, { status: 503, every: 3 });
    expect(await statuses(7)).toEqual([200, 200, 503, 200, 200, 503, 200]);
  });

  it('combines every and times: every 2nd match, twice', async () => {
    await addFault(app, { status: 503, every: 2, times: 2 });
    expect(await statuses(7)).toEqual([200, 503, 200, 503, 200, 200, 200]);
  });

  it('tries rules in the order they were added; the first that fires wins and later rules do not count the call', async () => {
    const first = await addFault(app, { status: 503, times: 1 });
    const second = await addFault(app, { status: 500 });
    expect(await statuses(2)).toEqual([503, 500]);
    const { faults } = (await (await admin(app, 'GET', '/faults')).json()) as {
      faults: { id: string; matches: number }[];
    };
    expect(faults.map((f) => [f.id, f.matches])).toEqual([
      [first, 1],
      [second, 1],
    ]);
  });

  it('lets a later rule fire after a latency-only rule, adding the delays', async () => {
    await addFault(app, { latency_ms: 30 });
    await addFault(app, { status: 503, every: 2 });
    expect(await statuses(2)).toEqual([200, 503]);
  });

  it('draws probability from the seed: two sandboxes with the same seed fail the same calls', async () => {
    const run = async (seed: number) => {
      const sandbox = sharedWorldSandbox({ seed });
      await addFault(sandbox, { status: 503, probability: 0.5 });
      const caller = await callerFor(sandbox, USERS.full);
      const seen: number[] = [];
      for (let i = 0; i < 40; i++) seen.push((await caller.get('/customers?$top=1')).status);
      return seen;
    };
    const [a, b, other] = [await run(200), await run(200), await run(201)];
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(other).not.toEqual(a);
  });

  it.each([
    [0, 0],
    [1, 10],
  ])('with probability %d fires on %i of 10 calls', async (probability, expected) => {
    await addFault(app, { status: 503, probability });
    const seen = await statuses(10);
    expect(seen.filter((s) => s === 503)).toHaveLength(expected);
  });

  it('counts each match even when a token is fresh for each call', async () => {
    await addFault(app, { status: 503, every: 2 });
    const token = await mintToken(app, USERS.full);
    const headers = { Authorization: `Bearer ${token}`, ...companyHeaders(app, USERS.full) };
    expect((await app.request(api('/customers'), { headers })).status).toBe(200);
    expect((await app.request(api('/customers'), { headers })).status).toBe(503);
  });
});
