/**
 * The response a status fault sends. Without a `body` it is what the real service would send for that status:
 * on the Sage API the gateway's `{ statusCode, message }` (429 with APIM's rate-limit text and `Retry-After`,
 * 503, 504), the application's `{ Message }` (500 and other application statuses) or the gateway's empty 401;
 * on Sage ID an OAuth `{ error, error_description }`. The shapes come from errors.ts, so they stay in one place.
 */
import { STATUS_CODES } from 'node:http';
import { GatewayError, GatewayUnauthorized, OAuthError, SageApiError, type SandboxError } from '../errors.ts';
import type { FaultResponseSpec } from './fault-set.ts';

/** Seconds a 429 asks the client to wait when the rule gives no `retry_after`. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

const JSON_TYPE = 'application/json; charset=utf-8';

/** APIM's rate-limit policy message (evidence: its default 429 body; Sage's own text is unpublished). */
export function rateLimitMessage(seconds: number): string {
  return `Rate limit is exceeded. Try again in ${seconds} seconds.`;
}

/** The response a status fault sends on the Sage API or Sage ID. */
export function faultResponse(spec: FaultResponseSpec, surface: 'api' | 'sage_id'): Response {
  const retryAfter = spec.retryAfter ?? (spec.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  const headers = new Headers();
  let text: string | null;
  if (spec.body) {
    const { value } = spec.body;
    text = typeof value === 'string' ? value : JSON.stringify(value);
    headers.set('Content-Type', typeof value === 'string' ? 'text/plain; charset=utf-8' : JSON_TYPE);
  } else {
    const error = defaultError(spec.status, surface, retryAfter);
    for (const [name, value] of Object.entries(error?.headers ?? {})) headers.set(name, value);
    if (!error && surface === 'sage_id') headers.set('Cache-Control', 'no-store');
    const body = error ? error.body() : defaultBody(spec.status, surface);
    text = body === undefined ? null : JSON.stringify(body);
    if (text === null) headers.set('Content-Length', '0');
    else headers.set('Content-Type', JSON_TYPE);
  }
  if (retryAfter !== undefined) headers.set('Retry-After', String(retryAfter));
  for (const [name, value] of Object.entries(spec.headers)) headers.set(name, value);
  return new Response(text, { status: spec.status, headers });
}

/** The sandbox's own error for the status, when errors.ts has one that fits. */
function defaultError(
  status: number,
  surface: 'api' | 'sage_id',
  retryAfter: number | undefined,
): SandboxError | undefined {
  if (surface === 'sage_id') {
    switch (status) {
      case 400:
        return new OAuthError(400, 'invalid_request', 'Bad Request');
      case 401:
        return new OAuthError(401, 'access_denied', 'Unauthorized');
      case 403:
        return new OAuthError(403, 'invalid_grant', 'Forbidden');
      default:
        return undefined;
    }
  }
  switch (status) {
    case 401:
      return new GatewayUnauthorized('fault');
    case 404:
      return new GatewayError(404, 'Resource not found');
    case 429:
      return new GatewayError(429, rateLimitMessage(retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS));
    case 503:
      return new GatewayError(503, 'Service Unavailable');
    case 504:
      return new GatewayError(504, 'Gateway Timeout');
    case 400:
      return new SageApiError(400, 'The request is invalid.');
    case 500:
      return new SageApiError(500, 'An error has occurred.');
    case 403:
    case 409:
    case 413:
    case 415:
      return new SageApiError(status, STATUS_CODES[status] ?? 'Error');
    default:
      return undefined;
  }
}

/** Statuses errors.ts has no class for: the gateway shape on the API, an OAuth error on Sage ID (both assumed). */
function defaultBody(status: number, surface: 'api' | 'sage_id'): unknown {
  const reason = STATUS_CODES[status] ?? 'Error';
  if (surface === 'api') return { statusCode: status, message: reason };
  const error =
    status === 429
      ? 'too_many_requests'
      : status === 503
        ? 'temporarily_unavailable'
        : status >= 500
          ? 'server_error'
          : 'invalid_request';
  return { error, error_description: reason };
}
