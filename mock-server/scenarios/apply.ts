/**
 * Applies loaded scenarios to a world (docs/scenarios.md): sites, users and companies first, then each company's
 * records, named accounts, opening balances, postings (through the API's posting engine, mock-server/ledger/) and
 * deliberate faults (below the engine, as the seed makes the sandbox company's designed imbalance: one-sided
 * nominal entries, and period values moved or removed with them). The world given is never changed: the scenarios
 * are applied to a copy, and a problem anywhere refuses them all.
 */
import { createHash } from 'node:crypto';
import { SageApiError } from '../errors.ts';
import { derivedChanges, LedgerBooks, POSTINGS, postDraft } from '../ledger/index.ts';
import { periodValueRow } from '../seed/derive.ts';
import { buildGeneratedCompany, VOLUMES } from '../seed/index.ts';
import { mixSeed } from '../seed/random.ts';
import { ownerUser } from '../seed/users.ts';
import { type Change, type CompanyStore, Store } from '../store/index.ts';
import {
  asOfOfInstant,
  businessDate,
  dayOf,
  WORLD_DATES,
  withWorldDates,
  worldDates,
} from '../world/calendar.ts';
import { blankRecord, type FieldNode, fieldsOf } from '../world/fields.ts';
import type { CompanyWorld, NominalEntry, SageRecord, SandboxSite, World } from '../world/model.ts';
import { collectionKey, type LoadedScenario, type ScenarioPath } from './load.ts';
import type { NominalRef, PeriodRef, RelativeDate, ScenarioCompany, ScenarioJson } from './schema.ts';

const DAY_MS = 86_400_000;

/** Where a new company's own record ids start, as in every seeded company. */
const FIRST_COMPANY_ID = 2000;

/** The user name the scenario's postings carry (Sage's `user_name` holds 20 characters). */
const SCENARIO_USER = 'scenario';

/** The control account a `control_account_mismatch` posts against when the file names none: Suspense. */
const DEFAULT_AGAINST = '9999';

/** Debtors and creditors control accounts (the ledger's own, mock-server/ledger/books.ts). */
const CONTROL = { sales: 'debtors', purchase: 'creditors' } as const;

/**
 * The world with every scenario applied, in order; `world` itself is left as it was. Copy on write: the world's
 * lists are copied, and a company only when a scenario changes it (its collections copied, its records shared: the
 * store and the posting engine replace records, never change them), so a company no scenario names stays as the
 * world cache gave it, unread until a request needs it.
 */
export function applyScenarios(world: World, scenarios: readonly LoadedScenario[], asOf?: string): World {
  if (scenarios.length === 0) return world;
  const dates = worldDates(world.as_of ?? asOf ?? asOfOfInstant(Date.now()));
  return withWorldDates(dates, () => applyAsOf(world, scenarios));
}

/** `applyScenarios` with the world's dates set: a scenario's "today" and periods are the world's own. */
function applyAsOf(world: World, scenarios: readonly LoadedScenario[]): World {
  const copy: World = {
    ...world,
    users: [...world.users],
    sites: world.sites.map((site) => ({ ...site, companies: [...site.companies] })),
  };
  const template = world.sites.flatMap((s) => s.companies)[0];
  const owned = new Set<CompanyWorld>();
  for (const scenario of scenarios) {
    const work = shape(copy, scenario, template, owned);
    const store = new Store(copy);
    for (const { company, at, spec } of work) {
      const site = store.world.sites.find((s) => s.companies.includes(company))!;
      const companyStore = store.site(site.site_id)!.companies.get(company.company_id)!;
      fill(new CompanyWork(scenario, store, companyStore, at), spec);
    }
  }
  return copy;
}

