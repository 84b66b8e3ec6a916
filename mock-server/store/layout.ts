/**
 * How the store lays out a company's tables, derived from the contract's resource catalog
 * (`contracts/catalog.ts`): each collection's record key and indexed fields, which collections a company keeps,
 * and the enumeration lists, whose records are the same for every company and so are built once.
 */
import {
  loadCatalog,
  loadContract,
  type OpenApiDocument,
  objectSchema,
  type ResourceCatalog,
  type ResourceDefinition,
  type SchemaObject,
} from '../../contracts/index.ts';
import { DERIVED_VIEWS, type DerivedView } from '../views/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';

export interface TableLayout {
  /** The field that identifies a record: `id`, or a view's own id field. */
  readonly key: string;
  readonly indexes: readonly string[];
  /** Date-time fields with a sorted index, built on first use. */
  readonly rangeIndexes: readonly string[];
}

export interface StoreLayout {
  /** A collection's key and indexes; a collection the catalog does not describe is keyed by `id`, unindexed. */
  table(collection: string): TableLayout;
  /** The collections each company keeps its own records in (every resource but the enumeration lists). */
  readonly companyCollections: ReadonlySet<string>;
  /** The enumeration lists' tables, shared by every company. */
  readonly sharedTables: ReadonlyMap<string, CollectionTable>;
  /** The views: each projects its source collection's records (`/lookup_customers` from `customers`). */
  readonly views: ReadonlyMap<string, ViewLayout>;
  /** The derived views: each computed from the collections its contract entry names (`/customer_views`). */
  readonly derived: ReadonlyMap<string, DerivedLayout>;
}

export interface DerivedLayout {
  /** The collections the view reads (`x-sandbox-resource.derived-from`); it reads no others. */
  readonly sources: readonly string[];
  readonly view: DerivedView;
}

export interface ViewLayout {
  readonly source: string;
  project(record: SageRecord): SageRecord;
}

function valueAt(record: SageRecord, path: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = record;
  for (const part of path) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[part] : undefined;
  }
  return value;
}

function typesOf(schema: SchemaObject): readonly string[] {
  return typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
}

/** How a view's record is made from its source's: one getter per field of the view's schema, in its order. */
function viewLayout(doc: OpenApiDocument, catalog: ResourceCatalog, view: ResourceDefinition): ViewLayout {
  const source = catalog.resources.find((r) => r.collection === view.viewOf && !r.viewOf);
  if (!source) throw new Error(`view ${view.path} has no source ${String(view.viewOf)}`);
  const own = objectSchema(doc, doc.components.schemas[view.schema] ?? {}).properties ?? {};
  const sourceFields = objectSchema(doc, doc.components.schemas[source.schema] ?? {}).properties ?? {};
  const getters = Object.entries(own)
    .filter(([, property]) => property['x-sage-expandable'] !== true)
    .map(([name, property]): [string, (record: SageRecord) => JsonValue] => {
      const from = typeof property['x-sandbox-from'] === 'string' ? property['x-sandbox-from'] : name;
      const path = from.split('.');
      const [first = '', ...rest] = path;
      const fed = rest.length === 0 ? sourceFields[first] : sourceFields[first]?.properties?.[rest.join('.')];
      const members = fed ? catalog.fieldMembers(fed) : undefined;
      const ids =
        typesOf(property).includes('integer') && members
          ? new Map(members.map((m) => [m.value, m.id]))
          : undefined;
      const types = typesOf(property);
      const blank: JsonValue = types.includes('null')
        ? null
        : types.includes('string')
          ? ''
          : types.includes('boolean')
            ? false
            : 0;
      return [
        name,
        (record) => {
          const value = valueAt(record, path);
          if (ids && typeof value === 'string') return ids.get(value) ?? blank;
          return value ?? blank;
        },
      ];
    });
  return {
    source: source.collection,
    project(record) {
      const out: SageRecord = {};
      for (const [name, get] of getters) out[name] = get(record);
      return out;
    },
  };
}

const UNDESCRIBED: TableLayout = { key: 'id', indexes: [], rangeIndexes: [] };

export function storeLayout(catalog: ResourceCatalog, doc: OpenApiDocument = loadContract()): StoreLayout {
  const tables = new Map<string, TableLayout>();
  const views = new Map<string, ViewLayout>();
  const derived = new Map<string, DerivedLayout>();
  const companyCollections = new Set<string>();
  const sharedTables = new Map<string, CollectionTable>();
  for (const resource of catalog.resources) {
    tables.set(resource.collection, {
      key: resource.key,
      indexes: resource.indexes,
      rangeIndexes: resource.rangeIndexes,
    });
    if (resource.viewOf !== undefined) {
      views.set(resource.collection, viewLayout(doc, catalog, resource));
    } else if (resource.derivedFrom !== undefined) {
      const view = DERIVED_VIEWS.get(resource.collection);
      if (!view) throw new Error(`the derived view /${resource.path} has no builder in mock-server/views/`);
      derived.set(resource.collection, { sources: resource.derivedFrom, view });
    } else if (resource.enumeration) {
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
    views,
    derived,
  };
}

let defaultLayout: StoreLayout | undefined;

/** The layout of the sandbox's own contract. */
export function defaultStoreLayout(): StoreLayout {
  defaultLayout ??= storeLayout(loadCatalog());
  return defaultLayout;
}
