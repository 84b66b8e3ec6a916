/**
 * `Sage200Client`: a Sage 200 Standard API client whose every path, parameter and record type comes from the
 * contract (openapi-fetch over the generated `paths`), with Sage ID sign-in, the X-Site / X-Company pair from
 * `/sites`, `$orderby`/`$top`/`$skip` paging, incremental reads by `date_time_updated`, retries on 429 and 503,
 * and typed errors. Base URLs are options: the defaults are the real Sage hosts, and pointing them at a sandbox is
 * the only change an integration needs. https://developer.sage.com/200/api/get-started/
 */
import createClient, { type Client } from 'openapi-fetch';
import type {
  ByIdPath,
  CompanySelection,
  ListItem,
  ListPath,
  PostPath,
  paths,
  RecordOf,
  RequestBodyOf,
  Schemas,
  WriteResultOf,
} from './contract-types.ts';
import {
  AuthError,
  type CallSite,
  ForbiddenError,
  NotFoundError,
  RateLimited,
  Sage200Error,
  ServerError,
  TrialWriteRejected,
  ValidationFailed,
} from './errors.ts';
import {
  type AuthorizationRequest,
  DEFAULT_SCOPE,
  type FetchFunction,
  SAGE200_AUDIENCE,
  SageIdAuth,
  type TokenSet,
} from './oauth.ts';
import {
  isRetryableStatus,
  nextDelayMs,
  parseRetryAfter,
  type RetryPolicy,
  resolveRetryPolicy,
  SYSTEM_TIMING,
  type Timing,
} from './retry.ts';

/**
 * The real hosts: Sage ID as integrators use it (https://github.com/SelectCo/magento2-module-sage200-api) and
 * the Standard API (https://nango.dev/docs/api-integrations/sage-200.md).
 */
export const SAGE_ID_BASE_URL = 'https://id.sage.com/';
export const SAGE200_API_BASE_URL = 'https://api.columbus.sage.com/uk/sage200/accounts/v1/';

/** Sage's documented page size limits: `$top` defaults to 500 and may not exceed 5000. */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 5000;

export interface Sage200ClientOptions {
  clientId: string;
  /** Absent for a public client, which then must sign in with PKCE. */
  clientSecret?: string;
  redirectUri: string;
  /** Default `https://id.sage.com/`; a sandbox's is `{origin}/id/`. */
  sageIdBaseUrl?: string;
  /** Default `https://api.columbus.sage.com/uk/sage200/accounts/v1/`; a sandbox's is `{origin}/uk/sage200/accounts/v1/`. */
  apiBaseUrl?: string;
  audience?: string;
  scope?: string;
  /** Sent as `Ocp-Apim-Subscription-Key` when given (Sage's gateway stopped requiring it on 6 Aug 2025). */
  subscriptionKey?: string;
  /** Default globalThis.fetch; `(r) => app.request(r)` talks to an in-process sandbox. */
  fetch?: FetchFunction;
  retry?: Partial<RetryPolicy>;
  timing?: Partial<Timing>;
  /** Refresh the access token when less than this many seconds are left. Default 60. */
  refreshSkewSeconds?: number;
  /** Tokens from an earlier sign-in, to resume a session. */
  tokens?: TokenSet;
  /** Called with every new token set, to persist it. */
  onTokens?: (tokens: TokenSet) => void;
  /** Called before each wait between attempts. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  call: CallSite;
  /** The attempt that failed, 1-based. */
  attempt: number;
  status: number | undefined;
  delayMs: number;
}

/** What the client has done so far; handy in logs and tests. */
export interface ClientStats {
  /** HTTP requests sent to the API, retries and repeats after a refresh included. */
  requests: number;
  retries: number;
  /** Repeats after a 401 and a successful refresh. */
  refreshesAfter401: number;
}

export interface ListOptions {
  $filter?: string;
  $select?: string;
  $expand?: string;
  /** The key to page by; it must be unique per record. Default `id`. */
  orderBy?: string;
  /** Records per page (`$top`), 1 to 5000. Default 500. */
  pageSize?: number;
  /** Only records changed after this instant: `date_time_updated gt <UTC>` (Sage requires the `Z`). */
  updatedSince?: Date;
}

type LooseParams = {
  header?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  path?: Record<string, string | number>;
};
type LooseInit = { params?: LooseParams; body?: unknown };
type LooseResult = { data?: unknown; error?: unknown; response: Response };
type LooseMethod = (path: string, init: LooseInit) => Promise<LooseResult>;

