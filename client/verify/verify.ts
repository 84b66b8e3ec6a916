/**
 * `sage200-sandbox verify`: reads every list and record path of the contract the token can read, holds each answer
 * to the contract, probes the documented behaviours of README.md's Fidelity table, and reports what the service
 * confirmed and contradicted. Read-only: the only writes are the empty-body POSTs to the paths `allowWrites`
 * names, which the contract says must be refused. Query rules: https://developer.sage.com/200/guides/query-parameters
 */
import {
  loadContract,
  type OpenApiDocument,
  objectSchema,
  resolvePointer,
  type SchemaObject,
} from '../../contracts/index.ts';
import { type Difference, DifferenceLedger } from './differences.ts';
import { checkExchange, parseBody } from './exchange-check.ts';
import type { PacedFetch, Throttle } from './http.ts';
import { RowLedger, type RowResult } from './rows.ts';
import { validatorFor } from './validator.ts';

export interface VerifyTarget {
  /** The API base, ending in `/`: `https://api.columbus.sage.com/uk/sage200/accounts/v1/`. */
  apiBaseUrl: string;
  accessToken: string;
  /** X-Site and X-Company; the first company `/sites` lists when undefined. */
  site: string | undefined;
  company: string | undefined;
}

export interface VerifyOptions extends VerifyTarget {
  fetch: PacedFetch;
  /** `$top` of each list read in the walk: the records whose fields are checked and whose ids the record paths use. */
  sample: number;
  /** Contract paths (`/customers`) that may receive one POST with an empty body. */
  allowWrites: readonly string[];
  /** Called with each path as it is read, for a progress line. */
  onProgress?: (text: string) => void;
  /** Row evidence from before the walk (the Sage ID token response). */
  rows?: RowLedger;
}

export interface VerifyReport {
  apiBaseUrl: string;
  site: string | undefined;
  company: string | undefined;
  requests: number;
  read: { lists: number; records: number };
  notRead: { path: string; reason: string }[];
  rows: RowResult[];
  differences: Difference[];
  throttles: Throttle[];
  /** Whether anything contradicts the contract or the Fidelity table: the exit code is 1 when so. */
  contradicted: boolean;
}

/** The largest `$top` Sage takes, and its default (the query-parameters guide). */
const TOP_DEFAULT = 500;
const TOP_MAXIMUM = 5000;
/** Lists counted with `$count=true` to find one long enough to show the `$top` default. */
const MAX_COUNT_PROBES = 12;
const UNKNOWN_ID = 2147483646;
const INVALID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2ZXJpZnkifQ.c2lnbmF0dXJl';

interface Answer {
  status: number;
  text: string;
  contentType: string | null;
  body: unknown;
}

type Records = readonly Record<string, unknown>[];

