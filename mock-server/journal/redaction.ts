/**
 * What the journal keeps of a request's query and headers: secrets replaced by `[redacted]`, credentials headers
 * never stored, and every value cut to a fixed length so each entry has a bounded size.
 */

export const REDACTED = '[redacted]';

/** Query parameters whose values are secrets (OAuth codes, tokens, client secrets, PKCE verifiers, passwords). */
export const SECRET_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'code',
  'refresh_token',
  'client_secret',
  'access_token',
  'id_token',
  'id_token_hint',
  'code_verifier',
  'password',
  'token',
  'client_assertion',
  'assertion',
  // APIM also takes the subscription key as a query parameter.
  'subscription-key',
]);

/** Request headers whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-admin-key',
  'ocp-apim-subscription-key',
]);

/** Longest value kept; longer ones are cut and end in `…`. */
export const MAX_VALUE_CHARS = 512;
/** Most query parameters or headers kept per entry. */
export const MAX_FIELDS = 64;

export type QueryRecord = Record<string, string | string[]>;

/** The query string as an object (repeated names become arrays), secrets redacted. */
export function redactedQuery(search: URLSearchParams): QueryRecord {
  const query: QueryRecord = {};
  let kept = 0;
  for (const [rawName, rawValue] of search) {
    const name = cut(rawName);
    const value = SECRET_QUERY_PARAMETERS.has(rawName.toLowerCase()) ? REDACTED : cut(rawValue);
    const existing = query[name];
    if (existing === undefined) {
      if (kept++ >= MAX_FIELDS) continue;
      query[name] = value;
    } else if (Array.isArray(existing)) {
      if (existing.length < MAX_FIELDS) existing.push(value);
    } else {
      query[name] = [existing, value];
    }
  }
  return query;
}

/** Request headers by lower-case name, credentials redacted. */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of headers) {
    if (count++ >= MAX_FIELDS) break;
    kept[name] = SECRET_HEADERS.has(name) ? REDACTED : cut(value);
  }
  return kept;
}

export function cut(value: string, max = MAX_VALUE_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