function requireAbsolute(name: string, value: string): string {
  if (!URL.canParse(value))
    throw new TypeError(`${name} must be an absolute URL, not ${JSON.stringify(value)}`);
  const url = new URL(value);
  if (url.search || url.hash) throw new TypeError(`${name} must have no query or fragment: ${value}`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** A Sage 200 API client for one signed-in user. */
export class Sage200Client {
  /** The typed openapi-fetch client: every call goes through sign-in, retries and typed errors. */
  readonly api: Client<paths>;
  readonly auth: SageIdAuth;
  readonly apiBaseUrl: string;
  readonly sageIdBaseUrl: string;
  readonly stats: ClientStats = { requests: 0, retries: 0, refreshesAfter401: 0 };
  /** The transport every call uses (Sage ID's too), as given in the options. */
  readonly fetch: FetchFunction;
  readonly #options: Sage200ClientOptions;
  readonly #retry: RetryPolicy;
  readonly #timing: Timing;

  constructor(options: Sage200ClientOptions) {
    if (!options.clientId || /\s/.test(options.clientId)) {
      throw new TypeError('clientId must be non-empty and contain no spaces (Sage ID keys have none)');
    }
    if (options.clientSecret !== undefined && /\s/.test(options.clientSecret)) {
      throw new TypeError('clientSecret must contain no spaces (Sage ID keys have none)');
    }
    requireAbsolute('redirectUri', options.redirectUri.split('?')[0] ?? '');
    this.#options = options;
    this.apiBaseUrl = requireAbsolute('apiBaseUrl', options.apiBaseUrl ?? SAGE200_API_BASE_URL);
    this.sageIdBaseUrl = requireAbsolute('sageIdBaseUrl', options.sageIdBaseUrl ?? SAGE_ID_BASE_URL);
    this.fetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.#retry = resolveRetryPolicy(options.retry);
    this.#timing = { ...SYSTEM_TIMING, ...options.timing };
    const skew = options.refreshSkewSeconds ?? 60;
    if (!Number.isFinite(skew) || skew < 0)
      throw new TypeError('refreshSkewSeconds must be a non-negative number');
    this.auth = new SageIdAuth({
      sageIdBaseUrl: this.sageIdBaseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri,
      audience: options.audience ?? SAGE200_AUDIENCE,
      scope: options.scope ?? DEFAULT_SCOPE,
      fetch: this.fetch,
      timing: this.#timing,
      refreshSkewMs: skew * 1000,
      tokens: options.tokens,
      onTokens: options.onTokens,
    });
    this.api = createClient<paths>({
      baseUrl: this.apiBaseUrl.replace(/\/$/, ''),
      fetch: (request) => this.#send(request),
    });
  }

  /** The URL to send the user to for sign-in (add `pkce` from `createPkce()`, and keep its verifier). */
  authorizationUrl(request: AuthorizationRequest): string {
    return this.auth.authorizationUrl(request);
  }

  /** Exchanges the callback's code (and the PKCE verifier) for tokens. */
  exchangeCode(code: string, codeVerifier?: string): Promise<TokenSet> {
    return this.auth.exchangeCode(code, codeVerifier);
  }

  refresh(): Promise<TokenSet> {
    return this.auth.refresh();
  }

  /** Revokes the refresh token at Sage ID and forgets the session. */
  revoke(): Promise<void> {
    return this.auth.revoke();
  }

  /** Every site and company the user may open (`GET /sites`). */
  async sites(): Promise<CompanySelection[]> {
    const { data } = await this.api.GET('/sites', {});
    return (data ?? []).flatMap((row: Schemas['Site']) =>
      row.site_id === undefined || row.company_id === undefined
        ? []
        : [
            {
              site_id: row.site_id,
              company_id: row.company_id,
              site_name: row.site_name,
              company_name: row.company_name,
            },
          ],
    );
  }

  /** The user's company with this id, or their first one; NotFoundError when the user has no such company. */
  async findCompany(companyId?: number): Promise<CompanySelection> {
    const sites = await this.sites();
    const found = companyId === undefined ? sites[0] : sites.find((s) => s.company_id === companyId);
    if (!found) {
      const known = sites.map((s) => s.company_id).join(', ') || 'none';
      throw new NotFoundError(
        companyId === undefined
          ? 'The user can open no company.'
          : `The user cannot open company ${companyId}; their companies are ${known}.`,
        404,
        { method: 'GET', path: '/sites' },
        false,
      );
    }
    return found;
  }

  /** Calls scoped to one company: every request carries its X-Site and X-Company. */
  company(selection: CompanySelection): CompanyClient {
    return new CompanyClient(this, selection);
  }

  #callSite(request: Request): CallSite {
    const base = new URL(this.apiBaseUrl).pathname.replace(/\/$/, '');
    const url = new URL(request.url);
    const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
    const call: CallSite = { method: request.method, path };
    if (url.search) call.query = decodeURIComponent(url.search.slice(1));
    return call;
  }

  /** Sends one API request: token, retries on 429/503 and network failures, one refresh on 401, typed errors. */
  async #send(request: Request): Promise<Response> {
    const call = this.#callSite(request);
    const body = request.body ? await request.clone().arrayBuffer() : undefined;
    const started = this.#timing.now();
    let refreshed = false;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const token = await this.auth.accessToken();
      const headers = new Headers(request.headers);
      headers.set('Authorization', `Bearer ${token}`);
      headers.set('Accept', 'application/json');
      if (this.#options.subscriptionKey !== undefined) {
        headers.set('Ocp-Apim-Subscription-Key', this.#options.subscriptionKey);
      }
      const init: RequestInit = { method: request.method, headers };
      if (body !== undefined) init.body = body;
      this.stats.requests += 1;
      let response: Response;
      try {
        response = await this.fetch(new Request(request.url, init));
      } catch (error) {
        const delay = nextDelayMs(attempt, undefined, started, this.#retry, this.#timing);
        if (delay === undefined) {
          throw new ServerError(
            `${call.method} ${call.path}: no response after ${attempt} attempt(s): ${(error as Error).message}`,
            undefined,
            call,
            { cause: error },
          );
        }
        await this.#wait(call, attempt, undefined, delay);
        continue;
      }
      if (response.status === 401 && !refreshed) {
        await response.body?.cancel();
        refreshed = true;
        await this.auth.recoverFromUnauthorized(token);
        this.stats.refreshesAfter401 += 1;
        attempt -= 1; // a repeat after a refresh is not a retry: it does not use up the retry budget
        continue;
      }
      if (isRetryableStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers.get('Retry-After'), this.#timing.now());
        const delay = nextDelayMs(attempt, retryAfter, started, this.#retry, this.#timing);
        if (delay !== undefined) {
          await response.body?.cancel();
          await this.#wait(call, attempt, response.status, delay);
          continue;
        }
      }
      if (!response.ok) throw await errorFor(response, call, attempt, this.#timing.now());
      return response;
    }
  }

  async #wait(call: CallSite, attempt: number, status: number | undefined, delayMs: number): Promise<void> {
    this.stats.retries += 1;
    this.#options.onRetry?.({ call, attempt, status, delayMs });
    await this.#timing.sleep(delayMs);
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Sage's message from an error body: `Message` (application), `message` (gateway), or the raw text. */
function messageOf(text: string): { message: string; gateway: boolean } {
  try {
    const body = JSON.parse(text) as { Message?: unknown; message?: unknown; statusCode?: unknown };
    if (typeof body.Message === 'string') return { message: body.Message, gateway: false };
    if (typeof body.message === 'string')
      return { message: body.message, gateway: body.statusCode !== undefined };
  } catch {
    // Not JSON.
  }
  return { message: text, gateway: false };
}

/** The typed error for a response that is not a success. */
async function errorFor(
  response: Response,
  call: CallSite,
  attempts: number,
  nowMs: number,
): Promise<Sage200Error> {
  const status = response.status;
  const { message, gateway } = messageOf(await response.text());
  const label = `${call.method} ${call.path}`;
  const said = message === '' ? '' : `: ${message}`;
  if (status === 401) {
    return new AuthError(
      `${label}: the API refused the credentials (401) even after a refresh`,
      status,
      call,
    );
  }
  if (status === 400) return new ValidationFailed(message, status, call);
  if (status === 403) {
    // Sage answers a trial site's write with a 403 whose message says so (wording assumed; Codat says trials
    // refuse writes: https://docs.codat.io/integrations/accounting/sage200/accounting-sage200-setup).
    if (WRITE_METHODS.has(call.method) && /trial|try and buy/i.test(message)) {
      return new TrialWriteRejected(`${label} refused on a trial site${said}`, status, call);
    }
    return new ForbiddenError(`${label} forbidden${said}`, status, call);
  }
  if (status === 404) return new NotFoundError(`${label}: not found${said}`, status, call, gateway);
  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'), nowMs);
    return new RateLimited(
      `${label}: still throttled (429) after ${attempts} attempt(s)${said}`,
      call,
      retryAfter === undefined ? undefined : retryAfter / 1000,
      attempts,
    );
  }
  if (status >= 500) {
    return new ServerError(
      `${label}: server error ${status} after ${attempts} attempt(s)${said}`,
      status,
      call,
    );
  }
  return new Sage200Error(`${label}: HTTP ${status}${said}`, status, call);
}

/** Calls for one company of the signed-in user. */
export class CompanyClient {
  /** X-Site and X-Company, typed as the contract declares them. */
  readonly headers: { 'X-Site': string; 'X-Company': number };

  constructor(
    readonly client: Sage200Client,
    readonly selection: CompanySelection,
  ) {
    this.headers = { 'X-Site': selection.site_id, 'X-Company': selection.company_id };
  }

  #method(name: 'GET' | 'POST' | 'PUT' | 'DELETE'): LooseMethod {
    // The public methods below are typed from `paths`; openapi-fetch cannot check a path that is a type
    // parameter, so the call itself goes through this one untyped view of the same client.
    return this.client.api[name] as unknown as LooseMethod;
  }

  /**
   * Every record of a list path, page by page (`$orderby=<key>&$top=<n>&$skip=<m>`) until a short page, as Sage
   * documents paging (https://developer.sage.com/200/guides/query-parameters).
   */
  async *list<P extends ListPath>(
    path: P,
    options: ListOptions = {},
  ): AsyncGenerator<ListItem<P>, void, void> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new TypeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const filters = [options.$filter, options.updatedSince && updatedSinceFilter(options.updatedSince)];
    const present = filters.filter((f): f is string => typeof f === 'string' && f !== '');
    const $filter = present.length > 1 ? present.map((f) => `(${f})`).join(' and ') : present[0];
    const query: Record<string, string | number> = { $orderby: options.orderBy ?? 'id', $top: pageSize };
    if ($filter !== undefined) query.$filter = $filter;
    if (options.$select !== undefined) query.$select = options.$select;
    if (options.$expand !== undefined) query.$expand = options.$expand;
    for (let skip = 0; ; ) {
      const { data } = await this.#method('GET')(path, {
        params: { header: this.headers, query: { ...query, $skip: skip } },
      });
      if (!Array.isArray(data)) {
        throw new Sage200Error(`GET ${path} answered something other than a list`, 200, {
          method: 'GET',
          path,
        });
      }
      for (const item of data) yield item as ListItem<P>;
      if (data.length < pageSize) return;
      skip += data.length;
    }
  }

  /** `list()` collected into an array. */
  async listAll<P extends ListPath>(path: P, options: ListOptions = {}): Promise<ListItem<P>[]> {
    const all: ListItem<P>[] = [];
    for await (const item of this.list(path, options)) all.push(item);
    return all;
  }

  /** One record by its id. */
  async get<P extends ByIdPath>(
    path: P,
    id: number,
    options: { $select?: string; $expand?: string } = {},
  ): Promise<RecordOf<P>> {
    const { data } = await this.#method('GET')(path, {
      params: { header: this.headers, path: { Id: id }, query: { ...options } },
    });
    return data as RecordOf<P>;
  }

  /** Creates a record, or posts a transaction (`POST /sales_invoices` and the like). */
  async create<P extends PostPath>(
    path: P,
    body: RequestBodyOf<P, 'post'>,
  ): Promise<WriteResultOf<P, 'post'>> {
    const { data } = await this.#method('POST')(path, { params: { header: this.headers }, body });
    return data as WriteResultOf<P, 'post'>;
  }

  /** Updates a record by id. */
  async update<P extends ByIdPath<'put'>>(
    path: P,
    id: number,
    body: RequestBodyOf<P, 'put'>,
  ): Promise<WriteResultOf<P, 'put'>> {
    const { data } = await this.#method('PUT')(path, {
      params: { header: this.headers, path: { Id: id } },
      body,
    });
    return data as WriteResultOf<P, 'put'>;
  }

  /** Deletes a record by id. */
  async delete<P extends ByIdPath<'delete'>>(path: P, id: number): Promise<WriteResultOf<P, 'delete'>> {
    const { data } = await this.#method('DELETE')(path, {
      params: { header: this.headers, path: { Id: id } },
    });
    return data as WriteResultOf<P, 'delete'>;
  }
}

/** `date_time_updated gt <instant>`: Sage wants UTC date-times ending in `Z`. */
export function updatedSinceFilter(since: Date): string {
  if (Number.isNaN(since.getTime())) throw new TypeError('updatedSince is not a valid date');
  return `date_time_updated gt ${since.toISOString()}`;
}
