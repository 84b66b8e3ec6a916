/**
 * Plain reads answered before the router: a GET of one record by id (`/customers/{Id}`), of a list
 * (`/customers?$filter=...`) or of `/sites`, when no
 * fault rule is set and no X-Sandbox-Fault header sent, from a token the gateway has verified before. Such a
 * request goes through the same gateway checks and the same read as its route, and is journalled as the journal
 * middleware would record it, without a Hono context, router match or middleware chain (issue 11, per-request
 * overhead). On a listening server it is answered from the Node request itself, before @hono/node-server builds a
 * web Request for it; in process, from the web Request. Anything else, a refusal or an error included, is not
 * answered here: the app serves it from the start, so every error keeps its one shape (mock-server/errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getPath } from 'hono/utils/url';
import type { SandboxClock } from '../clock.ts';
import { FAULT_HEADER, type FaultSet, untouched } from '../faults/index.ts';
import {
  type Admission,
  type AdmissionMemo,
  admissionMemo,
  admitRemembered,
  type GatewayDeps,
  type GatewayRoute,
  type HeaderOf,
} from '../gateway/index.ts';
import { endWithJson, type JsonParts } from '../http/body-pool.ts';
import { nodeRequest } from '../http/node-request.ts';
import { API_BASE_PATH } from '../http/paths.ts';
import { searchParams } from '../http/search-params.ts';
import { elapsedMs, journalPath, type RequestJournal, requestRecord } from '../journal/index.ts';
import { joinJson } from '../store/index.ts';
import { QUERY_PLAN_HEADER } from './query.ts';
import { JSON_TYPE } from './route-helpers.ts';

/** What a read answers with 200: its JSON and, for a list, the query plan it used. */
export interface ReadAnswer {
  json: string | Uint8Array<ArrayBuffer> | JsonParts;
  plan?: string;
}

/** A route's read, shared by the route's handler and the direct answer. */
export interface DirectRead {
  gate: GatewayRoute;
  /** What the route answers with 200; throws what the route's handler would. */
  answer: (admission: Admission, id: string | undefined, search: URLSearchParams) => ReadAnswer;
}

/** The JSON of an answer as one string or buffer, for a web Response. */
export function answerBody(answer: ReadAnswer): string | Uint8Array<ArrayBuffer> {
  const { json } = answer;
  return typeof json === 'string' || json instanceof Uint8Array ? json : joinJson(json);
}

/** The headers of an answer: JSON, and the plan of a list (QUERY_PLAN_HEADER). */
export function answerHeaders(answer: ReadAnswer): Record<string, string> {
  return answer.plan === undefined ? JSON_TYPE : { ...JSON_TYPE, [QUERY_PLAN_HEADER]: answer.plan };
}

/** What answering needs of the tenant: its journal, clock and fault rules. */
export interface DirectAnswerDeps {
  journal: RequestJournal;
  clock: SandboxClock;
  faults: () => FaultSet;
}

/** A read with its gateway's last admission (admitRemembered). */
interface Remembered {
  read: DirectRead;
  memo: AdmissionMemo;
}

const FAULT = FAULT_HEADER.toLowerCase();

/**
 * A request target and a Host that @hono/node-server puts into the web Request's URL exactly as sent (the same
 * patterns as its own): only characters it leaves alone, no `.` or `..` segment. It rewrites or refuses anything
 * else, so such a request is left to it and to the app.
 */
const VERBATIM_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
const VERBATIM_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** The reads the API answers directly, filled in by the routes that own them (resources/routes.ts). */
export class DirectReads {
  readonly #byId = new Map<string, Remembered>();
  readonly #whole = new Map<string, Remembered>();

  constructor(readonly gateway: GatewayDeps) {}

  /** `GET /{path}/{Id}`. */
  byId(path: string, read: DirectRead): void {
    this.#byId.set(path, { read, memo: admissionMemo() });
  }

  /** `GET /{path}`, a path with no parameter. */
  whole(path: string, read: DirectRead): void {
    this.#whole.set(path, { read, memo: admissionMemo() });
  }

