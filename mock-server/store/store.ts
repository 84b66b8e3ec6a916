/** The live world of one sandbox: users, sites and each company's indexed collections. */
import type {
  CompanyWorld,
  NominalEntry,
  SageRecord,
  SandboxSite,
  SandboxUser,
  World,
} from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';
import { defaultStoreLayout, type StoreLayout, type ViewLayout } from './layout.ts';

/** A company's collections plus `company_details` (served as a collection of one record, as Sage does). */
export type TableName = string;

export class CompanyStore {
  /** Built on first use: a company no request has named costs nothing (a cached world reads it from disk then). */
  #tables: Map<TableName, CollectionTable> | undefined;
  /** Projected view tables, with the versions of the source and joined tables each was made from. */
  readonly #views = new Map<TableName, { version: string; table: CollectionTable }>();

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

  /** A table of the company, or a shared enumeration table; a collection the company lacks is a bug (throws). */
  table(name: TableName): CollectionTable {
    const view = this.layout.views.get(name);
    if (view) return this.#view(name, view);
    const table = this.#ownTables().get(name) ?? this.layout.sharedTables.get(name);
    if (!table)
      throw new Error(`company ${this.companyId} keeps no collection ${name}: is its seed missing?`);
    return table;
  }

  /** A view's table, projected again only when its source has changed since. */
  #view(name: TableName, view: ViewLayout): CollectionTable {
    const source = this.table(view.source);
    const version = [source, ...view.joins.map((j) => this.table(j))].map((t) => t.version).join(',');
    const cached = this.#views.get(name);
    if (cached && cached.version === version) return cached.table;
    const { key, indexes, rangeIndexes } = this.layout.table(name);
    const related = (collection: string, id: number) => this.table(collection).get(id);
    const table = new CollectionTable(
      source.all().map((record) => view.project(record, related)),
      indexes,
      key,
      rangeIndexes,
    );
    this.#views.set(name, { version, table });
    return table;
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
          this.table(change.table).put(change.record);
          if (change.table === 'company_details') this.company.company_details = change.record;
          break;
        case 'delete':
          this.table(change.table).delete(change.id);
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

  /** The sites a user may open: the one they own. */
  sitesOf(user: SandboxUser): SiteStore[] {
    const site = this.site(user.site_id);
    return site ? [site] : [];
  }
}
