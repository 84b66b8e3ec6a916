/**
 * The Sage 200 integration client and the Codat-style sync built on it. See docs/client-and-sync.md.
 */
export type {
  ByIdPath,
  CompanySelection,
  ListItem,
  ListPath,
  PostPath,
  RecordOf,
  RequestBodyOf,
  Schemas,
} from './contract-types.ts';
export type { CallSite } from './errors.ts';
export {
  AuthError,
  ForbiddenError,
  NotFoundError,
  RateLimited,
  Sage200Error,
  ServerError,
  TrialWriteRejected,
  ValidationFailed,
} from './errors.ts';
export type { AuthorizationRequest, FetchFunction, PkcePair, TokenSet } from './oauth.ts';
export { createPkce, createState, DEFAULT_SCOPE, SAGE200_AUDIENCE, SageIdAuth } from './oauth.ts';
export type { RetryPolicy, Timing } from './retry.ts';
export { DEFAULT_RETRY_POLICY } from './retry.ts';
export type { ClientStats, ListOptions, RetryEvent, Sage200ClientOptions } from './sage200-client.ts';
export {
  CompanyClient,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  SAGE_ID_BASE_URL,
  SAGE200_API_BASE_URL,
  Sage200Client,
  updatedSinceFilter,
} from './sage200-client.ts';
export {
  SANDBOX_CLIENT,
  sandboxClient,
  sandboxClientOptions,
  signInWithLoginHint,
} from './sandbox-sign-in.ts';
export type {
  DataType,
  DataTypeRecords,
  DataTypeResult,
  DataTypeStatus,
  ValidationItem,
  ValidationResult,
} from './sync/codat-types.ts';
export { DATA_TYPES } from './sync/codat-types.ts';
export type { SyncOptions, SyncResult } from './sync/index.ts';
export { statusOfError, sync } from './sync/index.ts';
export { RULES } from './sync/validate.ts';