  /** The response to a plain read from a web Request, journalled; undefined to leave the request to the app. */
  answer(request: Request, env: unknown, deps: DirectAnswerDeps): Response | undefined {
    if (request.method !== 'GET') return undefined;
    const headers = request.headers;
    const answer = this.#read(
      getPath(request),
      request.url,
      (name) => headers.get(name) ?? undefined,
      nodeRequest(env)?.rawHeaders ?? headers,
      deps,
    );
    if (answer === undefined) return undefined;
    return new Response(answerBody(answer), { status: 200, headers: answerHeaders(answer) });
  }

  /**
   * Answers a plain read straight from the Node request and says so; false leaves it to @hono/node-server and the
   * app. Headers are read from Node's raw list as a web Request reads them (rawHeader).
   */
  answerNode(incoming: IncomingMessage, outgoing: ServerResponse, deps: DirectAnswerDeps): boolean {
    const target = incoming.url ?? '';
    if (incoming.method !== 'GET' || !target.startsWith(API_BASE_PATH)) return false;
    const raw = incoming.rawHeaders;
    const read = readHeaders(raw);
    const host = read.host;
    if (host === undefined || !verbatimHost(host)) return false;
    const end = pathEnd(target);
    const path = end === -1 ? target : target.slice(0, end);
    if (!verbatimPath(path)) return false;
    // A query the adapter would rewrite (a space, `%20`), it parses as a URL: so is it here, to read the same query.
    const url = end === -1 || VERBATIM_TARGET.test(target) ? target : new URL(`http://${host}${target}`).href;
    const answer = this.#read(
      path,
      url,
      (name) => (Object.hasOwn(read, name) ? read[name as keyof ReadHeaders] : rawHeader(raw, name)),
      raw,
      deps,
    );
    if (answer === undefined) return false;
    const { json, plan } = answer;
    const length = typeof json === 'string' ? Buffer.byteLength(json) : json.byteLength;
    // The adapter sends a Response's headers as it holds them: JSON_TYPE as written, but lower-cased names once a
    // second header makes them a Headers object; so does this. Literal names: Node reads such an object fastest.
    if (plan === undefined) {
      outgoing.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': length });
    } else {
      outgoing.writeHead(200, {
        'content-type': JSON_CONTENT_TYPE,
        // QUERY_PLAN_HEADER, lower-cased (test/contract/direct-reads-wire.test.ts compares the bytes sent).
        'x-sandbox-query-plan': plan,
        'Content-Length': length,
      });
    }
    endWithJson(outgoing, json);
    return true;
  }

  /** The body of a plain GET of `path`, journalled; undefined when it is not one. */
  #read(
    path: string,
    url: string,
    header: HeaderOf,
    recorded: Headers | readonly string[],
    deps: DirectAnswerDeps,
  ): ReadAnswer | undefined {
    if (!path.startsWith(API_BASE_PATH) || path.charCodeAt(API_BASE_PATH.length) !== 47) return undefined;
    const relative = path.slice(API_BASE_PATH.length + 1);
    const slash = relative.indexOf('/');
    const route = slash === -1 ? this.#whole.get(relative) : this.#byId.get(relative.slice(0, slash));
    const id = slash === -1 ? undefined : relative.slice(slash + 1);
    if (!route || id?.includes('/') || !untouched(deps.faults(), header(FAULT))) return undefined;
    const { read, memo } = route;
    const started = performance.now();
    const at = deps.clock.now();
    let admission: Admission | undefined;
    let answer: ReadAnswer;
    try {
      admission = admitRemembered(this.gateway, read.gate, header, memo);
      if (!admission) return undefined;
      answer = read.answer(admission, id, searchParams(url));
    } catch {
      // Declined, not answered: the app runs the request from the start and answers the refusal itself.
      return undefined;
    }
    const { query, headers } = requestRecord(url, recorded);
    deps.journal.record({
      at,
      method: 'GET',
      path: journalPath(path),
      query,
      headers,
      status: 200,
      latency_ms: elapsedMs(started),
      fault: null,
      reason: null,
      user: admission.user.email,
      site: admission.site?.site.site_id ?? null,
      company: admission.company?.companyId ?? null,
      client_id: admission.token.clientId,
    });
    return answer;
  }
}

const JSON_CONTENT_TYPE = JSON_TYPE['Content-Type'];

/** The headers the direct path reads, by lower-case name, each as `rawHeader` gives it. */
interface ReadHeaders {
  host: string | undefined;
  authorization: string | undefined;
  'x-site': string | undefined;
  'x-company': string | undefined;
  'x-sandbox-fault': string | undefined;
  'ocp-apim-subscription-key': string | undefined;
}

/** The headers the direct path reads, in one pass over Node's raw list rather than one pass each. */
function readHeaders(raw: readonly string[]): ReadHeaders {
  const read: ReadHeaders = {
    host: undefined,
    authorization: undefined,
    'x-site': undefined,
    'x-company': undefined,
    'x-sandbox-fault': undefined,
    'ocp-apim-subscription-key': undefined,
  };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const known = READ_BY_LENGTH[name.length];
    if (known === undefined || !sameName(name, known)) continue;
    const value = raw[i + 1]!;
    const before = read[known];
    read[known] = before === undefined ? value : `${before}, ${value}`;
  }
  return read;
}

/** ReadHeaders' names by length: no two share one, so a name's length says which it could be. */
const READ_BY_LENGTH: (keyof ReadHeaders | undefined)[] = [];
for (const name of [
  'host',
  'authorization',
  'x-site',
  'x-company',
  'x-sandbox-fault',
  'ocp-apim-subscription-key',
] as const satisfies readonly (keyof ReadHeaders)[]) {
  if (READ_BY_LENGTH[name.length] !== undefined) throw new Error(`two read headers are ${name.length} long`);
  READ_BY_LENGTH[name.length] = name;
}

/**
 * The last Host and path found verbatim. A client sends the same Host call after call, and often the same path:
 * comparing with the last one found is cheaper than running the patterns again.
 */
const lastVerbatim = { host: '', path: '' };

function verbatimHost(host: string): boolean {
  if (host === lastVerbatim.host) return true;
  if (!VERBATIM_HOST.test(host)) return false;
  lastVerbatim.host = host;
  return true;
}

function verbatimPath(path: string): boolean {
  if (path === lastVerbatim.path) return true;
  if (!VERBATIM_TARGET.test(path) || DOT_SEGMENT.test(path)) return false;
  lastVerbatim.path = path;
  return true;
}

/** Where the path of a request target ends: at its query or fragment, as Hono's getPath reads it. */
function pathEnd(target: string): number {
  const query = target.indexOf('?');
  const fragment = target.indexOf('#');
  return query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
}

/**
 * A header from Node's raw list by lower-case name, as a web Request's `headers.get` gives it: every value of the
 * name, in order, joined by `, ` (Node has trimmed each), so a repeated Authorization reads as the gateway would
 * see it through the adapter. Cheaper than Node's `incoming.headers`, which builds an object of every header.
 */
function rawHeader(raw: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!sameName(raw[i]!, name)) continue;
    value = value === undefined ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}

/**
 * Whether a header name is `lower` (letters and `-` only), ignoring case, without a lower-cased copy: setting bit
 * 0x20 lower-cases an ASCII letter, and no other character of a valid name lands on a letter or on `-` by it.
 */
function sameName(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
