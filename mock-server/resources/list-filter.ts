/**
 * A list that filters only on the fields Sage names, some of them not on its records (sop.json
 * `/sop_despatch_discrete_orders`: "only supports filtering on the following fields: confirmation_intent_type,
 * trader_id, warehouse_id, document_no and document_date"). The contract maps each to a field of the view's source
 * record or of the source's children (`x-sandbox-resource.filter-fields`); a record is kept when the whole filter
 * holds for its source with one of its children, as a join of an order to its lines would keep it.
 */
import { loadCatalog, type ResourceDefinition } from '../../contracts/index.ts';
import { SageApiError } from '../errors.ts';
import {
  compileFilter,
  type FieldModel,
  ODataError,
  parseQuery,
  type RecordPredicate,
  type ResourceModel,
} from '../odata/index.ts';
import type { CompanyStore } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import type { ResourceModels } from './models.ts';

const FILTER = '$filter';

/** Where a filter field is read: the source record's field, or a field of its children of one navigation property. */
interface FieldSource {
  readonly name: string;
  readonly field: string;
  readonly children?: string;
}

/** A list's filter fields resolved against the contract: their model and where each is read. */
export interface ListFilterFields {
  readonly model: ResourceModel;
  readonly sources: readonly FieldSource[];
  /** The source collection, and its children the fields read (one navigation property at most). */
  readonly collection: string;
  readonly children?: { readonly collection: string; readonly foreignKey: string };
}

/**
 * The filter fields of a list, checked against its source's schema; undefined for a list that filters on its own
 * fields. A mapping naming no field of the source (or of its children) is a contract error, thrown at start-up.
 */
export function listFilterFields(
  definition: ResourceDefinition,
  models: ResourceModels,
): ListFilterFields | undefined {
  const mapping = definition.filterFields;
  if (mapping === undefined || definition.viewOf === undefined) return undefined;
  const catalog = loadCatalog();
  const source = catalog.resource(definition.viewOf);
  const sourceModel = models.get(source.schema);
  const fields: Record<string, FieldModel> = {};
  const sources: FieldSource[] = [];
  let children: ListFilterFields['children'];
  for (const [name, path] of Object.entries(mapping)) {
    const [first = '', second, ...more] = path.split('.');
    const fail = (problem: string): never => {
      throw new Error(`/${definition.path} filter-fields.${name}: ${problem}`);
    };
    if (more.length > 0) fail(`${path} reaches more than one level down`);
    if (second === undefined) {
      const field = Object.hasOwn(sourceModel.fields, first) ? sourceModel.fields[first] : undefined;
      if (!field) fail(`${definition.viewOf} has no field ${first}`);
      fields[name] = field!;
      sources.push({ name, field: first });
      continue;
    }
    const expand = Object.hasOwn(source.expand, first) ? source.expand[first] : undefined;
    if (!expand?.many) fail(`${first} is no array of children of ${definition.viewOf}`);
    if (children && children.collection !== expand!.collection) fail('the fields read two kinds of children');
    children = { collection: expand!.collection, foreignKey: expand!.foreignKey };
    const childModel = models.get(catalog.resource(expand!.resource).schema);
    const field = Object.hasOwn(childModel.fields, second) ? childModel.fields[second] : undefined;
    if (!field) fail(`${expand!.resource} has no field ${second}`);
    fields[name] = field!;
    sources.push({ name, field: second, children: first });
  }
  return {
    model: { name: definition.schema, fields, expandable: {} },
    sources,
    collection: definition.viewOf,
    ...(children ? { children } : {}),
  };
}

/**
 * The records a list's `$filter` keeps when the list filters only on the fields Sage names, and the query without
 * it; no test when the list takes an ordinary `$filter` or none was given. A field it does not take is a 400 naming
 * those it does.
 */
export function listFilterOf(
  definition: ResourceDefinition,
  fields: ListFilterFields | undefined,
  search: URLSearchParams,
): { keeps: ((record: SageRecord, store: CompanyStore) => boolean) | undefined; search: URLSearchParams } {
  if (!fields || !search.has(FILTER)) return { keeps: undefined, search };
  const usage = `/${definition.path} filters only on ${Object.keys(fields.model.fields).join(', ')}.`;
  let predicate: RecordPredicate;
  try {
    const only = new URLSearchParams(search.getAll(FILTER).map((text): [string, string] => [FILTER, text]));
    const filter = parseQuery(only, fields.model).filter;
    if (filter === undefined) return { keeps: undefined, search };
    predicate = compileFilter(filter, fields.model);
  } catch (error) {
    if (error instanceof ODataError) throw new SageApiError(400, `${error.message} ${usage}`);
    throw error;
  }
  const rest = new URLSearchParams(search);
  rest.delete(FILTER);
  const keeps = (record: SageRecord, store: CompanyStore): boolean => {
    const id = record[definition.key];
    const owner = typeof id === 'number' ? store.table(fields.collection).get(id) : undefined;
    if (!owner) return false;
    const children = fields.children
      ? (store.table(fields.children.collection).lookup(fields.children.foreignKey, id as number) ??
        store
          .table(fields.children.collection)
          .all()
          .filter((child) => child[fields.children!.foreignKey] === id))
      : [];
    const rows = children.length === 0 ? [undefined] : children;
    return rows.some((child) => {
      const row: SageRecord = {};
      for (const source of fields.sources) {
        const from = source.children ? child : owner;
        const value = from?.[source.field];
        if (value !== undefined) row[source.name] = value;
      }
      return predicate(row);
    });
  };
  return { keeps, search: rest };
}
