/**
 * Issues and checks Sage ID access tokens: RS256 JWTs whose expiry is read from the sandbox clock.
 * Claims follow Auth0 conventions (RFC 9068 shape): iss, aud `s200ukipd/sage200`, sub, azp, scope, iat, exp, jti.
 */
import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { SandboxClock } from '../clock.ts';
import type { SigningKey } from './signing-key.ts';

/** The audience Sage ID requires for the Sage 200 API. */
export const SAGE200_AUDIENCE = 's200ukipd/sage200';

export interface TokenServiceOptions {
  issuer: string;
  clock: SandboxClock;
  key: SigningKey;
  accessTokenTtlSeconds: number;
}

export interface AccessTokenRequest {
  /** The Sage ID subject (`auth0|...`) of the user the token acts for. */
  subject: string;
  clientId: string;
  scope: string;
}

export interface IssuedAccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** What goes into an OpenID Connect ID token (OIDC Core section 2); `aud` is the client. */
export interface IdTokenRequest {
  subject: string;
  clientId: string;
  /** When the user signed in and consented, epoch seconds. */
  authTime: number;
  nonce?: string | undefined;
  /** Profile and email claims, already filtered by the granted scope. */
  claims: Record<string, string | boolean>;
}

/** Lifetime of ID tokens: Auth0's default of 10 hours (assumed for Sage ID). */
export const ID_TOKEN_TTL_SECONDS = 36000;

export interface VerifiedAccessToken {
  subject: string;
  clientId: string;
  scope: string;
  tokenId: string;
  expiresAt: number;
}

/** Why a presented token was refused; the gateway answers 401 for every one of them. */
export type TokenRejection =
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'revoked';

/** How many verified access tokens are remembered so a repeat call skips the RS256 check. */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  readonly #verified = new Map<string, VerifiedAccessToken>();
  readonly #revoked = new Set<string>();
  /** Bumped by revokeAll(); a token minted in an earlier generation is refused as revoked. */
  #generation = 0;
  /** Counts revocations (one token or all): a decision taken on a token holds while this stays the same. */
  #revocations = 0;

  constructor(private readonly options: TokenServiceOptions) {}

  get issuer(): string {
    return this.options.issuer;
  }

  async issueAccessToken(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    return (await this.mintAccessToken(request)).issued;
  }

  /** Issues an access token and tells its `jti`, so whoever issued it can revoke it later (RFC 6749 section 4.1.2). */
  async mintAccessToken(
    request: AccessTokenRequest,
  ): Promise<{ issued: IssuedAccessToken; tokenId: string }> {
    const { clock, key, issuer, accessTokenTtlSeconds } = this.options;
    const now = clock.epochSeconds();
    // The generation rides in the jti (opaque to clients), so revokeAll() needs no list of what was issued.
    const tokenId = this.#generation === 0 ? randomUUID() : `${randomUUID()}.${this.#generation}`;
    const accessToken = await new SignJWT({ scope: request.scope, azp: request.clientId })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer)
      .setAudience(SAGE200_AUDIENCE)
      .setSubject(request.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + accessTokenTtlSeconds)
      .setJti(tokenId)
      .sign(key.privateKey);
    return {
      issued: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: accessTokenTtlSeconds,
        scope: request.scope,
      },
      tokenId,
    };
  }

  /** Signs an ID token (RS256, `aud` the client id, `nonce` echoed when the client sent one). */
  async issueIdToken(request: IdTokenRequest): Promise<string> {
    const { clock, key, issuer } = this.options;
    const now = clock.epochSeconds();
    const payload: Record<string, unknown> = { ...request.claims, auth_time: request.authTime };
    if (request.nonce !== undefined) payload.nonce = request.nonce;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .setIssuer(issuer)
      .setAudience(request.clientId)
      .setSubject(request.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + ID_TOKEN_TTL_SECONDS)
      .sign(key.privateKey);
  }

  /** Checks signature, algorithm, issuer, audience, expiry (sandbox time) and revocation. */
  async verifyAccessToken(token: string): Promise<VerifiedAccessToken | TokenRejection> {
    const known = this.knownAccessToken(token);
    if (known !== undefined) return known;
    const verified = await this.#verifySignedToken(token);
    if (typeof verified !== 'string') {
      // The signature and claims of a given token string never change: remember them, bounded, and re-check
      // only what can change (expiry against the sandbox clock, revocation) on every call.
      if (this.#verified.size >= VERIFIED_CACHE_SIZE)
        this.#verified.delete(this.#verified.keys().next().value!);
      this.#verified.set(token, verified);
    }
    return verified;
  }

  /**
   * verifyAccessToken's answer, at once, for a token whose signature it has checked before; undefined for one it
   * has not, which only verifyAccessToken can decide.
   */
  knownAccessToken(token: string): VerifiedAccessToken | TokenRejection | undefined {
    const known = this.#verified.get(token);
    return known ? this.#stillValid(token, known) : undefined;
  }

  /** How many revocations this service has seen; see `stillCurrent`. */
  get revocations(): number {
    return this.#revocations;
  }

  /**
   * Whether a token `knownAccessToken` accepted when `revocations` was `revocations` would still be accepted: no
   * revocation since, and not expired by the sandbox clock. Its signature and claims never change.
   */
  stillCurrent(verified: VerifiedAccessToken, revocations: number): boolean {
    return revocations === this.#revocations && this.options.clock.epochSeconds() < verified.expiresAt;
  }

  #stillValid(token: string, verified: VerifiedAccessToken): VerifiedAccessToken | TokenRejection {
    if (this.options.clock.epochSeconds() >= verified.expiresAt) {
      this.#verified.delete(token);
      return 'expired';
    }
    const revoked =
      this.#revoked.has(verified.tokenId) || generationOf(verified.tokenId) !== this.#generation;
    return revoked ? 'revoked' : verified;
  }

  async #verifySignedToken(token: string): Promise<VerifiedAccessToken | TokenRejection> {
    const { clock, key, issuer } = this.options;
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        issuer,
        audience: SAGE200_AUDIENCE,
        currentDate: clock.date(),
        clockTolerance: 0,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      const tokenId = String(payload.jti);
      if (this.#revoked.has(tokenId) || generationOf(tokenId) !== this.#generation) return 'revoked';
      return {
        subject: String(payload.sub),
        clientId: typeof payload.azp === 'string' ? payload.azp : '',
        scope: typeof payload.scope === 'string' ? payload.scope : '',
        tokenId,
        expiresAt: Number(payload.exp),
      };
    } catch (error) {
      return rejectionOf(error);
    }
  }

  revokeAccessToken(tokenId: string): void {
    this.#revocations += 1;
    this.#revoked.add(tokenId);
  }

  /** Refuses every access token issued so far (`POST /admin/reset`); tokens issued afterwards are valid. */
  revokeAll(): void {
    this.#revocations += 1;
    this.#generation += 1;
    this.#verified.clear();
    this.#revoked.clear();
  }
}

function generationOf(tokenId: string): number {
  const dot = tokenId.lastIndexOf('.');
  return dot < 0 ? 0 : Number(tokenId.slice(dot + 1));
}

function rejectionOf(error: unknown): TokenRejection {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong-audience';
    if (error.claim === 'iss') return 'wrong-issuer';
  }
  return 'malformed';
}
