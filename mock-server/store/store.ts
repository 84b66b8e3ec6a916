/** The live world of one sandbox: users, sites and each company's indexed collections. */

import type { CustomFilter, ViewContext, ViewSources } from '../views/index.ts';
import type {
  CompanyWorld,
  NominalEntry,
  SageRecord,
  SandboxSite,
  SandboxUser,
  World,
} from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';
import {
  type DerivedLayout,
  defaultStoreLayout,
  type JoinLayout,
  type StoreLayout,
  type ViewLayout,
} from './layout.ts';
import { NominalFinancialYears } from './nominal-financial-years.ts';
import { NominalLedgerView } from './nominal-ledger-view.ts';

/** The collection whose balances are read from the ledger when served, over the budgets it stores. */
const FINANCIAL_YEARS = 'nominal_code_financial_years';

/** A company's collections plus `company_details` (served as a collection of one record, as Sage does). */
export type TableName = string;

export class CompanyStore {
  /** Built on first use: a company no request has named costs nothing (a cached world reads it from disk then). */
  #tables: Map<TableName, CollectionTable> | undefined;
  /** Tables served as stored (no view, join, derived view or ledger balances), once asked for: one lookup each. */
  readonly #plain = new Map<TableName, CollectionTable>();
  /** Projected view tables, with the versions of the source and joined tables each was made from. */
  readonly #views = new Map<TableName, { version: number; table: CollectionTable }>();
  /** Tables with looked-up fields filled, with the versions of the tables they were filled from. */
  readonly #joined = new Map<TableName, { versions: string; table: CollectionTable }>();
  /** Derived view tables, by view (and ageing type), with what they were computed from. */
  readonly #derived = new Map<string, { stamp: string; table: CollectionTable }>();
  /** The views of the nominal ledger, each kept up to date entry by entry. */
  readonly #ledgerViews = new Map<TableName, NominalLedgerView>();
  #financialYears: NominalFinancialYears | undefined;

  constructor(
    readonly company: CompanyWorld,
    private readonly layout: StoreLayout = defaultStoreLayout(),
  ) {}

  #ownTables(): Map<TableName, CollectionTable> {
    if (this.#tables) return this.#tables;
    const tables = new Map<TableName, CollectionTable>();
    tables.set('company_details', new CollectionTable([this.company.company_details], []));
    for (const [name, records] of Object.entries(this.company.collections)) {
      if (!records) continue;
      const { key, indexes, rangeIndexes } = this.layout.table(name);
      tables.set(name, new CollectionTable(records, indexes, key, rangeIndexes));
    }
    this.#tables = tables;
    return tables;
  }

  get companyId(): number {
    return this.company.company_id;
  }

  /**
   * A table of the company, or a shared enumeration table; a collection the company lacks is a bug (throws). An
   * aged view needs the context (today and the ageing type) its rows depend on.
   */
  table(name: TableName, context?: ViewContext): CollectionTable {
    const plain = this.#plain.get(name);
    if (plain) return plain;
    const view = this.layout.views.get(name);
    if (view) return this.#view(name, view);
    const join = this.layout.joins.get(name);
    if (join) return this.#join(name, join);
    const derived = this.layout.derived.get(name);
    if (derived) return this.#derivedTable(name, derived, context);
    if (this.layout.ledgerViews.has(name)) return this.#ledgerView(name);
    const table = this.#ownTables().get(name) ?? this.layout.sharedTables.get(name);
    if (table && name === FINANCIAL_YEARS) return this.#withBalances(table);
    if (!table)
      throw new Error(`company ${this.companyId} keeps no collection ${name}: is its seed missing?`);
    this.#plain.set(name, table);
    return table;
  }

