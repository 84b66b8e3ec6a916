/**
 * `sage200-sandbox/msw`: the sandbox served on the real Sage hostnames in process, to clients that know nothing but
 * those hostnames (the client with its default base URLs, plain fetch, openid-client discovering
 * https://id.sage.com/). No server listens and no URL is changed.
 */
import https from 'node:https';
import { setupServer } from 'msw/node';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SAGE_ID_BASE_URL,
  SAGE200_API_BASE_URL,
  SANDBOX_CLIENT,
  Sage200Client,
  signInWithLoginHint,
} from '../../client/index.ts';
import { fakeTiming, type RecordedCall, recordingFetch } from '../../client/testing.ts';
import { createSandbox, type SandboxApp, SandboxOptionsError } from '../../mock-server/index.ts';
import { mockSageHosts, sandboxHandlers } from '../../mock-server/msw.ts';
import { companyHeaders, copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';

const ID = 'https://id.sage.com';
const API = 'https://api.columbus.sage.com/uk/sage200/accounts/v1';

/** A sandbox on the real hosts, on its own copy of the small world, whose clock moves only when told. */
function mockedSandbox(): ReturnType<typeof mockSageHosts> {
  return mockSageHosts({ world: copyOfWorld(smallTestWorld()), freezeClock: true });
}

const unhandled: string[] = [];
const server = setupServer();
server.events.on('request:unhandled', ({ request }) => {
  unhandled.push(`${request.method} ${request.url}`);
});

// What happens to other requests is the test's choice: here they fail (MSW prints each), never reaching the network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let app: SandboxApp;
let calls: RecordedCall[];

beforeEach(() => {
  const mocked = mockedSandbox();
  app = mocked.app;
  server.resetHandlers(...mocked.handlers);
  unhandled.length = 0;
  calls = [];
});

/** The package's client as an integration builds it: no base URLs given, so the real ones. */
function realClient(): Sage200Client {
  return new Sage200Client({
    ...SANDBOX_CLIENT,
    fetch: recordingFetch((request) => fetch(request), calls),
    timing: fakeTiming(),
  });
}

async function admin(path: string, body: unknown): Promise<Response> {
  const response = await app.request(`/admin${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}

function form(parameters: Record<string, string>): RequestInit {
  return { method: 'POST', body: new URLSearchParams(parameters) };
}

/** The code flow by hand over plain fetch: /authorize with the login_hint shortcut, then the code exchange. */
async function signInByHand(email: string): Promise<{ access_token: string; refresh_token: string }> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: SANDBOX_CLIENT.clientId,
    redirect_uri: SANDBOX_CLIENT.redirectUri,
    audience: 's200ukipd/sage200',
    scope: 'openid profile email offline_access',
    state: 'xyz',
    login_hint: email,
  });
  const authorize = await fetch(`${ID}/authorize?${query}`, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.get('Location')!);
  expect(`${callback.origin}${callback.pathname}`).toBe(SANDBOX_CLIENT.redirectUri);
  expect(callback.searchParams.get('state')).toBe('xyz');
  const token = await fetch(
    `${ID}/oauth/token`,
    form({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: SANDBOX_CLIENT.clientSecret,
      redirect_uri: SANDBOX_CLIENT.redirectUri,
    }),
  );
  expect(token.status).toBe(200);
  return (await token.json()) as { access_token: string; refresh_token: string };
}

describe('a client that knows only the real Sage URLs', () => {
  it('signs in with PKCE at https://id.sage.com and reads /sites from the real API host', async () => {
    const client = realClient();
    expect([client.sageIdBaseUrl, client.apiBaseUrl]).toEqual([SAGE_ID_BASE_URL, SAGE200_API_BASE_URL]);
    await signInWithLoginHint(client, USERS.full);
    const sites = await client.sites();
    expect(sites.map((s) => s.company_id)).toEqual([1, 2]);
    expect(calls.map((c) => `${c.method} ${c.url.origin}${c.url.pathname} ${c.status}`)).toEqual([
      `GET ${ID}/authorize 302`,
      `POST ${ID}/oauth/token 200`,
      `GET ${API}/sites 200`,
    ]);
    expect(calls[0]?.url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('pages through the customers with $orderby, $top and $skip until a short page', async () => {
    const client = realClient();
    await signInWithLoginHint(client, USERS.full);
    const company = client.company(await client.findCompany(1));
    const before = calls.length;
    const customers = await company.listAll('/customers', { pageSize: 7 });
    const pages = calls.slice(before);
    expect(pages.every((c) => c.url.href.startsWith(`${API}/customers?`))).toBe(true);
    expect(pages.map((c) => c.url.searchParams.get('$skip'))).toEqual(['0', '7', '14']);
    expect(new Set(customers.map((c) => c.id)).size).toBe(customers.length);
    const site = app.sandbox.store.userByEmail(USERS.full)!.site_id;
    expect(customers).toHaveLength(
      app.sandbox.store.site(site)!.companies.get(1)!.table('customers').all().length,
    );
  });

  it('refreshes at https://id.sage.com once the API answers 401 after the sandbox clock passes expiry', async () => {
    const client = realClient();
    await signInWithLoginHint(client, USERS.full);
    await admin('/clock/advance', { seconds: 3601 });
    expect(await client.sites()).toHaveLength(2);
    expect(calls.slice(-3).map((c) => `${c.url.origin}${c.url.pathname} ${c.status}`)).toEqual([
      `${API}/sites 401`,
      `${ID}/oauth/token 200`,
      `${API}/sites 200`,
    ]);
    expect(client.stats.refreshesAfter401).toBe(1);
  });

  it('does the code flow and a refresh over plain fetch, form bodies and all', async () => {
    const first = await signInByHand(USERS.full);
    const refresh = await fetch(
      `${ID}/oauth/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: SANDBOX_CLIENT.clientId,
        client_secret: SANDBOX_CLIENT.clientSecret,
      }),
    );
    expect(refresh.status).toBe(200);
    const { access_token } = (await refresh.json()) as { access_token: string };
    expect(access_token).not.toBe(first.access_token);
    const customers = await fetch(`${API}/customers?$top=2`, {
      headers: { Authorization: `Bearer ${access_token}`, ...companyHeaders(app, USERS.full) },
    });
    expect(customers.status).toBe(200);
    expect(await customers.json()).toHaveLength(2);
  });

  it.each([
    ['no Authorization header', {}, 'no Authorization header'],
    ['a token that is not one', { Authorization: 'Bearer not-a-token' }, 'token malformed'],
  ])('gets the gateway’s 401 for %s', async (_case, headers, reason) => {
    const response = await fetch(`${API}/customers`, {
      headers: { ...headers, ...companyHeaders(app, USERS.full) },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('X-Sandbox-Reason')).toBe(reason);
  });

  it('is served to node:https too, as axios and got use it', async () => {
    const { status, body } = await new Promise<{ status: number | undefined; body: string }>(
      (resolve, reject) => {
        https
          .get(`${API}/sites`, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => {
              body += chunk.toString();
            });
            response.on('end', () => resolve({ status: response.statusCode, body }));
          })
          .on('error', reject);
      },
    );
    expect(status).toBe(401);
    expect(body).toBe('');
  });

  it('gets a 401 for a good token without X-Site and X-Company', async () => {
    const { access_token } = await signInByHand(USERS.full);
    const response = await fetch(`${API}/customers`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('X-Sandbox-Reason')).toBe('missing X-Site');
  });
});

