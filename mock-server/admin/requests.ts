/**
 * `/admin/requests`: the request journal, newest first, filtered by `path` (a pattern, as fault rules take),
 * `status` (`429` or a class such as `5xx`), `method`, `after` (an entry id, for polling) and `limit`; at the root,
 * `tenant` picks another tenant's journal (default `default`). `DELETE /admin/requests` empties it. Calls to this endpoint are not themselves recorded.
 */
import { type Context, Hono } from 'hono';
import { AdminError, echoed } from '../errors.ts';
import { compilePathPattern, pathPatternProblem } from '../faults/index.ts';
import type { JournalQuery, RequestJournal } from '../journal/index.ts';

export interface RequestRoutesDeps {
  journal: (c: Context) => RequestJournal;
}

/** Entries listed when no `limit` is given. */
export const DEFAULT_REQUESTS_LIMIT = 100;

/** `tenant` is read by `deps.journal` (which tenant's journal), the rest by journalQuery. */
const PARAMETERS = ['tenant', 'path', 'status', 'method', 'after', 'limit'] as const;

/** Mount with `admin.route('/requests', requestRoutes(deps))`. */
export function requestRoutes(deps: RequestRoutesDeps): Hono {
  const routes = new Hono();

  routes.get('/', (c) => {
    const journal = deps.journal(c);
    const query = journalQuery(new URL(c.req.url).searchParams, journal.capacity);
    return c.json({
      capacity: journal.capacity,
      length: journal.length,
      recorded: journal.recorded,
      requests: journal.list(query),
    });
  });

  routes.delete('/', (c) => {
    const journal = deps.journal(c);
    const removed = journal.length;
    journal.clear();
    return c.json({ removed });
  });

  return routes;
}

function journalQuery(search: URLSearchParams, capacity: number): JournalQuery {
  for (const name of search.keys()) {
    if (!(PARAMETERS as readonly string[]).includes(name)) {
      throw invalid(`unknown query parameter ${echoed(name)}; the parameters are ${PARAMETERS.join(', ')}`);
    }
  }
  const query: JournalQuery = { limit: Math.min(DEFAULT_REQUESTS_LIMIT, capacity) };
  const path = search.get('path');
  if (path !== null) {
    const problem = pathPatternProblem(path);
    if (problem) throw invalid(`path ${problem}`);
    query.path = compilePathPattern(path);
  }
  const status = search.get('status');
  if (status !== null) {
    const match = /^([1-5])(?:xx|\d\d)$/i.exec(status);
    if (!match)
      throw invalid(`status must be a status such as 429 or a class such as 5xx, not '${echoed(status)}'`);
    query.status = /xx$/i.test(status) ? { class: Number(match[1]) } : { exact: Number(status) };
  }
  const method = search.get('method');
  if (method !== null) {
    if (!/^[A-Za-z]+$/.test(method))
      throw invalid(`method must be an HTTP method such as GET, not '${echoed(method)}'`);
    query.method = method.toUpperCase();
  }
  const after = search.get('after');
  if (after !== null) query.after = whole('after', after, 0, Number.MAX_SAFE_INTEGER);
  const limit = search.get('limit');
  if (limit !== null) query.limit = whole('limit', limit, 1, capacity);
  return query;
}

function whole(name: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}, not '${echoed(raw)}'`);
  }
  return Number(raw);
}

function invalid(message: string): AdminError {
  return new AdminError(400, 'invalid_request', message);
}
