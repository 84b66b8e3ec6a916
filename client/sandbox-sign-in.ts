/**
 * Signing in to a sage200-sandbox without a browser: the real authorization-code flow with PKCE, where the
 * sandbox's `login_hint` shortcut (a sandbox extension, README "Sage ID") stands in for the login page. Real Sage
 * ID shows a page instead; against it, send the user to `client.authorizationUrl(...)` and exchange the code your
 * callback receives.
 */
import { AuthError } from './errors.ts';
import { createPkce, createState, type TokenSet } from './oauth.ts';
import { Sage200Client, type Sage200ClientOptions } from './sage200-client.ts';

/** The sandbox's confidential client and a redirect URI registered for it (README.md, Sage ID). */
export const SANDBOX_CLIENT = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  redirectUri: 'http://localhost:3000/callback',
} as const;

/** Client options for a sandbox at `origin` (e.g. `http://127.0.0.1:3200`): both base URLs and its client. */
export function sandboxClientOptions(
  origin: string,
  extra: Partial<Sage200ClientOptions> = {},
): Sage200ClientOptions {
  const base = new URL(origin).origin;
  return {
    ...SANDBOX_CLIENT,
    sageIdBaseUrl: `${base}/id/`,
    apiBaseUrl: `${base}/uk/sage200/accounts/v1/`,
    ...extra,
  };
}

/** Signs `email` in through `/authorize?login_hint=...` and the code exchange; the client keeps the tokens. */
export async function signInWithLoginHint(client: Sage200Client, email: string): Promise<TokenSet> {
  const pkce = createPkce();
  const state = createState();
  const url = client.authorizationUrl({ state, pkce, loginHint: email });
  const response = await client.fetch(new Request(url, { redirect: 'manual' }));
  await response.body?.cancel();
  const location = response.headers.get('Location');
  if (response.status !== 302 || location === null) {
    throw new AuthError(
      `Sage ID did not redirect back (${response.status}): is ${email} a user of this sandbox?`,
      response.status,
      { method: 'GET', path: '/authorize' },
    );
  }
  const callback = new URL(location).searchParams;
  const error = callback.get('error');
  if (error !== null) {
    throw new AuthError(
      `Sage ID refused the sign-in: ${error}: ${callback.get('error_description') ?? ''}`,
      response.status,
      { method: 'GET', path: '/authorize' },
      error,
    );
  }
  const code = callback.get('code');
  if (code === null || callback.get('state') !== state) {
    throw new AuthError('The callback carried no code, or a state that is not ours.', response.status, {
      method: 'GET',
      path: '/authorize',
    });
  }
  return client.exchangeCode(code, pkce.verifier);
}

/** A client for the sandbox at `origin`, signed in as `email`. */
export async function sandboxClient(
  origin: string,
  email: string,
  extra: Partial<Sage200ClientOptions> = {},
): Promise<Sage200Client> {
  const client = new Sage200Client(sandboxClientOptions(origin, extra));
  await signInWithLoginHint(client, email);
  return client;
}
