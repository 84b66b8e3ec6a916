/**
 * What the journal shows of a request's query and headers: secrets replaced by `[redacted]`, credentials headers
 * never shown, and every value cut to a fixed length so each entry has a bounded size. A request served over a
 * socket is recorded raw (its URL and Node's raw header list, both bounded by Node's header size limit) and
 * redacted only when the journal is read; one served in process is redacted as it is recorded.
 */

import { searchParams } from '../http/search-params.ts';

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

/**
 * A request's query as recorded: a string is the request URL (absolute, or the target as the request line gave
 * it), whose query is read and redacted when the journal is; an object is the query already redacted. A string
 * rather than a wrapper object: an entry holds as few objects as it can (see rawHeaderLines).
 */
export type RecordedQuery = string | QueryRecord;

/**
 * A request's headers as recorded: a string is Node's raw list (name, value, name, value, ...), one item a line,
 * the credentials' values replaced (rawHeaderLines); an object is the headers already redacted.
 */
export type RecordedHeaders = string | Readonly<Record<string, string>>;

/**
 * Node's raw header list as an entry holds it until it is read: one string rather than a string per name and
 * value (the fewer objects an entry holds, the less each young-generation collection copies), and every
 * credential's value replaced, so no secret is kept and no kilobyte of bearer token is held per entry. Node
 * refuses line breaks in header names and values, so a line break separates the items.
 */
export function rawHeaderLines(raw: readonly string[]): string {
  if (sameItems(raw, lastLines.raw)) return lastLines.lines;
  const items = raw.slice();
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = items[i]!;
    if (SECRET_LENGTHS.has(name.length) && SECRET_HEADERS.has(name.toLowerCase())) items[i + 1] = REDACTED;
  }
  // join() makes one flat string; concatenating would build a rope that still holds every piece.
  const lines = items.join('\n');
  lastLines.raw = raw;
  lastLines.lines = lines;
  return lines;
}

/**
 * The last raw list made into lines, and its lines. A client sends the same headers call after call: their entries
 * then share one string rather than each holding a copy, which a collection would have to copy again. Only the
 * lines are kept in the journal; the raw list (one request's) is held here until the next different one, as the
 * gateway holds the last Authorization header.
 */
const lastLines: { raw: readonly string[]; lines: string } = { raw: [], lines: '' };

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The lengths of SECRET_HEADERS' names: most names need no lower-casing to know they are not one. */
const SECRET_LENGTHS: ReadonlySet<number> = new Set([...SECRET_HEADERS].map((name) => name.length));

/** The query as the journal shows it. */
export function shownQuery(recorded: RecordedQuery): QueryRecord {
  return typeof recorded === 'string' ? redactedQuery(searchParams(recorded)) : recorded;
}

/** The headers as the journal shows them: the raw list is read as @hono/node-server reads it into Headers. */
export function shownHeaders(recorded: RecordedHeaders): Record<string, string> {
  if (typeof recorded !== 'string') return recorded;
  const headers = new Headers();
  const raw = recorded === '' ? [] : recorded.split('\n');
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // HTTP/2 pseudo-headers (`:path`) are not headers.
    if (!name.startsWith(':')) headers.append(name, raw[i + 1]!);
  }
  return redactedHeaders(headers);
}

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
