/**
 * Helpers for the write tests: a signed-in caller that sends any verb with a JSON body and holds every answer to
 * the contract, and a byte-exact snapshot of one company for "nothing changed" checks.
 */
import { expect } from 'vitest';
import { createResponseValidator, loadContract } from '../../contracts/index.ts';
import { API_BASE_PATH } from '../../mock-server/http/paths.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import { companyHeaders, mintToken, userOf } from './sandbox.ts';

export const contract = loadContract();

/**
 * POSTs that answer a question from the company's records and save nothing, which trial sites may call as well
 * (mock-server/resources/enquiries.ts, price-enquiry.ts, product-search.ts, suggested-products.ts, the bins of a
 * line to despatch from in despatch.ts, and the batch and serial numbers a transfer, a despatch or an order line may
 * take in stock-transfers.ts, traceable-order-lines.ts and traceable-amend.ts).
 */
export const SAVES_NOTHING: ReadonlySet<string> = new Set([
  '/currency_exchange_rates',
  '/transaction_date_validation',
  '/customer_price_enquiry',
  '/product_search',
  '/suggested_products',
  '/sop_confirm_despatch_bin_items',
  '/sop_confirm_despatch_traceable_items',
  '/sop_order_line_traceable_items',
  '/stock_transfer_traceable_items',
  '/traceable_items_amend_traceable_items',
  '/traceable_items_assign_traceable_items',
]);
const validator = createResponseValidator(contract);

export interface Answer {
  status: number;
  /** The parsed JSON body, or undefined when the body is empty. */
  body: unknown;
  headers: Headers;
}

export interface Writer {
  company: CompanyStore;
  /** Sends `method path` with `body` as JSON (a string is sent as is); the answer must match the contract. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** `send`, insisting on a 200; returns the body. */
  ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Holds one answer to the contract: its path template must exist for the verb, and the status and body match. */
export function expectContract(method: string, path: string, answer: Answer): void {
  const template = validator.matchPath(method, path);
  expect(template, `${method} ${path} is not in the contract`).toBeDefined();
  const result = validator.validateResponse(method, template ?? '', answer.status, answer.body);
  if (!result.ok) throw new Error(`${method} ${path} ${answer.status} breaks the contract: ${result.errors}`);
}

/** A signed-in user writing to their first (or given) company. */
export async function writerFor(app: SandboxApp, email: string, companyIndex = 0): Promise<Writer> {
  const token = await mintToken(app, email);
  const gateway = { Authorization: `Bearer ${token}`, ...companyHeaders(app, email, companyIndex) };
  const site = app.sandbox.store.site(userOf(app, email).site_id);
  const company = [...(site?.companies.values() ?? [])][companyIndex];
  if (!company) throw new Error(`${email} has no company #${companyIndex}`);
  const send = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const init: RequestInit = { method, headers: { ...gateway, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json', ...gateway, ...headers };
    }
    const response = await app.request(`${API_BASE_PATH}${path}`, init);
    const text = await response.text();
    const answer = {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    };
    if (validator.matchPath(method, path) !== undefined) expectContract(method, path, answer);
    return answer;
  };
  return {
    company,
    send,
    async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
      const answer = await send(method, path, body);
      if (answer.status !== 200) {
        throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body as T;
    },
  };
}

/** The company's whole state as JSON: records, ledger and id counters. */
export function snapshot(company: CompanyStore): string {
  return JSON.stringify(company.company);
}

/**
 * What any committed write moves: each table's version and size, the ledger's length and the id counters. It costs
 * microseconds where `snapshot` costs tens of milliseconds, so a sweep checks it after every call and compares a
 * whole snapshot once at the end, which also catches a change made without a commit.
 */
export function commitStamp(company: CompanyStore): string {
  const { collections, nominal_entries, next_id, next_urn } = company.company;
  const tables = ['company_details', ...Object.keys(collections)].map((name) => {
    const table = company.table(name);
    return `${name}:${table.version}:${table.all().length}`;
  });
  return `${next_id} ${next_urn} ${nominal_entries.length} ${tables.join(' ')}`;
}

/** Where two snapshots of a company differ, by top-level field and collection: what to look at when they do. */
export function snapshotDifferences(before: string, after: string): string[] {
  const [was, is] = [JSON.parse(before), JSON.parse(after)] as Record<string, unknown>[];
  const fields = (company: Record<string, unknown>) => ({
    ...company,
    collections: undefined,
    ...Object.fromEntries(
      Object.entries(company.collections as Record<string, unknown>).map(([name, rows]) => [
        `collections.${name}`,
        rows,
      ]),
    ),
  });
  const [a, b] = [fields(was!), fields(is!)];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => JSON.stringify(a[key as keyof typeof a]) !== JSON.stringify(b[key as keyof typeof b]),
  );
}

/** Moves the sandbox clock forward through the admin API. */
export async function advanceClock(app: SandboxApp, seconds: number): Promise<string> {
  const response = await app.request('/admin/clock/advance', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { now: string }).now;
}

/** Writes that save nothing, which trial sites may call: the `*_new` templates (POST and PUT), and SAVES_NOTHING. */
export function savesNothing(template: string): boolean {
  return /_new(\/\{Id\})?$/.test(template) || SAVES_NOTHING.has(template);
}
