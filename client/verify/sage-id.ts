/**
 * An access token from a refresh token and the client's credentials, through Sage ID's token endpoint (RFC 6749
 * section 6), as the sandbox emulates it at `{origin}/id/oauth/token`. The tokens go into the request and out of
 * the answer, and nowhere else: no error message quotes them.
 */
import type { FetchFunction } from './http.ts';
import type { RowLedger } from './rows.ts';

export interface RefreshGrant {
  /** Sage ID's base, ending in `/`: `https://id.sage.com/`, or a sandbox's `{origin}/id/`. */
  sageIdBaseUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  refreshToken: string;
}

/** Sage ID refused the refresh, or answered something that is not a token response. */
export class SignInError extends Error {
  override name = 'SignInError';
}

/** Exchanges the refresh token for an access token, and notes on `rows` whether the answer has Sage's fields. */
export async function refreshAccessToken(
  fetch: FetchFunction,
  grant: RefreshGrant,
  rows: RowLedger,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: grant.refreshToken,
    client_id: grant.clientId,
  });
  if (grant.clientSecret !== undefined) form.set('client_secret', grant.clientSecret);
  const url = new URL('oauth/token', grant.sageIdBaseUrl).href;
  const response = await fetch(
    new Request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    }),
  );
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported below by status and shape only.
  }
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    const error = typeof body.error === 'string' ? `: ${body.error}` : '';
    throw new SignInError(`Sage ID (${url}) refused the refresh with ${response.status}${error}`);
  }
  const fields = ['access_token', 'expires_in', 'token_type'].filter((name) => body[name] !== undefined);
  rows.check(
    'token-response',
    typeof body.expires_in === 'number' && body.token_type === 'Bearer',
    `POST ${url} (refresh_token) answered ${fields.join(', ')}${body.token_type === undefined ? '' : `, token_type ${JSON.stringify(body.token_type)}`}`,
  );
  return body.access_token;
}
