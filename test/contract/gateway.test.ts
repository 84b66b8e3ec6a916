import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { sandboxSigningKeyPem } from '../../mock-server/oauth/index.ts';
import {
  api,
  callerFor,
  companyHeaders,
  mintToken,
  sharedWorldSandbox,
  USERS,
  userOf,
} from '../support/sandbox.ts';

const CUSTOMERS = api('/customers?$top=1');

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

async function expectEmpty401(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(await response.text()).toBe('');
}

describe('gateway: bearer token', () => {
  let app: SandboxApp;
  let token: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    app = sharedWorldSandbox();
    token = await mintToken(app, USERS.full);
    headers = companyHeaders(app, USERS.full);
  });

  it('accepts a token it issued, with the Bearer scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await app.request(CUSTOMERS, {
        headers: { ...headers, Authorization: `${scheme} ${token}` },
      });
      expect(response.status).toBe(200);
    }
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Basic scheme', 'Basic c2FuZGJveDpzZWNyZXQ='],
    ['a bare token without scheme', 'TOKEN'],
    ['an empty bearer', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers 401 with an empty body for %s', async (_name, authorization) => {
    const withAuth = authorization === 'TOKEN' ? token : authorization;
    const response = await app.request(CUSTOMERS, {
      headers: withAuth ? { ...headers, Authorization: withAuth } : headers,
    });
    await expectEmpty401(response);
  });

  it('answers 401 for a token whose payload was changed after signing', async () => {
    const [head, , signature] = token.split('.');
    const payload = { ...decodePayload(token), sub: `auth0|sandbox-${userOf(app, USERS.trial).id}` };
    const forged = `${head}.${b64url(payload)}.${signature}`;
    await expectEmpty401(
      await app.request(CUSTOMERS, { headers: { ...headers, Authorization: `Bearer ${forged}` } }),
    );
  });

  it('answers 401 for an unsigned token (alg none)', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(decodePayload(token))}.`;
    await expectEmpty401(
      await app.request(CUSTOMERS, { headers: { ...headers, Authorization: `Bearer ${unsigned}` } }),
    );
  });

  it('answers 401 for a token signed by a key the sandbox does not own', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = decodePayload(token);
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    await expectEmpty401(
      await app.request(CUSTOMERS, { headers: { ...headers, Authorization: `Bearer ${foreign}` } }),
    );
  });

  it('answers 401 for a token of another audience', async () => {
    const privateKey = createPrivateKey(sandboxSigningKeyPem());
    const other = await new SignJWT({ ...decodePayload(token), aud: 'some/other-api' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey);
    await expectEmpty401(
      await app.request(CUSTOMERS, { headers: { ...headers, Authorization: `Bearer ${other}` } }),
    );
  });

  it('answers 401 once the sandbox clock passes the token expiry, and 200 just before', async () => {
    const clockApp = sharedWorldSandbox({ accessTokenTtlSeconds: 60 });
    const caller = await callerFor(clockApp, USERS.full);
    clockApp.sandbox.clock.advance(58);
    expect((await caller.get('/customers?$top=1')).status).toBe(200);
    const advanced = await clockApp.request('/admin/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 3 }),
    });
    expect(advanced.status).toBe(200);
    await expectEmpty401(await caller.get('/customers?$top=1'));
  });
});

describe('gateway: X-Site and X-Company', () => {
  let app: SandboxApp;
  let token: string;

  beforeAll(async () => {
    app = sharedWorldSandbox();
    token = await mintToken(app, USERS.full);
  });

  const call = (extra: Record<string, string>) =>
    app.request(CUSTOMERS, { headers: { Authorization: `Bearer ${token}`, ...extra } });

  it('answers 401 when X-Site is missing', async () => {
    const { 'X-Company': company } = companyHeaders(app, USERS.full);
    await expectEmpty401(await call({ 'X-Company': company! }));
  });

  it('answers 401 when X-Company is missing', async () => {
    const { 'X-Site': site } = companyHeaders(app, USERS.full);
    await expectEmpty401(await call({ 'X-Site': site! }));
  });

  it('answers 401 for a site that does not exist', async () => {
    const { 'X-Company': company } = companyHeaders(app, USERS.full);
    await expectEmpty401(
      await call({ 'X-Site': '00000000-0000-4000-8000-000000000000', 'X-Company': company! }),
    );
  });

  it("answers 401 for another user's site, even with that site's own company", async () => {
    await expectEmpty401(await call(companyHeaders(app, USERS.trial)));
  });

  it('answers 401 for a company of another site', async () => {
    const { 'X-Site': site } = companyHeaders(app, USERS.full);
    const { 'X-Company': foreignCompany } = companyHeaders(app, USERS.sandbox);
    await expectEmpty401(await call({ 'X-Site': site!, 'X-Company': foreignCompany! }));
  });

  it.each(['abc', '1.5', '-1', ''])('answers 401 for X-Company %j', async (company) => {
    const { 'X-Site': site } = companyHeaders(app, USERS.full);
    await expectEmpty401(await call({ 'X-Site': site!, 'X-Company': company }));
  });

  it('matches the site GUID without regard to case and opens each of the full site’s two companies', async () => {
    for (const index of [0, 1]) {
      const headers = companyHeaders(app, USERS.full, index);
      const response = await call({ ...headers, 'X-Site': headers['X-Site']!.toUpperCase() });
      expect(response.status).toBe(200);
    }
  });

  it('serves /sites without X-Site or X-Company, scoped to the token’s user', async () => {
    const response = await app.request(api('/sites'), { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const rows = (await response.json()) as { site_id: string; company_id: number }[];
    const user = userOf(app, USERS.full);
    expect(rows.length).toBe(2);
    expect(new Set(rows.map((r) => r.site_id))).toEqual(new Set([user.site_id]));
  });

  it('answers 401 on /sites without a token', async () => {
    await expectEmpty401(await app.request(api('/sites')));
  });
});

describe('gateway: subscription key', () => {
  it('accepts and ignores Ocp-Apim-Subscription-Key by default', async () => {
    const app = sharedWorldSandbox();
    const caller = await callerFor(app, USERS.full);
    expect((await caller.get('/customers?$top=1')).status).toBe(200);
    expect(
      (await caller.get('/customers?$top=1', { 'Ocp-Apim-Subscription-Key': 'anything at all' })).status,
    ).toBe(200);
  });

  describe('with requireSubscriptionKey', () => {
    let app: SandboxApp;
    beforeAll(() => {
      app = sharedWorldSandbox({ requireSubscriptionKey: true, subscriptionKey: 'key-123' });
    });

    it.each([
      ['missing', undefined, 'missing subscription key'],
      ['wrong', 'key-124', 'invalid subscription key'],
      ['split by a space', 'key- 123', 'invalid subscription key'],
    ])('answers the gateway 401 when the key is %s', async (_name, key, message) => {
      const caller = await callerFor(app, USERS.full);
      const extra = key === undefined ? {} : { 'Ocp-Apim-Subscription-Key': key };
      const response = await caller.get('/customers?$top=1', extra);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { statusCode: number; message: string };
      expect(body.statusCode).toBe(401);
      expect(body.message).toContain(message);
    });

    it('serves the call when the key matches', async () => {
      const caller = await callerFor(app, USERS.full);
      expect((await caller.get('/customers?$top=1', { 'Ocp-Apim-Subscription-Key': 'key-123' })).status).toBe(
        200,
      );
    });
  });
});

describe('gateway: routes and roles', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = sharedWorldSandbox();
  });

  it.each([
    ['an unknown path', 'GET', '/invoices'],
    ['an unknown nested path', 'GET', '/customers/1/invoices'],
    ['a verb the resource does not support', 'DELETE', '/tax_codes'],
    ['a verb on a read-only view', 'POST', '/nominal_period_value_views'],
  ])('answers 404 in the gateway shape for %s, with or without a token', async (_name, method, path) => {
    const caller = await callerFor(app, USERS.full);
    for (const headers of [caller.headers, {}]) {
      const response = await app.request(api(path), { method, headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ statusCode: 404, message: 'Resource not found' });
    }
  });

  it('answers 404 with an application message for an id that does not exist', async () => {
    const caller = await callerFor(app, USERS.full);
    for (const id of ['999999999', 'abc']) {
      const response = await caller.get(`/customers/${id}`);
      expect(response.status).toBe(404);
      const body = (await response.json()) as { Message: string };
      expect(body.Message).toContain(id);
    }
  });

  it('answers 403 to the limited user on Sales Ledger resources, and 200 elsewhere', async () => {
    const caller = await callerFor(app, USERS.limited);
    for (const path of ['/customers', '/sales_posted_transactions']) {
      const response = await caller.get(path);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { Message: string }).Message).toContain('Sales Ledger');
    }
    expect((await caller.get('/suppliers?$top=1')).status).toBe(200);
    expect((await caller.get('/nominal_codes?$top=1')).status).toBe(200);
  });
});

describe('gateway: why a 401', () => {
  it('keeps the empty body and says why in X-Sandbox-Reason and the request journal', async () => {
    const app = sharedWorldSandbox();
    const token = await mintToken(app, USERS.full);
    const cases: [Record<string, string>, string][] = [
      [{}, 'no Authorization header'],
      [{ Authorization: `Bearer ${token}` }, 'missing X-Site'],
      [
        { Authorization: `Bearer ${token}`, 'X-Site': 'not-a-site', 'X-Company': '1' },
        'X-Site is not a site of this user',
      ],
    ];
    for (const [headers, reason] of cases) {
      const response = await app.request(api('/customers'), { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
      expect(response.headers.get('X-Sandbox-Reason')).toBe(reason);
    }
    const journal = (await (await app.request('/admin/requests?status=401')).json()) as {
      requests: { reason: string | null }[];
    };
    expect(journal.requests.map((r) => r.reason)).toEqual(cases.map(([, reason]) => reason).reverse());
  });
});
