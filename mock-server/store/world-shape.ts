/**
 * The shape a whole world must have before the sandbox serves it: what `PUT /admin/state` and a state file's
 * snapshot are checked against. Checked in place, never copied: a large world is hundreds of megabytes.
 */

import { echoed } from '../errors.ts';
import { checkAsOf } from '../world/calendar.ts';
import {
  type CompanyWorld,
  type SageModule,
  type SageRecord,
  SCALES,
  SITE_KINDS,
  type World,
} from '../world/model.ts';
import { defaultStoreLayout } from './layout.ts';

/** The first problem found in a world, named by its path (`sites[0].companies[1].next_id ...`). */
export class WorldShapeError extends Error {}

const SAGE_MODULES: readonly SageModule[] = ['sales', 'purchase', 'nominal', 'cash_book', 'stock'];
const NOMINAL_SOURCES = ['SL', 'PL', 'CB', 'NL'] as const;

type Fields = Record<string, unknown>;

/** Returns the value as a World when its shape is one, or throws WorldShapeError naming the first problem. */
export function validateWorld(value: unknown): World {
  const world = object(value, 'the world');
  wholeNumber(world.seed, 'seed', 0);
  if (!SCALES.includes(world.scale as never)) fail('scale', `must be one of ${SCALES.join(', ')}`);
  if (world.as_of !== undefined) {
    try {
      checkAsOf(world.as_of);
    } catch {
      fail('as_of', 'must be a calendar date YYYY-MM-DD');
    }
  }
  const sites = array(world.sites, 'sites');
  if (sites.length === 0) fail('sites', 'must hold at least one site');
  const siteIds = new Set<string>();
  sites.forEach((raw, i) => {
    const at = `sites[${i}]`;
    const site = object(raw, at);
    const siteId = text(site.site_id, `${at}.site_id`).toLowerCase();
    if (siteIds.has(siteId)) fail(`${at}.site_id`, `repeats site ${echoed(String(site.site_id))}`);
    siteIds.add(siteId);
    text(site.site_name, `${at}.site_name`);
    text(site.site_short_name, `${at}.site_short_name`);
    if (!SITE_KINDS.includes(site.kind as never))
      fail(`${at}.kind`, `must be one of ${SITE_KINDS.join(', ')}`);
    const companies = array(site.companies, `${at}.companies`);
    if (companies.length === 0) fail(`${at}.companies`, 'must hold at least one company');
    const companyIds = new Set<number>();
    companies.forEach((company, j) => {
      const id = validateCompany(company, `${at}.companies[${j}]`);
      if (companyIds.has(id)) fail(`${at}.companies[${j}].company_id`, `repeats company ${id} in this site`);
      companyIds.add(id);
    });
  });
  const users = array(world.users, 'users');
  if (users.length === 0) fail('users', 'must hold at least one user');
  const emails = new Set<string>();
  users.forEach((raw, i) => {
    const at = `users[${i}]`;
    const user = object(raw, at);
    wholeNumber(user.id, `${at}.id`, 0);
    const email = text(user.email, `${at}.email`).trim().toLowerCase();
    if (emails.has(email)) fail(`${at}.email`, `repeats ${echoed(String(user.email))}`);
    emails.add(email);
    text(user.name, `${at}.name`);
    if (!SITE_KINDS.includes(user.kind as never))
      fail(`${at}.kind`, `must be one of ${SITE_KINDS.join(', ')}`);
    if (!siteIds.has(text(user.site_id, `${at}.site_id`).toLowerCase())) {
      fail(`${at}.site_id`, `names no site of this world (${echoed(String(user.site_id))})`);
    }
    if (user.other_site_ids !== undefined) {
      array(user.other_site_ids, `${at}.other_site_ids`).forEach((id, k) => {
        if (!siteIds.has(text(id, `${at}.other_site_ids[${k}]`).toLowerCase())) {
          fail(`${at}.other_site_ids[${k}]`, `names no site of this world (${echoed(String(id))})`);
        }
      });
    }
    array(user.denied_modules, `${at}.denied_modules`).forEach((module, k) => {
      if (!SAGE_MODULES.includes(module as SageModule)) {
        fail(`${at}.denied_modules[${k}]`, `must be one of ${SAGE_MODULES.join(', ')}`);
      }
    });
  });
  return value as World;
}

