/**
 * How the store lays out a company's tables, derived from the contract's resource catalog
 * (`contracts/catalog.ts`): each collection's record key and indexed fields, which collections a company keeps,
 * and the enumeration lists, whose records are the same for every company and so are built once.
 */
import {
  type LookupDefinition,
  loadCatalog,
  loadContract,
  NOMINAL_LEDGER,
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
  /** The views of the nominal ledger (`/nominal_transaction_enquiry_views`): one row per nominal entry. */
  readonly ledgerViews: ReadonlySet<string>;
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
  /** Whether the view shows a source record (its `view-where`). */
  keeps(record: SageRecord): boolean;
  /** The other tables a projection reads, through foreign keys: a change to any of them projects the view again. */
  readonly joins: readonly string[];
  project(record: SageRecord, table: (collection: string) => CollectionTable): SageRecord;
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
 * One step from a record to a related one: the record its foreign key names (`account_currency` through
 * `account_currency_id`), or, through an array, the child whose field has a value
 * (`financial_years[year_relative_to_current_year=0]`).
 */
interface Hop {
  readonly collection: string;
  readonly foreignKey: string;
  readonly child?: { readonly field: string; readonly value: JsonValue };
}

const CHILD = /^(\w+)\[(\w+)=(-?\w+)\]$/;

/**
 * A link a view declares (`x-sandbox-joins`) from the record reached so far to a related collection, by that
 * record's field holding the related id: the source's, or a joined record's (`sop_order.customer`).
 */
interface Join {
  collection: string;
  foreignKey: string;
}

/**
 * Where a view field comes from: the foreign-key hops its leading navigation properties (or the view's declared
 * joins) take, then the path inside the record reached, and that field's schema.
 */
function feed(
  doc: OpenApiDocument,
  catalog: ResourceCatalog,
  source: ResourceDefinition,
  from: string,
  declared: (name: string) => Join | undefined,
): { hops: Hop[]; path: string[]; fed: SchemaObject | undefined } {
  const parts = from.split('.');
  const hops: Hop[] = [];
  let resource = source;
  while (parts.length > 1) {
    const selector = CHILD.exec(parts[0] ?? '');
    const name = selector?.[1] ?? parts[0] ?? '';
    const target: (Join & { many?: true }) | undefined =
      resource.expand[name] ?? (selector ? undefined : declared(name));
    const next =
      target && !target.many === !selector ? catalogResource(catalog, target.collection) : undefined;
    if (!target || !next) break;
    const [, , field = '', raw = ''] = selector ?? [];
    const value: JsonValue = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    hops.push({
      collection: target.collection,
      foreignKey: target.foreignKey,
      ...(selector ? { child: { field, value } } : {}),
    });
    resource = next;
    parts.shift();
  }
  const fields = objectSchema(doc, doc.components.schemas[resource.schema] ?? {}).properties ?? {};
  const [first = '', ...rest] = parts;
  const fed = rest.length === 0 ? fields[first] : fields[first]?.properties?.[rest.join('.')];
  return { hops, path: parts, fed };
}

const catalogResource = (catalog: ResourceCatalog, collection: string): ResourceDefinition | undefined =>
  catalog.resources.find((r) => r.collection === collection && !r.viewOf);

/** How a view's record is made from its source's: one getter per field of the view's schema, in its order. */
function viewLayout(doc: OpenApiDocument, catalog: ResourceCatalog, view: ResourceDefinition): ViewLayout {
  const source = catalogResource(catalog, view.viewOf ?? '');
  if (!source) throw new Error(`view ${view.path} has no source ${String(view.viewOf)}`);
  const own = objectSchema(doc, doc.components.schemas[view.schema] ?? {}).properties ?? {};
  const joins = new Set<string>();
  // Joins the view names itself, where the source declares no navigation property (a bin holding's warehouse holding).
  const ownJoins = doc.components.schemas[view.schema]?.['x-sandbox-joins'];
  const declared = (name: string): Join | undefined => {
    const join = isMapping(ownJoins) ? ownJoins[name] : undefined;
    if (!isMapping(join) || typeof join.collection !== 'string' || typeof join['foreign-key'] !== 'string')
      return undefined;
    return { collection: join.collection, foreignKey: join['foreign-key'] };
  };
  type Getter = (record: SageRecord, table: (collection: string) => CollectionTable) => JsonValue;
  const getters = Object.entries(own)
    .filter(([, property]) => property['x-sage-expandable'] !== true)
    .map(([name, property]): [string, Getter] => {
      // A field every record of the view holds alike (an order view's document type).
      const fixed = property['x-sandbox-value'];
      if (fixed !== undefined) return [name, () => fixed as JsonValue];
      const from = typeof property['x-sandbox-from'] === 'string' ? property['x-sandbox-from'] : name;
      const { hops, path, fed } = feed(doc, catalog, source, from, declared);
      // A field the source lacks stays blank, but a source the contract names must exist.
      if (fed === undefined && property['x-sandbox-from'] !== undefined)
        throw new Error(`view ${view.path}: ${name} comes from ${from}, which ${source.path} does not have`);
      for (const hop of hops) joins.add(hop.collection);
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
        (record, table) => {
          let from: SageRecord | undefined = record;
          for (const hop of hops) {
            const key: JsonValue | undefined = hop.child ? from?.id : from?.[hop.foreignKey];
            if (typeof key !== 'number') from = undefined;
            else if (!hop.child) from = table(hop.collection).get(key);
            else {
              const { field, value } = hop.child;
              from = table(hop.collection)
                .lookup(hop.foreignKey, key)
                ?.find((child) => child[field] === value);
            }
          }
          const value = from === undefined ? undefined : valueAt(from, path);
          if (ids && typeof value === 'string') return ids.get(value) ?? blank;
          // A business date (no offset) feeding an instant is that day's UTC midnight.
          if (instant && typeof value === 'string' && !value.endsWith('Z')) return `${value}Z`;
          return value ?? blank;
        },
      ];
    });
  return {
    source: source.collection,
    keeps: viewTest(view.viewWhere),
    joins: [...joins],
    project(record, table) {
      const out: SageRecord = {};
      for (const [name, get] of getters) out[name] = get(record, table);
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
  const joins = new Map<string, JoinLayout>();
  const derived = new Map<string, DerivedLayout>();
  const ledgerViews = new Set<string>();
  const companyCollections = new Set<string>();
  const sharedTables = new Map<string, CollectionTable>();
  for (const resource of catalog.resources) {
    tables.set(resource.collection, {
      key: resource.key,
      indexes: resource.indexes,
      rangeIndexes: resource.rangeIndexes,
    });
    if (resource.lookups) joins.set(resource.collection, joinLayout(resource.lookups));
    if (resource.viewOf === NOMINAL_LEDGER) {
      ledgerViews.add(resource.collection);
    } else if (resource.viewOf !== undefined) {
      views.set(resource.collection, viewLayout(doc, catalog, resource));
    } else if (resource.derivedFrom !== undefined) {
      const view = DERIVED_VIEWS.get(resource.collection);
      if (!view) throw new Error(`the derived view /${resource.path} has no builder in mock-server/views/`);
      if (resource.customFilter && !view.customFilter)
        throw new Error(
          `/${resource.path}/{Id} declares custom filtering its view in mock-server/views/ lacks`,
        );
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
    joins,
    derived,
    ledgerViews,
  };
}

let defaultLayout: StoreLayout | undefined;

/** The layout of the sandbox's own contract. */
export function defaultStoreLayout(): StoreLayout {
  defaultLayout ??= storeLayout(loadCatalog());
  return defaultLayout;
}
