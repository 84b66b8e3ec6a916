/**
 * Plain reads answered before the router: a GET of one record by id (`/customers/{Id}`) or of `/sites`, when no
 * fault rule is set and no X-Sandbox-Fault header sent, from a token the gateway has verified before. Such a
 * request goes through the same gateway checks and the same read as its route, and is journalled as the journal
 * middleware would record it, without a Hono context, router match or middleware chain per request (issue 11,
 * per-request overhead). Anything else, a refusal or an error included, is not answered here: the app serves it
 * from the start, so every error keeps its one shape (mock-server/errors.ts).
 */
import { getPath } from 'hono/utils/url';
import type { SandboxClock } from '../clock.ts';
import { FAULT_HEADER, type FaultSet, untouched } from '../faults/index.ts';
import {
  type Admission,
  admitKnownToken,
  type GatewayDeps,
  type GatewayRoute,
  type HeaderOf,
} from '../gateway/index.ts';
import { API_BASE_PATH } from '../http/paths.ts';
import { searchParams } from '../http/search-params.ts';
import { elapsedMs, journalPath, type RequestJournal, requestRecord } from '../journal/index.ts';
import { JSON_TYPE } from './route-helpers.ts';

/** A route's read, shared by the route's handler and the direct answer. */
export interface DirectRead {
  gate: GatewayRoute;
  /** The body the route answers with 200; throws what the route's handler would. */
  body: (
    admission: Admission,
    id: string | undefined,
    search: URLSearchParams,
  ) => string | Uint8Array<ArrayBuffer>;
}

/** What answering needs of the tenant: its journal, clock and fault rules. */
export interface DirectAnswerDeps {
  journal: RequestJournal;
  clock: SandboxClock;
  faults: () => FaultSet;
}

/** The reads the API answers directly, filled in by the routes that own them (resources/routes.ts). */
export class DirectReads {
  readonly #byId = new Map<string, DirectRead>();
  readonly #whole = new Map<string, DirectRead>();

  constructor(readonly gateway: GatewayDeps) {}

  /** `GET /{path}/{Id}`. */
  byId(path: string, read: DirectRead): void {
    this.#byId.set(path, read);
  }

  /** `GET /{path}`, a path with no parameter. */
  whole(path: string, read: DirectRead): void {
    this.#whole.set(path, read);
  }

  /** The response to a plain read, journalled; undefined to leave the request to the app. */
  answer(request: Request, env: unknown, deps: DirectAnswerDeps): Response | undefined {
    if (request.method !== 'GET') return undefined;
    const path = getPath(request);
    if (!path.startsWith(API_BASE_PATH) || path.charCodeAt(API_BASE_PATH.length) !== 47) return undefined;
    const relative = path.slice(API_BASE_PATH.length + 1);
    const slash = relative.indexOf('/');
    const read = slash === -1 ? this.#whole.get(relative) : this.#byId.get(relative.slice(0, slash));
    const id = slash === -1 ? undefined : relative.slice(slash + 1);
    if (!read || id?.includes('/')) return undefined;
    const headers = request.headers;
    const header: HeaderOf = (name) => headers.get(name) ?? undefined;
    if (!untouched(deps.faults(), header(FAULT_HEADER))) return undefined;
    const started = performance.now();
    const at = deps.clock.now();
    let admission: Admission | undefined;
    let body: string | Uint8Array<ArrayBuffer>;
    try {
      admission = admitKnownToken(this.gateway, read.gate, header);
      if (!admission) return undefined;
      body = read.body(admission, id, searchParams(request.url));
    } catch {
      // Declined, not answered: the app runs the request from the start and answers the refusal itself.
      return undefined;
    }
    const response = new Response(body, { status: 200, headers: JSON_TYPE });
    deps.journal.record({
      at,
      method: request.method,
      path: journalPath(path),
      ...requestRecord(request.url, headers, env),
      status: 200,
      latency_ms: elapsedMs(started),
      fault: null,
      reason: null,
      user: admission.user.email,
      site: admission.site?.site.site_id ?? null,
      company: admission.company?.companyId ?? null,
      client_id: admission.token.clientId,
    });
    return response;
  }
}
