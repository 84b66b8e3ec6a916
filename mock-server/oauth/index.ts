export { loadSigningKey, type SigningKey, sandboxSigningKeyPem } from './signing-key.ts';
export type {
  AccessTokenRequest,
  IssuedAccessToken,
  TokenRejection,
  TokenServiceOptions,
  VerifiedAccessToken,
} from './token-service.ts';
export { SAGE200_AUDIENCE, TokenService } from './token-service.ts';