/** Checks one company and returns its id. */
function validateCompany(raw: unknown, at: string): number {
  const company = object(raw, at);
  const companyId = wholeNumber(company.company_id, `${at}.company_id`, 0);
  text(company.company_name, `${at}.company_name`);
  record(company.company_details, `${at}.company_details`);
  record(company.licence, `${at}.licence`);
  finite(company.ledger_imbalance, `${at}.ledger_imbalance`);
  const nextId = wholeNumber(company.next_id, `${at}.next_id`, 1);
  const nextUrn = wholeNumber(company.next_urn, `${at}.next_urn`, 1);
  const collections = object(company.collections, `${at}.collections`);
  const layout = defaultStoreLayout();
  for (const name of Object.keys(collections)) {
    if (!layout.companyCollections.has(name)) {
      fail(
        `${at}.collections.${echoed(name)}`,
        `is not a collection the sandbox keeps (${[...layout.companyCollections].join(', ')})`,
      );
    }
  }
  for (const name of layout.companyCollections) {
    const where = `${at}.collections.${name}`;
    if (collections[name] === undefined) fail(where, 'is missing');
    const ids = new Set<number | string>();
    // Views are keyed by their own id field (the catalog's key); only `id` comes from the company's next_id.
    const { key } = layout.table(name);
    array(collections[name], where).forEach((r, i) => {
      const value = record(r, `${where}[${i}]`)[key];
      // A few Sage lists are keyed by a name (`/configurable_terms` by `key`), not a number.
      const id =
        typeof value === 'string' && key !== 'id' && value !== ''
          ? value
          : wholeNumber(value, `${where}[${i}].${key}`, 0);
      if (ids.has(id)) fail(`${where}[${i}].${key}`, `repeats ${key} ${echoed(String(id))}`);
      if (key === 'id' && typeof id === 'number' && id >= nextId) {
        fail(`${where}[${i}].id`, `is ${id}, not below the company's next_id ${nextId}`);
      }
      ids.add(id);
    });
  }
  array(company.nominal_entries, `${at}.nominal_entries`).forEach((r, i) => {
    const where = `${at}.nominal_entries[${i}]`;
    const entry = object(r, where);
    for (const field of ['id', 'nominal_code_id', 'accounting_period_id'] as const) {
      wholeNumber(entry[field], `${where}.${field}`, 0);
    }
    const urn = wholeNumber(entry.urn, `${where}.urn`, 0);
    if (urn >= nextUrn) fail(`${where}.urn`, `is ${urn}, not below the company's next_urn ${nextUrn}`);
    text(entry.transaction_date, `${where}.transaction_date`);
    finite(entry.value, `${where}.value`);
    if (!NOMINAL_SOURCES.includes(entry.source as never)) {
      fail(`${where}.source`, `must be one of ${NOMINAL_SOURCES.join(', ')}`);
    }
    if (typeof entry.narrative !== 'string') fail(`${where}.narrative`, 'must be a string');
  });
  return companyId;
}

/**
 * A point-in-time view of a world that later writes do not change: the containers are copied, the records are
 * shared (a write replaces a record, never mutates it), so this costs pointers, not megabytes.
 */
export function captureWorld(world: World): World {
  return {
    ...world,
    users: [...world.users],
    sites: world.sites.map((site) => ({ ...site, companies: site.companies.map(captureCompany) })),
  };
}

/** A point-in-time view of one company, as `captureWorld` takes of each. */
export function captureCompany(company: CompanyWorld): CompanyWorld {
  const collections = {} as CompanyWorld['collections'];
  for (const [name, records] of Object.entries(company.collections)) {
    if (records) collections[name] = [...records];
  }
  return {
    ...company,
    collections,
    nominal_entries: [...company.nominal_entries],
  };
}

function fail(path: string, problem: string): never {
  throw new WorldShapeError(`${path} ${problem}`);
}

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, 'must be a JSON object');
  return value as Fields;
}

function record(value: unknown, path: string): SageRecord {
  return object(value, path) as SageRecord;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string');
  return value;
}

function wholeNumber(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    fail(path, `must be a whole number of at least ${min}`);
  }
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  return value;
}
