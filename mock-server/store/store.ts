/** The live world of one sandbox: users, sites and each company's indexed collections. */
import {
  COLLECTION_NAMES,
  type CollectionName,
  type CompanyWorld,
  type SandboxSite,
  type SandboxUser,
  type World,
} from '../../fixtures/world.ts';
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
      tables[name] = new CollectionTable(company.collections[name], INDEXED_FIELDS[name] ?? []);
    }
    this.#tables = tables;
  }

  get companyId(): number {
    return this.company.company_id;
  }

  table(name: TableName): CollectionTable {
    return this.#tables[name];
  }
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

  constructor(readonly world: World) {
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

  /** The sites a user may open: the one they own. */
  sitesOf(user: SandboxUser): SiteStore[] {
    const site = this.site(user.site_id);
    return site ? [site] : [];
  }
}
