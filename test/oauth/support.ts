/** Helpers for the Sage ID tests: authorization requests, the login_hint shortcut, token calls, PKCE pairs. */
import { createHash, randomBytes } from 'node:crypto';
import type { SandboxApp } from '../../mock-server/index.ts';

export const CLIENT_ID = 'sandbox-client';
export const CLIENT_SECRET = 'sandbox-secret';
export const PUBLIC_CLIENT_ID = 'sandbox-public-client';
export const REDIRECT_URI = 'http://localhost:3000/callback';
export const AUDIENCE = 's200ukipd/sage200';
export const FULL_SCOPE = 'openid profile email offline_access';
export const DAY = 86400;

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function s256Pair(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization request's query, with the parameters a Sage 200 integration sends, overridable. */
export function authorizeQuery(overrides: Record<string, string | undefined> = {}): string {
  const parameters: Record<string, string | undefined> = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    audience: AUDIENCE,
    scope: FULL_SCOPE,
    state: 'state-123',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) query.set(name, value);
  return `/id/authorize?${query}`;
}

/** The query of the Location a redirect points to. */
export function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get('Location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location).searchParams;
}

/** Signs in through the login_hint shortcut and returns the code. */
export async function codeFor(
  app: SandboxApp,
  email: string,
  overrides: Record<string, string | undefined> = {},
): Promise<string> {
  const response = await app.request(authorizeQuery({ login_hint: email, ...overrides }));
  const code = redirectParams(response).get('code');
  if (response.status !== 302 || !code)
    throw new Error(`no code: ${response.status} ${response.headers.get('Location')}`);
  return code;
}

export interface TokenCall {
  /** Form fields; `undefined` values are left out. */
  body: Record<string, string | undefined>;
  basic?: [string, string];
  json?: boolean;
}

export async function tokenPost(app: SandboxApp, path: string, call: TokenCall): Promise<Response> {
  const fields = Object.fromEntries(Object.entries(call.body).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const headers: Record<string, string> = {
    'Content-Type': call.json ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (call.basic) {
    const [id, secret] = call.basic;
    headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
  return app.request(path, {
    method: 'POST',
    headers,
    body: call.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
}

export function token(app: SandboxApp, call: TokenCall): Promise<Response> {
  return tokenPost(app, '/id/oauth/token', call);
}

export interface Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
  token_type: string;
}

/** The token endpoint's answer to a code exchange by the confidential client (secret in the body). */
export function exchangeResponse(
  app: SandboxApp,
  code: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return token(app, {
    body: {
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: REDIRECT_URI,
      ...extra,
    },
  });
}

/** Exchanges a code as the confidential client (secret in the body). */
export async function exchange(
  app: SandboxApp,
  code: string,
  extra: Record<string, string> = {},
): Promise<Tokens> {
  const response = await exchangeResponse(app, code, extra);
  if (response.status !== 200)
    throw new Error(`exchange failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

/** Signs `email` in and exchanges the code: the usual start of a refresh test. */
export async function signIn(
  app: SandboxApp,
  email: string,
  overrides: Record<string, string | undefined> = {},
): Promise<Tokens> {
  return exchange(app, await codeFor(app, email, overrides));
}

export function refresh(app: SandboxApp, refreshToken: string, clientId = CLIENT_ID): Promise<Response> {
  return token(app, {
    body: {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientId === CLIENT_ID ? CLIENT_SECRET : undefined,
    },
  });
}

export async function advance(app: SandboxApp, seconds: number): Promise<void> {
  const response = await app.request('/admin/clock/advance', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  if (response.status !== 200) throw new Error(`cannot advance the clock: ${response.status}`);
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

/** An OAuth error answer: its status, body and the headers RFC 6749 section 5.2 asks for. */
export async function oauthError(response: Response): Promise<{
  status: number;
  error: string;
  description: string;
  cacheControl: string | null;
}> {
  const body = (await response.json()) as { error: string; error_description: string };
  return {
    status: response.status,
    error: body.error,
    description: body.error_description,
    cacheControl: response.headers.get('Cache-Control'),
  };
}

/** The first company of the user's site, as the gateway wants it. */
export function siteHeaders(app: SandboxApp, email: string): Record<string, string> {
  const user = app.sandbox.store.userByEmail(email);
  if (!user) throw new Error(`no seeded user ${email}`);
  const company = app.sandbox.store.site(user.site_id)?.site.companies[0];
  if (!company) throw new Error(`${email} has no company`);
  return { 'X-Site': user.site_id, 'X-Company': String(company.company_id) };
}

/** Calls `/customers` (or another path) as the given user with a bearer token. */
export async function apiCall(
  app: SandboxApp,
  accessToken: string,
  email: string,
  path = '/customers?$top=1',
): Promise<Response> {
  return app.request(`/uk/sage200/accounts/v1${path}`, {
    headers: { Authorization: `Bearer ${accessToken}`, ...siteHeaders(app, email) },
  });
}
