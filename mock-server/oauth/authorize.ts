/**
 * `/authorize` (RFC 6749 section 4.1.1, OIDC Core section 3.1.2): checks the request the way Sage ID (Auth0)
 * does. An unknown client or an unregistered callback gets an error page and never a redirect; every other
 * mistake is sent back to the client's redirect URI with `error` and `state`.
 */

import { echoed, OAuthErrorPage } from '../errors.ts';
import { sageIdSubject } from '../store/index.ts';
import type { SandboxUser } from '../world/model.ts';
import { renderErrorPage } from './authorize-page.ts';
import type { ClientRegistry, OAuthClient } from './clients.ts';
import type { OAuthParameters } from './parameters.ts';
import { type CodeChallengeMethod, isCodeChallengeMethod, isWellFormedChallenge } from './pkce.ts';
import type { SageIdState } from './sage-id-state.ts';
import { SAGE200_AUDIENCE } from './token-service.ts';
import { SUPPORTED_SCOPES } from './user-claims.ts';

/** The parameters of an authorization request that the login form carries through to the decision. */
export const AUTHORIZATION_PARAMETERS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'audience',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'login_hint',
  'prompt',
] as const;

/** A well-formed authorization request from a registered client to one of its redirect URIs. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  /** The scopes granted: those requested that Sage ID knows, in the order asked. */
  scope: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: CodeChallengeMethod | undefined;
  loginHint: string | undefined;
  prompt: string | undefined;
  /** The request's own parameters, for the login form to send back. */
  parameters: ReadonlyMap<string, string>;
}

export type AuthorizationCheck =
  | { kind: 'valid'; request: AuthorizationRequest }
  | { kind: 'redirect'; location: string };

/** Checks an authorization request; throws the error page when redirecting would not be safe. */
export function checkAuthorizationRequest(
  parameters: OAuthParameters,
  clients: ClientRegistry,
): AuthorizationCheck {
  const get = (name: string) => {
    const value = parameters.get(name);
    return value === '' ? undefined : value;
  };
  const clientId = get('client_id');
  const client = clientId === undefined ? undefined : clients.byId(clientId);
  if (!client) {
    const description =
      clientId === undefined
        ? 'Missing required parameter: client_id'
        : `Unknown client: ${echoed(clientId)}`;
    throw new OAuthErrorPage('invalid_request', description, renderErrorPage('Unknown client', description));
  }
  const redirectUri = get('redirect_uri');
  if (redirectUri === undefined || !clients.allowsRedirect(client, redirectUri)) {
    const description =
      redirectUri === undefined
        ? 'Missing required parameter: redirect_uri'
        : `The provided redirect_uri is not in the list of allowed callback URLs: ${echoed(redirectUri)}`;
    throw new OAuthErrorPage(
      'invalid_request',
      description,
      renderErrorPage('Callback URL mismatch', description),
    );
  }
  const state = get('state');
  const fail = (error: string, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    location: redirectLocation(redirectUri, { error, error_description: description, state }),
  });

  const responseType = get('response_type');
  if (responseType === undefined) return fail('invalid_request', 'Missing required parameter: response_type');
  if (responseType !== 'code')
    return fail('unsupported_response_type', `Unsupported response type: ${echoed(responseType)}`);
  const responseMode = get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    return fail(
      'invalid_request',
      `Unsupported response_mode: ${echoed(responseMode)}; this sandbox answers in the query`,
    );
  }
  const audience = get('audience');
  if (audience === undefined) {
    return fail(
      'invalid_request',
      `Missing required parameter: audience (Sage 200 needs audience=${SAGE200_AUDIENCE})`,
    );
  }
  if (audience !== SAGE200_AUDIENCE) return fail('access_denied', `Service not found: ${echoed(audience)}`);
  const requested = get('scope');
  if (requested === undefined) return fail('invalid_request', 'Missing required parameter: scope');
  const known: readonly string[] = SUPPORTED_SCOPES;
  const scope = [...new Set(requested.split(' ').filter((s) => known.includes(s)))].join(' ');

  const codeChallenge = get('code_challenge');
  const method = get('code_challenge_method');
  let codeChallengeMethod: CodeChallengeMethod | undefined;
  if (codeChallenge === undefined) {
    if (method !== undefined)
      return fail('invalid_request', 'code_challenge_method was sent without code_challenge');
    if (client.type === 'public') {
      return fail(
        'invalid_request',
        'Public clients must use PKCE: send code_challenge and code_challenge_method',
      );
    }
  } else {
    // RFC 7636 section 4.3: a challenge without a method is `plain`.
    const chosen = method ?? 'plain';
    if (!isCodeChallengeMethod(chosen))
      return fail('invalid_request', `Unsupported code_challenge_method: ${echoed(chosen)}`);
    if (!isWellFormedChallenge(chosen, codeChallenge)) {
      return fail(
        'invalid_request',
        `code_challenge is not a well-formed ${chosen} challenge (RFC 7636 section 4.2)`,
      );
    }
    codeChallengeMethod = chosen;
  }

  const carried = new Map<string, string>();
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = parameters.get(name);
    if (value !== undefined) carried.set(name, value);
  }
  return {
    kind: 'valid',
    request: {
      client,
      redirectUri,
      state,
      scope,
      nonce: get('nonce'),
      codeChallenge,
      codeChallengeMethod,
      loginHint: get('login_hint'),
      prompt: get('prompt'),
      parameters: carried,
    },
  };
}

/** Issues a code for the user and returns where to send the browser: `redirect_uri?code=...&state=...`. */
export function approve(sage: SageIdState, request: AuthorizationRequest, user: SandboxUser): string {
  const code = sage.codes.issue({
    clientId: request.client.client_id,
    redirectUri: request.redirectUri,
    subject: sageIdSubject(user),
    scope: request.scope,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    consentAt: sage.clock.epochSeconds(),
  });
  return redirectLocation(request.redirectUri, { code: code.code, state: request.state });
}

/** Where to send the browser with an error (RFC 6749 section 4.1.2.1). */
export function refuse(request: AuthorizationRequest, error: string, description: string): string {
  return redirectLocation(request.redirectUri, {
    error,
    error_description: description,
    state: request.state,
  });
}

/** The redirect URI with parameters added to its query, keeping the query it already has. */
function redirectLocation(redirectUri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.href;
}

/** The query of a request URL as parameters; a repeated parameter keeps its first value. */
export function queryParameters(requestUrl: string): OAuthParameters {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URL(requestUrl).searchParams) {
    if (!parameters.has(name)) parameters.set(name, value);
  }
  return parameters;
}
