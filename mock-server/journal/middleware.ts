/**
 * Records every request the sandbox answers (Sage API, Sage ID, admin, pages) in the journal, except calls to
 * the journal itself. It runs outermost, so it sees faults and admin-key refusals, and it reads the user, site,
 * company and client from the context after the gateway has run (they stay null when the gateway refused).
 */

import type { Context, MiddlewareHandler } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { SANDBOX_REASON_HEADER } from '../errors.ts';
import type { FaultVariables } from '../faults/middleware.ts';
import { requestPath } from '../faults/path-pattern.ts';
import { requestClientId } from '../faults/request-facts.ts';
import type { ApiVariables } from '../gateway/index.ts';
import { nodeRequest } from '../http/node-request.ts';
import {
  cut,
  type RecordedHeaders,
  type RecordedQuery,
  rawHeaderLines,
  redactedHeaders,
  redactedQuery,
} from './redaction.ts';
import type { JournalFault, RequestJournal } from './request-journal.ts';

export type JournalEnv = { Variables: Partial<ApiVariables> & FaultVariables };

export interface JournalMiddlewareDeps {
  journal: (c: Context) => RequestJournal;
  clock: (c: Context) => SandboxClock;
  /** Paths not recorded: by default the journal's own endpoint, so reading it does not fill it. */
  skip?: (path: string) => boolean;
}

export const JOURNAL_PATH = '/admin/requests';

/** Longest path kept in an entry. */
const MAX_PATH_CHARS = 2048;

/** The journal middleware; register it first, so it wraps everything else. */
export function recordRequests(deps: JournalMiddlewareDeps): MiddlewareHandler<JournalEnv> {
  const skip = deps.skip ?? ((path: string) => path === JOURNAL_PATH || path.startsWith(`${JOURNAL_PATH}/`));
  return async (c, next) => {
    const path = c.req.path;
    if (skip(path)) return next();
    const started = performance.now();
    const at = deps.clock(c).now();
    // A Sage ID route reads the body, so the client id is taken from it before the route runs.
    const sageIdClient = path.startsWith('/id') ? await sageIdClientOf(c, path) : undefined;
    let completed = false;
    try {
      await next();
      completed = true;
    } finally {
      const applied = c.get('sandboxFault');
      const fault: JournalFault | null = applied
        ? {
            rules: applied.rules,
            status: applied.status ?? null,
            latency_ms: applied.latencyMs,
            connection_reset: applied.connectionReset,
          }
        : null;
      const status = applied?.connectionReset ? (applied.status ?? 0) : completed ? c.res.status : 500;
      deps.journal(c).record({
        at,
        method: c.req.method,
        path: journalPath(path),
        ...requestRecord(c.req.url, nodeRequest(c.env)?.rawHeaders ?? c.req.raw.headers),
        status,
        latency_ms: elapsedMs(started),
        fault,
        // Only error responses carry it; reading a success's headers would build them just to look.
        reason: completed && c.res.status >= 400 ? c.res.headers.get(SANDBOX_REASON_HEADER) : null,
        user: c.get('user')?.email ?? null,
        site: c.get('site')?.site.site_id ?? null,
        company: c.get('company')?.companyId ?? null,
        client_id: c.get('token')?.clientId ?? sageIdClient ?? null,
      });
    }
  };
}

async function sageIdClientOf(c: Context, path: string): Promise<string | undefined> {
  const target = requestPath(path);
  return target.surface === 'sage_id' ? requestClientId(c, target) : undefined;
}

/** The path as an entry keeps it. */
export function journalPath(path: string): string {
  return cut(path, MAX_PATH_CHARS);
}

/** Milliseconds since `started` (a `performance.now()`), to a tenth, as an entry keeps its latency. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * The query and headers to keep. Over a socket (Node's raw header list given) they are kept raw, as Node bounds
 * them (16 KiB of head by default), and redacted when read; in process (a Headers given) nothing bounds them, so
 * they are redacted and cut now.
 */
export function requestRecord(
  url: string,
  headers: Headers | readonly string[],
): { query: RecordedQuery; headers: RecordedHeaders } {
  if (!(headers instanceof Headers)) return { query: url, headers: rawHeaderLines(headers) };
  return { query: redactedQuery(new URL(url).searchParams), headers: redactedHeaders(headers) };
}
