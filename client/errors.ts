/**
 * The errors a Sage 200 call can end in, one class per thing an integration does differently: sign in again,
 * stop writing to a trial site, ask for a role, fix the request, slow down, or try later. Every class carries the
 * HTTP status (when there was one), the method and path, and Sage's message (`{ "Message" }` for application
 * errors, `{ "message" }` for the gateway's, `error_description` for Sage ID's).
 */

/** Where a failed call went: method, path relative to the API base (`/customers`) and the decoded query. */
export interface CallSite {
  method: string;
  path: string;
  query?: string;
}

/** Base of every error the client throws on purpose. */
export class Sage200Error extends Error {
  override name = 'Sage200Error';
  constructor(
    message: string,
    /** HTTP status, or undefined when no response came back (network failure). */
    readonly status: number | undefined,
    readonly call: CallSite | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The gateway refused the credentials (401 after one refresh and retry), or Sage ID refused the refresh token
 * (expired after 90 days, revoked, rotated out). The user has to sign in again.
 */
export class AuthError extends Sage200Error {
  override name = 'AuthError';
  constructor(
    message: string,
    status: number | undefined,
    call: CallSite | undefined,
    /** Sage ID's `error` code when the refusal came from the token endpoint, e.g. `invalid_grant`. */
    readonly oauthError?: string,
    options?: ErrorOptions,
  ) {
    super(message, status, call, options);
  }
}

/** 403: the user's Sage 200 role does not reach the module behind the resource. */
export class ForbiddenError extends Sage200Error {
  override name = 'ForbiddenError';
}

/**
 * 403 on a create, update or delete against a trial ("Try and Buy") site: Sage refuses writes there and nothing
 * changed (Codat: https://docs.codat.io/integrations/accounting/sage200/accounting-sage200-setup). A
 * ForbiddenError, so a caller that only handles 403s still catches it.
 */
export class TrialWriteRejected extends ForbiddenError {
  override name = 'TrialWriteRejected';
}

/** 400: Sage rejected the request (a bad query or body); `sageMessage` is Sage's own `Message`. */
export class ValidationFailed extends Sage200Error {
  override name = 'ValidationFailed';
  constructor(
    readonly sageMessage: string,
    status: number,
    call: CallSite,
  ) {
    super(`${call.method} ${call.path}: ${sageMessage}`, status, call);
  }
}

/** 404: no record has the id, or the path does not exist on this Sage 200 (the gateway's 404). */
export class NotFoundError extends Sage200Error {
  override name = 'NotFoundError';
  constructor(
    message: string,
    status: number,
    call: CallSite,
    /** True when the gateway, not the application, answered: the path or verb does not exist. */
    readonly unknownPath: boolean,
  ) {
    super(message, status, call);
  }
}

/** 429 still answered after the retry budget (attempts or time) ran out. */
export class RateLimited extends Sage200Error {
  override name = 'RateLimited';
  constructor(
    message: string,
    call: CallSite,
    /** The last Retry-After the gateway sent, in seconds, if any. */
    readonly retryAfterSeconds: number | undefined,
    readonly attempts: number,
  ) {
    super(message, 429, call);
  }
}

/** 5xx (503 after the retry budget ran out), or no response at all (status undefined). */
export class ServerError extends Sage200Error {
  override name = 'ServerError';
}
