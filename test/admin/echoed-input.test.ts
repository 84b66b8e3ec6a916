/**
 * An error message may quote what the request sent (a user name, a grant type, a parameter's name), but never more
 * than MAX_ECHOED_CHARS of it: a 10,000-character value comes back cut, ending in `…`, on the control API, Sage ID,
 * the fault header and tenant paths alike.
 */
import { describe, expect, it } from 'vitest';
import { echoed, MAX_ECHOED_CHARS } from '../../mock-server/errors.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { CLIENT_ID, REDIRECT_URI } from '../oauth/support.ts';
import { testSandbox } from '../support/sandbox.ts';

const LONG = 'x'.repeat(10_000);
const CUT = `${'x'.repeat(MAX_ECHOED_CHARS - 1)}…`;

const json = (method: string, path: string, body: unknown): Request =>
  new Request(`http://127.0.0.1:3200${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const form = (path: string, body: string): Request =>
  new Request(`http://127.0.0.1:3200${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });

const CASES: [string, number, () => Request][] = [
  ['POST /admin/tokens, an unknown user', 404, () => json('POST', '/admin/tokens', { user: LONG })],
  [
    'GET /admin/requests, a bad status',
    400,
    () => new Request(`http://127.0.0.1:3200/admin/requests?status=${LONG}`),
  ],
  [
    'GET /admin/requests, an unknown parameter',
    400,
    () => new Request(`http://127.0.0.1:3200/admin/requests?${LONG}=1`),
  ],
  [
    'DELETE /admin/faults/{id}, an unknown rule',
    404,
    () => new Request(`http://127.0.0.1:3200/admin/faults/${LONG}`, { method: 'DELETE' }),
  ],
  [
    'POST /admin/faults, an unknown field',
    400,
    () => json('POST', '/admin/faults', { path: '/id/*', [LONG]: 1 }),
  ],
  ['POST /admin/reset, an unknown field', 400, () => json('POST', '/admin/reset', { [LONG]: 1 })],
  [
    'GET /admin/tenants/{id}, an unknown tenant',
    404,
    () => new Request(`http://127.0.0.1:3200/admin/tenants/${LONG}`),
  ],
  [
    'a path under an unknown tenant',
    404,
    () => new Request(`http://127.0.0.1:3200/tenants/${LONG}/admin/clock`),
  ],
  [
    'PUT /admin/state, a snapshot header of another format',
    400,
    () =>
      new Request('http://127.0.0.1:3200/admin/state', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/x-ndjson' },
        body: `${JSON.stringify({ format: LONG })}\n`,
      }),
  ],
  [
    'the control API, a cross-site Origin',
    403,
    () => new Request('http://127.0.0.1:3200/admin/clock', { headers: { Origin: `http://${LONG}.example` } }),
  ],
  ['POST /id/oauth/token, an unknown grant type', 400, () => form('/id/oauth/token', `grant_type=${LONG}`)],
  ['POST /id/oauth/token, a repeated parameter', 400, () => form('/id/oauth/token', `${LONG}=1&${LONG}=2`)],
  [
    'POST /id/oauth/token, a JSON parameter that is not a string',
    400,
    () => json('POST', '/id/oauth/token', { [LONG]: 1 }),
  ],
  [
    'POST /id/oauth/token, an unsupported media type',
    400,
    () =>
      new Request('http://127.0.0.1:3200/id/oauth/token', {
        method: 'POST',
        headers: { 'Content-Type': `text/${LONG}` },
        body: '',
      }),
  ],
  [
    'GET /id/authorize, an unknown client (the error page)',
    400,
    () => new Request(`http://127.0.0.1:3200/id/authorize?client_id=${LONG}`),
  ],
  [
    'a Sage ID call with a bad X-Sandbox-Fault item',
    400,
    () =>
      new Request('http://127.0.0.1:3200/id/.well-known/jwks.json', {
        headers: { 'X-Sandbox-Fault': `${LONG}=1` },
      }),
  ],
];

async function send(app: SandboxApp, request: Request): Promise<Response> {
  return app.request(request);
}

describe('request values quoted in error messages', () => {
  it.each(CASES)('%s: %i, the value cut', async (_name, status, request) => {
    const app = testSandbox();
    const response = await send(app, request());
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toContain('x…');
    expect(text).not.toContain('x'.repeat(MAX_ECHOED_CHARS));
  });

  it('cuts an audience in the error redirect of /id/authorize', async () => {
    const app = testSandbox();
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      audience: LONG,
      scope: 'openid',
    });
    const response = await app.request(`/id/authorize?${query}`);
    expect(response.status).toBe(302);
    const description = new URL(response.headers.get('Location')!).searchParams.get('error_description');
    expect(description).toBe(`Service not found: ${CUT}`);
  });

  it('leaves a short value whole and never splits a surrogate pair', () => {
    expect(echoed('full@sandbox.test')).toBe('full@sandbox.test');
    expect(echoed('x'.repeat(MAX_ECHOED_CHARS))).toBe('x'.repeat(MAX_ECHOED_CHARS));
    const emoji = `${'x'.repeat(MAX_ECHOED_CHARS - 2)}😀😀`;
    expect(echoed(emoji)).toBe(`${'x'.repeat(MAX_ECHOED_CHARS - 2)}…`);
  });
});