  /** A view's table, projected again only when its source or a table it joins has changed since. */
  #view(name: TableName, view: ViewLayout): CollectionTable {
    const source = this.table(view.source);
    // Versions only grow, so their sum changes whenever one of them does.
    const version = view.joins.reduce((sum, join) => sum + this.table(join).version, source.version);
    const cached = this.#views.get(name);
    if (cached && cached.version === version) return cached.table;
    const { key, indexes, rangeIndexes } = this.layout.table(name);
    const tables = (collection: string) => this.table(collection);
    const records = source
      .all()
      .filter(view.keeps)
      .map((record) => view.project(record, tables));
    const table = new CollectionTable(records, indexes, key, rangeIndexes);
    this.#views.set(name, { version, table });
    return table;
  }

  /** A collection with its lookups filled, filled again only when it or a table it reads has changed since. */
  #join(name: TableName, join: JoinLayout): CollectionTable {
    const own = this.#ownTables().get(name);
    if (!own) throw new Error(`company ${this.companyId} keeps no collection ${name}: is its seed missing?`);
    const versions = [own.version, ...join.collections.map((c) => this.table(c).version)].join();
    const cached = this.#joined.get(name);
    if (cached && cached.versions === versions) return cached.table;
    const find = (collection: string, id: number) => this.table(collection).get(id);
    const { key, indexes, rangeIndexes } = this.layout.table(name);
    const table = new CollectionTable(
      own.all().map((record) => join.fill(record, find)),
      indexes,
      key,
      rangeIndexes,
    );
    this.#joined.set(name, { versions, table });
    return table;
  }

  /**
   * A derived view's table, computed again only when one of its sources has changed since (or, for an aged view,
   * when today or the ageing type differs): a read after no write costs a lookup.
   */
  #derivedTable(name: TableName, derived: DerivedLayout, context: ViewContext | undefined): CollectionTable {
    if (derived.view.aged && !context)
      throw new Error(`the aged view ${name} needs today and an ageing type`);
    const versions = derived.sources.map((source) => this.table(source).version).join(',');
    const slot = derived.view.aged ? `${name}|${context!.ageing}|${context!.periodsBack ?? ''}` : name;
    const stamp = derived.view.aged ? `${versions}|${context!.today}` : versions;
    const cached = this.#derived.get(slot);
    if (cached && cached.stamp === stamp) return cached.table;
    const rows = derived.view.build(
      this.#sourcesOf(name, derived),
      context ?? { today: 0, ageing: 'TransactionDate' },
    );
    const { key, indexes, rangeIndexes } = this.layout.table(name);
    const table = new CollectionTable(rows, indexes, key, rangeIndexes);
    this.#derived.set(slot, { stamp, table });
    return table;
  }

  /**
   * The record of `id` of a view that takes Sage's custom filtering (views/model.ts `CustomFiltering`), computed
   * afresh under the request's filter; undefined when no record has that id.
   */
  customFiltered(name: TableName, id: number, filter: CustomFilter): SageRecord | undefined {
    const derived = this.layout.derived.get(name);
    const custom = derived?.view.customFilter;
    if (!derived || !custom) throw new Error(`the view ${name} takes no custom filtering`);
    return custom.one(this.#sourcesOf(name, derived), id, filter);
  }

  /** The collections a derived view reads, and only those its contract entry names. */
  #sourcesOf(name: TableName, derived: DerivedLayout): ViewSources {
    const allowed = new Set(derived.sources);
    const source = (collection: string): CollectionTable => {
      if (!allowed.has(collection))
        throw new Error(`the view ${name} reads ${collection}, not in its derived-from`);
      return this.table(collection);
    };
    return {
      all: (collection) => source(collection).all(),
      get: (collection, id) => source(collection).get(id),
      lookup: (collection, field, value) => {
        const table = source(collection);
        return table.lookup(field, value) ?? table.all().filter((record) => record[field] === value);
      },
    };
  }

  /** The nominal codes' stored financial years with the ledger's balances (nominal-financial-years.ts). */
  #withBalances(stored: CollectionTable): CollectionTable {
    this.#financialYears ??= new NominalFinancialYears(
      stored,
      this.layout.table(FINANCIAL_YEARS),
      (collection) => this.table(collection),
    );
    return this.#financialYears.table();
  }

  #ledgerView(name: TableName): CollectionTable {
    let view = this.#ledgerViews.get(name);
    if (!view) {
      view = new NominalLedgerView(this.company, this.layout.table(name), (collection) =>
        this.table(collection),
      );
      this.#ledgerViews.set(name, view);
    }
    return view.table();
  }

  /** Reserves the next record id; ids are never handed out twice, even when the write that took one fails. */
  reserveId(): number {
    return this.company.next_id++;
  }

  /** Reserves the next URN for a posting. */
  reserveUrn(): number {
    return this.company.next_urn++;
  }

  /** Applies a committed change set; it must already be valid (handlers validate before they commit). */
  apply(changes: readonly Change[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'put':
          // The stored records, not the balances served over them.
          (this.#ownTables().get(change.table) ?? this.table(change.table)).put(change.record);
          if (change.table === 'company_details') this.company.company_details = change.record;
          break;
        case 'delete':
          (this.#ownTables().get(change.table) ?? this.table(change.table)).delete(change.id);
          break;
        case 'nominal_entries':
          this.company.nominal_entries.push(...change.entries);
          break;
        case 'counters':
          this.company.next_id = Math.max(this.company.next_id, change.next_id);
          this.company.next_urn = Math.max(this.company.next_urn, change.next_urn);
          break;
        default:
          throw new Error(`unknown change ${change satisfies never as string}`);
      }
    }
  }
}

