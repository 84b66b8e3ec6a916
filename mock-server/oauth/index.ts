export type { ApprovedAuthorization, AuthorizationCode } from './authorization-codes.ts';
export { AuthorizationCodeStore } from './authorization-codes.ts';
export type { ClientCredentials, GrantType, OAuthClient } from './clients.ts';
export {
  BUILT_IN_REDIRECT_URIS,
  ClientRegistry,
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  DEFAULT_CLIENT_CREDENTIALS,
  PUBLIC_CLIENT_ID,
} from './clients.ts';
export { jwks, openidConfiguration, SAGE_ID_PATHS } from './discovery.ts';
export { MAX_SAGE_ID_BODY_BYTES, SAGE_ID_BODY_LIMIT } from './parameters.ts';
export type { CodeChallengeMethod } from './pkce.ts';
export type { RefreshFamily, RefreshTokenPolicy } from './refresh-tokens.ts';
export { RefreshTokenStore } from './refresh-tokens.ts';
export type { SageIdDeps } from './routes.ts';
export { sageIdGrants, sageIdRoutes } from './routes.ts';
export type { SageIdState } from './sage-id-state.ts';
export { loadSigningKey, type SigningKey, sandboxSigningKeyPem } from './signing-key.ts';
export type {
  AccessTokenRequest,
  IdTokenRequest,
  IssuedAccessToken,
  TokenRejection,
  TokenServiceOptions,
  VerifiedAccessToken,
} from './token-service.ts';
export { ID_TOKEN_TTL_SECONDS, SAGE200_AUDIENCE, TokenService } from './token-service.ts';
