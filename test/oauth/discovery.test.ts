import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { sharedWorldSandbox } from '../support/sandbox.ts';
import { signIn } from './support.ts';

describe('Sage ID discovery and keys', () => {
  let app: SandboxApp;
  let metadata: Record<string, unknown>;

  beforeAll(async () => {
    app = sharedWorldSandbox();
    metadata = (await (await app.request('/id/.well-known/openid-configuration')).json()) as Record<
      string,
      unknown
    >;
  });

  it('names the issuer {origin}/id/ and every endpoint under it', () => {
    expect(metadata).toMatchObject({
      issuer: 'http://127.0.0.1:3200/id/',
      authorization_endpoint: 'http://127.0.0.1:3200/id/authorize',
      token_endpoint: 'http://127.0.0.1:3200/id/oauth/token',
      revocation_endpoint: 'http://127.0.0.1:3200/id/oauth/revoke',
      userinfo_endpoint: 'http://127.0.0.1:3200/id/userinfo',
      jwks_uri: 'http://127.0.0.1:3200/id/.well-known/jwks.json',
    });
  });

  it('advertises the grants, PKCE methods, scopes and RS256 a Sage 200 client relies on', () => {
    expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256', 'plain']);
    expect(metadata.scopes_supported).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });

  it('follows the origin option', async () => {
    const moved = sharedWorldSandbox({ origin: 'http://localhost:4000' });
    const body = (await (await moved.request('/id/.well-known/openid-configuration')).json()) as {
      issuer: string;
    };
    expect(body.issuer).toBe('http://localhost:4000/id/');
  });

  it('publishes only the public key, and it verifies the tokens the token endpoint issues', async () => {
    const set = (await (await app.request('/id/.well-known/jwks.json')).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(Object.keys(set.keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const tokens = await signIn(app, 'full@sandbox.test');
    const keys = createLocalJWKSet(set as Parameters<typeof createLocalJWKSet>[0]);
    const access = await jwtVerify(tokens.access_token, keys, { issuer: metadata.issuer as string });
    expect(access.protectedHeader.kid).toBe(set.keys[0]!.kid);
    await expect(jwtVerify(tokens.id_token!, keys, { audience: 'sandbox-client' })).resolves.toBeTruthy();
  });

  it('signs with the same key for every sandbox, so a kid seen once stays valid', async () => {
    const other = sharedWorldSandbox({ seed: 7 });
    const a = await (await app.request('/id/.well-known/jwks.json')).text();
    const b = await (await other.request('/id/.well-known/jwks.json')).text();
    expect(a).toBe(b);
  });
});
