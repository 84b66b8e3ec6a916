/**
 * Refresh tokens: opaque strings grouped in families (one per code exchange). Lifetime counts from consent
 * (absolute) or from last use (sliding); with rotation each use issues a new token and reuse of an old one
 * revokes the family (https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';

export interface RefreshTokenPolicy {
  ttlSeconds: number;
  rotation: boolean;
  sliding: boolean;
}

/** Everything issued under one consent: the refresh tokens and the access tokens they were exchanged for. */
export interface RefreshFamily {
  readonly id: string;
  readonly clientId: string;
  readonly subject: string;
  readonly scope: string;
  readonly consentAt: number;
  expiresAt: number;
  revoked: boolean;
  /** The token that may be exchanged now (with rotation, the newest). */
  current: string;
  readonly accessTokenIds: Set<string>;
}

export type RefreshUse =
  | { kind: 'valid'; family: RefreshFamily; refreshToken: string }
  | { kind: 'invalid' }
  | { kind: 'reused'; family: RefreshFamily };

export interface NewFamily {
  clientId: string;
  subject: string;
  scope: string;
  consentAt: number;
}

export class RefreshTokenStore {
  readonly #families = new Map<string, RefreshFamily>();
  /** Every token ever issued, to its family; a token that is not its family's `current` was rotated out. */
  readonly #tokens = new Map<string, string>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly policy: RefreshTokenPolicy,
  ) {}

  start(grant: NewFamily): RefreshFamily {
    const family: RefreshFamily = {
      ...grant,
      id: randomUUID(),
      expiresAt: grant.consentAt + this.policy.ttlSeconds,
      revoked: false,
      current: newToken(),
      accessTokenIds: new Set(),
    };
    this.#families.set(family.id, family);
    this.#tokens.set(family.current, family.id);
    return family;
  }

  family(id: string): RefreshFamily | undefined {
    return this.#families.get(id);
  }

  /** Exchanges a refresh token presented by `clientId`: the token to hand back, or why it is refused. */
  use(token: string, clientId: string): RefreshUse {
    const family = this.#familyOf(token);
    if (!family || family.clientId !== clientId || family.revoked) return { kind: 'invalid' };
    const now = this.clock.epochSeconds();
    if (now >= family.expiresAt) return { kind: 'invalid' };
    if (token !== family.current) {
      family.revoked = true;
      return { kind: 'reused', family };
    }
    if (this.policy.rotation) {
      family.current = newToken();
      this.#tokens.set(family.current, family.id);
    }
    if (this.policy.sliding) family.expiresAt = now + this.policy.ttlSeconds;
    return { kind: 'valid', family, refreshToken: family.current };
  }

  /** RFC 7009: revokes the token's family if `clientId` owns it; unknown tokens are ignored. */
  revoke(token: string, clientId: string): void {
    const family = this.#familyOf(token);
    if (family && family.clientId === clientId) family.revoked = true;
  }

  /** Forgets every family (`POST /admin/reset`): their tokens are then unknown, so refused. */
  clear(): void {
    this.#families.clear();
    this.#tokens.clear();
  }

  #familyOf(token: string): RefreshFamily | undefined {
    const id = this.#tokens.get(token);
    return id === undefined ? undefined : this.#families.get(id);
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}
