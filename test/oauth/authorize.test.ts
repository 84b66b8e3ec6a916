import { describe, expect, it } from 'vitest';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import {
  AUDIENCE,
  authorizeQuery,
  CLIENT_ID,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  redirectParams,
  s256Pair,
} from './support.ts';

const app = sharedWorldSandbox();

describe('GET /id/authorize: the login and consent page', () => {
  it('renders an HTML page listing every seeded user with their site kind, with Approve and Deny', async () => {
    const response = await app.request(authorizeQuery());
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const html = await response.text();
    for (const [email, kind] of [
      ['full@sandbox.test', 'full (licensed) site'],
      ['trial@sandbox.test', 'trial (&quot;Try and Buy&quot;) site'],
      ['sandbox@sandbox.test', 'Sage sandbox site'],
      ['limited@sandbox.test', 'restricted role'],
    ]) {
      expect(html).toContain(`value="${email}"`);
      expect(html).toContain(kind);
    }
    expect(html).toContain('value="approve">Approve</button>');
    expect(html).toContain('value="deny" formnovalidate>Deny</button>');
  });

  it('loads nothing from anywhere else (no external scripts, styles or images)', async () => {
    const response = await app.request(authorizeQuery());
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
  });

  it('carries the request through the form, escaping what the client sent', async () => {
    const html = await (await app.request(authorizeQuery({ state: '"><script>x</script>' }))).text();
    expect(html).toContain('name="state" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).not.toContain('<script>x');
  });
});

describe('GET /id/authorize: requests Sage ID refuses without redirecting', () => {
  it.each([
    ['an unknown client_id', { client_id: 'someone-else' }, 'Unknown client: someone-else'],
    ['no client_id', { client_id: undefined }, 'Missing required parameter: client_id'],
    ['no redirect_uri', { redirect_uri: undefined }, 'Missing required parameter: redirect_uri'],
    [
      'an unregistered redirect_uri',
      { redirect_uri: 'https://evil.example/callback' },
      'not in the list of allowed',
    ],
    ['a trailing slash more', { redirect_uri: `${REDIRECT_URI}/` }, 'not in the list of allowed'],
    ['another port', { redirect_uri: 'http://localhost:3001/callback' }, 'not in the list of allowed'],
    [
      'https instead of http',
      { redirect_uri: 'https://localhost:3000/callback' },
      'not in the list of allowed',
    ],
    ['a different case', { redirect_uri: 'http://localhost:3000/Callback' }, 'not in the list of allowed'],
  ])('shows an error page and never redirects for %s', async (_name, overrides, text) => {
    const response = await app.request(authorizeQuery({ ...overrides, login_hint: 'full@sandbox.test' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain(text);
  });

  it('calls the callback mismatch what Auth0 calls it', async () => {
    const response = await app.request(authorizeQuery({ redirect_uri: 'http://localhost:9999/cb' }));
    expect(await response.text()).toContain('Callback URL mismatch');
  });
});

describe('GET /id/authorize: mistakes sent back to the redirect URI', () => {
  it.each([
    [
      'a missing audience',
      { audience: undefined },
      'invalid_request',
      'Missing required parameter: audience',
    ],
    [
      'another audience',
      { audience: 'https://api.example' },
      'access_denied',
      'Service not found: https://api.example',
    ],
    [
      'response_type=token',
      { response_type: 'token' },
      'unsupported_response_type',
      'Unsupported response type: token',
    ],
    ['a missing response_type', { response_type: undefined }, 'invalid_request', 'response_type'],
    ['a missing scope', { scope: undefined }, 'invalid_request', 'Missing required parameter: scope'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request', 'response_mode'],
    [
      'an unknown PKCE method',
      { code_challenge: 'x'.repeat(43), code_challenge_method: 'S512' },
      'invalid_request',
      'S512',
    ],
    [
      'a malformed S256 challenge',
      { code_challenge: 'short', code_challenge_method: 'S256' },
      'invalid_request',
      'S256',
    ],
    [
      'a method without challenge',
      { code_challenge_method: 'S256' },
      'invalid_request',
      'without code_challenge',
    ],
    ['the public client without PKCE', { client_id: PUBLIC_CLIENT_ID }, 'invalid_request', 'must use PKCE'],
  ])('redirects with an error and the state for %s', async (_name, overrides, error, description) => {
    const response = await app.request(authorizeQuery({ ...overrides, login_hint: 'full@sandbox.test' }));
    expect(response.status).toBe(302);
    const params = redirectParams(response);
    expect(
      new URL(response.headers.get('Location')!).origin + new URL(response.headers.get('Location')!).pathname,
    ).toBe(REDIRECT_URI);
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toContain(description);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toBeNull();
  });

  it('answers prompt=none without a signed-in user with login_required', async () => {
    const params = redirectParams(await app.request(authorizeQuery({ prompt: 'none' })));
    expect(params.get('error')).toBe('login_required');
  });
});

describe('the login_hint shortcut and the form', () => {
  it('approves at once for a seeded user: a code and the state, on the registered redirect URI', async () => {
    const response = await app.request(authorizeQuery({ login_hint: 'trial@sandbox.test' }));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('shows the page with a note when login_hint is not a seeded user', async () => {
    const response = await app.request(authorizeQuery({ login_hint: 'nobody@example.com' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('login_hint nobody@example.com is not a user of this sandbox');
  });

  it('accepts the public client with PKCE', async () => {
    const { challenge } = s256Pair();
    const response = await app.request(
      authorizeQuery({
        client_id: PUBLIC_CLIENT_ID,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        login_hint: 'full@sandbox.test',
      }),
    );
    expect(redirectParams(response).get('code')).toBeTruthy();
  });

  const form = (fields: Record<string, string>) =>
    app.request('/id/u/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        audience: AUDIENCE,
        scope: 'openid offline_access',
        state: 's-1',
        ...fields,
      }).toString(),
    });

  it('Approve with a chosen user redirects with a code', async () => {
    const response = await form({ username: 'full@sandbox.test', password: 'anything', action: 'approve' });
    expect(response.status).toBe(302);
    expect(redirectParams(response).get('code')).toBeTruthy();
    expect(redirectParams(response).get('state')).toBe('s-1');
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const params = redirectParams(await form({ action: 'deny' }));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('s-1');
    expect(params.get('code')).toBeNull();
  });

  it('Approve without a user shows the page again with a message', async () => {
    const response = await form({ action: 'approve' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Choose one of the sandbox users');
  });

  it('re-checks the request on submit: a tampered redirect_uri gets the error page', async () => {
    const response = await form({
      redirect_uri: 'https://evil.example/cb',
      username: 'full@sandbox.test',
      action: 'approve',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  it('registers extra redirect URIs given in options, matched exactly', async () => {
    const extra = 'https://app.example.com/sage/callback?tenant=1';
    const custom = sharedWorldSandbox({ redirectUris: [extra] });
    const response = await custom.request(
      authorizeQuery({ redirect_uri: extra, login_hint: 'full@sandbox.test' }),
    );
    const location = new URL(response.headers.get('Location')!);
    expect(location.searchParams.get('tenant')).toBe('1');
    expect(location.searchParams.get('code')).toBeTruthy();
    expect((await app.request(authorizeQuery({ redirect_uri: extra }))).status).toBe(400);
  });
});
