/**
 * OpenID Connect Discovery 1.0 metadata and the JWKS (RFC 7517) the sandbox's Sage ID signs with, at the paths
 * Auth0 serves them (`/.well-known/openid-configuration`, `/.well-known/jwks.json`).
 */
import type { JWK } from 'jose';
import { CODE_CHALLENGE_METHODS } from './pkce.ts';
import { SUPPORTED_CLAIMS, SUPPORTED_SCOPES } from './user-claims.ts';

/** The endpoints below the issuer, relative to it (the issuer ends in `/id/`). */
export const SAGE_ID_PATHS = {
  authorize: 'authorize',
  login: 'u/login',
  token: 'oauth/token',
  revoke: 'oauth/revoke',
  userinfo: 'userinfo',
  jwks: '.well-known/jwks.json',
  discovery: '.well-known/openid-configuration',
} as const;

/** The discovery document for an issuer such as `http://127.0.0.1:3200/id/`. */
export function openidConfiguration(issuer: string): Record<string, unknown> {
  const at = (path: string) => new URL(path, issuer).href;
  return {
    issuer,
    authorization_endpoint: at(SAGE_ID_PATHS.authorize),
    token_endpoint: at(SAGE_ID_PATHS.token),
    userinfo_endpoint: at(SAGE_ID_PATHS.userinfo),
    revocation_endpoint: at(SAGE_ID_PATHS.revoke),
    jwks_uri: at(SAGE_ID_PATHS.jwks),
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: [...CODE_CHALLENGE_METHODS],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    claims_supported: [...SUPPORTED_CLAIMS, 'iss', 'aud', 'iat', 'exp', 'auth_time', 'nonce', 'azp'],
    request_uri_parameter_supported: false,
  };
}

/** The JSON Web Key Set: the public half of the signing key only. */
export function jwks(publicJwk: JWK): { keys: JWK[] } {
  const { kty, n, e, kid, alg, use } = publicJwk;
  return { keys: [{ kty, n, e, kid, alg, use }] as JWK[] };
}
