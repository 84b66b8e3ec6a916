/** Helpers shared by the API tests: a small sandbox, tokens for seeded users, and calls with the gateway headers. */

import { API_BASE_PATH } from '../../mock-server/http/paths.ts';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import type { SandboxOptionsInput } from '../../mock-server/options.ts';
import { buildWorld } from '../../mock-server/seed/index.ts';
import { DEFERRABLE_FIELDS, deferredCompany } from '../../mock-server/world/deferred-company.ts';
import type { CompanyWorld, SandboxSite, SandboxUser, World } from '../../mock-server/world/model.ts';
import { TEST_AS_OF } from './as-of.ts';

export const USERS = {
  full: 'full@sandbox.test',
  trial: 'trial@sandbox.test',
  sandbox: 'sandbox@sandbox.test',
  limited: 'limited@sandbox.test',
} as const;

let smallWorld: World | undefined;

/**
 * The seed-200 small world, built once per worker and frozen: shared read-only, so a write to it fails loudly
 * instead of leaking into other tests. Sandboxes that write get a copy (`testSandbox()`, `copyOfWorld`).
 */
export function smallTestWorld(): World {
  smallWorld ??= deepFreeze(buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF }));
  return smallWorld;
}

let groupWorld: World | undefined;

/**
 * The seed-200 small world with the trading group (a user on two sites, a three-company site, the euro company),
 * which the small world leaves out: built once per worker and frozen, as `smallTestWorld()`.
 */
export function groupTestWorld(): World {
  groupWorld ??= deepFreeze(buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF, tradingGroup: true }));
  return groupWorld;
}

/** A sandbox on its own copy of the small world with the trading group, clock frozen (as `testSandbox()`). */
export function groupTestSandbox(options: SandboxOptionsInput = {}): SandboxApp {
  return createSandbox({ world: copyOfWorld(groupTestWorld()), freezeClock: true, ...options });
}

/** Each frozen test world's companies, all but their id and name, as JSON: made once per worker. */
const companyTexts = new WeakMap<World, string[]>();

/**
 * A copy of a frozen test world, each company parsed from its JSON when first used (mock-server/world/
 * deferred-company.ts). Most tests use one company of five, and parsing one costs a fraction of a
 * `structuredClone` of the whole world; the copy serializes as the world does.
 */
export function copyOfWorld(world: World): World {
  let texts = companyTexts.get(world);
  if (!texts) {
    texts = world.sites.flatMap((site) =>
      site.companies.map((company) =>
        JSON.stringify(Object.fromEntries(DEFERRABLE_FIELDS.map((field) => [field, company[field]]))),
      ),
    );
    companyTexts.set(world, texts);
  }
  const companies = texts.values();
  const copyCompany = ({ company_id, company_name }: CompanyWorld): CompanyWorld => {
    const text = companies.next().value!;
    const deferred = deferredCompany(company_id, company_name, () => deferred.settle(JSON.parse(text)));
    return deferred.company;
  };
  const copySite = (site: SandboxSite): SandboxSite =>
    Object.fromEntries(
      Object.entries(site).map(([key, value]) => [
        key,
        key === 'companies' ? site.companies.map(copyCompany) : structuredClone(value),
      ]),
    ) as unknown as SandboxSite;
  return Object.fromEntries(
    Object.entries(world).map(([key, value]) => [
      key,
      key === 'sites' ? world.sites.map(copySite) : structuredClone(value),
    ]),
  ) as unknown as World;
}

/**
 * A sandbox serving the shared small world itself rather than a copy: the cheap choice for tests that only read
 * (faults, the journal, Sage ID). A write through it fails loudly rather than changing the world.
 */
export function sharedWorldSandbox(options: SandboxOptionsInput = {}): SandboxApp {
  return createSandbox({ world: smallTestWorld(), freezeClock: true, ...options });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A sandbox on its own copy of the small world (writes never leak between sandboxes), whose clock moves only when
 * a test advances it.
 */
export function testSandbox(options: SandboxOptionsInput = {}): SandboxApp {
  return createSandbox({ world: copyOfWorld(smallTestWorld()), freezeClock: true, ...options });
}

export async function mintToken(app: SandboxApp, email: string): Promise<string> {
  const response = await app.request('/admin/tokens', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: email }),
  });
  if (response.status !== 200) throw new Error(`cannot mint a token for ${email}: ${response.status}`);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export function userOf(app: SandboxApp, email: string): SandboxUser {
  const user = app.sandbox.store.userByEmail(email);
  if (!user) throw new Error(`no seeded user ${email}`);
  return user;
}

/** X-Site and X-Company of a user's first (or given) company. */
export function companyHeaders(app: SandboxApp, email: string, index = 0): Record<string, string> {
  const user = userOf(app, email);
  const company = app.sandbox.store.site(user.site_id)?.site.companies[index];
  if (!company) throw new Error(`${email} has no company #${index}`);
  return { 'X-Site': user.site_id, 'X-Company': String(company.company_id) };
}

export interface Caller {
  token: string;
  headers: Record<string, string>;
  get(path: string, extra?: Record<string, string>): Promise<Response>;
  json<T = unknown>(path: string): Promise<T>;
}

/** A signed-in user calling the API for their first (or given) company. */
export async function callerFor(app: SandboxApp, email: string, companyIndex = 0): Promise<Caller> {
  const token = await mintToken(app, email);
  const headers = { Authorization: `Bearer ${token}`, ...companyHeaders(app, email, companyIndex) };
  const get = async (path: string, extra: Record<string, string> = {}): Promise<Response> =>
    app.request(`${API_BASE_PATH}${path}`, { headers: { ...headers, ...extra } });
  return {
    token,
    headers,
    get,
    async json<T>(path: string): Promise<T> {
      const response = await get(path);
      if (response.status !== 200)
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

export function api(path: string): string {
  return `${API_BASE_PATH}${path}`;
}
