/**
 * Authorization codes: single use and short-lived on the sandbox clock (RFC 6749 section 4.1.2). Each code
 * remembers what its exchange issued, so a second exchange can revoke it all.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';
import type { CodeChallengeMethod } from './pkce.ts';

/** What the user approved at /authorize, carried by the code to the token endpoint. */
export interface ApprovedAuthorization {
  clientId: string;
  redirectUri: string;
  /** The Sage ID subject (`auth0|...`) of the user who signed in. */
  subject: string;
  /** The scope granted, space-separated. */
  scope: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: CodeChallengeMethod | undefined;
  /** When the user consented, epoch seconds (sandbox time); refresh-token lifetimes count from here. */
  consentAt: number;
}

export interface AuthorizationCode extends ApprovedAuthorization {
  readonly code: string;
  readonly expiresAt: number;
  usedAt: number | undefined;
  /** `jti`s of the access tokens the exchange issued. */
  readonly accessTokenIds: string[];
  /** The refresh-token family the exchange started, if `offline_access` was granted. */
  refreshFamilyId: string | undefined;
}

export type CodeRedemption =
  | { kind: 'redeemed'; code: AuthorizationCode }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'reused'; code: AuthorizationCode };

/** How long a used code is remembered so that replaying it still revokes what it issued. */
const REMEMBER_USED_SECONDS = 86400;

export class AuthorizationCodeStore {
  readonly #codes = new Map<string, AuthorizationCode>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly ttlSeconds: number,
  ) {}

  issue(approved: ApprovedAuthorization): AuthorizationCode {
    this.#prune();
    const record: AuthorizationCode = {
      ...approved,
      code: randomBytes(24).toString('base64url'),
      expiresAt: this.clock.epochSeconds() + this.ttlSeconds,
      usedAt: undefined,
      accessTokenIds: [],
      refreshFamilyId: undefined,
    };
    this.#codes.set(record.code, record);
    return record;
  }

  /**
   * Marks the code used; a code used before is `reused` whether or not it has expired since. A code issued to
   * another client is `unknown` and stays usable by its own client.
   */
  redeem(code: string, clientId: string): CodeRedemption {
    const record = this.#codes.get(code);
    if (!record || record.clientId !== clientId) return { kind: 'unknown' };
    if (record.usedAt !== undefined) return { kind: 'reused', code: record };
    const now = this.clock.epochSeconds();
    if (now >= record.expiresAt) {
      this.#codes.delete(code);
      return { kind: 'expired' };
    }
    record.usedAt = now;
    return { kind: 'redeemed', code: record };
  }

  /** Forgets every code, used or not (`POST /admin/reset`). */
  clear(): void {
    this.#codes.clear();
  }

  #prune(): void {
    const now = this.clock.epochSeconds();
    for (const [code, record] of this.#codes) {
      const forgetAt = record.usedAt === undefined ? record.expiresAt : record.usedAt + REMEMBER_USED_SECONDS;
      if (now >= forgetAt) this.#codes.delete(code);
    }
  }
}
