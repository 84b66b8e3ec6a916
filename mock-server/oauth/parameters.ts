/**
 * Reads the parameters of a Sage ID POST: form-encoded as RFC 6749 section 4.1.3 requires, or JSON, which Auth0's
 * Authentication API also accepts. A parameter may appear once (RFC 6749 section 3.2).
 */
import { echoed, OAuthError } from '../errors.ts';
import type { BodyLimit } from '../http/body-limit.ts';

export type OAuthParameters = ReadonlyMap<string, string>;

/** Largest body a Sage ID endpoint reads (Auth0 publishes no limit; a token request is a few hundred bytes). */
export const MAX_SAGE_ID_BODY_BYTES = 64 * 1024;

/** The limit on every Sage ID request: 413 with Auth0's `invalid_request` body above MAX_SAGE_ID_BODY_BYTES. */
export const SAGE_ID_BODY_LIMIT: BodyLimit = {
  maxBytes: MAX_SAGE_ID_BODY_BYTES,
  tooLarge: (max) => new OAuthError(413, 'invalid_request', `The request body is larger than ${max} bytes.`),
};

export async function readParameters(request: Request): Promise<OAuthParameters> {
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await request.text();
  if (type === 'application/json') return jsonParameters(text);
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === ''))
    return formParameters(text);
  throw new OAuthError(
    400,
    'invalid_request',
    `Content-Type must be application/x-www-form-urlencoded or application/json, not '${type === '' ? 'none' : echoed(type)}'`,
  );
}

export function formParameters(text: string): OAuthParameters {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (parameters.has(name)) {
      throw new OAuthError(400, 'invalid_request', `Parameter '${echoed(name)}' must not be repeated`);
    }
    parameters.set(name, value);
  }
  return parameters;
}

function jsonParameters(text: string): OAuthParameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OAuthError(400, 'invalid_request', 'The body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OAuthError(400, 'invalid_request', 'The JSON body must be an object');
  }
  const parameters = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new OAuthError(400, 'invalid_request', `Parameter '${echoed(name)}' must be a string`);
    }
    parameters.set(name, value);
  }
  return parameters;
}

/** A required parameter, or Auth0's `invalid_request` naming it. */
export function required(parameters: OAuthParameters, name: string): string {
  const value = parameters.get(name);
  if (value === undefined || value === '') {
    throw new OAuthError(400, 'invalid_request', `Missing required parameter: ${name}`);
  }
  return value;
}

/** An optional parameter; an empty value counts as absent. */
export function optional(parameters: OAuthParameters, name: string): string | undefined {
  const value = parameters.get(name);
  return value === '' ? undefined : value;
}
