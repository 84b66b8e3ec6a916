/**
 * `GET /userinfo` (OIDC Core section 5.3): the signed-in user's claims for a valid access token that was granted
 * `openid`. Refusals follow RFC 6750 section 3 (`WWW-Authenticate: Bearer error=...`).
 */
import { OAuthError } from '../errors.ts';
import { sageIdSubject } from '../store/index.ts';
import type { SageIdState } from './sage-id-state.ts';
import { hasScope, userClaims } from './user-claims.ts';

const BEARER = /^bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

export async function userinfoRequest(
  sage: SageIdState,
  authorization: string | undefined,
): Promise<Record<string, string | boolean>> {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined) throw invalidToken('Missing or malformed Bearer access token');
  const verified = await sage.tokens.verifyAccessToken(token);
  if (typeof verified === 'string') throw invalidToken(`The access token is ${verified}`);
  const user = sage.store().userBySubject(verified.subject);
  if (!user) throw invalidToken('The access token names a user who does not exist');
  if (!hasScope(verified.scope, 'openid')) {
    throw new OAuthError(
      403,
      'insufficient_scope',
      'The access token was not granted the openid scope',
      undefined,
      {
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"',
      },
    );
  }
  return { sub: sageIdSubject(user), ...userClaims(user, verified.scope) };
}

function invalidToken(description: string): OAuthError {
  return new OAuthError(401, 'invalid_token', description, undefined, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });
}
