/**
 * Sage ID sign-in for a Sage 200 integration: the authorization URL with PKCE, the code exchange, refresh ahead of
 * expiry (and once when the API answers 401), and revocation. Sage ID is Auth0: authorization code grant at
 * `{base}authorize` and `{base}oauth/token`, RFC 7009 revocation at `{base}oauth/revoke`.
 * https://developer.sage.com/200/guides/authenticating/ ; RFC 6749 section 4.1; RFC 7636 (PKCE).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthError, type CallSite, ServerError } from './errors.ts';
import type { Timing } from './retry.ts';

/** A fetch that takes a Request: globalThis.fetch, or `(r) => app.request(r)` for an in-process sandbox. */
export type FetchFunction = (request: Request) => Promise<Response>;

/** The audience Sage ID issues Sage 200 API tokens for (https://github.com/SelectCo/magento2-module-sage200-api). */
export const SAGE200_AUDIENCE = 's200ukipd/sage200';
/** The scopes a Sage 200 integration asks for; offline_access brings the refresh token. */
export const DEFAULT_SCOPE = 'openid profile email offline_access';

/** The tokens of one signed-in user. `expiresAt` is on the client's clock, in milliseconds since the epoch. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number;
  scope: string | undefined;
  idToken: string | undefined;
}

/** An RFC 7636 pair: the verifier stays with the client, the S256 challenge goes in the authorization URL. */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkce(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), method: 'S256' };
}

/** An unguessable `state` value for the authorization request (RFC 6749 section 10.12). */
export function createState(): string {
  return randomBytes(16).toString('base64url');
}

export interface SageIdOptions {
  /** Sage ID's base, ending in `/`: `https://id.sage.com/`, or `{sandbox}/id/`. */
  sageIdBaseUrl: string;
  clientId: string;
  /** Absent for a public (desktop) client, which must use PKCE instead. */
  clientSecret: string | undefined;
  redirectUri: string;
  audience: string;
  scope: string;
  fetch: FetchFunction;
  timing: Pick<Timing, 'now'>;
  /** Refresh when the access token has less than this left. */
  refreshSkewMs: number;
  tokens: TokenSet | undefined;
  /** Called with every new token set (after the exchange and each refresh), to persist it. */
  onTokens: ((tokens: TokenSet) => void) | undefined;
}

export interface AuthorizationRequest {
  state: string;
  /** The challenge half of a PKCE pair (send the verifier to `exchangeCode`). */
  pkce?: Pick<PkcePair, 'challenge' | 'method'>;
  nonce?: string;
  /** Prefills the sign-in; the sandbox signs a seeded user straight in with it (a sandbox extension). */
  loginHint?: string;
  prompt?: string;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
}

/** One user's session with Sage ID. */
export class SageIdAuth {
  #tokens: TokenSet | undefined;
  #refreshing: Promise<TokenSet> | undefined;

  constructor(private readonly options: SageIdOptions) {
    this.#tokens = options.tokens;
  }

  get tokens(): TokenSet | undefined {
    return this.#tokens;
  }

  /** The URL to send the user's browser to (RFC 6749 section 4.1.1). */
  authorizationUrl(request: AuthorizationRequest): string {
    const url = new URL('authorize', this.options.sageIdBaseUrl);
    const query: [string, string | undefined][] = [
      ['response_type', 'code'],
      ['client_id', this.options.clientId],
      ['redirect_uri', this.options.redirectUri],
      ['audience', this.options.audience],
      ['scope', this.options.scope],
      ['state', request.state],
      ['code_challenge', request.pkce?.challenge],
      ['code_challenge_method', request.pkce?.method],
      ['nonce', request.nonce],
      ['login_hint', request.loginHint],
      ['prompt', request.prompt],
    ];
    for (const [name, value] of query) if (value !== undefined) url.searchParams.set(name, value);
    return url.href;
  }

