/** The live world of one sandbox: users, sites and each company's indexed collections. */
import {
  COLLECTION_NAMES,
  type CollectionName,
  type CompanyWorld,
  type NominalEntry,
  type SageRecord,
  type SandboxSite,
  type SandboxUser,
  type World,
} from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';

/** Foreign keys worth an index: a filter on one customer's transactions must not scan every row. */
export const INDEXED_FIELDS: Readonly<Partial<Record<CollectionName, readonly string[]>>> = {
  customers: ['reference'],
  suppliers: ['reference'],
  nominal_codes: ['reference', 'report_category_id'],
  nominal_period_value_views: ['nominal_code_id', 'accounting_period_id', 'financial_year_id'],
  financial_year_period_views: ['financial_year_id'],
  products: ['product_group_id', 'code'],
  sales_posted_transactions: ['customer_id', 'urn', 'trader_transaction_type'],
  purchase_posted_transactions: ['supplier_id', 'urn', 'trader_transaction_type'],
  bank_posted_transactions: ['bank_id', 'urn'],
  customer_contacts: ['customer_id'],
  supplier_contacts: ['supplier_id'],
  customer_delivery_addresses: ['customer_id'],
  warehouses: ['name'],
  sop_orders: ['customer_id', 'document_no'],
  sop_order_lines: ['sop_order_id', 'product_id', 'warehouse_id'],
  pop_orders: ['supplier_id', 'document_no'],
  pop_order_lines: ['pop_order_id', 'product_id', 'warehouse_id'],
};

/** The field that identifies a record, for the views that have no `id` (every other collection uses `id`). */
export const RECORD_KEYS: Readonly<Partial<Record<CollectionName, string>>> = {
  nominal_period_value_views: 'nominal_period_value_id',
  financial_year_period_views: 'accounting_period_id',
};

/** A company's collections plus `company_details`, served as a collection of one record as Sage does. */
export type TableName = CollectionName | 'company_details';

export class CompanyStore {
  readonly #tables: Record<TableName, CollectionTable>;

  constructor(readonly company: CompanyWorld) {
    const tables = {
      company_details: new CollectionTable([company.company_details], []),
    } as Record<TableName, CollectionTable>;
    for (const name of COLLECTION_NAMES) {
      tables[name] = new CollectionTable(
        company.collections[name],
        INDEXED_FIELDS[name] ?? [],
        RECORD_KEYS[name] ?? 'id',
      );
    }
    this.#tables = tables;
  }

  get companyId(): number {
    return this.company.company_id;
  }

  table(name: TableName): CollectionTable {
    return this.#tables[name];
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
          this.#tables[change.table].put(change.record);
          if (change.table === 'company_details') this.company.company_details = change.record;
          break;
        case 'delete':
          this.#tables[change.table].delete(change.id);
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
