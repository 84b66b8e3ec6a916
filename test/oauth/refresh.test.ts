import { describe, expect, it } from 'vitest';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import {
  advance,
  apiCall,
  CLIENT_ID,
  CLIENT_SECRET,
  claimsOf,
  codeFor,
  DAY,
  exchange,
  oauthError,
  PUBLIC_CLIENT_ID,
  refresh,
  signIn,
  type Tokens,
  token,
} from './support.ts';

const EMAIL = 'full@sandbox.test';

async function refreshed(response: Response): Promise<Tokens> {
  if (response.status !== 200) throw new Error(`refresh failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

async function expectRefused(response: Response): Promise<void> {
  expect(await oauthError(response)).toEqual({
    status: 403,
    error: 'invalid_grant',
    description: 'Unknown or invalid refresh token.',
    cacheControl: 'no-store',
  });
}

describe('refresh_token grant', () => {
  it('issues no refresh token without offline_access', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL, { scope: 'openid profile email' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('after the access token expires on the sandbox clock, the API answers 401 and a refresh works', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    await advance(app, 3599);
    expect((await apiCall(app, tokens.access_token, EMAIL)).status).toBe(200);
    await advance(app, 1);
    expect((await apiCall(app, tokens.access_token, EMAIL)).status).toBe(401);
    const fresh = await refreshed(await refresh(app, tokens.refresh_token!));
    expect(fresh).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access',
    });
    expect(claimsOf(fresh.id_token!)).toMatchObject({ aud: CLIENT_ID, email: EMAIL });
    expect((await apiCall(app, fresh.access_token, EMAIL)).status).toBe(200);
  });

  it('honours accessTokenTtlSeconds for access tokens from the token endpoint', async () => {
    const app = sharedWorldSandbox({ accessTokenTtlSeconds: 300 });
    const tokens = await signIn(app, EMAIL);
    expect(tokens.expires_in).toBe(300);
    await advance(app, 300);
    expect((await apiCall(app, tokens.access_token, EMAIL)).status).toBe(401);
  });

  it('without rotation (the default) hands back the same refresh token, which stays valid', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    const first = await refreshed(await refresh(app, tokens.refresh_token!));
    const second = await refreshed(await refresh(app, tokens.refresh_token!));
    expect(first.refresh_token).toBe(tokens.refresh_token);
    expect(second.refresh_token).toBe(tokens.refresh_token);
  });

  it('accepts client authentication by HTTP Basic and a JSON body', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    const response = await token(app, {
      body: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      basic: [CLIENT_ID, CLIENT_SECRET],
      json: true,
    });
    expect(response.status).toBe(200);
  });

  it('may narrow the scope but not widen it', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL, { scope: 'openid offline_access' });
    const narrowed = await refreshed(
      await token(app, {
        body: {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          scope: 'offline_access',
        },
      }),
    );
    expect(narrowed.scope).toBe('offline_access');
    expect(narrowed.id_token).toBeUndefined();
    const widened = await token(app, {
      body: {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: 'openid email',
      },
    });
    expect(await oauthError(widened)).toMatchObject({ status: 400, error: 'invalid_scope' });
  });

  it.each([
    ['an unknown refresh token', 'not-a-token', CLIENT_ID],
    ['a refresh token presented by another client', undefined, PUBLIC_CLIENT_ID],
  ])('refuses %s with 403 invalid_grant', async (_name, given, clientId) => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    await expectRefused(await refresh(app, given ?? tokens.refresh_token!, clientId));
  });

  it('refuses a missing refresh_token parameter with 400 invalid_request', async () => {
    const app = sharedWorldSandbox();
    const response = await token(app, {
      body: { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    expect(await oauthError(response)).toMatchObject({ status: 400, error: 'invalid_request' });
  });
});

describe('refresh-token lifetime on the sandbox clock', () => {
  it('lasts 90 days from consent by default, then fails with invalid_grant', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    await advance(app, 90 * DAY - 1);
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
    await advance(app, 1);
    await expectRefused(await refresh(app, tokens.refresh_token!));
  });

  it('is absolute by default: using it does not extend it', async () => {
    const app = sharedWorldSandbox();
    const tokens = await signIn(app, EMAIL);
    for (const _ of [1, 2, 3]) {
      await advance(app, 29 * DAY);
      expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
    }
    await advance(app, 3 * DAY);
    await expectRefused(await refresh(app, tokens.refresh_token!));
  });

  it('counts from consent, not from the code exchange', async () => {
    const app = sharedWorldSandbox();
    const code = await codeFor(app, EMAIL);
    await advance(app, 500);
    const tokens = await exchange(app, code);
    await advance(app, 90 * DAY - 500);
    await expectRefused(await refresh(app, tokens.refresh_token!));
  });

  it('honours refreshTokenTtlSeconds', async () => {
    const app = sharedWorldSandbox({ refreshTokenTtlSeconds: 7 * DAY });
    const tokens = await signIn(app, EMAIL);
    await advance(app, 7 * DAY);
    await expectRefused(await refresh(app, tokens.refresh_token!));
  });

  it('with refreshTokenSliding, each use renews the lifetime; idle for the TTL, it expires', async () => {
    const app = sharedWorldSandbox({ refreshTokenSliding: true });
    const tokens = await signIn(app, EMAIL);
    for (let i = 0; i < 4; i += 1) {
      await advance(app, 60 * DAY);
      expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
    }
    await advance(app, 90 * DAY);
    await expectRefused(await refresh(app, tokens.refresh_token!));
  });
});

describe('refresh-token rotation (refreshTokenRotation)', () => {
  it('issues a new refresh token on each refresh', async () => {
    const app = sharedWorldSandbox({ refreshTokenRotation: true });
    const tokens = await signIn(app, EMAIL);
    const next = await refreshed(await refresh(app, tokens.refresh_token!));
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await refresh(app, next.refresh_token!)).status).toBe(200);
  });

  it('treats reuse of a rotated-out token as theft: the whole family is revoked, the newest token too', async () => {
    const app = sharedWorldSandbox({ refreshTokenRotation: true });
    const tokens = await signIn(app, EMAIL);
    const next = await refreshed(await refresh(app, tokens.refresh_token!));
    await expectRefused(await refresh(app, tokens.refresh_token!));
    await expectRefused(await refresh(app, next.refresh_token!));
  });

  it('keeps the lifetime of the family: rotation does not restart the 90 days', async () => {
    const app = sharedWorldSandbox({ refreshTokenRotation: true });
    let current = (await signIn(app, EMAIL)).refresh_token!;
    await advance(app, 80 * DAY);
    current = (await refreshed(await refresh(app, current))).refresh_token!;
    await advance(app, 10 * DAY);
    await expectRefused(await refresh(app, current));
  });

  it('leaves other families alone', async () => {
    const app = sharedWorldSandbox({ refreshTokenRotation: true });
    const mine = await signIn(app, EMAIL);
    const theirs = await signIn(app, 'trial@sandbox.test');
    await refresh(app, mine.refresh_token!);
    await refresh(app, mine.refresh_token!);
    expect((await refresh(app, theirs.refresh_token!)).status).toBe(200);
  });
});
