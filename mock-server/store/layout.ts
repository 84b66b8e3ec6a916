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
}

export interface ViewLayout {
  readonly source: string;
  /** Collections a field is joined in from (`x-sandbox-from: product.code`), whose changes re-project the view. */
  readonly joins: readonly string[];
  project(record: SageRecord, related: Related): SageRecord;
}

/** A record of another collection by id, for a view's joined fields. */
export type Related = (collection: string, id: number) => SageRecord | undefined;

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
  const joins = new Set<string>();
  // Joins the view names itself, where the source declares no navigation property (a bin holding's warehouse holding).
  const ownJoins = doc.components.schemas[view.schema]?.['x-sandbox-joins'];
  const declared = (name: string): { collection: string; foreignKey: string; many?: true } | undefined => {
    const join = isMapping(ownJoins) ? ownJoins[name] : undefined;
    if (!isMapping(join) || typeof join.collection !== 'string' || typeof join['foreign-key'] !== 'string')
      return undefined;
    return { collection: join.collection, foreignKey: join['foreign-key'] };
  };
  const getters = Object.entries(own)
    .filter(([, property]) => property['x-sage-expandable'] !== true)
    .map(([name, property]): [string, (record: SageRecord, related: Related) => JsonValue] => {
      const from = typeof property['x-sandbox-from'] === 'string' ? property['x-sandbox-from'] : name;
      const path = from.split('.');
      const [first = '', ...rest] = path;
      // A navigation property of the source (`product.code`): the field of the record its foreign key names.
      const join = rest.length > 0 ? (source.expand[first] ?? declared(first)) : undefined;
      if (join?.many) throw new Error(`view ${view.path}: ${name} joins the array ${first}`);
      const target = join && catalog.resources.find((r) => r.collection === join.collection && !r.viewOf);
      const joinedFields = target
        ? (objectSchema(doc, doc.components.schemas[target.schema] ?? {}).properties ?? {})
        : undefined;
      if (join) joins.add(join.collection);
      const fed = joinedFields
        ? joinedFields[rest.join('.')]
        : rest.length === 0
          ? sourceFields[first]
          : sourceFields[first]?.properties?.[rest.join('.')];
      const members = fed ? catalog.fieldMembers(fed) : undefined;
      const ids =
        typesOf(property).includes('integer') && members
          ? new Map(members.map((m) => [m.value, m.id]))
          : undefined;
      const types = typesOf(property);
      const instant = property.format === 'date-time' && fed?.format !== 'date-time';
      const blank: JsonValue = types.includes('null')
        ? null
        : types.includes('string')
          ? ''
          : types.includes('boolean')
            ? false
            : 0;
      return [
        name,
        (record, related) => {
          const key = join ? record[join.foreignKey] : undefined;
          const value = join
            ? typeof key === 'number'
              ? valueAt(related(join.collection, key) ?? {}, rest)
              : undefined
            : valueAt(record, path);
          if (ids && typeof value === 'string') return ids.get(value) ?? blank;
          // A business date (no offset) feeding an instant is that day's UTC midnight.
          if (instant && typeof value === 'string' && !value.endsWith('Z')) return `${value}Z`;
          return value ?? blank;
        },
      ];
    });
  return {
    source: source.collection,
    joins: [...joins],
    project(record, related) {
      const out: SageRecord = {};
      for (const [name, get] of getters) out[name] = get(record, related);
      return out;
    },
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UNDESCRIBED: TableLayout = { key: 'id', indexes: [], rangeIndexes: [] };

export function storeLayout(catalog: ResourceCatalog, doc: OpenApiDocument = loadContract()): StoreLayout {
  const tables = new Map<string, TableLayout>();
  const views = new Map<string, ViewLayout>();
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
  };
}

let defaultLayout: StoreLayout | undefined;

/** The layout of the sandbox's own contract. */
export function defaultStoreLayout(): StoreLayout {
  defaultLayout ??= storeLayout(loadCatalog());
  return defaultLayout;
}
