/**
 * The whole Sage ID flow driven by openid-client (panva's certified OpenID Connect relying party), unchanged
 * except for allowing plain http, against a sandbox listening on a real socket.
 */
import * as oidc from 'openid-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { smallTestWorld } from '../support/sandbox.ts';
import { wire } from '../support/wire.ts';
import { AUDIENCE, DAY, PUBLIC_CLIENT_ID, REDIRECT_URI, siteHeaders } from './support.ts';

const EMAIL = 'full@sandbox.test';

describe('an off-the-shelf OIDC client (openid-client) against a listening sandbox', () => {
  let running: RunningSandbox;
  let config: oidc.Configuration;
  const fetched: string[] = [];

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: smallTestWorld() });
    const recordingFetch: oidc.CustomFetch = (url, options) => {
      fetched.push(url);
      return fetch(url, options as RequestInit);
    };
    config = await oidc.discovery(new URL(`${running.url}/id/`), PUBLIC_CLIENT_ID, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks],
      [oidc.customFetch]: recordingFetch,
    });
  });

  afterAll(async () => {
    await running?.stop();
  });

  const advance = async (seconds: number) => {
    await request(running.server).post('/admin/clock/advance').send({ seconds }).expect(200);
  };

  const sites = (accessToken: string) =>
    oidc.fetchProtectedResource(config, accessToken, new URL(`${running.apiUrl}sites`), 'GET');

  it('signs in with PKCE, calls the API, refreshes, and is refused once the refresh token has expired', async () => {
    expect(config.serverMetadata().issuer).toBe(`${running.url}/id/`);

    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
      audience: AUDIENCE,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: EMAIL,
    });
    expect(authorizationUrl.href.startsWith(`${running.url}/id/authorize?`)).toBe(true);

    // The browser step, done by the login_hint shortcut: Sage ID redirects to the callback with a code.
    const authorize = await wire('get', authorizationUrl).expect(302);
    const callback = new URL(authorize.headers.location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type).toBe('bearer');
    // As sent; the library's expiresIn() counts down on the wall clock from when it received the response.
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeTruthy();
    // The library checked the id_token's signature against the JWKS it fetched.
    expect(fetched).toContain(`${running.url}/id/.well-known/jwks.json`);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: `${running.url}/id/`, aud: PUBLIC_CLIENT_ID, email: EMAIL, nonce });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo.email).toBe(EMAIL);

    const listed = await sites(tokens.access_token);
    expect(listed.status).toBe(200);
    const siteIds = ((await listed.json()) as { site_id: string }[]).map((s) => s.site_id);
    expect(siteIds.length).toBeGreaterThan(0);
    expect(new Set(siteIds)).toEqual(new Set([running.app.sandbox.store.userByEmail(EMAIL)!.site_id]));
    const customers = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${running.apiUrl}customers?$top=2`),
      'GET',
      undefined,
      new Headers(siteHeaders(running.app, EMAIL)),
    );
    expect(customers.status).toBe(200);

    await advance(3600);
    expect((await sites(tokens.access_token)).status).toBe(401);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(claims.sub);
    expect((await sites(refreshed.access_token)).status).toBe(200);

    await advance(90 * DAY);
    const failure = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(oidc.ResponseBodyError);
    expect(failure).toMatchObject({
      error: 'invalid_grant',
      status: 403,
      error_description: 'Unknown or invalid refresh token.',
    });
  });
});