/** One atomic write to one company: what the write-ahead log records and replay applies. */
export type Change =
  | { kind: 'put'; table: TableName; record: SageRecord }
  | { kind: 'delete'; table: TableName; id: number }
  | { kind: 'nominal_entries'; entries: NominalEntry[] }
  | { kind: 'counters'; next_id: number; next_urn: number };

export interface ChangeSet {
  site_id: string;
  company_id: number;
  changes: Change[];
}

/** Where committed change sets go before they are applied: a durable write-ahead log, or nowhere (in memory only). */
export interface WriteAheadLog {
  /** Must not return until the change set is durable; throwing leaves the world unchanged. */
  append(changeSet: ChangeSet): void;
}

export class SiteStore {
  readonly companies = new Map<number, CompanyStore>();

  constructor(readonly site: SandboxSite) {
    for (const company of site.companies) this.companies.set(company.company_id, new CompanyStore(company));
  }
}

/** The Sage ID subject of a seeded user, as carried in the `sub` claim of its tokens. */
export function sageIdSubject(user: SandboxUser): string {
  return `auth0|sandbox-${user.id}`;
}

export class Store {
  readonly #sites = new Map<string, SiteStore>();
  readonly #usersByEmail = new Map<string, SandboxUser>();
  readonly #usersBySubject = new Map<string, SandboxUser>();

  constructor(
    readonly world: World,
    private readonly wal?: WriteAheadLog,
  ) {
    for (const site of world.sites) this.#sites.set(site.site_id.toLowerCase(), new SiteStore(site));
    for (const user of world.users) {
      this.#usersByEmail.set(user.email.toLowerCase(), user);
      this.#usersBySubject.set(sageIdSubject(user), user);
    }
  }

  get users(): readonly SandboxUser[] {
    return this.world.users;
  }

  get sites(): readonly SandboxSite[] {
    return this.world.sites;
  }

  userByEmail(email: string): SandboxUser | undefined {
    return this.#usersByEmail.get(email.trim().toLowerCase());
  }

  userBySubject(subject: string): SandboxUser | undefined {
    return this.#usersBySubject.get(subject);
  }

  /** Site ids are GUIDs: matched without regard to case, as GUIDs are. */
  site(siteId: string): SiteStore | undefined {
    return this.#sites.get(siteId.trim().toLowerCase());
  }

  /**
   * Commits one company's changes: logged first (when a write-ahead log is set), then applied. Handlers compute the
   * changes from the current state and commit without awaiting in between, so no concurrent write is lost.
   */
  commit(company: CompanyStore, changes: Change[]): void {
    const site = this.world.sites.find((s) => s.companies.includes(company.company));
    if (!site) throw new Error('commit for a company outside this world');
    const withCounters: Change[] = [
      ...changes,
      { kind: 'counters', next_id: company.company.next_id, next_urn: company.company.next_urn },
    ];
    this.wal?.append({ site_id: site.site_id, company_id: company.companyId, changes: withCounters });
    company.apply(withCounters);
  }

  /** The sites a user may open: their own, then any others they were given, in that order. */
  sitesOf(user: SandboxUser): SiteStore[] {
    const sites: SiteStore[] = [];
    for (const id of [user.site_id, ...(user.other_site_ids ?? [])]) {
      const site = this.site(id);
      if (site) sites.push(site);
    }
    return sites;
  }
}
