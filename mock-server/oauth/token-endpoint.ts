/**
 * `POST /oauth/token` (RFC 6749 sections 4.1.3 and 6) with Sage ID's (Auth0's) statuses and messages. Codes and
 * refresh tokens that are unknown, used, expired or revoked get 403 `invalid_grant`
 * (https://community.auth0.com/t/authorisation-code-flow-error-403/73029); bad client credentials get 401
 * `access_denied` (https://github.com/auth0/auth0.js/issues/234).
 */

import { echoed, OAuthError } from '../errors.ts';
import { sageIdSubject } from '../store/index.ts';
import type { SandboxUser } from '../world/model.ts';
import type { AuthorizationCode } from './authorization-codes.ts';
import { authenticateClient } from './client-auth.ts';
import type { GrantType, OAuthClient } from './clients.ts';
import { type OAuthParameters, optional, readParameters, required } from './parameters.ts';
import { verifierMatches } from './pkce.ts';
import type { RefreshFamily } from './refresh-tokens.ts';
import type { SageIdState } from './sage-id-state.ts';
import { hasScope, userClaims } from './user-claims.ts';

/** The successful token response (RFC 6749 section 5.1, OIDC Core section 3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  scope: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
}

/** Grant types Auth0 knows but a Sage 200 client is not allowed: 403 `unauthorized_client`, not 400. */
const KNOWN_OTHER_GRANTS = new Set([
  'client_credentials',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'http://auth0.com/oauth/grant-type/passwordless/otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
]);

const INVALID_CODE = 'Invalid authorization code';
const INVALID_REFRESH_TOKEN = 'Unknown or invalid refresh token.';

