/** What every Sage ID endpoint shares: the issuer, the clock, the signer, the world's users and the grant stores. */
import type { SandboxClock } from '../clock.ts';
import type { Store } from '../store/index.ts';
import type { AuthorizationCodeStore } from './authorization-codes.ts';
import type { ClientRegistry } from './clients.ts';
import type { RefreshTokenStore } from './refresh-tokens.ts';
import type { SigningKey } from './signing-key.ts';
import type { TokenService } from './token-service.ts';

export interface SageIdState {
  /** `{origin}/id/`, the `iss` of every token. */
  readonly issuer: string;
  readonly clock: SandboxClock;
  readonly tokens: TokenService;
  readonly signingKey: SigningKey;
  readonly store: () => Store;
  readonly clients: ClientRegistry;
  readonly codes: AuthorizationCodeStore;
  readonly refreshTokens: RefreshTokenStore;
}
