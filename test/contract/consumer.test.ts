/**
 * The integration client against an in-process sandbox (its fetch calls `app.request`, no port): Sage ID sign-in
 * with PKCE, sites and company headers, paging to a short page, incremental reads, refresh ahead of expiry and
 * once on a 401, revocation, retries on 429 and 503 within their bounds, and each typed error.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  ForbiddenError,
  NotFoundError,
  RateLimited,
  type Sage200Client,
  ServerError,
  ValidationFailed,
} from '../../client/index.ts';
import {
  fakeTiming,
  inProcessClient,
  inProcessFetch,
  type RecordedCall,
  recordingFetch,
} from '../../client/testing.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { sharedWorldSandbox, USERS } from '../support/sandbox.ts';

const API = '/uk/sage200/accounts/v1';

async function addFault(app: SandboxApp, rule: Record<string, unknown>): Promise<void> {
  const response = await app.request('/admin/faults', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

async function advanceSandboxClock(app: SandboxApp, seconds: number): Promise<void> {
  const response = await app.request('/admin/clock/advance', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

function apiCalls(calls: RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => c.url.pathname.startsWith(API));
}

describe('the client against an in-process sandbox', () => {
  let app: SandboxApp;
  let calls: RecordedCall[];
  let client: Sage200Client;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    calls = [];
    client = await inProcessClient(app, USERS.full, {
      fetch: recordingFetch(inProcessFetch(app), calls),
      timing: fakeTiming(),
    });
  });

  it('signs in through /authorize with PKCE and the code exchange, and keeps a refresh token', () => {
    const authorize = calls.find((c) => c.url.pathname === '/id/authorize');
    expect(authorize?.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize?.url.searchParams.get('audience')).toBe('s200ukipd/sage200');
    expect(calls.map((c) => `${c.method} ${c.url.pathname} ${c.status}`)).toEqual([
      'GET /id/authorize 302',
      'POST /id/oauth/token 200',
    ]);
    expect(client.auth.tokens?.refreshToken).toBeTruthy();
  });

  it('finds the user’s companies in /sites and sends their X-Site and X-Company', async () => {
    const sites = await client.sites();
    expect(sites.map((s) => s.company_id)).toEqual([1, 2]);
    const company = client.company(await client.findCompany(2));
    await company.listAll('/currencies');
    const last = calls.at(-1)!;
    expect(last.headers.get('X-Site')).toBe(sites[0]?.site_id);
    expect(last.headers.get('X-Company')).toBe('2');
    expect(last.headers.get('Authorization')).toMatch(/^Bearer /);
    await expect(client.findCompany(4)).rejects.toThrow(
      'The user cannot open company 4; their companies are 1, 2.',
    );
  });

  it.each([
    [7, ['0', '7', '14']],
    [10, ['0', '10', '20']],
    [500, ['0']],
  ])('pages with $orderby=id&$top=%i&$skip until a short page', async (pageSize, skips) => {
    const company = client.company(await client.findCompany());
    const before = calls.length;
    const customers = await company.listAll('/customers', { pageSize });
    const pages = calls.slice(before);
    expect(pages.map((c) => c.url.searchParams.get('$skip'))).toEqual(skips);
    for (const page of pages) {
      expect(page.url.searchParams.get('$orderby')).toBe('id');
      expect(page.url.searchParams.get('$top')).toBe(String(pageSize));
    }
    const ids = customers.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    expect(customers).toHaveLength(
      app.sandbox.store
        .site(app.sandbox.store.userByEmail(USERS.full)!.site_id)!
        .companies.get(1)!
        .table('customers')
        .all().length,
    );
  });

  it('reads incrementally: only records updated after the instant, filtered with a Z time', async () => {
    const company = client.company(await client.findCompany());
    const all = await company.listAll('/sales_posted_transactions', { $select: 'id,date_time_updated' });
    const since = new Date('2026-06-01T00:00:00Z');
    const changed = await company.listAll('/sales_posted_transactions', {
      $select: 'id,date_time_updated',
      updatedSince: since,
    });
    expect(calls.at(-1)?.url.searchParams.get('$filter')).toBe(
      'date_time_updated gt 2026-06-01T00:00:00.000Z',
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(all.length);
    expect(changed.map((t) => t.id)).toEqual(
      all.filter((t) => Date.parse(t.date_time_updated ?? '') > since.getTime()).map((t) => t.id),
    );
  });

  it('combines an incremental read with the caller’s own filter', async () => {
    const company = client.company(await client.findCompany());
    await company.listAll('/sales_posted_transactions', {
      $filter: "trader_transaction_type eq 'TradingAccountEntryTypeInvoice'",
      updatedSince: new Date('2026-06-01T00:00:00Z'),
    });
    expect(calls.at(-1)?.url.searchParams.get('$filter')).toBe(
      "(trader_transaction_type eq 'TradingAccountEntryTypeInvoice') and (date_time_updated gt 2026-06-01T00:00:00.000Z)",
    );
  });

  it('reads one record by id, typed as the contract’s record', async () => {
    const company = client.company(await client.findCompany());
    const [first] = await company.listAll('/customers', { pageSize: 1, $select: 'id' });
    const customer = await company.get('/customers/{Id}', first!.id!);
    expect(customer.id).toBe(first!.id);
    expect(typeof customer.reference).toBe('string');
  });

  it('refreshes once when the API answers 401, then repeats the call', async () => {
    await advanceSandboxClock(app, 3601); // the access token has expired on the sandbox's clock only
    const sites = await client.sites();
    expect(sites).toHaveLength(2);
    expect(calls.slice(-3).map((c) => `${c.url.pathname} ${c.status}`)).toEqual([
      `${API}/sites 401`,
      '/id/oauth/token 200',
      `${API}/sites 200`,
    ]);
    expect(client.stats.refreshesAfter401).toBe(1);
  });

  it('refreshes ahead of expiry, before sending the call', async () => {
    const timing = fakeTiming();
    const own: RecordedCall[] = [];
    const early = await inProcessClient(app, USERS.full, {
      fetch: recordingFetch(inProcessFetch(app), own),
      timing,
      refreshSkewSeconds: 120,
    });
    timing.advance((3600 - 100) * 1000); // 100 s left: inside the 120 s skew
    await early.sites();
    expect(own.slice(-2).map((c) => `${c.url.pathname} ${c.status}`)).toEqual([
      '/id/oauth/token 200',
      `${API}/sites 200`,
    ]);
    expect(early.stats.refreshesAfter401).toBe(0);
  });

  it('ends in AuthError when the refresh token has expired (90 days), asking Sage ID only once', async () => {
    await advanceSandboxClock(app, 90 * 86400 + 1);
    await expect(client.sites()).rejects.toBeInstanceOf(AuthError);
    await expect(client.sites()).rejects.toThrow(/no usable refresh token/);
    expect(calls.filter((c) => c.url.pathname === '/id/oauth/token')).toHaveLength(2); // sign-in + one refresh
  });

  it('revokes the refresh token at Sage ID: it cannot be used again', async () => {
    const refreshToken = client.auth.tokens!.refreshToken!;
    await client.revoke();
    expect(client.auth.tokens).toBeUndefined();
    const response = await app.request('/id/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
      }).toString(),
    });
    expect(response.status).toBe(403);
    await expect(client.sites()).rejects.toThrow(/Not signed in/);
  });

  it('throws ValidationFailed carrying Sage’s message for a 400', async () => {
    const company = client.company(await client.findCompany());
    const error = await company.listAll('/customers', { $filter: 'balance gt' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).status).toBe(400);
    expect((error as ValidationFailed).sageMessage.length).toBeGreaterThan(0);
    expect((error as ValidationFailed).message).toContain((error as ValidationFailed).sageMessage);
  });

  it('throws NotFoundError for an unknown id (the application’s 404, not an unknown path)', async () => {
    const company = client.company(await client.findCompany());
    const error = await company.get('/customers/{Id}', 987654321).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).unknownPath).toBe(false);
  });

  it('throws ForbiddenError for a role without the module', async () => {
    const limited = await inProcessClient(app, USERS.limited);
    const company = limited.company(await limited.findCompany());
    const error = await company.listAll('/customers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toContain('Sales Ledger');
  });
});

describe('retries on 429 and 503', () => {
  let app: SandboxApp;

  beforeEach(() => {
    app = sharedWorldSandbox();
  });

  async function client(timing = fakeTiming(), calls: RecordedCall[] = []) {
    return inProcessClient(app, USERS.full, {
      fetch: recordingFetch(inProcessFetch(app), calls),
      timing,
      retry: { maxAttempts: 4, baseDelayMs: 400, maxTotalMs: 30_000 },
    });
  }

  it('waits out Retry-After on a 429 and then succeeds', async () => {
    await addFault(app, { path: `${API}/sites`, status: 429, retry_after: 2, times: 2 });
    const timing = fakeTiming();
    const calls: RecordedCall[] = [];
    const c = await client(timing, calls);
    expect(await c.sites()).toHaveLength(2);
    expect(apiCalls(calls).map((call) => call.status)).toEqual([429, 429, 200]);
    expect(timing.sleeps).toEqual([2125, 2125]); // Retry-After 2 s plus the fixed jitter
    expect(c.stats.retries).toBe(2);
  });

  it('backs off exponentially with jitter on a 503 without Retry-After', async () => {
    await addFault(app, { path: `${API}/sites`, status: 503, times: 3 });
    const timing = fakeTiming();
    const c = await client(timing);
    expect(await c.sites()).toHaveLength(2);
    expect(timing.sleeps).toEqual([200, 400, 800]); // random 0.5 of 400, 800, 1600
  });

  it('gives up after the attempts allowed: RateLimited with the attempts and Retry-After', async () => {
    await addFault(app, { path: `${API}/sites`, status: 429, retry_after: 1 });
    const calls: RecordedCall[] = [];
    const c = await client(fakeTiming(), calls);
    const error = await c.sites().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error).toMatchObject({ attempts: 4, retryAfterSeconds: 1, status: 429 });
    expect(apiCalls(calls)).toHaveLength(4);
  });

  it('does not wait past the time budget: a Retry-After longer than it fails at once', async () => {
    await addFault(app, { path: `${API}/sites`, status: 429, retry_after: 120 });
    const timing = fakeTiming();
    const error = await (await client(timing)).sites().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RateLimited', attempts: 1, retryAfterSeconds: 120 });
    expect(timing.sleeps).toEqual([]);
  });

  it('gives up on a lasting 503 with ServerError, and does not retry a 500', async () => {
    await addFault(app, { path: `${API}/sites`, status: 503 });
    const calls: RecordedCall[] = [];
    const c = await client(fakeTiming(), calls);
    await expect(c.sites()).rejects.toMatchObject({ name: 'ServerError', status: 503 });
    expect(apiCalls(calls)).toHaveLength(4);
    await app.request('/admin/faults', { method: 'DELETE' });
    await addFault(app, { path: `${API}/sites`, status: 500 });
    const before = apiCalls(calls).length;
    await expect(c.sites()).rejects.toMatchObject({ name: 'ServerError', status: 500 });
    expect(apiCalls(calls).length - before).toBe(1);
  });

  it('retries a call that got no response, then reports ServerError without a status', async () => {
    let attempts = 0;
    const failing = await inProcessClient(app, USERS.full, {
      timing: fakeTiming(),
      retry: { maxAttempts: 3 },
      fetch: async (request) => {
        if (new URL(request.url).pathname.startsWith(API)) {
          attempts += 1;
          throw new TypeError('fetch failed');
        }
        return app.request(request);
      },
    });
    const error = await failing.sites().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBeUndefined();
    expect(attempts).toBe(3);
  });
});
