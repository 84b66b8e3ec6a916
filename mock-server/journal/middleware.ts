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
import { cut, redactedHeaders, redactedQuery } from './redaction.ts';
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
    if (skip(c.req.path)) return next();
    const started = performance.now();
    const time = deps.clock(c).date().toISOString();
    const target = requestPath(c.req.path);
    // A Sage ID route reads the body, so the client id is taken from it before the route runs.
    const sageIdClient = target.surface === 'sage_id' ? await requestClientId(c, target) : undefined;
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
      const url = new URL(c.req.url);
      deps.journal(c).record({
        time,
        method: c.req.method,
        path: cut(c.req.path, MAX_PATH_CHARS),
        query: redactedQuery(url.searchParams),
        headers: redactedHeaders(c.req.raw.headers),
        status,
        latency_ms: Math.round((performance.now() - started) * 10) / 10,
        fault,
        reason: completed ? c.res.headers.get(SANDBOX_REASON_HEADER) : null,
        user: c.get('user')?.email ?? null,
        site: c.get('site')?.site.site_id ?? null,
        company: c.get('company')?.companyId ?? null,
        client_id: c.get('token')?.clientId ?? sageIdClient ?? null,
      });
    }
  };
}
