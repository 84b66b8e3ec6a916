/** Runs an OData query against one company table: a query plan picks the page, then expand and select shape it. */

import type { ExpandDefinition, ResourceDefinition } from '../../contracts/index.ts';
import { type ODataQuery, project, type ResourceModel } from '../odata/index.ts';
import type { CompanyStore, QuerySource } from '../store/index.ts';
import { describePlan, queryCount, queryPage, recordJson, recordsJson } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';

/** The response header naming the plan a collection query used (`npm run bench` reads it). */
export const QUERY_PLAN_HEADER = 'X-Sandbox-Query-Plan';

/** The JSON body of a collection GET (a bare array, or a bare integer for `$count=true`) and its plan. */
export function listBody(
  source: QuerySource,
  query: ODataQuery,
  model: ResourceModel,
  definition: ResourceDefinition,
  company: CompanyStore,
): { body: string | Uint8Array<ArrayBuffer>; plan: string } {
  if (query.count) {
    const { count, plan } = queryCount(source, query, model);
    return { body: String(count), plan: describePlan(plan) };
  }
  const { rows, plan } = queryPage(source, query, model);
  return { body: rowsJson(rows, query, definition, company), plan: describePlan(plan) };
}

/** The JSON body of a single-record GET. */
export function recordBody(
  record: SageRecord,
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
): string | Uint8Array<ArrayBuffer> {
  return rowsJson([record], query, definition, company, true);
}

/** Navigation properties to expand, each with the table that resolves it. */
interface Expansion {
  name: string;
  target: ExpandDefinition;
  table: ReturnType<CompanyStore['table']>;
  /** `,"name":`, the bytes that open the property in the record's JSON. */
  opening: Buffer;
}

function rowsJson(
  rows: readonly SageRecord[],
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
  single = false,
): string | Uint8Array<ArrayBuffer> {
  if (query.expand.length === 0 && !query.select) return single ? recordJson(rows[0]!) : recordsJson(rows);
  const expansions: Expansion[] = [];
  for (const name of query.expand) {
    const target = definition.expand[name];
    if (!target) continue;
    const opening = Buffer.from(`,${JSON.stringify(name)}:`);
    expansions.push({ name, target, table: company.table(target.collection), opening });
  }
  if (!query.select) {
    const parts: Buffer[] = single ? [] : [OPEN_ARRAY];
    rows.forEach((row, i) => {
      if (i > 0) parts.push(COMMA);
      expandedJson(row, expansions, parts);
    });
    if (!single) parts.push(CLOSE_ARRAY);
    return Buffer.concat(parts);
  }
  const shaped = rows.map((row) => project(expand(row, expansions), query.select));
  return JSON.stringify(single ? shaped[0] : shaped);
}

/** The record with its expansions, as an object (for `$select` to project). */
function expand(record: SageRecord, expansions: readonly Expansion[]): SageRecord {
  if (expansions.length === 0) return record;
  const expanded = { ...record };
  for (const { name, target, table } of expansions) {
    const value = related(record, target, table);
    if (value !== undefined) expanded[name] = isList(value) ? [...value] : value;
  }
  return expanded;
}

/** The expanded value: the related record by id, or the children holding the record's id (undefined: none). */
function related(
  record: SageRecord,
  target: ExpandDefinition,
  table: Expansion['table'],
): SageRecord | readonly SageRecord[] | undefined {
  if (target.many) {
    const id = record.id;
    return (typeof id === 'number' ? table.lookup(target.foreignKey, id) : undefined) ?? [];
  }
  const key = record[target.foreignKey];
  return typeof key === 'number' ? table.get(key) : undefined;
}

function isList(value: SageRecord | readonly SageRecord[]): value is readonly SageRecord[] {
  return Array.isArray(value);
}

const COMMA = Buffer.from(',');
const OPEN_ARRAY = Buffer.from('[');
const CLOSE_ARRAY = Buffer.from(']');
const CLOSE_OBJECT = Buffer.from('}');

/**
 * Appends the record's JSON with its expansions to `parts`, spliced from the cached JSON of each record rather
 * than copied and serialised again; the caller concatenates once. Byte for byte what JSON.stringify of the
 * expanded copy gives: new properties go last.
 */
function expandedJson(record: SageRecord, expansions: readonly Expansion[], parts: Buffer[]): void {
  const own = recordJson(record);
  // A record already holding the property keeps it in place when expanded: let JSON.stringify place it.
  if (expansions.some(({ name }) => Object.hasOwn(record, name))) {
    parts.push(Buffer.from(JSON.stringify(expand(record, expansions))));
    return;
  }
  parts.push(own.subarray(0, own.length - 1));
  let empty = own.length === 2; // '{}'
  for (const { target, table, opening } of expansions) {
    const value = related(record, target, table);
    if (value === undefined) continue;
    parts.push(empty ? opening.subarray(1) : opening);
    empty = false;
    if (!isList(value)) {
      parts.push(recordJson(value));
      continue;
    }
    parts.push(OPEN_ARRAY);
    value.forEach((child, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(recordJson(child));
    });
    parts.push(CLOSE_ARRAY);
  }
  parts.push(CLOSE_OBJECT);
}
