/**
 * How the store lays out a company's tables, derived from the contract's resource catalog
 * (`contracts/catalog.ts`): each collection's record key and indexed fields, which collections a company keeps,
 * and the enumeration lists, whose records are the same for every company and so are built once.
 */
import {
  type LookupDefinition,
  loadCatalog,
  loadContract,
  type OpenApiDocument,
  objectSchema,
  type ResourceCatalog,
  type ResourceDefinition,
  type SchemaObject,
  type ViewCondition,
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
  /** Collections with fields read from related records when read (`/product_price_views`' product code). */
  readonly joins: ReadonlyMap<string, JoinLayout>;
  /** The derived views: each computed from the collections its contract entry names (`/customer_views`). */
  readonly derived: ReadonlyMap<string, DerivedLayout>;
}

export interface DerivedLayout {
  /** The collections the view reads (`x-sandbox-resource.derived-from`); it reads no others. */
  readonly sources: readonly string[];
  readonly view: DerivedView;
}

/** Finds a record of a collection by id, for a lookup. */
export type RecordFinder = (collection: string, id: number) => SageRecord | undefined;

export interface JoinLayout {
  /** The collections its lookups read: the joined records are stale once one of them changes. */
  readonly collections: readonly string[];
  /** The record with its lookup fields filled from the related records (a copy). */
  fill(record: SageRecord, find: RecordFinder): SageRecord;
}

function joinLayout(lookups: readonly LookupDefinition[]): JoinLayout {
  const collections = [...new Set(lookups.flatMap((l) => l.hops.map((hop) => hop.collection)))];
  return {
    collections,
    fill(record, find) {
      const out: SageRecord = { ...record };
      for (const { field, hops, from } of lookups) {
        let related: SageRecord | undefined = record;
        for (const { via, collection } of hops) {
          const id: JsonValue | undefined = related?.[via];
          related = typeof id === 'number' ? find(collection, id) : undefined;
        }
        // A missing related record leaves the field as stored (its blank).
        if (related && related[from] !== undefined) out[field] = related[from];
      }
      return out;
    },
  };
}

export interface ViewLayout {
  readonly source: string;
  /** The source and every joined collection: the view is stale once any of them changes. */
  readonly reads: readonly string[];
  /** Whether the view shows a source record (its `view-where`). */
  keeps(record: SageRecord): boolean;
  /** One view record from a source record; `lookup` finds a joined collection's record by id. */
  project(record: SageRecord, lookup: RecordFinder): SageRecord;
}

/** A `view-where` condition as a test: a null or missing value, or one of another type, fails every ordering. */
function conditionTest({ field, operator, value }: ViewCondition): (record: SageRecord) => boolean {
  return (record) => {
    const held = record[field] ?? null;
    if (operator === 'eq') return held === value;
    if (operator === 'ne') return held !== value;
    if (held === null || value === null || typeof held !== typeof value) return false;
    const order = held < value ? -1 : held > value ? 1 : 0;
    switch (operator) {
      case 'lt':
        return order < 0;
      case 'le':
        return order <= 0;
      case 'gt':
        return order > 0;
      case 'ge':
        return order >= 0;
      default:
        throw new Error(`unknown view-where operator ${operator satisfies never as string}`);
    }
  };
}

const keepsAll = (): boolean => true;

