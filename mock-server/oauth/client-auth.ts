/**
 * Client authentication at the token and revocation endpoints: `client_secret_post` (id and secret in the body),
 * `client_secret_basic` (RFC 6749 section 2.3.1) or, for the public client, its id alone.
 */
import { OAuthError } from '../errors.ts';
import type { ClientRegistry, OAuthClient } from './clients.ts';
import { type OAuthParameters, optional } from './parameters.ts';

/**
 * How an endpoint refuses bad client credentials. The token endpoint answers Auth0's 401 `access_denied` /
 * `Unauthorized` (auth0/auth0.js#234); the revocation endpoint answers 401 `invalid_client` (Auth0's revoke
 * errors: https://upbond.gitbook.io/upbond-login3-documentation/apis/errors/post-oauth-revoke).
 */
export type ClientAuthFailure = 'access_denied' | 'invalid_client';

interface PresentedCredentials {
  clientId: string;
  clientSecret: string | undefined;
}

/** Identifies and authenticates the calling client, or throws the OAuth error a client would get from Sage ID. */
export function authenticateClient(
  registry: ClientRegistry,
  parameters: OAuthParameters,
  authorization: string | undefined,
  failure: ClientAuthFailure,
): OAuthClient {
  const { clientId, clientSecret } = presentedCredentials(parameters, authorization);
  for (const [name, value] of [
    ['client_id', clientId],
    ['client_secret', clientSecret],
  ] as const) {
    if (value !== undefined && /\s/.test(value)) {
      throw new OAuthError(
        401,
        'invalid_client',
        `The ${name} contains a space. Sage ID client keys contain no spaces: check for a space copied in with the key.`,
      );
    }
  }
  const refuse = () =>
    new OAuthError(
      401,
      failure,
      failure === 'access_denied' ? 'Unauthorized' : 'Client authentication failed',
    );
  const client = registry.byId(clientId);
  if (!client) throw refuse();
  switch (client.type) {
    case 'confidential':
      if (clientSecret === undefined || !registry.secretMatches(client, clientSecret)) throw refuse();
      return client;
    case 'public':
      return client;
    default: {
      const never: never = client.type;
      throw new Error(`unknown client type ${String(never)}`);
    }
  }
}

function presentedCredentials(
  parameters: OAuthParameters,
  authorization: string | undefined,
): PresentedCredentials {
  const bodyId = optional(parameters, 'client_id');
  const bodySecret = optional(parameters, 'client_secret');
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    const basic = decodeBasic(authorization.slice(6).trim());
    if (bodySecret !== undefined) {
      throw new OAuthError(
        400,
        'invalid_request',
        'Use one client authentication method: HTTP Basic or client_secret in the body, not both',
      );
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError(
        400,
        'invalid_request',
        'client_id in the body differs from the one in HTTP Basic',
      );
    }
    return basic;
  }
  if (bodyId === undefined)
    throw new OAuthError(400, 'invalid_request', 'Missing required parameter: client_id');
  return { clientId: bodyId, clientSecret: bodySecret };
}

/** RFC 6749 section 2.3.1: `base64(urlencode(id) ":" urlencode(secret))`. */
function decodeBasic(encoded: string): PresentedCredentials {
  const malformed = () => new OAuthError(400, 'invalid_request', 'Malformed HTTP Basic client credentials');
  if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) throw malformed();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw malformed();
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    const clientSecret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    return { clientId, clientSecret };
  } catch {
    throw malformed();
  }
}
