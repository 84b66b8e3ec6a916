/**
 * Every error body the sandbox sends is shaped here, so a confirmed fact about Sage's real bodies is a one-line
 * change. Handlers throw; `toResponse` (used by the app's single onError) turns the error into a response.
 */
import type { Context } from 'hono';

/** Statuses the sandbox answers with an error body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503 | 504;

/** The response header that says why the gateway answered 401 (not sent by Sage). */
export const SANDBOX_REASON_HEADER = 'X-Sandbox-Reason';

/** Longest piece of a request an error message quotes back (longer ones are cut and end in `…`). */
export const MAX_ECHOED_CHARS = 100;

/**
 * A value from the request as an error message quotes it: at most MAX_ECHOED_CHARS characters, so no error
 * repeats an unbounded input back to its sender (a 50 MB user name, say).
 */
export function echoed(value: string): string {
  if (value.length <= MAX_ECHOED_CHARS) return value;
  let end = MAX_ECHOED_CHARS - 1;
  // Never split a surrogate pair: half an emoji is not valid text.
  if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1))) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** Base of every error the sandbox throws on purpose. */
export abstract class SandboxError extends Error {
  abstract readonly status: ErrorStatus;
  readonly headers: Record<string, string> = {};
  abstract body(): unknown;
}

/**
 * The API gateway's refusal of a missing, malformed, expired or foreign token, or of X-Site / X-Company values the
 * token does not grant. Sage's gateway answers these with an empty body (evidence: an integrator's log,
 * https://github.com/Shintu-John/Salesforce_OldOrg_State/tree/main/sage-api-integration).
 */
export class GatewayUnauthorized extends SandboxError {
  readonly status = 401;
  constructor(readonly reason: string) {
    super(reason);
    // A sandbox addition: Sage's body stays empty, but a developer can read why in a header and the journal.
    this.headers[SANDBOX_REASON_HEADER] = reason;
  }
  body(): unknown {
    return undefined;
  }
}

/** Other gateway errors (unknown route, subscription key, throttling): Azure API Management's `{ statusCode, message }` (assumed). */
export class GatewayError extends SandboxError {
  constructor(
    readonly status: 401 | 404 | 429 | 503 | 504,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    Object.assign(this.headers, headers);
  }
  body(): unknown {
    return { statusCode: this.status, message: this.message };
  }
}

/** An error raised by the Sage 200 application behind the gateway: ASP.NET Web API's `{ "Message": "..." }` (assumed). */
export class SageApiError extends SandboxError {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 415 | 500,
    message: string,
  ) {
    super(message);
  }
  body(): unknown {
    return { Message: this.message };
  }
}

/** A 400 in the application's shape: the request is refused and nothing changes. */
export function badRequest(message: string): SageApiError {
  return new SageApiError(400, message);
}

/** An error from the sandbox's own control API under /admin: `{ error, message }`. */
export class AdminError extends SandboxError {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  body(): unknown {
    return { error: this.code, message: this.message };
  }
}

/** Statuses Sage ID (Auth0) answers OAuth errors with (README.md's Sage ID fidelity table sources each). */
export type OAuthErrorStatus = 400 | 401 | 403 | 413;

/**
 * A Sage ID (Auth0 Authentication API) error: RFC 6749 section 5.2 body `{ error, error_description }` with
 * `Cache-Control: no-store`, at the status Auth0 uses (bad codes and refresh tokens 403, bad secret 401).
 */
export class OAuthError extends SandboxError {
  constructor(
    readonly status: OAuthErrorStatus,
    readonly error: string,
    readonly description: string,
    readonly errorUri?: string,
    headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    Object.assign(this.headers, { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, headers);
  }
  body(): unknown {
    return {
      error: this.error,
      error_description: this.description,
      ...(this.errorUri === undefined ? {} : { error_uri: this.errorUri }),
    };
  }
}

/**
 * The error page Sage ID (Auth0) shows instead of redirecting, when the client or the callback URL cannot be
 * trusted (https://support.auth0.com/center/s/article/Callback-URL-Mismatch-Error-Is-Not-in-the-List-of-Allowed-Callback-URLs).
 */
export class OAuthErrorPage extends SandboxError {
  readonly status = 400;
  constructor(
    readonly error: string,
    readonly description: string,
    readonly html: string,
  ) {
    super(`${error}: ${description}`);
    Object.assign(this.headers, { 'Cache-Control': 'no-store' });
  }
  body(): unknown {
    return this.html;
  }
}

/** Turns any thrown value into a response; unexpected errors become a 500 in the application shape. */
export function toResponse(error: unknown, c: Context): Response {
  const known = error instanceof SandboxError ? error : undefined;
  if (!known) {
    console.error('sage200-sandbox: unexpected error', error);
    return c.json({ Message: 'An error has occurred.' }, 500);
  }
  const body = known.body();
  const headers = new Headers(known.headers);
  if (body === undefined) {
    headers.set('Content-Length', '0');
    return new Response(null, { status: known.status, headers });
  }
  if (known instanceof OAuthErrorPage) {
    headers.set('Content-Type', 'text/html; charset=utf-8');
    return new Response(known.html, { status: known.status, headers });
  }
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status: known.status, headers });
}