function viewTest(conditions: readonly ViewCondition[] | undefined): (record: SageRecord) => boolean {
  if (!conditions || conditions.length === 0) return keepsAll;
  const tests = conditions.map(conditionTest);
  return (record) => tests.every((test) => test(record));
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

/**
 * How a view's record is made from its source's: one getter per field of the view's schema, in its order. A field
 * reads the source record, or (`x-sandbox-from: alias.field`) a record the view joins by id; `x-sandbox-value` is a
 * field every record of the view holds alike (an order view's document type).
 */
function viewLayout(doc: OpenApiDocument, catalog: ResourceCatalog, view: ResourceDefinition): ViewLayout {
  const source = view.viewOf ?? '';
  const schemaOf = (collection: string): Readonly<Record<string, SchemaObject>> => {
    const resource = catalog.resources.find((r) => r.collection === collection && !r.viewOf);
    return resource
      ? (objectSchema(doc, doc.components.schemas[resource.schema] ?? {}).properties ?? {})
      : {};
  };
  if (!catalog.resources.some((r) => r.collection === source && !r.viewOf)) {
    if (!catalog.internal.some((c) => c.collection === source)) {
      throw new Error(`view ${view.path} has no source ${source}`);
    }
  }
  const joins = view.joins ?? [];
  const aliases = new Map(joins.map((join) => [join.alias, join.collection]));
  const own = objectSchema(doc, doc.components.schemas[view.schema] ?? {}).properties ?? {};
  const getters = Object.entries(own)
    .filter(([, property]) => property['x-sage-expandable'] !== true)
    .map(([name, property]): [string, (records: ReadonlyMap<string, SageRecord>) => JsonValue] => {
      const from = typeof property['x-sandbox-from'] === 'string' ? property['x-sandbox-from'] : name;
      const [head = '', ...tail] = from.split('.');
      const joined = aliases.get(head);
      const at = joined === undefined ? '' : head;
      const path = joined === undefined ? [head, ...tail] : tail;
      const [first = '', ...rest] = path;
      const fields = schemaOf(joined ?? source);
      const fed = rest.length === 0 ? fields[first] : fields[first]?.properties?.[rest.join('.')];
      // A field named in x-sandbox-from must exist; one fed by its own name may be absent (then blank).
      if (!fed && from !== name && Object.keys(fields).length > 0) {
        throw new Error(`view ${view.path}: ${name} is fed from ${from}, which its record has no field for`);
      }
      const members = fed ? catalog.fieldMembers(fed) : undefined;
      const types = typesOf(property);
      const ids =
        types.includes('integer') && members ? new Map(members.map((m) => [m.value, m.id])) : undefined;
      const blank: JsonValue = types.includes('null')
        ? null
        : types.includes('string')
          ? ''
          : types.includes('boolean')
            ? false
            : 0;
      const fixed = property['x-sandbox-value'];
      if (fixed !== undefined) return [name, () => fixed as JsonValue];
      return [
        name,
        (records) => {
          const record = records.get(at);
          const value = record ? valueAt(record, path) : undefined;
          if (ids && typeof value === 'string') return ids.get(value) ?? blank;
          return value ?? blank;
        },
      ];
    });
  const joinPaths = joins.map((join) => {
    const [first = '', ...rest] = join.on.split('.');
    return rest.length === 0 ? { from: '', path: [first] } : { from: first, path: rest };
  });
  return {
    source,
    reads: [source, ...new Set(joins.map((join) => join.collection))],
    keeps: viewTest(view.viewWhere),
    project(record, lookup) {
      const records = new Map<string, SageRecord>([['', record]]);
      joins.forEach((join, i) => {
        const { from, path } = joinPaths[i] ?? { from: '', path: [] };
        const base = records.get(from);
        const id = base ? valueAt(base, path) : undefined;
        const related = typeof id === 'number' ? lookup(join.collection, id) : undefined;
        if (related) records.set(join.alias, related);
      });
      const out: SageRecord = {};
      for (const [name, get] of getters) out[name] = get(records);
      return out;
    },
  };
}

const UNDESCRIBED: TableLayout = { key: 'id', indexes: [], rangeIndexes: [] };

export function storeLayout(catalog: ResourceCatalog, doc: OpenApiDocument = loadContract()): StoreLayout {
  const tables = new Map<string, TableLayout>();
  const views = new Map<string, ViewLayout>();
  const joins = new Map<string, JoinLayout>();
  const derived = new Map<string, DerivedLayout>();
  const companyCollections = new Set<string>();
  const sharedTables = new Map<string, CollectionTable>();
  for (const resource of catalog.resources) {
    tables.set(resource.collection, {
      key: resource.key,
      indexes: resource.indexes,
      rangeIndexes: resource.rangeIndexes,
    });
    if (resource.lookups) joins.set(resource.collection, joinLayout(resource.lookups));
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
  for (const { collection, indexes } of catalog.internal) {
    tables.set(collection, { key: 'id', indexes, rangeIndexes: [] });
    companyCollections.add(collection);
  }
  return {
    table: (collection) => tables.get(collection) ?? UNDESCRIBED,
    companyCollections,
    sharedTables,
    views,
    joins,
    derived,
  };
}

let defaultLayout: StoreLayout | undefined;

/** The layout of the sandbox's own contract. */
export function defaultStoreLayout(): StoreLayout {
  defaultLayout ??= storeLayout(loadCatalog());
  return defaultLayout;
}
