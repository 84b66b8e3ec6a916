/**
 * The request journal: the last N requests the sandbox answered, newest first, in a ring buffer allocated once
 * (docs/faults-and-journal.md). It owns its state, so a sandbox (or a tenant) holds one. Recording keeps the raw
 * facts of a request, which costs next to nothing: the slot holds the facts object it is given and nothing else,
 * as every object an entry holds is copied by young-generation collections until it is promoted. An entry is
 * formatted, redacted and frozen when it is read, so the requests nobody reads never pay for it.
 */
import { type PathPattern, requestPath } from '../faults/path-pattern.ts';
import {
  type QueryRecord,
  type RecordedHeaders,
  type RecordedQuery,
  shownHeaders,
  shownQuery,
} from './redaction.ts';
import { RingBuffer } from './ring-buffer.ts';

/** One recorded request, as `GET /admin/requests` lists it. */
export interface JournalEntry {
  /** 1 for the first request this journal recorded, then counting up; never reused. */
  id: number;
  /** When the request arrived, sandbox time. */
  time: string;
  method: string;
  path: string;
  query: QueryRecord;
  /** Request headers, credentials redacted. */
  headers: Record<string, string>;
  /** The status sent, or begun before a connection reset. */
  status: number;
  /** Wall-clock milliseconds from arrival to response, injected latency included. */
  latency_ms: number;
  fault: JournalFault | null;
  /** Why the gateway refused the request (its `X-Sandbox-Reason`), or null. */
  reason: string | null;
  /** The signed-in Sage ID user (email) once the gateway accepted the token. */
  user: string | null;
  /** X-Site and X-Company once the gateway accepted them. */
  site: string | null;
  company: number | null;
  /** The OAuth client: the verified token's on the API, the one a Sage ID request names. */
  client_id: string | null;
}

export interface JournalFault {
  /** Rule ids that fired, in order, or `header` for X-Sandbox-Fault. */
  rules: string[];
  status: number | null;
  latency_ms: number;
  connection_reset: boolean;
}

/** What the middleware records of one request: the entry's facts, before formatting and redaction. */
export interface RequestFacts extends Omit<JournalEntry, 'id' | 'time' | 'query' | 'headers'> {
  /** When the request arrived, sandbox time in milliseconds since the epoch. */
  at: number;
  query: RecordedQuery;
  headers: RecordedHeaders;
}

function shownEntry(id: number, facts: RequestFacts): JournalEntry {
  return Object.freeze({
    id,
    time: new Date(facts.at).toISOString(),
    method: facts.method,
    path: facts.path,
    query: shownQuery(facts.query),
    headers: shownHeaders(facts.headers),
    status: facts.status,
    latency_ms: facts.latency_ms,
    fault: facts.fault,
    reason: facts.reason,
    user: facts.user,
    site: facts.site,
    company: facts.company,
    client_id: facts.client_id,
  });
}

/** `status` as the filter takes it: one status, or a class such as 4xx. */
export type StatusFilter = { exact: number } | { class: number };

export interface JournalQuery {
  path?: PathPattern;
  status?: StatusFilter;
  method?: string;
  /** Only entries with an id greater than this (for polling). */
  after?: number;
  limit: number;
}

/** The last `capacity` requests, newest first; memory is allocated once. */
export class RequestJournal {
  readonly #buffer: RingBuffer<RequestFacts>;
  #recorded = 0;
  #lastPath = '';
  #lastQuery: RecordedQuery = '';

  constructor(options: { capacity: number }) {
    this.#buffer = new RingBuffer(options.capacity);
  }

  get capacity(): number {
    return this.#buffer.capacity;
  }

  get length(): number {
    return this.#buffer.length;
  }

  /** Slots the journal holds in memory: `capacity`, from the first request to the millionth. */
  get allocated(): number {
    return this.#buffer.allocated;
  }

  /** Requests recorded since the journal was created, including those since dropped or cleared. */
  get recorded(): number {
    return this.#recorded;
  }

  /**
   * Keeps the facts of a request. Once the journal is full, the oldest entry's object is written over rather than a
   * new one kept: an object kept for a thousand requests outlives the young generation, so V8 allocates each one in
   * the old generation (touching fresh pages) and a full collection frees it. Its path and query share the previous
   * entry's string when equal, as a client's repeated calls are, so no per-request string is kept either.
   */
  record(facts: RequestFacts): void {
    this.#recorded += 1;
    const path = facts.path === this.#lastPath ? this.#lastPath : facts.path;
    const query = facts.query === this.#lastQuery ? this.#lastQuery : facts.query;
    this.#lastPath = path;
    this.#lastQuery = query;
    const slot = this.#buffer.oldest;
    if (slot === undefined) {
      this.#buffer.push({ ...facts, path, query });
      return;
    }
    slot.at = facts.at;
    slot.method = facts.method;
    slot.path = path;
    slot.query = query;
    slot.headers = facts.headers;
    slot.status = facts.status;
    slot.latency_ms = facts.latency_ms;
    slot.fault = facts.fault;
    slot.reason = facts.reason;
    slot.user = facts.user;
    slot.site = facts.site;
    slot.company = facts.company;
    slot.client_id = facts.client_id;
    this.#buffer.push(slot);
  }

  /** Entries that pass the filter, newest first, at most `limit`. */
  list(query: JournalQuery): JournalEntry[] {
    const found: JournalEntry[] = [];
    // Entries are pushed one id after another and dropped only oldest first or all at once, so the newest holds
    // the last id recorded and each older one the id before.
    let id = this.#recorded + 1;
    for (const facts of this.#buffer.newestFirst()) {
      id -= 1;
      if (found.length >= query.limit) break;
      if (query.after !== undefined && id <= query.after) break;
      if (query.method !== undefined && facts.method !== query.method) continue;
      if (query.status && !statusMatches(facts.status, query.status)) continue;
      if (query.path && !query.path.test(facts.path) && !query.path.test(requestPath(facts.path).relative)) {
        continue;
      }
      found.push(shownEntry(id, facts));
    }
    return found;
  }

  /** Drops every entry; ids keep counting up, so a poller's `after` stays valid. */
  clear(): void {
    this.#buffer.clear();
  }
}

function statusMatches(status: number, filter: StatusFilter): boolean {
  return 'exact' in filter ? status === filter.exact : Math.floor(status / 100) === filter.class;
}
