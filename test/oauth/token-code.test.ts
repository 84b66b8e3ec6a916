import { describe, expect, it } from 'vitest';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import {
  AUDIENCE,
  advance,
  apiCall,
  CLIENT_ID,
  CLIENT_SECRET,
  claimsOf,
  codeFor,
  exchange,
  exchangeResponse,
  oauthError,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  refresh,
  s256Pair,
  type Tokens,
  token,
} from './support.ts';

const EMAIL = 'full@sandbox.test';

describe('POST /id/oauth/token: authorization_code', () => {
  const app = sharedWorldSandbox();

  it.each([
    ['the secret in the form body', false, false],
    ['HTTP Basic', true, false],
    ['a JSON body', false, true],
  ])('exchanges a code for tokens with %s', async (_name, basic, json) => {
    const code = await codeFor(app, EMAIL);
    const response = await token(app, {
      body: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        ...(basic ? {} : { client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      },
      ...(basic ? { basic: [CLIENT_ID, CLIENT_SECRET] as [string, string] } : {}),
      json,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as Tokens;
    expect(Object.keys(body)).toEqual([
      'access_token',
      'id_token',
      'scope',
      'expires_in',
      'token_type',
      'refresh_token',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access',
    });
  });

  it('puts iss, aud, sub, azp, iat, exp and scope in the access token, and the API accepts it', async () => {
    const tokens = await exchange(app, await codeFor(app, EMAIL));
    const claims = claimsOf(tokens.access_token);
    const user = app.sandbox.store.userByEmail(EMAIL)!;
    expect(claims).toMatchObject({
      iss: 'http://127.0.0.1:3200/id/',
      aud: AUDIENCE,
      sub: `auth0|sandbox-${user.id}`,
      azp: CLIENT_ID,
      scope: 'openid profile email offline_access',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect((await apiCall(app, tokens.access_token, EMAIL)).status).toBe(200);
  });

  it('gives an id_token for the client with the user claims and the nonce it was sent', async () => {
    const tokens = await exchange(app, await codeFor(app, 'trial@sandbox.test', { nonce: 'n-0S6_WzA2Mj' }));
    const claims = claimsOf(tokens.id_token!);
    expect(claims).toMatchObject({
      iss: 'http://127.0.0.1:3200/id/',
      aud: CLIENT_ID,
      email: 'trial@sandbox.test',
      email_verified: true,
      nonce: 'n-0S6_WzA2Mj',
    });
    expect(claims.name).toBe(app.sandbox.store.userByEmail('trial@sandbox.test')!.name);
    expect(JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
    });
  });

  it('leaves out the id_token without openid and the refresh token without offline_access', async () => {
    const tokens = await exchange(app, await codeFor(app, EMAIL, { scope: 'profile email' }));
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('profile email');
  });

  it('drops scopes Sage ID does not know', async () => {
    const tokens = await exchange(app, await codeFor(app, EMAIL, { scope: 'openid admin:everything' }));
    expect(tokens.scope).toBe('openid');
  });

  it.each([
    ['S256', (p: { verifier: string; challenge: string }) => p.challenge],
    ['plain', (p: { verifier: string; challenge: string }) => p.verifier],
  ])('lets the public client exchange with a %s PKCE verifier and no secret', async (method, challengeOf) => {
    const pair = s256Pair();
    const code = await codeFor(app, EMAIL, {
      client_id: PUBLIC_CLIENT_ID,
      code_challenge: challengeOf(pair),
      code_challenge_method: method,
    });
    const response = await token(app, {
      body: {
        grant_type: 'authorization_code',
        code,
        client_id: PUBLIC_CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        code_verifier: pair.verifier,
      },
    });
    expect(response.status).toBe(200);
    expect(claimsOf(((await response.json()) as Tokens).access_token).azp).toBe(PUBLIC_CLIENT_ID);
  });
});

describe('POST /id/oauth/token: errors, with Auth0 statuses and bodies', () => {
  const app = sharedWorldSandbox();
  const pair = s256Pair();

  const cases: [string, (code: string) => Parameters<typeof token>[1], number, string, string][] = [
    [
      'an unknown client_id',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: 'nobody',
          client_secret: 'x',
          redirect_uri: REDIRECT_URI,
        },
      }),
      401,
      'access_denied',
      'Unauthorized',
    ],
    [
      'a wrong client_secret',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: CLIENT_ID,
          client_secret: 'wrong',
          redirect_uri: REDIRECT_URI,
        },
      }),
      401,
      'access_denied',
      'Unauthorized',
    ],
    [
      'a wrong secret in HTTP Basic',
      (code) => ({
        body: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        basic: [CLIENT_ID, 'wrong'],
      }),
      401,
      'access_denied',
      'Unauthorized',
    ],
    [
      'no client_secret for the confidential client',
      (code) => ({
        body: { grant_type: 'authorization_code', code, client_id: CLIENT_ID, redirect_uri: REDIRECT_URI },
      }),
      401,
      'access_denied',
      'Unauthorized',
    ],
    [
      'a client_secret with a trailing space',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: CLIENT_ID,
          client_secret: `${CLIENT_SECRET} `,
          redirect_uri: REDIRECT_URI,
        },
      }),
      401,
      'invalid_client',
      'client keys contain no spaces',
    ],
    [
      'a client_secret with a space inside, in HTTP Basic',
      (code) => ({
        body: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
        basic: [CLIENT_ID, 'sandbox secret'],
      }),
      401,
      'invalid_client',
      'The client_secret contains a space',
    ],
    [
      'a client_id with a space',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: ` ${CLIENT_ID}`,
          client_secret: CLIENT_SECRET,
          redirect_uri: REDIRECT_URI,
        },
      }),
      401,
      'invalid_client',
      'The client_id contains a space',
    ],
    [
      'no client_id at all',
      (code) => ({ body: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI } }),
      400,
      'invalid_request',
      'Missing required parameter: client_id',
    ],
    [
      'no grant_type',
      (code) => ({ body: { code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET } }),
      400,
      'invalid_request',
      'Missing required parameter: grant_type',
    ],
    [
      'an unknown grant_type',
      () => ({ body: { grant_type: 'magic', client_id: CLIENT_ID, client_secret: CLIENT_SECRET } }),
      400,
      'unsupported_grant_type',
      'Unsupported grant type: magic',
    ],
    [
      'client_credentials, which Sage 200 clients may not use',
      () => ({
        body: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      }),
      403,
      'unauthorized_client',
      "Grant type 'client_credentials' not allowed for the client.",
    ],
    [
      'no code',
      () => ({
        body: {
          grant_type: 'authorization_code',
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uri: REDIRECT_URI,
        },
      }),
      400,
      'invalid_request',
      'Missing required parameter: code',
    ],
    [
      'a made-up code',
      () => ({
        body: {
          grant_type: 'authorization_code',
          code: 'made-up',
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uri: REDIRECT_URI,
        },
      }),
      403,
      'invalid_grant',
      'Invalid authorization code',
    ],
    [
      'a mismatched redirect_uri',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uri: 'http://127.0.0.1:3000/callback',
        },
      }),
      403,
      'invalid_grant',
      'redirect_uri does not match',
    ],
    [
      'no redirect_uri',
      (code) => ({
        body: { grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      }),
      403,
      'invalid_grant',
      'redirect_uri does not match',
    ],
    [
      'a code issued to the other client',
      (code) => ({
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: PUBLIC_CLIENT_ID,
          redirect_uri: REDIRECT_URI,
          code_verifier: pair.verifier,
        },
      }),
      403,
      'invalid_grant',
      'Invalid authorization code',
    ],
  ];

  it.each(cases)('refuses %s', async (_name, call, status, error, description) => {
    const response = await token(app, call(await codeFor(app, EMAIL)));
    const answer = await oauthError(response);
    expect(answer).toMatchObject({ status, error, cacheControl: 'no-store' });
    expect(answer.description).toContain(description);
    expect(response.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('refuses a repeated parameter with 400 invalid_request (RFC 6749 section 3.2)', async () => {
    const code = await codeFor(app, EMAIL);
    const response = await app.request('/id/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=authorization_code&code=${code}&code=${code}&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
    });
    expect(await oauthError(response)).toMatchObject({
      status: 400,
      error: 'invalid_request',
      description: "Parameter 'code' must not be repeated",
    });
  });

  it('refuses a body that is neither form-encoded nor JSON', async () => {
    const response = await app.request('/id/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'grant_type=authorization_code',
    });
    expect(await oauthError(response)).toMatchObject({ status: 400, error: 'invalid_request' });
  });

  describe('PKCE', () => {
    const publicCode = async (challenge = pair.challenge) =>
      codeFor(app, EMAIL, {
        client_id: PUBLIC_CLIENT_ID,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
    const exchangePublic = (code: string, verifier: string | undefined) =>
      token(app, {
        body: {
          grant_type: 'authorization_code',
          code,
          client_id: PUBLIC_CLIENT_ID,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
        },
      });

    it.each([
      ['a wrong verifier', s256Pair().verifier],
      ['the challenge sent as the verifier', pair.challenge],
      ['no verifier', undefined],
      ['a verifier too short to be one', 'abc'],
    ])('refuses %s with 403 invalid_grant', async (_name, verifier) => {
      const answer = await oauthError(await exchangePublic(await publicCode(), verifier));
      expect(answer).toMatchObject({
        status: 403,
        error: 'invalid_grant',
        description: 'Failed to verify code verifier',
      });
    });

    it('refuses a verifier for a code that was issued without a challenge', async () => {
      const code = await codeFor(app, EMAIL);
      const answer = await oauthError(
        await token(app, {
          body: {
            grant_type: 'authorization_code',
            code,
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uri: REDIRECT_URI,
            code_verifier: pair.verifier,
          },
        }),
      );
      expect(answer).toMatchObject({ status: 403, error: 'invalid_grant' });
    });

    it('lets the confidential client use PKCE too', async () => {
      const code = await codeFor(app, EMAIL, {
        code_challenge: pair.challenge,
        code_challenge_method: 'S256',
      });
      await expect(exchange(app, code, { code_verifier: pair.verifier })).resolves.toHaveProperty(
        'access_token',
      );
    });
  });
});

describe('authorization codes are single use and short-lived', () => {
  it('refuses a reused code and revokes the access and refresh tokens its first exchange issued', async () => {
    const app = sharedWorldSandbox();
    const code = await codeFor(app, EMAIL);
    const first = await exchange(app, code);
    expect((await apiCall(app, first.access_token, EMAIL)).status).toBe(200);
    const refreshed = (await (await refresh(app, first.refresh_token!)).json()) as Tokens;

    const second = await exchangeResponse(app, code);
    expect(await oauthError(second)).toMatchObject({
      status: 403,
      error: 'invalid_grant',
      description: 'Invalid authorization code',
    });
    expect((await apiCall(app, first.access_token, EMAIL)).status).toBe(401);
    expect((await apiCall(app, refreshed.access_token, EMAIL)).status).toBe(401);
    expect(await oauthError(await refresh(app, first.refresh_token!))).toMatchObject({
      status: 403,
      error: 'invalid_grant',
    });
  });

  it.each([
    [599, 200],
    [600, 403],
    [3600, 403],
  ])(
    'after %i seconds on the sandbox clock a code exchange answers %i (TTL 600 s)',
    async (seconds, status) => {
      const app = sharedWorldSandbox();
      const code = await codeFor(app, EMAIL);
      await advance(app, seconds);
      const response = await exchangeResponse(app, code);
      expect(response.status).toBe(status);
      if (status === 403) expect((await oauthError(response)).description).toBe('Invalid authorization code');
    },
  );

  it('honours authorizationCodeTtlSeconds', async () => {
    const app = sharedWorldSandbox({ authorizationCodeTtlSeconds: 30 });
    const code = await codeFor(app, EMAIL);
    await advance(app, 30);
    const response = await exchangeResponse(app, code);
    expect(response.status).toBe(403);
  });
});
