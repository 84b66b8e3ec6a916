/**
 * The sandbox's Sage ID, mounted at `/id` (README.md, Sage ID): discovery and keys, the authorize page, the token,
 * revocation and userinfo endpoints. Every expiry reads the sandbox clock.
 */
import { type Context, Hono } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { echoed } from '../errors.ts';
import type { SandboxOptions } from '../options.ts';
import type { Store } from '../store/index.ts';
import { AuthorizationCodeStore } from './authorization-codes.ts';
import {
  type AuthorizationRequest,
  approve,
  checkAuthorizationRequest,
  queryParameters,
  refuse,
} from './authorize.ts';
import { PAGE_HEADERS, renderLoginPage } from './authorize-page.ts';
import { ClientRegistry } from './clients.ts';
import { jwks, openidConfiguration, SAGE_ID_PATHS } from './discovery.ts';
import { formParameters, type OAuthParameters } from './parameters.ts';
import { RefreshTokenStore } from './refresh-tokens.ts';
import { revocationRequest } from './revoke.ts';
import type { SageIdState } from './sage-id-state.ts';
import type { SigningKey } from './signing-key.ts';
import { tokenRequest } from './token-endpoint.ts';
import type { TokenService } from './token-service.ts';
import { userinfoRequest } from './userinfo.ts';

export interface SageIdDeps {
  tokens: TokenService;
  signingKey: SigningKey;
  clock: SandboxClock;
  store: () => Store;
  options: Pick<
    SandboxOptions,
    | 'redirectUris'
    | 'refreshTokenTtlSeconds'
    | 'refreshTokenRotation'
    | 'refreshTokenSliding'
    | 'authorizationCodeTtlSeconds'
  >;
  /** The registered clients and grant stores, when the caller owns them (a tenant resets them); else built here. */
  grants?: Pick<SageIdState, 'clients' | 'codes' | 'refreshTokens'> | undefined;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** Builds the Sage ID routes; mount them with `app.route('/id', sageIdRoutes(deps))`. */
export function sageIdRoutes(deps: SageIdDeps): Hono {
  const { options } = deps;
  const sage: SageIdState = {
    issuer: deps.tokens.issuer,
    clock: deps.clock,
    tokens: deps.tokens,
    signingKey: deps.signingKey,
    store: deps.store,
    ...(deps.grants ?? sageIdGrants(deps.clock, options)),
  };
  const loginAction = new URL(SAGE_ID_PATHS.login, sage.issuer).pathname;
  const id = new Hono();

  id.get(`/${SAGE_ID_PATHS.discovery}`, (c) => c.json(openidConfiguration(sage.issuer)));
  id.get(`/${SAGE_ID_PATHS.jwks}`, (c) => c.json(jwks(sage.signingKey.publicJwk)));

  const loginPage = (
    c: Context,
    request: AuthorizationRequest,
    status: 200 | 400,
    message?: string,
    email?: string,
  ) =>
    c.html(
      renderLoginPage({
        client: request.client,
        scope: request.scope,
        users: sage.store().users,
        action: loginAction,
        parameters: request.parameters,
        selectedEmail: email ?? request.loginHint,
        message,
      }),
      status,
      PAGE_HEADERS,
    );

  const authorize = (c: Context, parameters: OAuthParameters) => {
    const check = checkAuthorizationRequest(parameters, sage.clients);
    if (check.kind === 'redirect') return c.redirect(check.location, 302);
    const { request } = check;
    // Sandbox extension: a seeded user's email in login_hint approves at once, for scripts and CI.
    const hinted = request.loginHint === undefined ? undefined : sage.store().userByEmail(request.loginHint);
    if (hinted) return c.redirect(approve(sage, request, hinted), 302);
    if (request.prompt === 'none')
      return c.redirect(refuse(request, 'login_required', 'Login required'), 302);
    const note =
      request.loginHint === undefined
        ? undefined
        : `login_hint ${echoed(request.loginHint)} is not a user of this sandbox`;
    return loginPage(c, request, 200, note);
  };

  id.get(`/${SAGE_ID_PATHS.authorize}`, (c) => authorize(c, queryParameters(c.req.url)));
  // OIDC Core section 3.1.2.1: the authorization endpoint also takes its parameters as a form POST.
  id.post(`/${SAGE_ID_PATHS.authorize}`, async (c) => authorize(c, formParameters(await c.req.text())));

  id.post(`/${SAGE_ID_PATHS.login}`, async (c) => {
    const form = formParameters(await c.req.text());
    const check = checkAuthorizationRequest(form, sage.clients);
    if (check.kind === 'redirect') return c.redirect(check.location, 302);
    const { request } = check;
    const email = form.get('username');
    switch (form.get('action')) {
      case 'deny':
        return c.redirect(refuse(request, 'access_denied', 'User did not authorize the request'), 302);
      case 'approve': {
        const user = email === undefined ? undefined : sage.store().userByEmail(email);
        if (!user) return loginPage(c, request, 400, 'Choose one of the sandbox users to sign in as.', email);
        return c.redirect(approve(sage, request, user), 302);
      }
      default:
        return loginPage(c, request, 400, 'Choose Approve or Deny.', email);
    }
  });

  id.post(`/${SAGE_ID_PATHS.token}`, async (c) =>
    c.json(await tokenRequest(sage, c.req.raw, c.req.header('Authorization')), 200, NO_STORE),
  );

  id.post(`/${SAGE_ID_PATHS.revoke}`, async (c) => {
    await revocationRequest(sage, c.req.raw, c.req.header('Authorization'));
    return c.body(null, 200, NO_STORE);
  });

  const userinfo = async (c: Context) =>
    c.json(await userinfoRequest(sage, c.req.header('Authorization')), 200, NO_STORE);
  id.get(`/${SAGE_ID_PATHS.userinfo}`, userinfo);
  id.post(`/${SAGE_ID_PATHS.userinfo}`, userinfo);

  return id;
}

/** A Sage ID's registered clients and empty code and refresh-token stores. */
export function sageIdGrants(
  clock: SandboxClock,
  options: SageIdDeps['options'],
  clients: ClientRegistry = new ClientRegistry(options.redirectUris),
): Pick<SageIdState, 'clients' | 'codes' | 'refreshTokens'> {
  return {
    clients,
    codes: new AuthorizationCodeStore(clock, options.authorizationCodeTtlSeconds),
    refreshTokens: new RefreshTokenStore(clock, {
      ttlSeconds: options.refreshTokenTtlSeconds,
      rotation: options.refreshTokenRotation,
      sliding: options.refreshTokenSliding,
    }),
  };
}
