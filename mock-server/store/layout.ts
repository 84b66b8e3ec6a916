/**
 * How the store lays out a company's tables, derived from the contract's resource catalog
 * (`contracts/catalog.ts`): each collection's record key and indexed fields, which collections a company keeps,
 * and the enumeration lists, whose records are the same for every company and so are built once.
 */
import { loadCatalog, type ResourceCatalog } from '../../contracts/index.ts';
import type { SageRecord } from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';

export interface TableLayout {
  /** The field that identifies a record: `id`, or a view's own id field. */
  readonly key: string;
  readonly indexes: readonly string[];
}

export interface StoreLayout {
  /** A collection's key and indexes; a collection the catalog does not describe is keyed by `id`, unindexed. */
  table(collection: string): TableLayout;
  /** The collections each company keeps its own records in (every resource but the enumeration lists). */
  readonly companyCollections: ReadonlySet<string>;
  /** The enumeration lists' tables, shared by every company. */
  readonly sharedTables: ReadonlyMap<string, CollectionTable>;
}

const UNDESCRIBED: TableLayout = { key: 'id', indexes: [] };

export function storeLayout(catalog: ResourceCatalog): StoreLayout {
  const tables = new Map<string, TableLayout>();
  const companyCollections = new Set<string>();
  const sharedTables = new Map<string, CollectionTable>();
  for (const resource of catalog.resources) {
    tables.set(resource.collection, { key: resource.key, indexes: resource.indexes });
    if (resource.enumeration) {
      const records: SageRecord[] = catalog
        .members(resource.path)
        .map(({ id, description, value }) => ({ id, description, value }));
      sharedTables.set(resource.collection, new CollectionTable(records, resource.indexes, resource.key));
    } else if (resource.collection !== 'company_details') {
      companyCollections.add(resource.collection);
    }
  }
  return {
    table: (collection) => tables.get(collection) ?? UNDESCRIBED,
    companyCollections,
    sharedTables,
  };
}

let defaultLayout: StoreLayout | undefined;

/** The layout of the sandbox's own contract. */
export function defaultStoreLayout(): StoreLayout {
  defaultLayout ??= storeLayout(loadCatalog());
  return defaultLayout;
}