describe('what the sandbox advertises on the real hosts', () => {
  it('names https://id.sage.com/ as issuer, so openid-client discovers it and checks the tokens with no settings', async () => {
    const fetched: string[] = [];
    const config = await oidc.discovery(
      new URL(SAGE_ID_BASE_URL),
      'sandbox-public-client',
      undefined,
      oidc.None(),
      {
        [oidc.customFetch]: (url, options) => {
          fetched.push(url);
          return fetch(url, options as RequestInit);
        },
      },
    );
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(SAGE_ID_BASE_URL);
    expect(metadata.token_endpoint).toBe(`${ID}/oauth/token`);
    expect(metadata.jwks_uri).toBe(`${ID}/.well-known/jwks.json`);

    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: SANDBOX_CLIENT.redirectUri,
      scope: 'openid email offline_access',
      audience: 's200ukipd/sage200',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      login_hint: USERS.full,
    });
    expect(url.href.startsWith(`${ID}/authorize?`)).toBe(true);
    const authorize = await fetch(url, { redirect: 'manual' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(authorize.headers.get('Location')!), {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ iss: SAGE_ID_BASE_URL, email: USERS.full });
    const accessClaims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(accessClaims).toMatchObject({ iss: SAGE_ID_BASE_URL, aud: 's200ukipd/sage200' });
    expect(fetched.every((f) => f.startsWith(`${ID}/`))).toBe(true);
    expect((await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).email).toBe(
      USERS.full,
    );
  });

  it('serves the login page, whose form posts to the real host, and hands its 302 back as it is', async () => {
    const response = await fetch(
      `${ID}/authorize?client_id=sandbox-client&redirect_uri=${SANDBOX_CLIENT.redirectUri}&response_type=code&audience=s200ukipd/sage200&scope=openid&state=s`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(200); // no login_hint: the login page, whose form posts to the real host
    expect(await response.text()).toContain('action="/u/login"');
    const denied = await fetch(`${ID}/u/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'sandbox-client',
        redirect_uri: SANDBOX_CLIENT.redirectUri,
        response_type: 'code',
        audience: 's200ukipd/sage200',
        scope: 'openid',
        state: 's',
        action: 'deny',
      }),
    });
    expect(denied.status).toBe(302);
    expect(denied.headers.get('Location')).toBe(
      `${SANDBOX_CLIENT.redirectUri}?error=access_denied&error_description=User+did+not+authorize+the+request&state=s`,
    );
  });

  it('keeps the control API off the real hosts: the app answers it, MSW leaves it unhandled', async () => {
    await expect(fetch('https://api.columbus.sage.com/admin/faults')).rejects.toThrow();
    expect(unhandled).toEqual(['GET https://api.columbus.sage.com/admin/faults']);
    expect((await app.request('/admin/faults')).status).toBe(200);
  });

  it('lists the real hosts as the default tenant’s base URLs (dashboard too), and its origin for a created tenant', async () => {
    const created = (await (await admin('/tenants', {})).json()) as { base_urls: Record<string, string> };
    expect(created.base_urls.sage_id).toMatch(/^http:\/\/127\.0\.0\.1:3200\/tenants\/[^/]+\/id\/$/);
    const list = (await (await app.request('/admin/tenants')).json()) as {
      tenants: { id: string; base_urls: Record<string, string> }[];
    };
    expect(list.tenants[0]?.base_urls).toMatchObject({
      sage_id: SAGE_ID_BASE_URL,
      api: SAGE200_API_BASE_URL,
    });
    const summary = (await (await app.request('/admin/summary')).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({ sage_id: SAGE_ID_BASE_URL, api: SAGE200_API_BASE_URL });
  });
});

describe('faults and the journal through the real hostnames', () => {
  it('sends a fault rule added through the control API to the client on the real API host', async () => {
    const { access_token } = await signInByHand(USERS.full);
    await admin('/faults', { path: '/customers*', status: 503, times: 1 });
    const headers = { Authorization: `Bearer ${access_token}`, ...companyHeaders(app, USERS.full) };
    const faulted = await fetch(`${API}/customers?$top=1`, { headers });
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toEqual({ statusCode: 503, message: 'Service Unavailable' });
    expect((await fetch(`${API}/customers?$top=1`, { headers })).status).toBe(200);
    const journal = (await (await app.request('/admin/requests?path=/customers')).json()) as {
      requests: { status: number; fault: unknown }[];
    };
    expect(journal.requests.map((r) => r.status).sort()).toEqual([200, 503]);
  });

  it('throttles Sage ID on the real host: the client’s code exchange gets the 429', async () => {
    await admin('/faults', { path: '/id/oauth/token', status: 429, retry_after: 1, times: 1 });
    const client = realClient();
    await expect(signInWithLoginHint(client, USERS.full)).rejects.toMatchObject({ status: 429 });
    expect(calls.map((c) => `${c.url.origin}${c.url.pathname} ${c.status}`).at(-1)).toBe(
      `${ID}/oauth/token 429`,
    );
  });

  it('turns a connection-reset fault into a failed fetch', async () => {
    await admin('/faults', { path: '/sites', reset_connection: true });
    await expect(fetch(`${API}/sites`)).rejects.toThrow(TypeError);
  });
});

describe('handlers from two sandboxes', () => {
  it('keep their worlds and refresh tokens apart', async () => {
    const client = realClient();
    await signInWithLoginHint(client, USERS.full);
    const company = client.company(await client.findCompany(1));
    const created = await company.create('/customers', { reference: 'MSW001', name: 'Mocked Hosts Ltd' });
    expect(created.reference).toBe('MSW001');
    const refreshToken = client.auth.tokens!.refreshToken!;

    const other = mockedSandbox();
    server.use(...other.handlers); // prepended: the other sandbox answers from now on
    const otherClient = realClient();
    await signInWithLoginHint(otherClient, USERS.full);
    const otherCompany = otherClient.company(await otherClient.findCompany(1));
    const found = await otherCompany.listAll('/customers', { $filter: "reference eq 'MSW001'" });
    expect(found).toEqual([]);
    const refused = await fetch(
      `${ID}/oauth/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: SANDBOX_CLIENT.clientId,
        client_secret: SANDBOX_CLIENT.clientSecret,
      }),
    );
    expect(refused.status).toBe(403);
    // An access token is a JWT both sandboxes can verify (same key, issuer and seeded users): it is accepted.
    const borrowed = await fetch(`${API}/sites`, {
      headers: { Authorization: `Bearer ${client.auth.tokens!.accessToken}` },
    });
    expect(borrowed.status).toBe(200);

    server.resetHandlers(); // back to the first sandbox's handlers
    const again = await company.listAll('/customers', { $filter: "reference eq 'MSW001'" });
    expect(again.map((c) => c.name)).toEqual(['Mocked Hosts Ltd']);
  });
});

