/**
 * Helpers for the posting tests: a sandbox whose world the test may change (posting mutates it, so never the shared
 * small world), a signed-in poster, the seeded records a posting names, and reads of balances and period values.
 */
import { expect } from 'vitest';
import { createResponseValidator, loadContract } from '../../contracts/index.ts';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import { buildWorld } from '../../mock-server/seed/index.ts';
import { SITE_KINDS } from '../../mock-server/world/index.ts';
import type { CompanyWorld, SageRecord, SiteKind, World } from '../../mock-server/world/model.ts';
import { TEST_AS_OF } from '../support/as-of.ts';
import { api, type Caller, callerFor, userOf } from '../support/sandbox.ts';

const validator = createResponseValidator(loadContract());

/** Pence of a pounds value, as the ledger counts. */
export const pence = (value: unknown): number => Math.round(Number(value) * 100);

let baseWorld: World | undefined;

/** The seed-200 small world, built once per file; never served directly (tests post into copies). */
export function postingBaseWorld(): World {
  baseWorld ??= buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF });
  return baseWorld;
}

/**
 * A sandbox over a copy of the small world in which the companies of `kinds` sites are deep copies (the others are
 * shared with the base world, so they must only be read).
 */
export function postingSandbox(kinds: readonly SiteKind[] = SITE_KINDS): SandboxApp {
  const world = postingBaseWorld();
  const copy: World = {
    ...world,
    sites: world.sites.map((site) =>
      kinds.includes(site.kind)
        ? { ...site, companies: site.companies.map((c) => structuredClone(c)) }
        : site,
    ),
  };
  return createSandbox({ world: copy });
}

export interface PostResult {
  status: number;
  body: unknown;
}

export interface Poster extends Caller {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<PostResult>;
  /** The company the poster posts to, as the store holds it. */
  company(): CompanyWorld;
}

/** A signed-in user who posts to their first (or given) company. */
export async function posterFor(app: SandboxApp, email: string, companyIndex = 0): Promise<Poster> {
  const caller = await callerFor(app, email, companyIndex);
  const user = userOf(app, email);
  return {
    ...caller,
    async post(path, body, headers = {}) {
      const response = await app.request(api(path), {
        method: 'POST',
        headers: { ...caller.headers, 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    company() {
      const company = app.sandbox.store.site(user.site_id)?.site.companies[companyIndex];
      if (!company) throw new Error(`${email} has no company #${companyIndex}`);
      return company;
    },
  };
}

/** Fails the test when a response does not match the contract for `method template`. */
export function expectContractValid(method: string, template: string, status: number, body: unknown): void {
  const result = validator.validateResponse(method, template, status, body);
  expect(result.ok, result.ok ? '' : result.errors).toBe(true);
}

/** Every record of a collection, paged as docs/client-and-sync.md describes. */
export async function readAll(caller: Caller, path: string, orderBy = 'id'): Promise<SageRecord[]> {
  const rows: SageRecord[] = [];
  const pageSize = 2000;
  for (let skip = 0; ; skip += pageSize) {
    const separator = path.includes('?') ? '&' : '?';
    const page = await caller.json<SageRecord[]>(
      `${path}${separator}$orderby=${orderBy}&$top=${pageSize}&$skip=${skip}`,
    );
    rows.push(...page);
    if (page.length < pageSize) return rows;
  }
}

/** The seeded records a posting names, read from a company of the world. */
export interface Refs {
  customers: SageRecord[];
  suppliers: SageRecord[];
  bank(code: string): SageRecord;
  taxCode(code: number): SageRecord;
  nominal(reference: string, costCentre?: string, department?: string): SageRecord;
  baseCurrencyId: number;
}

export function refsOf(company: CompanyWorld): Refs {
  const c = company.collections;
  const base = c.currencies.find((x) => x.is_base_currency === true)!;
  const find = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what} in company ${company.company_id}`);
    return value;
  };
  return {
    customers: c.customers.filter((x) => x.currency_id === base.id),
    suppliers: c.suppliers.filter((x) => x.currency_id === base.id),
    bank: (code) =>
      find(
        c.banks.find((b) => b.code === code),
        `bank ${code}`,
      ),
    taxCode: (code) =>
      find(
        c.tax_codes.find((t) => t.code === code),
        `tax code ${code}`,
      ),
    nominal: (reference, costCentre = '', department = '') =>
      find(
        c.nominal_codes.find(
          (n) =>
            n.reference === reference &&
            n.cost_centre_code === costCentre &&
            n.department_code === department,
        ),
        `nominal code ${reference}/${costCentre}/${department}`,
      ),
    baseCurrencyId: Number(base.id),
  };
}
