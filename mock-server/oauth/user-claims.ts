/** The OpenID Connect standard claims of a seeded user, filtered by scope (OIDC Core section 5.4). */
import type { SandboxUser } from '../world/model.ts';

/** The scopes Sage ID grants a Sage 200 integration (https://github.com/SelectCo/magento2-module-sage200-api). */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const SUPPORTED_CLAIMS = ['sub', 'name', 'nickname', 'email', 'email_verified'] as const;

export function hasScope(scope: string, wanted: string): boolean {
  return scope.split(' ').includes(wanted);
}

/** `profile` gives name and nickname, `email` gives email and email_verified; `sub` is added by the caller. */
export function userClaims(user: SandboxUser, scope: string): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  if (hasScope(scope, 'profile')) {
    claims.name = user.name;
    claims.nickname = user.email.split('@')[0] ?? user.email;
  }
  if (hasScope(scope, 'email')) {
    claims.email = user.email;
    claims.email_verified = true;
  }
  return claims;
}
