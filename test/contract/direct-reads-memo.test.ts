/**
 * A plain read remembers its gateway's last admission (gateway/index.ts, admitRemembered): the same Authorization,
 * X-Site and X-Company against the same store are admitted without looking the token, user, site and company up
 * again. Nothing may be answered from it once the answer would differ: each test first has the admission
 * remembered (two direct reads), then changes one thing it rests on and reads again.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { DirectReads } from '../../mock-server/resources/direct-reads.ts';
import { addFault, journal } from '../faults/support.ts';
import { type Caller, callerFor, companyHeaders, testSandbox, USERS } from '../support/sandbox.ts';

describe('a remembered admission of a plain read', () => {
  const answered = vi.spyOn(DirectReads.prototype, 'answer');
  afterEach(() => answered.mockClear());
  // Unit test files share modules in a worker: the spy must not outlive this file.
  afterAll(() => answered.mockRestore());

  const answeredDirectly = () =>
    answered.mock.results.some((r) => r.type === 'return' && r.value instanceof Response);

  /** A sandbox of its own, full@sandbox.test signed in, and the first customer of their first company. */
  async function remembered(): Promise<{ app: SandboxApp; caller: Caller; path: string }> {
    const app = testSandbox();
    const caller = await callerFor(app, USERS.full);
    const customer = app.sandbox.store
      .site(caller.headers['X-Site']!)!
      .companies.get(Number(caller.headers['X-Company']))!
      .table('customers')
      .all()[0]!;
    const path = `/customers/${String(customer.id)}`;
    // The first call verifies the token's signature (only the app does); the next two are answered directly.
    expect((await caller.get(path)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await caller.get(path)).status).toBe(200);
    expect(answeredDirectly()).toBe(true);
    answered.mockClear();
    return { app, caller, path };
  }

  /** The claims of a JWT, unverified. */
  const claims = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string; exp: number };

  it('refuses the token with 401 once it is revoked', async () => {
    const { app, caller, path } = await remembered();
    app.sandbox.tokens.revokeAccessToken(claims(caller.token).jti);
    const response = await caller.get(path);
    expect(response.status).toBe(401);
    expect(answeredDirectly()).toBe(false);
  });

  it('refuses the token with 401 once the sandbox clock reaches its expiry', async () => {
    const { app, caller, path } = await remembered();
    const left = claims(caller.token).exp - app.sandbox.clock.epochSeconds();
    app.sandbox.clock.advance(left - 1);
    expect((await caller.get(path)).status).toBe(200);
    app.sandbox.clock.advance(1);
    expect((await caller.get(path)).status).toBe(401);
  });

  it('refuses the token after POST /admin/reset, and serves the reset world to a new one', async () => {
    const { app, caller, path } = await remembered();
    const before = await (await caller.get(path)).text();
    const written = await app.request(`/uk/sage200/accounts/v1${path}`, {
      method: 'PUT',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed Before The Reset Ltd' }),
    });
    expect(written.status).toBe(200);
    expect(((await (await caller.get(path)).json()) as { name: string }).name).toBe(
      'Renamed Before The Reset Ltd',
    );
    expect((await app.request('/admin/reset', { method: 'POST' })).status).toBe(200);
    expect((await caller.get(path)).status).toBe(401);
    const fresh = await callerFor(app, USERS.full);
    expect(await (await fresh.get(path)).text()).toBe(before);
    expect(await (await fresh.get(path)).text()).toBe(before);
  });

  it('serves a record as written, not as it was when the admission was remembered', async () => {
    const { app, caller, path } = await remembered();
    const written = await app.request(`/uk/sage200/accounts/v1${path}`, {
      method: 'PUT',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed Ltd' }),
    });
    expect(written.status).toBe(200);
    answered.mockClear();
    const read = (await (await caller.get(path)).json()) as { name: string };
    expect(read.name).toBe('Renamed Ltd');
    expect(answeredDirectly()).toBe(true);
  });

  it('lets a fault rule set afterwards fire on the same credentials', async () => {
    const { app, caller, path } = await remembered();
    await addFault(app, { path: '/customers/*', status: 503 });
    expect((await caller.get(path)).status).toBe(503);
  });

  it('decides another X-Site afresh: 401', async () => {
    const { caller, path } = await remembered();
    const response = await caller.get(path, { 'X-Site': '00000000-0000-0000-0000-000000000000' });
    expect(response.status).toBe(401);
  });

  it('decides another X-Company afresh: that company is read and journalled', async () => {
    const { app, caller } = await remembered();
    const other = companyHeaders(app, USERS.full, 1);
    const customer = app.sandbox.store
      .site(other['X-Site']!)!
      .companies.get(Number(other['X-Company']))!
      .table('customers')
      .all()[0]!;
    const response = await caller.get(`/customers/${String(customer.id)}`, other);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { name: string }).name).toBe(customer.name);
    expect(answeredDirectly()).toBe(true);
    const [entry] = await journal(app, '?limit=1');
    expect(entry?.company).toBe(Number(other['X-Company']));
    // And back: the first company again, not the second's admission.
    await caller.get(`/customers/${String(customer.id)}`);
    const [back] = await journal(app, '?limit=1');
    expect(back?.company).toBe(Number(caller.headers['X-Company']));
  });

  it('decides another user afresh: a role without the Sales Ledger gets 403', async () => {
    const { app, path } = await remembered();
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get(path)).status).toBe(403);
  });
});
