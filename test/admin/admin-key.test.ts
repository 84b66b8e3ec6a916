import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../mock-server/admin/admin-key.ts';
import { parseCli } from '../../mock-server/cli.ts';
import { type SandboxApp, SandboxOptionsError, startSandbox } from '../../mock-server/index.ts';
import { admin } from '../faults/support.ts';
import { runCli } from '../support/cli.ts';
import {
  api,
  companyHeaders,
  mintToken,
  sharedWorldSandbox,
  smallTestWorld,
  USERS,
} from '../support/sandbox.ts';

const KEY = 'correct-horse-battery-staple';

describe('the admin key', () => {
  let app: SandboxApp;

  beforeAll(() => {
    app = sharedWorldSandbox({ adminKey: KEY });
  });

  it.each([
    ['no X-Admin-Key', {}, 'admin_key_required'],
    ['an empty X-Admin-Key', { 'X-Admin-Key': '' }, 'admin_key_required'],
    ['a wrong X-Admin-Key', { 'X-Admin-Key': `${KEY}x` }, 'admin_key_invalid'],
    ['a prefix of the key', { 'X-Admin-Key': KEY.slice(0, 8) }, 'admin_key_invalid'],
    ['the key as a bearer token', { Authorization: `Bearer ${KEY}` }, 'admin_key_required'],
  ])('refuses /admin with %s: 401 AdminError', async (_name, headers, error) => {
    for (const [method, path] of [
      ['GET', '/faults'],
      ['GET', '/requests'],
      ['GET', '/clock'],
      ['POST', '/tokens'],
      ['GET', '/no-such-route'],
    ] as const) {
      const response = await admin(
        app,
        method,
        path,
        method === 'POST' ? { user: USERS.full } : undefined,
        headers,
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error });
    }
  });

  it('serves /admin with the right key', async () => {
    const response = await admin(app, 'POST', '/tokens', { user: USERS.full }, { 'X-Admin-Key': KEY });
    expect(response.status).toBe(200);
    expect((await admin(app, 'GET', '/faults', undefined, { 'X-Admin-Key': KEY })).status).toBe(200);
  });

  it('is never taken as credentials by the Sage API or Sage ID', async () => {
    const headers = { ...companyHeaders(app, USERS.full), 'X-Admin-Key': KEY };
    const apiCall = await app.request(api('/customers'), { headers });
    expect(apiCall.status).toBe(401);
    expect(await apiCall.text()).toBe('');
    const userinfo = await app.request('/id/userinfo', { headers: { 'X-Admin-Key': KEY } });
    expect(userinfo.status).toBe(401);
  });

  it('does not add itself to the Sage API: a bearer token alone still opens it', async () => {
    const minted = await admin(app, 'POST', '/tokens', { user: USERS.full }, { 'X-Admin-Key': KEY });
    const { access_token } = (await minted.json()) as { access_token: string };
    const response = await app.request(api('/customers?$top=1'), {
      headers: { Authorization: `Bearer ${access_token}`, ...companyHeaders(app, USERS.full) },
    });
    expect(response.status).toBe(200);
  });

  it('records refused admin calls in the journal without the presented key', async () => {
    await admin(app, 'GET', '/clock', undefined, { 'X-Admin-Key': 'guess-guess-guess-guess' });
    const response = await admin(app, 'GET', '/requests?limit=1', undefined, { 'X-Admin-Key': KEY });
    const { requests } = (await response.json()) as { requests: { path: string; status: number }[] };
    expect(requests[0]).toMatchObject({ path: '/admin/clock', status: 401 });
    expect(JSON.stringify(requests)).not.toContain('guess-guess');
  });
});

describe('admin and API paths are separate', () => {
  let app: SandboxApp;
  let headers: Record<string, string>;

  beforeAll(async () => {
    app = sharedWorldSandbox();
    headers = {
      Authorization: `Bearer ${await mintToken(app, USERS.full)}`,
      ...companyHeaders(app, USERS.full),
    };
  });

  it('does not treat /admin/customers with a bearer token as an API call', async () => {
    const response = await app.request('/admin/customers', { headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'not_found',
      message: 'no admin route GET /admin/customers',
    });
  });

  it.each(['/admin/faults', '/admin/requests', '/admin/tokens'])(
    'answers %s under the API base with the gateway 404',
    async (path) => {
      const response = await app.request(api(path), { headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ statusCode: 404, message: 'Resource not found' });
    },
  );
});

describe('binding beyond loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['example.test', false],
  ])('treats %s as loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('refuses to start on 0.0.0.0 without an admin key, before listening', async () => {
    await expect(startSandbox({ port: 0, host: '0.0.0.0', world: smallTestWorld() })).rejects.toThrow(
      SandboxOptionsError,
    );
  });

  it('starts on 0.0.0.0 with an admin key and enforces it over the socket', async () => {
    const running = await startSandbox({ port: 0, host: '0.0.0.0', adminKey: KEY, world: smallTestWorld() });
    try {
      await request(running.server).get('/admin/faults').expect(401);
      await request(running.server).get('/admin/faults').set('X-Admin-Key', KEY).expect(200);
    } finally {
      await running.stop();
    }
  });

  it.each([
    ['short', 'at least 16 characters'],
    ['has a space in the middle!', 'printable ASCII without spaces'],
  ])('refuses the admin key %j at start-up', (adminKey, message) => {
    expect(() => sharedWorldSandbox({ adminKey })).toThrow(message);
  });

  it('exits 2 with a clear message when --host is not loopback and no --admin-key is given', async () => {
    const { code, stderr } = await runCli(['--host', '0.0.0.0', '--port', '0', '--scale', 'small'], {
      SAGE200_SANDBOX_ADMIN_KEY: '',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('give an admin key (--admin-key');
  });

  it('takes the admin key from --admin-key or SAGE200_SANDBOX_ADMIN_KEY, and the journal size from --journal-size', () => {
    expect(parseCli(['--admin-key', KEY, '--journal-size', '50'], {})).toMatchObject({
      adminKey: KEY,
      journalSize: 50,
    });
    expect(parseCli([], { SAGE200_SANDBOX_ADMIN_KEY: KEY })).toMatchObject({ adminKey: KEY });
    expect(parseCli([], {})).toMatchObject({ adminKey: undefined, journalSize: undefined });
    expect(() => parseCli(['--journal-size', '0'], {})).toThrow('--journal-size must be a whole number');
    expect(() => parseCli(['--admin-key', 'short'], {})).toThrow(
      '--admin-key must be at least 16 characters',
    );
  });
});