export async function tokenRequest(
  sage: SageIdState,
  request: Request,
  authorization: string | undefined,
): Promise<TokenResponse> {
  const parameters = await readParameters(request);
  const grantType = required(parameters, 'grant_type');
  if (
    grantType !== 'authorization_code' &&
    grantType !== 'refresh_token' &&
    !KNOWN_OTHER_GRANTS.has(grantType)
  ) {
    throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${echoed(grantType)}`);
  }
  const client = authenticateClient(sage.clients, parameters, authorization, 'access_denied');
  const grant = allowedGrant(client, grantType);
  switch (grant) {
    case 'authorization_code':
      return exchangeCode(sage, client, parameters);
    case 'refresh_token':
      return refresh(sage, client, parameters);
    default: {
      const never: never = grant;
      throw new Error(`unknown grant ${String(never)}`);
    }
  }
}

function allowedGrant(client: OAuthClient, grantType: string): GrantType {
  const allowed = client.grant_types.find((g) => g === grantType);
  if (!allowed) {
    throw new OAuthError(
      403,
      'unauthorized_client',
      `Grant type '${echoed(grantType)}' not allowed for the client.`,
      'https://auth0.com/docs/clients/client-grant-types',
    );
  }
  return allowed;
}

async function exchangeCode(
  sage: SageIdState,
  client: OAuthClient,
  parameters: OAuthParameters,
): Promise<TokenResponse> {
  const redemption = sage.codes.redeem(required(parameters, 'code'), client.client_id);
  switch (redemption.kind) {
    case 'unknown':
    case 'expired':
      throw new OAuthError(403, 'invalid_grant', INVALID_CODE);
    case 'reused':
      // RFC 6749 section 4.1.2: a code used twice revokes every token issued from it.
      revokeIssuedFrom(sage, redemption.code);
      throw new OAuthError(403, 'invalid_grant', INVALID_CODE);
    case 'redeemed':
      break;
    default: {
      const never: never = redemption;
      throw new Error(`unknown redemption ${String(never)}`);
    }
  }
  const code = redemption.code;
  if (optional(parameters, 'redirect_uri') !== code.redirectUri) {
    throw new OAuthError(403, 'invalid_grant', 'The redirect_uri does not match the one sent to /authorize');
  }
  const verifier = optional(parameters, 'code_verifier');
  if (code.codeChallenge === undefined || code.codeChallengeMethod === undefined) {
    if (verifier !== undefined) throw new OAuthError(403, 'invalid_grant', 'Failed to verify code verifier');
  } else if (
    verifier === undefined ||
    !verifierMatches(code.codeChallengeMethod, code.codeChallenge, verifier)
  ) {
    throw new OAuthError(403, 'invalid_grant', 'Failed to verify code verifier');
  }
  const user = sage.store().userBySubject(code.subject);
  if (!user) throw new OAuthError(403, 'invalid_grant', INVALID_CODE);

  const family = hasScope(code.scope, 'offline_access')
    ? sage.refreshTokens.start({
        clientId: client.client_id,
        subject: code.subject,
        scope: code.scope,
        consentAt: code.consentAt,
      })
    : undefined;
  code.refreshFamilyId = family?.id;
  const { response, accessTokenId } = await issueTokens(sage, client, user, {
    scope: code.scope,
    authTime: code.consentAt,
    nonce: code.nonce,
    refreshToken: family?.current,
  });
  code.accessTokenIds.push(accessTokenId);
  family?.accessTokenIds.add(accessTokenId);
  return response;
}

async function refresh(
  sage: SageIdState,
  client: OAuthClient,
  parameters: OAuthParameters,
): Promise<TokenResponse> {
  const use = sage.refreshTokens.use(required(parameters, 'refresh_token'), client.client_id);
  switch (use.kind) {
    case 'invalid':
    case 'reused':
      throw new OAuthError(403, 'invalid_grant', INVALID_REFRESH_TOKEN);
    case 'valid':
      break;
    default: {
      const never: never = use;
      throw new Error(`unknown refresh outcome ${String(never)}`);
    }
  }
  const { family, refreshToken } = use;
  const user = sage.store().userBySubject(family.subject);
  if (!user) {
    throw new OAuthError(
      403,
      'invalid_grant',
      "The refresh_token was generated for a user who doesn't exist anymore.",
    );
  }
  const scope = narrowedScope(family, optional(parameters, 'scope'));
  const { response, accessTokenId } = await issueTokens(sage, client, user, {
    scope,
    authTime: family.consentAt,
    nonce: undefined,
    refreshToken,
  });
  family.accessTokenIds.add(accessTokenId);
  return response;
}

/** RFC 6749 section 6: a refresh may ask for less than was granted, never more. */
function narrowedScope(family: RefreshFamily, requested: string | undefined): string {
  if (requested === undefined) return family.scope;
  const wanted = [...new Set(requested.split(' ').filter((s) => s !== ''))];
  const extra = wanted.filter((s) => !hasScope(family.scope, s));
  if (extra.length > 0) {
    throw new OAuthError(
      400,
      'invalid_scope',
      `Scope not granted to this refresh token: ${echoed(extra.join(' '))}`,
    );
  }
  return wanted.join(' ');
}

interface Issue {
  scope: string;
  authTime: number;
  nonce: string | undefined;
  refreshToken: string | undefined;
}

async function issueTokens(
  sage: SageIdState,
  client: OAuthClient,
  user: SandboxUser,
  issue: Issue,
): Promise<{ response: TokenResponse; accessTokenId: string }> {
  const subject = sageIdSubject(user);
  const { issued, tokenId } = await sage.tokens.mintAccessToken({
    subject,
    clientId: client.client_id,
    scope: issue.scope,
  });
  const idToken = hasScope(issue.scope, 'openid')
    ? await sage.tokens.issueIdToken({
        subject,
        clientId: client.client_id,
        authTime: issue.authTime,
        nonce: issue.nonce,
        claims: userClaims(user, issue.scope),
      })
    : undefined;
  const response: TokenResponse = {
    access_token: issued.access_token,
    ...(idToken === undefined ? {} : { id_token: idToken }),
    scope: issued.scope,
    expires_in: issued.expires_in,
    token_type: issued.token_type,
    ...(issue.refreshToken === undefined ? {} : { refresh_token: issue.refreshToken }),
  };
  return { response, accessTokenId: tokenId };
}

function revokeIssuedFrom(sage: SageIdState, code: AuthorizationCode): void {
  for (const id of code.accessTokenIds) sage.tokens.revokeAccessToken(id);
  const family =
    code.refreshFamilyId === undefined ? undefined : sage.refreshTokens.family(code.refreshFamilyId);
  if (!family) return;
  family.revoked = true;
  for (const id of family.accessTokenIds) sage.tokens.revokeAccessToken(id);
}