/** Runs the walk and the probes against one company. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const doc = loadContract();
  const validator = validatorFor(doc);
  const rows = options.rows ?? new RowLedger();
  const differences = new DifferenceLedger();
  const notRead: { path: string; reason: string }[] = [];
  let requests = 0;
  let site = options.site;
  let company = options.company;

  const send = async (
    method: string,
    path: string,
    headers: { token?: string | null; site?: string | null; company?: string | null } = {},
    body?: string,
  ): Promise<Answer> => {
    const sent = new Headers({ Accept: 'application/json' });
    const token = headers.token === undefined ? options.accessToken : headers.token;
    if (token !== null) sent.set('Authorization', `Bearer ${token}`);
    const siteHeader = headers.site === undefined ? site : headers.site;
    const companyHeader = headers.company === undefined ? company : headers.company;
    if (siteHeader != null) sent.set('X-Site', siteHeader);
    if (companyHeader != null) sent.set('X-Company', companyHeader);
    if (body !== undefined) sent.set('Content-Type', 'application/json');
    requests += 1;
    options.onProgress?.(`${method} ${path}`);
    const url = new URL(path.replace(/^\//, ''), options.apiBaseUrl);
    let response: Response;
    try {
      response = await options.fetch(
        new Request(url, { method, headers: sent, ...(body === undefined ? {} : { body }) }),
      );
    } catch (error) {
      // Only the URL and the cause: the request's headers hold the token.
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new VerifyError(`${method} ${url.origin}${url.pathname} could not be sent: ${cause}`);
    }
    const text = await response.text();
    return {
      status: response.status,
      text,
      contentType: response.headers.get('content-type'),
      body: parseBody(text),
    };
  };

  const check = (template: string, answer: Answer, method = 'GET') => {
    const findings = checkExchange(doc, validator, {
      method,
      template,
      status: answer.status,
      contentType: answer.contentType,
      text: answer.text,
    });
    differences.add(findings, `${method} ${template}`);
  };

  // Sites first: they need no X-Site or X-Company, and give them when not given.
  const sites = await send('GET', '/sites', { site: null, company: null });
  check('/sites', sites);
  const basePath = new URL(options.apiBaseUrl).pathname;
  rows.check(
    'api-base-path',
    sites.status === 200 && basePath.replace(/\/$/, '') === '/uk/sage200/accounts/v1',
    `GET ${basePath}sites answered ${sites.status}`,
  );
  if (sites.status !== 200) {
    throw new VerifyError(
      `GET ${options.apiBaseUrl}sites answered ${sites.status}: check the base URL and the token`,
    );
  }
  if (site === undefined || company === undefined) {
    const first = (Array.isArray(sites.body) ? sites.body : []).find(
      (entry: { site_id?: unknown; company_id?: unknown }) =>
        (site === undefined || entry.site_id === site) &&
        (company === undefined || String(entry.company_id) === company),
    ) as { site_id?: unknown; company_id?: unknown } | undefined;
    if (first === undefined) throw new VerifyError('/sites lists no company this token can open');
    site ??= String(first.site_id);
    company ??= String(first.company_id);
  }

  // The walk: every GET of the contract, lists before the paths that take ids from them.
  const answers = new Map<string, Answer>();
  const read = async (template: string, concrete: string): Promise<Answer> => {
    const cached = answers.get(concrete);
    if (cached) return cached;
    const isList = !template.endsWith('}');
    const answer = await send('GET', isList ? `${concrete}?$top=${options.sample}` : concrete);
    answers.set(concrete, answer);
    if (answer.status === 403)
      notRead.push({ path: template, reason: 'refused with 403: the role lacks its module' });
    else check(template, answer);
    return answer;
  };
  const recordsOf = (answer: Answer | undefined): Records =>
    answer?.status === 200 && Array.isArray(answer.body) ? (answer.body as Records) : [];

  const getPaths = Object.keys(doc.paths).filter((path) => doc.paths[path]?.get && path !== '/sites');
  const lists = getPaths.filter((path) => !path.includes('{'));
  const withIds = getPaths.filter((path) => path.includes('{'));
  let listsRead = 0;
  let recordsRead = 0;
  for (const path of lists) {
    const answer = await read(path, path);
    if (answer.status !== 200) continue;
    listsRead += 1;
    if (recordSchema(doc, path) !== undefined) {
      rows.check(
        'lists-bare-arrays',
        Array.isArray(answer.body),
        `GET ${path} answered ${describe(answer.body)}`,
      );
    }
  }

  /** The template's first concrete path whose parents all have children, or why there is none. */
  const concretize = async (
    segments: readonly string[],
    index: number,
    concrete: string,
  ): Promise<string | undefined> => {
    if (index === segments.length) return concrete;
    const segment = segments[index]!;
    if (!segment.startsWith('{')) return concretize(segments, index + 1, `${concrete}/${segment}`);
    const listTemplate = segments.slice(0, index).join('/');
    const source = doc.paths[listTemplate]?.get
      ? await read(listTemplate, concrete)
      : doc.paths[`/${segments[index - 1]}`]?.get
        ? await read(`/${segments[index - 1]}`, `/${segments[index - 1]}`)
        : undefined;
    if (source === undefined) throw new NoIdSource(`/${segments[index - 1]}`);
    const ids = recordsOf(source)
      .map((record) => record.id)
      .filter((id) => typeof id === 'number' || typeof id === 'string');
    for (const id of ids.slice(0, 5)) {
      const found = await concretize(segments, index + 1, `${concrete}/${encodeURIComponent(String(id))}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const template of withIds) {
    let concrete: string | undefined;
    try {
      concrete = await concretize(template.split('/'), 1, '');
    } catch (error) {
      if (!(error instanceof NoIdSource)) throw error;
      notRead.push({
        path: template,
        reason: `the contract has no list ${error.message} to take its ids from`,
      });
      continue;
    }
    if (concrete === undefined) {
      notRead.push({ path: template, reason: 'no record to read: the lists it takes ids from are empty' });
      continue;
    }
    const answer = await read(template, concrete);
    if (answer.status === 200) {
      if (template.endsWith('}')) recordsRead += 1;
      else listsRead += 1;
    }
  }

  await probe(doc, send, rows, answers, lists, options.sample);
  for (const path of options.allowWrites) {
    const answer = await send('POST', path, {}, '{}');
    check(path, answer, 'POST');
  }

  const throttles = [...options.fetch.throttles];
  for (const throttle of throttles) {
    rows.check(
      'throttle-429',
      throttle.retryAfterSeconds !== undefined,
      `${throttle.method} ${throttle.path}: 429 ${throttle.retryAfterSeconds === undefined ? 'without a readable Retry-After' : `with Retry-After ${throttle.retryAfterSeconds}`}`,
    );
  }
  const found = differences.differences();
  if (found.length === 0)
    rows.check('record-schemas', true, `${requests} answers held to the contract, no difference`);
  else
    rows.check(
      'record-schemas',
      false,
      `${found.length} difference(s) from the contract, listed by resource`,
    );
  const results = rows.results();
  return {
    apiBaseUrl: options.apiBaseUrl,
    site,
    company,
    requests,
    read: { lists: listsRead, records: recordsRead },
    notRead,
    rows: results,
    differences: found,
    throttles,
    contradicted: results.some((row) => row.status === 'contradicted'),
  };
}

class NoIdSource extends Error {}

/** A run that cannot go on (the base URL or the token is wrong); the message says which. */
export class VerifyError extends Error {
  override name = 'VerifyError';
}

function describe(body: unknown): string {
  if (body === undefined) return 'an empty body';
  if (Array.isArray(body)) return `an array of ${body.length}`;
  return body === null ? 'null' : `a JSON ${typeof body}`;
}

type Send = (
  method: string,
  path: string,
  headers?: { token?: string | null; site?: string | null; company?: string | null },
) => Promise<Answer>;

function recordSchema(doc: OpenApiDocument, list: string): SchemaObject | undefined {
  const ok = doc.paths[list]?.get?.responses['200'];
  const response = (ok && '$ref' in ok ? resolvePointer(doc, String(ok.$ref)) : ok) as
    | { content?: Record<string, { schema?: SchemaObject }> }
    | undefined;
  const schema = response?.content?.['application/json']?.schema;
  const array = schema?.oneOf?.find((option) => option.type === 'array') ?? schema;
  return array?.items === undefined ? undefined : objectSchema(doc, array.items);
}

/** The documented behaviours, each sent as its own request to lists the walk found readable. */
async function probe(
  doc: OpenApiDocument,
  send: Send,
  rows: RowLedger,
  answers: ReadonlyMap<string, Answer>,
  lists: readonly string[],
  sample: number,
): Promise<void> {
  const readable = lists.filter((path) => answers.get(path)?.status === 200);
  const stamped = readable.filter(
    (path) => recordSchema(doc, path)?.properties?.date_time_updated !== undefined,
  );
  const target = stamped.includes('/customers') ? '/customers' : stamped[0];
  if (target === undefined) {
    for (const id of ['site-company-required', 'gateway-401', 'gateway-401-body'] as const) {
      rows.note(id, 'not tested: no list with date_time_updated was readable');
    }
    return;
  }

  const gateway = async (label: string, headers: Parameters<Send>[2]) => {
    const answer = await send('GET', `${target}?$top=1`, headers);
    const refused = answer.status === 401;
    rows.check('gateway-401', refused, `${label}: GET ${target} answered ${answer.status}`);
    if (refused)
      rows.check(
        'gateway-401-body',
        answer.text === '',
        `${label}: the 401's body is ${answer.text === '' ? 'empty' : `${answer.text.length} characters`}`,
      );
    return answer;
  };
  for (const [label, headers, row] of [
    ['without X-Site', { site: null }, true],
    ['without X-Company', { company: null }, true],
    ['with an unknown X-Company', { company: String(UNKNOWN_ID) }, false],
    ['without a token', { token: null }, false],
    ['with an invalid token', { token: INVALID_TOKEN }, false],
  ] as const) {
    const answer = await gateway(label, headers);
    if (row)
      rows.check(
        'site-company-required',
        answer.status === 401,
        `${label}: GET ${target} answered ${answer.status}`,
      );
  }

  const status = async (
    id: Parameters<RowLedger['check']>[0],
    path: string,
    expected: number,
    label: string,
  ) => {
    const answer = await send('GET', path);
    rows.check(id, answer.status === expected, `${label}: GET ${path} answered ${answer.status}`);
    return answer;
  };
  // $select keeps the largest page small where the records have an id to select.
  const narrow = recordSchema(doc, target)?.properties?.id === undefined ? '' : '&$select=id';
  await status('top-default-max', `${target}?$top=${TOP_MAXIMUM}${narrow}`, 200, '$top at the maximum');
  await status('top-default-max', `${target}?$top=${TOP_MAXIMUM + 1}`, 400, `$top above the maximum`);
  await status('skip-needs-orderby', `${target}?$skip=1&$top=1`, 400, '$skip without $orderby');
  await status('skip-needs-orderby', `${target}?$skip=1&$top=1&$orderby=id`, 200, '$skip with $orderby');
  await status(
    'filter-date-needs-z',
    `${target}?$filter=date_time_updated%20gt%202000-01-01T00:00:00&$top=1`,
    400,
    'a date-time without Z',
  );
  await status(
    'filter-date-needs-z',
    `${target}?$filter=date_time_updated%20gt%202000-01-01T00:00:00Z&$top=1`,
    200,
    'the same with Z',
  );
  const unknown = await status('unknown-id-404', `${target}/${UNKNOWN_ID}`, 404, 'an id no record has');
  if (unknown.status === 404) {
    const message = (unknown.body as { Message?: unknown } | undefined)?.Message;
    rows.check(
      'unknown-id-404',
      typeof message === 'string',
      `its body ${typeof message === 'string' ? 'has' : 'lacks'} a Message`,
    );
  }

  // The default page: a list longer than it, found by counting the lists whose sample came back full.
  const full = readable.filter((path) => {
    const body = answers.get(path)?.body;
    return Array.isArray(body) && body.length >= sample;
  });
  for (const path of full.slice(0, MAX_COUNT_PROBES)) {
    const count = await send('GET', `${path}?$count=true`);
    const isInteger = Number.isInteger(count.body);
    rows.check(
      'count-bare-integer',
      count.status === 200 && isInteger,
      `GET ${path}?$count=true answered ${count.status} ${describe(count.body)}`,
    );
    if (!isInteger || (count.body as number) <= TOP_DEFAULT) continue;
    const page = await send('GET', path);
    const length = Array.isArray(page.body) ? page.body.length : undefined;
    rows.check(
      'top-default-max',
      length === TOP_DEFAULT,
      `without $top, GET ${path} (${count.body as number} records) answered ${length ?? describe(page.body)} of them`,
    );
    return;
  }
  rows.note('top-default-max', `default not tested: no list counted more than ${TOP_DEFAULT} records`);
}