  /** Exchanges the code from the callback for tokens (RFC 6749 section 4.1.3). */
  async exchangeCode(code: string, codeVerifier?: string): Promise<TokenSet> {
    const body: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri,
    };
    if (codeVerifier !== undefined) body.code_verifier = codeVerifier;
    return this.#store(await this.#tokenCall(body));
  }

  /** The access token to send, refreshed first when it is within `refreshSkewMs` of expiring. */
  async accessToken(): Promise<string> {
    const tokens = this.#tokens;
    if (!tokens)
      throw new AuthError('Not signed in: exchange an authorization code first.', undefined, undefined);
    if (
      tokens.refreshToken !== undefined &&
      this.options.timing.now() >= tokens.expiresAt - this.options.refreshSkewMs
    ) {
      return (await this.refresh()).accessToken;
    }
    return tokens.accessToken;
  }

  /**
   * The API refused `usedToken` with 401: refresh, unless another call already replaced that token. Throws
   * AuthError when there is nothing to refresh with or Sage ID refuses.
   */
  async recoverFromUnauthorized(usedToken: string): Promise<void> {
    if (this.#tokens && this.#tokens.accessToken !== usedToken) return;
    await this.refresh();
  }

  /** Refreshes now (RFC 6749 section 6); concurrent callers share one request. */
  refresh(): Promise<TokenSet> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<TokenSet> {
    const current = this.#tokens;
    if (current?.refreshToken === undefined) {
      throw new AuthError('The session has no usable refresh token: sign in again.', undefined, undefined);
    }
    try {
      const response = await this.#tokenCall({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
      });
      return this.#store(response, current.refreshToken);
    } catch (error) {
      // A refused refresh token (expired after 90 days, revoked, rotated out) never works again: forget it, so
      // later calls fail at once instead of asking Sage ID again.
      if (error instanceof AuthError && this.#tokens === current) {
        this.#tokens = { ...current, refreshToken: undefined };
      }
      throw error;
    }
  }

  /** Revokes the refresh token (RFC 7009) and forgets the session. */
  async revoke(): Promise<void> {
    const token = this.#tokens?.refreshToken ?? this.#tokens?.accessToken;
    this.#tokens = undefined;
    if (token === undefined) return;
    const response = await this.#post('oauth/revoke', { token });
    if (!response.ok) await this.#refusal(response, 'revoke', '/oauth/revoke');
  }

  #store(response: TokenResponse, previousRefreshToken?: string): TokenSet {
    const tokens: TokenSet = {
      accessToken: response.access_token,
      // Without rotation Auth0 may leave the refresh token out of a refresh response: the old one still works.
      refreshToken: response.refresh_token ?? previousRefreshToken,
      expiresAt: this.options.timing.now() + response.expires_in * 1000,
      scope: response.scope,
      idToken: response.id_token,
    };
    this.#tokens = tokens;
    this.options.onTokens?.(tokens);
    return tokens;
  }

  async #tokenCall(fields: Record<string, string>): Promise<TokenResponse> {
    const response = await this.#post('oauth/token', fields);
    if (!response.ok) return this.#refusal(response, fields.grant_type ?? 'token request', '/oauth/token');
    const body = (await response.json()) as Partial<TokenResponse>;
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new AuthError('Sage ID answered the token request without access_token and expires_in.', 200, {
        method: 'POST',
        path: '/oauth/token',
      });
    }
    return body as TokenResponse;
  }

  async #post(path: string, fields: Record<string, string>): Promise<Response> {
    const form = new URLSearchParams({ ...fields, client_id: this.options.clientId });
    if (this.options.clientSecret !== undefined) form.set('client_secret', this.options.clientSecret);
    const request = new Request(new URL(path, this.options.sageIdBaseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
    try {
      return await this.options.fetch(request);
    } catch (error) {
      throw new ServerError(
        `Sage ID could not be reached: ${(error as Error).message}`,
        undefined,
        {
          method: 'POST',
          path: `/${path}`,
        },
        { cause: error },
      );
    }
  }

  async #refusal(response: Response, what: string, path: string): Promise<never> {
    const call: CallSite = { method: 'POST', path };
    const text = await response.text();
    let error: string | undefined;
    let description = text;
    try {
      const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string') error = body.error;
      if (typeof body.error_description === 'string') description = body.error_description;
    } catch {
      // Not JSON: keep the text as the description.
    }
    const message = `Sage ID refused the ${what} (${response.status}${error ? ` ${error}` : ''}): ${description}`;
    if (response.status >= 500) throw new ServerError(message, response.status, call);
    throw new AuthError(message, response.status, call, error);
  }
}
