/**
 * `POST /oauth/revoke` (RFC 7009): revokes a refresh token and its whole family. Answers 200 with an empty body
 * whether or not the token was known, as Auth0 does (Auth0's reference:
 * https://docs-staging.mintlify.app/docs/api/authentication/token-management/revoke-refresh-token).
 */
import { authenticateClient } from './client-auth.ts';
import { readParameters, required } from './parameters.ts';
import type { SageIdState } from './sage-id-state.ts';

export async function revocationRequest(
  sage: SageIdState,
  request: Request,
  authorization: string | undefined,
): Promise<void> {
  const parameters = await readParameters(request);
  const client = authenticateClient(sage.clients, parameters, authorization, 'invalid_client');
  // Access tokens are self-contained JWTs that Sage ID does not revoke here; an unknown token is not an error.
  sage.refreshTokens.revoke(required(parameters, 'token'), client.client_id);
}