/** The site's company at `index` as a company of the copy, copied the first time a scenario changes it. */
function own(site: SandboxSite, index: number, owned: Set<CompanyWorld>): CompanyWorld {
  const company = site.companies[index]!;
  if (owned.has(company)) return company;
  const collections = Object.fromEntries(
    Object.entries(company.collections).map(([name, records]) => [name, records ? [...records] : records]),
  ) as CompanyWorld['collections'];
  const copy: CompanyWorld = { ...company, collections, nominal_entries: [...company.nominal_entries] };
  site.companies[index] = copy;
  owned.add(copy);
  return copy;
}

interface CompanyJob {
  company: CompanyWorld;
  at: ScenarioPath;
  spec: ScenarioCompany;
}

/** A GUID as the seeded sites have, derived from the scenario and the site's place so a file gives the same world. */
function siteGuid(scenario: LoadedScenario, index: number): string {
  const hex = createHash('sha256').update(`${scenario.document.name}/${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Sites, users and companies: the world's structure, before any company is filled. */
function shape(
  world: World,
  scenario: LoadedScenario,
  template: CompanyWorld | undefined,
  owned: Set<CompanyWorld>,
): CompanyJob[] {
  const jobs: CompanyJob[] = [];
  const allCompanies = () => world.sites.flatMap((s) => s.companies.map((c) => [s, c] as const));
  scenario.document.sites?.forEach((spec, s) => {
    const at: ScenarioPath = ['sites', s];
    const siteId = spec.id ?? siteGuid(scenario, s);
    let site = world.sites.find((x) => x.site_id === siteId);
    if (!site) {
      if (!spec.name) scenario.fail([...at, 'name'], 'a new site needs a name');
      site = {
        site_id: siteId,
        site_name: spec.name,
        site_short_name: scenario.document.name.slice(0, 20),
        kind: spec.kind ?? 'full',
        companies: [],
      };
      world.sites.push(site);
    } else {
      if (spec.name) site.site_name = spec.name;
      if (spec.kind) {
        const { kind } = spec;
        const { site_id } = site;
        site.kind = kind;
        // A user's kind is its site's (the sign-in page and the trial refusal read it).
        world.users.forEach((user, i) => {
          if (user.site_id === site_id) world.users[i] = { ...user, kind };
        });
      }
    }
    spec.users?.forEach((email, u) => {
      const existing = world.users.find((user) => user.email.toLowerCase() === email.toLowerCase());
      if (existing) {
        if (existing.site_id === site.site_id) return;
        scenario.fail(
          [...at, 'users', u],
          `${email} already signs in to site ${existing.site_id}; a user has one site`,
        );
      }
      // Below the seeded users' ids (1000-1999) and every company's own (2000 on).
      const id = 100 + world.users.filter((user) => user.id < 1000).length;
      world.users.push({
        id,
        email,
        name: email.split('@')[0] ?? email,
        kind: site.kind,
        site_id: site.site_id,
        denied_modules: [],
      });
    });
    spec.companies?.forEach((companySpec, c) => {
      const path = [...at, 'companies', c];
      const index = site.companies.findIndex((x) => x.company_id === companySpec.id);
      if (index >= 0 && companySpec.base === undefined) {
        jobs.push({ company: own(site, index, owned), at: path, spec: companySpec });
        return;
      }
      const elsewhere = allCompanies().find(([, x]) => x.company_id === companySpec.id);
      if (elsewhere) {
        scenario.fail(
          [...path, 'id'],
          `X-Company ${companySpec.id} is already ${elsewhere[1].company_name} (site ${elsewhere[0].site_id}); ids are distinct across the world`,
        );
      }
      const company = newCompany(scenario, world, site, companySpec, path, template);
      site.companies.push(company);
      owned.add(company);
      jobs.push({ company, at: path, spec: companySpec });
    });
    site.companies.forEach((_, index) => {
      addSiteUsers(world, site, own(site, index, owned));
    });
  });
  scenario.document.companies?.forEach((companySpec, c) => {
    const path = ['companies', c];
    const found = allCompanies().find(([, x]) => x.company_id === companySpec.id);
    if (!found) scenario.fail([...path, 'id'], `no company has X-Company ${companySpec.id}`);
    if (companySpec.base !== undefined)
      scenario.fail([...path, 'base'], 'base is for a new company of `sites`');
    const [site, company] = found;
    jobs.push({ company: own(site, site.companies.indexOf(company), owned), at: path, spec: companySpec });
  });
  return jobs;
}

/** Gives every user of the site a Sage 200 user record in the company, as the seed gives the owner one. */
function addSiteUsers(world: World, site: SandboxSite, company: CompanyWorld): void {
  const users = company.collections.users ?? [];
  const added = world.users
    .filter((user) => user.site_id === site.site_id && !users.some((r) => r.id === user.id))
    .map(ownerUser);
  if (added.length > 0) company.collections.users = [...users, ...added];
}

function newCompany(
  scenario: LoadedScenario,
  world: World,
  site: SandboxSite,
  spec: ScenarioCompany,
  at: ScenarioPath,
  template: CompanyWorld | undefined,
): CompanyWorld {
  const name = spec.name ?? scenario.fail([...at, 'name'], 'a new company needs a name');
  if (spec.base === undefined)
    scenario.fail([...at, 'base'], 'a new company needs a base: empty, seeded or generated');
  if (spec.counts !== undefined && spec.base !== 'generated')
    scenario.fail([...at, 'counts'], 'counts are for base: generated');
  if (spec.base === 'generated') {
    if (spec.from !== undefined) scenario.fail([...at, 'from'], 'from is for base: seeded');
    return generatedCompany(scenario, world, site, spec, name, at);
  }
  if (!template) scenario.fail(at, 'the world has no company to take a company’s shape from');
  if (spec.base === 'seeded') {
    const fromId = spec.from ?? template.company_id;
    const from = world.sites.flatMap((s) => s.companies).find((c) => c.company_id === fromId);
    if (!from) scenario.fail([...at, 'from'], `no seeded company has X-Company ${fromId}`);
    const company = structuredClone(from);
    company.company_id = spec.id;
    company.company_name = name;
    company.company_details = { ...company.company_details, name };
    return company;
  }
  if (spec.from !== undefined) scenario.fail([...at, 'from'], 'from is for base: seeded');
  const stamp = WORLD_DATES.now;
  const details = blankRecord('company_details', stamp);
  details.id = FIRST_COMPANY_ID - 1;
  details.name = name;
  // Every collection a seeded company holds, empty: the store serves each (an empty list) as Sage would.
  const collections = Object.fromEntries(
    Object.keys(template.collections).map((key) => [key, []]),
  ) as unknown as CompanyWorld['collections'];
  return {
    company_id: spec.id,
    company_name: name,
    company_details: details,
    licence: structuredClone(template.licence),
    collections,
    nominal_entries: [],
    ledger_imbalance: 0,
    next_urn: 1,
    next_id: FIRST_COMPANY_ID,
  };
}

/**
 * A company the seed builds at the file's counts (the small world's where absent), on a seed of its own mixed from
 * the world's seed, its X-Company id and its name, so the same file, seed and as-of date give the same company.
 */
function generatedCompany(
  scenario: LoadedScenario,
  world: World,
  site: SandboxSite,
  spec: ScenarioCompany,
  name: string,
  at: ScenarioPath,
): CompanyWorld {
  const owner = world.users.find(
    (user) => user.site_id === site.site_id || user.other_site_ids?.includes(site.site_id),
  );
  if (!owner)
    scenario.fail(
      at,
      'a generated company needs a user on its site to own it (add one under the site’s users)',
    );
  const small = VOLUMES.small;
  const counts = spec.counts ?? {};
  const nameHash = createHash('sha256').update(name).digest().readUInt32BE(0);
  return buildGeneratedCompany({
    companyId: spec.id,
    name,
    volumes: {
      customers: counts.customers ?? small.customers,
      suppliers: counts.suppliers ?? small.suppliers,
      products: counts.products ?? small.products,
      salesPerMonth: counts.sales_per_month ?? small.salesPerMonth,
      purchasesPerMonth: counts.purchases_per_month ?? small.purchasesPerMonth,
    },
    seed: mixSeed(world.seed, spec.id, nameHash),
    owner,
  });
}

/** The sandbox's "now" for the scenario's postings: the world's own, so a file gives the same world every time. */
function worldNow(): number {
  return Date.parse(WORLD_DATES.now);
}

class CompanyWork {
  readonly books: LedgerBooks;
  readonly stamp = new Date(worldNow()).toISOString();

  constructor(
    readonly scenario: LoadedScenario,
    readonly store: Store,
    readonly company: CompanyStore,
    readonly at: ScenarioPath,
  ) {
    this.books = new LedgerBooks(company);
  }

  fail(path: ScenarioPath, message: string): never {
    return this.scenario.fail([...this.at, ...path], message);
  }

  commit(changes: Change[]): void {
    this.store.commit(this.company, changes);
  }

  ids() {
    return { nextId: () => this.company.reserveId(), nextUrn: () => this.company.reserveUrn() };
  }

  /** The accounting period a reference names, from the company's own periods. */
  period(ref: PeriodRef, path: ScenarioPath): SageRecord {
    const period = this.company
      .table('financial_year_period_views')
      .all()
      .find((p) => p.year_relative_to_current_year === ref.year && p.period_number === ref.number);
    if (!period)
      this.fail(
        path,
        `the company has no period ${ref.number} in year ${ref.year} (relative to the current)`,
      );
    return period;
  }

  /** The period after `period`, or undefined after the last. */
  nextPeriod(period: SageRecord): SageRecord | undefined {
    const end = dayOfBusiness(period.period_end_date);
    return this.company
      .table('financial_year_period_views')
      .all()
      .find((p) => dayOfBusiness(p.period_start_date) === end + 1);
  }

  nominal(ref: NominalRef, path: ScenarioPath): SageRecord {
    const {
      reference,
      cost_centre = '',
      department = '',
    } = typeof ref === 'string' ? { reference: ref } : ref;
    const [code] = this.books.nominalCodes(reference, cost_centre, department);
    if (!code)
      this.fail(path, `the company has no nominal code ${[reference, cost_centre, department].join('/')}`);
    return code;
  }

  /** Entries written into the nominal ledger with every value they move: through the engine in open years. */
  writeEntries(entries: NominalEntry[]): void {
    const years = new Map(
      this.company
        .table('financial_year_period_views')
        .all()
        .map((p) => [Number(p.accounting_period_id), p]),
    );
    const open = entries.filter(
      (e) => Number(years.get(e.accounting_period_id)?.year_relative_to_current_year) >= 0,
    );
    const closed = entries.filter((e) => !open.includes(e));
    const changes: Change[] = [{ kind: 'nominal_entries', entries }];
    changes.push(...derivedChanges(this.books, open, [], this.stamp, this.ids()));
    // The engine posts to no closed year; a fault there (as the sandbox company's January opening) moves its
    // period value directly, as the seed's derivation does.
    for (const entry of closed) {
      const row = this.books.periodValue(entry.nominal_code_id, entry.accounting_period_id);
      const movement = Math.round(entry.value * 100);
      changes.push({
        kind: 'put',
        table: 'nominal_period_value_views',
        record: row
          ? {
              ...row,
              nominal_period_value_actual_value:
                (Math.round(Number(row.nominal_period_value_actual_value) * 100) + movement) / 100 + 0,
            }
          : periodValueRow(
              this.books.nominalCode(entry.nominal_code_id)!,
              years.get(entry.accounting_period_id)!,
              this.company.reserveId(),
              this.stamp,
              movement,
            ),
      });
    }
    this.commit(changes);
  }

  entry(code: SageRecord, period: SageRecord, pence: number, urn: number, narrative: string): NominalEntry {
    return {
      id: this.books.nextNominalEntryId(),
      nominal_code_id: Number(code.id),
      accounting_period_id: Number(period.accounting_period_id),
      transaction_date: String(period.period_start_date),
      value: pence / 100 + 0,
      source: 'NL',
      urn,
      narrative,
    };
  }
}

function dayOfBusiness(value: unknown): number {
  return dayOf(String(value).slice(0, 10));
}

/** One company's contents, in the order docs/scenarios.md gives. */
function fill(work: CompanyWork, spec: ScenarioCompany): void {
  if (spec.currency) baseCurrency(work, spec.currency, ['currency']);
  for (const [collection, records] of Object.entries(spec.records ?? {})) {
    records.forEach((record, i) => {
      putRecord(work, collection, record, ['records', collection, i]);
    });
  }
  const hidden: (() => void)[] = [];
  for (const [collection, key] of [
    ['customers', 'reference'],
    ['suppliers', 'reference'],
    ['products', 'code'],
    ['nominal_codes', 'reference'],
  ] as const) {
    spec[collection]?.forEach((fields, i) => {
      const { account_status_type, ...rest } = fields;
      named(work, collection, key, rest, [collection, i]);
      if (account_status_type !== undefined)
        hidden.push(() => named(work, collection, key, fields, [collection, i]));
    });
  }
  if (spec.opening_balances) openingBalances(work, spec.opening_balances);
  spec.postings?.forEach((posting, i) => {
    const path: ScenarioPath = ['postings', i];
    const body = resolveLookups(work, posting.body, [...path, 'body']) as Record<string, ScenarioJson>;
    if (posting.date) body.transaction_date = businessDate(dayIn(work, posting.date, [...path, 'date']));
    const now = worldNow();
    try {
      const draft = POSTINGS[posting.endpoint].draft(body, work.books, { today: Math.floor(now / DAY_MS) });
      const result = postDraft(work.books, draft, { now, userName: SCENARIO_USER, ids: work.ids() });
      work.commit(result.changes);
    } catch (error) {
      if (error instanceof SageApiError)
        work.fail([...path, 'body'], `POST /${posting.endpoint} refused it: ${error.message}`);
      throw error;
    }
  });
  // A hidden account takes no postings, so an account's status is set after the postings: a file can give an
  // account its history and then archive it, as a user would.
  for (const hide of hidden) hide();
  spec.faults?.forEach((fault, i) => {
    const path: ScenarioPath = ['faults', i];
    const urn = work.company.reserveUrn();
    switch (fault.kind) {
      case 'unbalanced': {
        const code = work.nominal(fault.nominal_code, [...path, 'nominal_code']);
        const period = work.period(fault.period, [...path, 'period']);
        const pence = Math.round(fault.amount * 100);
        const entries = [work.entry(code, period, pence, urn, 'Scenario fault: one-sided entry')];
        let until = period;
        for (let n = 1; n < (fault.periods ?? Number.POSITIVE_INFINITY); n++) {
          const next = work.nextPeriod(until);
          if (!next) break;
          until = next;
        }
        const reversal = fault.periods === undefined ? undefined : work.nextPeriod(until);
        if (reversal)
          entries.push(work.entry(code, reversal, -pence, urn, 'Scenario fault: one-sided reversal'));
        work.writeEntries(entries);
        work.company.company.ledger_imbalance =
          (Math.round(work.company.company.ledger_imbalance * 100) + (reversal ? 0 : pence)) / 100 + 0;
        break;
      }
      case 'control_account_mismatch': {
        const controls = work.books.controlAccounts();
        const control = controls[CONTROL[fault.ledger]];
        const against = work.nominal(fault.against ?? DEFAULT_AGAINST, [...path, 'against']);
        const period = work.period(fault.period, [...path, 'period']);
        // The control account exceeds the accounts' total by `amount`: a debit on debtors, a credit on creditors.
        const pence = Math.round(fault.amount * 100) * (fault.ledger === 'sales' ? 1 : -1);
        const code = work.books.nominalCode(control.id)!;
        work.writeEntries([
          work.entry(code, period, pence, urn, 'Scenario fault: control account'),
          work.entry(against, period, -pence, urn, 'Scenario fault: control account'),
        ]);
        break;
      }
      case 'missing_period_value': {
        const code = work.nominal(fault.nominal_code, [...path, 'nominal_code']);
        const period = work.period(fault.period, [...path, 'period']);
        const row = work.books.periodValue(Number(code.id), Number(period.accounting_period_id));
        if (!row || Number(row.nominal_period_value_actual_value) === 0) {
          work.fail(path, `nominal code ${String(code.reference)} has no value in that period to go missing`);
        }
        work.commit([
          { kind: 'delete', table: 'nominal_period_value_views', id: Number(row.nominal_period_value_id) },
        ]);
        break;
      }
      default: {
        const never: never = fault;
        throw new Error(`scenario: unknown fault ${JSON.stringify(never)}`);
      }
    }
  });
}

/**
 * Makes the currency of ISO code `code` the base currency (Sage's `is_base_currency`), every other currency's rate
 * re-expressed against it. The company's amounts stay as they are: they are read in the new base currency.
 */
function baseCurrency(work: CompanyWork, code: string, path: ScenarioPath): void {
  const iso = work.company
    .table('currency_iso_codes')
    .all()
    .find((r) => r.code === code);
  const currencies = work.company.table('currencies').all();
  const chosen = iso && currencies.find((c) => c.currency_iso_code_id === iso.id);
  if (!chosen) work.fail(path, `the company has no ${code} currency (add it under records: currencies)`);
  const pivot = Number(chosen.core_currency_rate) || 1;
  const changes: Change[] = currencies.map((currency) => ({
    kind: 'put',
    table: 'currencies',
    record: {
      ...currency,
      is_base_currency: currency === chosen,
      core_currency_rate: Math.round((Number(currency.core_currency_rate) / pivot) * 1e6) / 1e6,
      date_time_updated: work.stamp,
    },
  }));
  work.commit(changes);
}

/** A record as given, in the contract's field order, inserted or replacing the one with its key. */
function putRecord(
  work: CompanyWork,
  collection: string,
  given: Record<string, ScenarioJson>,
  path: ScenarioPath,
): void {
  const key = collectionKey(collection)!;
  if (!work.company.company.collections[collection]) {
    work.company.company.collections[collection] = [];
  }
  const record = inContractOrder(given, fieldsOf(collection)) as SageRecord;
  const id = record[key] as number;
  if (id >= work.company.company.next_id) work.company.company.next_id = id + 1;
  try {
    work.commit([{ kind: 'put', table: collection, record }]);
  } catch (error) {
    work.fail(path, `cannot be stored: ${(error as Error).message}`);
  }
}

function inContractOrder(
  value: Record<string, ScenarioJson>,
  fields: readonly FieldNode[],
): Record<string, ScenarioJson> {
  const out: Record<string, ScenarioJson> = {};
  for (const field of fields) {
    const v = value[field.name];
    if (v === undefined) continue;
    if (field.kind === 'object' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[field.name] = inContractOrder(v, field.fields);
    } else if (field.kind === 'array' && Array.isArray(v)) {
      out[field.name] = v.map((item) =>
        item !== null && typeof item === 'object' && !Array.isArray(item)
          ? inContractOrder(item, field.fields)
          : item,
      );
    } else out[field.name] = v;
  }
  return out;
}

/** A named account, product or nominal code: the fields given set on the record with that key, or on a new one. */
function named(
  work: CompanyWork,
  collection: 'customers' | 'suppliers' | 'products' | 'nominal_codes',
  key: 'reference' | 'code',
  fields: Record<string, ScenarioJson>,
  path: ScenarioPath,
): void {
  const value = String(fields[key]);
  const table = work.company.table(collection);
  const matches = (table.lookup(key, value) ?? table.all().filter((r) => r[key] === value)).filter(
    (r) =>
      r[key] === value &&
      (collection !== 'nominal_codes' ||
        ((r.cost_centre_code ?? '') === (fields.cost_centre_code ?? '') &&
          (r.department_code ?? '') === (fields.department_code ?? ''))),
  );
  const existing = matches[0];
  let record: SageRecord;
  if (existing) {
    record = { ...existing, ...(fields as SageRecord), date_time_updated: work.stamp };
  } else {
    record = blankRecord(collection, work.stamp);
    record.id = work.company.reserveId();
    if ((collection === 'customers' || collection === 'suppliers') && fields.currency_id === undefined) {
      record.currency_id = Number(work.books.baseCurrency().id);
    }
    Object.assign(record, fields);
  }
  try {
    work.commit([{ kind: 'put', table: collection, record }]);
  } catch (error) {
    work.fail(path, `cannot be stored: ${(error as Error).message}`);
  }
}

/** The opening balances: one balanced nominal journal on the first day of the current financial year. */
function openingBalances(work: CompanyWork, lines: NonNullable<ScenarioCompany['opening_balances']>): void {
  const period = work.period({ year: 0, number: 1 }, ['opening_balances']);
  const controls = work.books.controlAccounts();
  const controlIds = new Set([controls.debtors.id, controls.creditors.id]);
  const urn = work.company.reserveUrn();
  let total = 0;
  const entries = lines.map((line, i) => {
    const code = work.nominal(line.nominal_code, ['opening_balances', i, 'nominal_code']);
    if (controlIds.has(Number(code.id))) {
      work.fail(
        ['opening_balances', i, 'nominal_code'],
        'a control account takes its balance from the accounts: post documents to the customers or suppliers instead',
      );
    }
    const pence = 'debit' in line ? Math.round(line.debit * 100) : -Math.round(line.credit * 100);
    total += pence;
    return work.entry(code, period, pence, urn, 'Opening balance');
  });
  if (total !== 0) {
    work.fail(
      ['opening_balances'],
      `debits and credits differ by ${(total / 100).toFixed(2)}; declare an imbalance as a fault (kind: unbalanced)`,
    );
  }
  let id = entries[0]!.id;
  for (const entry of entries) entry.id = id++;
  work.writeEntries(entries);
}

/** A relative date: the `day`th of the period (its last day when the period is shorter). */
function dayIn(work: CompanyWork, date: RelativeDate, path: ScenarioPath): number {
  const period = work.period(date, path);
  return Math.min(
    dayOfBusiness(period.period_start_date) + date.day - 1,
    dayOfBusiness(period.period_end_date),
  );
}

/** A body with every `{ lookup: collection, field: value }` replaced by the id of the one record that matches. */
function resolveLookups(work: CompanyWork, value: ScenarioJson, path: ScenarioPath): ScenarioJson {
  if (Array.isArray(value)) return value.map((item, i) => resolveLookups(work, item, [...path, i]));
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.lookup === 'string') {
    const { lookup, ...match } = value;
    const [field, wanted] = Object.entries(match)[0] ?? [];
    if (field === undefined || Object.keys(match).length !== 1) {
      work.fail(path, 'a lookup names one field to match: { lookup: customers, reference: ABC001 }');
    }
    if (collectionKey(lookup) === undefined)
      work.fail([...path, 'lookup'], `${lookup} is not a stored collection`);
    const found = work.company
      .table(lookup)
      .all()
      .filter((r) => r[field] === wanted);
    if (found.length !== 1) {
      work.fail(
        path,
        `${found.length} ${lookup} records have ${field} ${JSON.stringify(wanted)}; a lookup needs exactly one`,
      );
    }
    return Number(found[0]!.id);
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, resolveLookups(work, v, [...path, k])]),
  );
}
