import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import {
  advance,
  apiCall,
  CLIENT_ID,
  CLIENT_SECRET,
  oauthError,
  PUBLIC_CLIENT_ID,
  refresh,
  signIn,
  tokenPost,
} from './support.ts';

const EMAIL = 'full@sandbox.test';
const revoke = (app: ReturnType<typeof sharedWorldSandbox>, body: Record<string, string | undefined>) =>
  tokenPost(app, '/id/oauth/revoke', { body });

describe('POST /id/oauth/revoke (RFC 7009)', () => {
  it('revokes a refresh token: 200 with an empty body, then the refresh fails with invalid_grant', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    const response = await revoke(app, {
      token: tokens.refresh_token,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(await oauthError(await refresh(app, tokens.refresh_token!))).toMatchObject({
      status: 403,
      error: 'invalid_grant',
      description: 'Unknown or invalid refresh token.',
    });
  });

  it('answers 200 for a token it does not know, and for one already revoked', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    const body = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    expect((await revoke(app, { ...body, token: 'never-issued' })).status).toBe(200);
    expect((await revoke(app, { ...body, token: tokens.refresh_token })).status).toBe(200);
    expect((await revoke(app, { ...body, token: tokens.refresh_token })).status).toBe(200);
  });

  it('does not let another client revoke the token', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    expect((await revoke(app, { token: tokens.refresh_token, client_id: PUBLIC_CLIENT_ID })).status).toBe(
      200,
    );
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
  });

  it.each([
    ['no token', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, 400, 'invalid_request'],
    ['a wrong secret', { token: 'x', client_id: CLIENT_ID, client_secret: 'nope' }, 401, 'invalid_client'],
    ['an unknown client', { token: 'x', client_id: 'nobody' }, 401, 'invalid_client'],
    [
      'a secret with a space',
      { token: 'x', client_id: CLIENT_ID, client_secret: 'sandbox- secret' },
      401,
      'invalid_client',
    ],
  ])('refuses %s', async (_name, body, status, error) => {
    const app = sharedWorldSandbox();
    expect(await oauthError(await revoke(app, body))).toMatchObject({
      status,
      error,
      cacheControl: 'no-store',
    });
  });
});

describe('GET /id/userinfo', () => {
  const app = sharedWorldSandbox();
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  it('returns the signed-in user claims for the granted scopes', async () => {
    const tokens = await signIn(app, 'trial@sandbox.test');
    const response = await app.request('/id/userinfo', bearer(tokens.access_token));
    expect(response.status).toBe(200);
    const user = app.sandbox.store.userByEmail('trial@sandbox.test')!;
    expect(await response.json()).toEqual({
      sub: `auth0|sandbox-${user.id}`,
      name: user.name,
      nickname: 'trial',
      email: 'trial@sandbox.test',
      email_verified: true,
    });
  });

  it('gives only sub without profile and email', async () => {
    const tokens = await signIn(app, EMAIL, { scope: 'openid' });
    const body = (await (await app.request('/id/userinfo', bearer(tokens.access_token))).json()) as object;
    expect(Object.keys(body)).toEqual(['sub']);
  });

  it('refuses a token without openid with 403 insufficient_scope', async () => {
    const tokens = await signIn(app, EMAIL, { scope: 'email offline_access' });
    const response = await app.request('/id/userinfo', bearer(tokens.access_token));
    expect(await oauthError(response)).toMatchObject({ status: 403, error: 'insufficient_scope' });
  });

  it.each([
    ['no token', {}],
    ['a malformed token', bearer('not.a.jwt')],
  ])('answers 401 invalid_token with WWW-Authenticate for %s', async (_name, init) => {
    const response = await app.request('/id/userinfo', init);
    expect(await oauthError(response)).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('answers 401 once the access token has expired on the sandbox clock', async () => {
    const own = sharedWorldSandbox();
    const tokens = await signIn(own, EMAIL);
    await advance(own, 3600);
    expect((await own.request('/id/userinfo', bearer(tokens.access_token))).status).toBe(401);
  });
});

describe('the gateway and tokens from the token endpoint', () => {
  const app = sharedWorldSandbox();

  it('grants only the sites of the token user', async () => {
    const tokens = await signIn(app, 'trial@sandbox.test');
    expect((await apiCall(app, tokens.access_token, 'trial@sandbox.test')).status).toBe(200);
    expect((await apiCall(app, tokens.access_token, EMAIL)).status).toBe(401);
  });

  it('lists only the user own site at /sites', async () => {
    const tokens = await signIn(app, 'trial@sandbox.test');
    const response = await app.request('/uk/sage200/accounts/v1/sites', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    const sites = (await response.json()) as { site_id: string }[];
    expect(sites.map((s) => s.site_id)).toEqual([
      app.sandbox.store.userByEmail('trial@sandbox.test')!.site_id,
    ]);
  });

  it.each([
    [
      'alg none',
      (t: string) => {
        const [, payload] = t.split('.');
        return `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
      },
    ],
    [
      'a changed payload',
      (t: string) => {
        const [head, payload, signature] = t.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        claims.exp += 86400;
        return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      },
    ],
    ['an id_token used as an access token', (_t: string, id: string) => id],
  ])('answers 401 for %s', async (_name, forge) => {
    const tokens = await signIn(app, EMAIL);
    expect((await apiCall(app, forge(tokens.access_token, tokens.id_token!), EMAIL)).status).toBe(401);
  });

  it('answers 401 for a token signed with a foreign key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(app.sandbox.clock.now() / 1000);
    const foreign = await new SignJWT({ scope: 'openid', azp: CLIENT_ID })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .setIssuer('http://127.0.0.1:3200/id/')
      .setAudience('s200ukipd/sage200')
      .setSubject(`auth0|sandbox-${app.sandbox.store.userByEmail(EMAIL)!.id}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .setJti('foreign')
      .sign(privateKey);
    expect((await apiCall(app, foreign, EMAIL)).status).toBe(401);
  });
});