describe('requests the handlers do not serve', () => {
  it.each([
    ['another host', 'https://example.com/'],
    ['another API on the Sage API host', 'https://api.columbus.sage.com/uk/sage200extra/accounts/v1/sites'],
    ['the sandbox’s own origin', 'http://127.0.0.1:3200/uk/sage200/accounts/v1/sites'],
  ])('leaves %s to onUnhandledRequest', async (_case, url) => {
    await expect(fetch(url)).rejects.toThrow();
    expect(unhandled).toEqual([`GET ${url}`]);
  });

  it('leaves the redirect URI to the test when fetch follows the 302 from /authorize itself', async () => {
    const query = `client_id=sandbox-client&redirect_uri=${SANDBOX_CLIENT.redirectUri}&response_type=code&audience=s200ukipd/sage200&scope=openid&state=s&login_hint=${USERS.full}`;
    await expect(fetch(`${ID}/authorize?${query}`)).rejects.toThrow();
    expect(unhandled).toHaveLength(1);
    expect(unhandled[0]).toMatch(/^GET http:\/\/localhost:3000\/callback\?code=[^&]+&state=s$/);
  });
});

describe('the sandbox the handlers serve', () => {
  it('must name the real hosts, or its tokens and discovery would point where nothing answers', () => {
    expect(() => sandboxHandlers(createSandbox({ world: smallTestWorld() }))).toThrow(SandboxOptionsError);
    expect(() => sandboxHandlers(createSandbox({ world: smallTestWorld() }))).toThrow(
      "sandboxHandlers needs a sandbox created with publicUrls: 'sage'",
    );
    expect(() => mockSageHosts({ world: smallTestWorld(), publicUrls: 'origin' })).toThrow(
      "publicUrls must be 'sage', not origin",
    );
  });

  it('can be one the test built itself', async () => {
    const own = createSandbox({ world: copyOfWorld(smallTestWorld()), publicUrls: 'sage' });
    server.use(...sandboxHandlers(own));
    await signInByHand(USERS.trial);
    const journal = (await (await own.request('/admin/requests')).json()) as { requests: { path: string }[] };
    expect(journal.requests.map((r) => r.path)).toEqual(['/id/oauth/token', '/id/authorize']); // newest first
  });
});
