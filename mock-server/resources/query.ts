/** Runs an OData query against one company table: a query plan picks the page, then expand and select shape it. */

import {
  type EmbeddedDefinition,
  type ExpandDefinition,
  loadCatalog,
  type ResourceDefinition,
} from '../../contracts/index.ts';
import { SageApiError } from '../errors.ts';
import type { JsonParts } from '../http/body-pool.ts';
import { type ExpandItem, type ODataQuery, project, type ResourceModel } from '../odata/index.ts';
import type { CompanyStore, QuerySource } from '../store/index.ts';
import { describePlan, joinJson, queryCount, queryPage, recordJson, recordsJson } from '../store/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { listMetadata } from './metadata.ts';

/** The response header naming the plan a collection query used (`npm run bench` reads it). */
export const QUERY_PLAN_HEADER = 'X-Sandbox-Query-Plan';

/**
 * The JSON body of a collection GET (a bare array, a bare integer for `$count=true`, the list's description for
 * `$metadata`) and its plan.
 */
export function listBody(
  source: QuerySource,
  query: ODataQuery,
  model: ResourceModel,
  definition: ResourceDefinition,
  company: CompanyStore,
): { body: string | Uint8Array<ArrayBuffer> | JsonParts; plan: string } {
  if (query.metadata !== undefined) {
    return { body: JSON.stringify(listMetadata(model, definition, query.metadata)), plan: 'metadata' };
  }
  if (query.count) {
    const { count, plan } = queryCount(source, query, model);
    return { body: String(count), plan: describePlan(plan) };
  }
  const { rows, plan } = queryPage(source, query, model);
  return { body: rowsJson(rows, query, definition, company, false), plan: describePlan(plan) };
}

/** The JSON body of a single-record GET; `$metadata` describes lists only. */
export function recordBody(
  record: SageRecord,
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
): string | Uint8Array<ArrayBuffer> {
  singleObject(query);
  // Most reads by id ask for the record as stored: its cached encoding, with no plan to make.
  if (query.expand.length === 0 && !query.select) return recordJson(record);
  const json = rowsJson([record], query, definition, company, true);
  return typeof json === 'string' || json instanceof Uint8Array ? json : joinJson(json);
}

/** The query of a GET answering one object: `$metadata` describes lists, so it is a 400 there. */
export function singleObject(query: ODataQuery): ODataQuery {
  if (query.metadata !== undefined) {
    throw new SageApiError(400, 'The query option $metadata describes a list; ask for it on the list path.');
  }
  return query;
}

/** One `$expand` item made ready to apply: a related record (or children), or an inline object, with its nesting. */
type Step =
  | {
      kind: 'related';
      name: string;
      target: ExpandDefinition;
      table: ReturnType<CompanyStore['table']>;
      /** `,"name":`, the bytes that open the property in the record's JSON. */
      opening: Buffer<ArrayBuffer>;
      inner: Step[];
    }
  | { kind: 'embedded'; name: string; inner: Step[] };

/** The steps of `items` against the navigation properties they name (parseQuery has checked every name). */
function plan(
  items: readonly ExpandItem[],
  navigation: Pick<EmbeddedDefinition, 'expand' | 'embedded'>,
  company: CompanyStore,
): Step[] {
  const steps: Step[] = [];
  for (const { name, expand } of items) {
    const target = navigation.expand[name];
    if (target) {
      const inner = plan(expand, loadCatalog().resource(target.resource), company);
      const opening = Buffer.from(`,${JSON.stringify(name)}:`);
      steps.push({ kind: 'related', name, target, table: company.table(target.collection), opening, inner });
      continue;
    }
    const embedded = navigation.embedded[name];
    if (embedded) steps.push({ kind: 'embedded', name, inner: plan(expand, embedded, company) });
  }
  return steps;
}

function rowsJson(
  rows: readonly SageRecord[],
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
  single: boolean,
): string | Uint8Array<ArrayBuffer> | JsonParts {
  // An inline object is in the record already: expanding it alone changes nothing.
  const steps = plan(query.expand, definition, company).filter(
    (step) => step.kind === 'related' || step.inner.length > 0,
  );
  if (steps.length === 0 && !query.select) return single ? recordJson(rows[0]!) : recordsJson(rows);
  const flat = steps.every((step) => step.kind === 'related' && step.inner.length === 0);
  if (!query.select && flat) {
    const parts: Buffer<ArrayBuffer>[] = single ? [] : [OPEN_ARRAY];
    rows.forEach((row, i) => {
      if (i > 0) parts.push(COMMA);
      expandedJson(row, steps, parts);
    });
    if (!single) parts.push(CLOSE_ARRAY);
    return { parts, byteLength: parts.reduce((sum, part) => sum + part.length, 0) };
  }
  const shaped = rows.map((row) => project(expand(row, steps), query.select));
  return JSON.stringify(single ? shaped[0] : shaped);
}

/** The record with its expansions, as an object (for `$select` to project). */
function expand(record: SageRecord, steps: readonly Step[]): SageRecord {
  if (steps.length === 0) return record;
  const expanded = { ...record };
  for (const step of steps) {
    if (step.kind === 'embedded') {
      const value = record[step.name];
      if (value !== undefined) expanded[step.name] = expandInline(value, step.inner);
      continue;
    }
    const value = related(record, step.target, step.table);
    if (value === undefined) continue;
    expanded[step.name] = isList(value)
      ? value.map((child) => expand(child, step.inner))
      : expand(value, step.inner);
  }
  return expanded;
}

/** An inline object (or each object of an inline array) with the navigation properties inside it expanded. */
function expandInline(value: JsonValue, steps: readonly Step[]): JsonValue {
  if (Array.isArray(value)) return value.map((item) => expandInline(item, steps));
  if (value === null || typeof value !== 'object') return value;
  return expand(value, steps);
}

/** The expanded value: the related record by id, or the children holding the record's id (undefined: none). */
function related(
  record: SageRecord,
  target: ExpandDefinition,
  table: ReturnType<CompanyStore['table']>,
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
 * Appends the record's JSON with its expansions (related records, none nested) to `parts`, spliced from the
 * cached JSON of each record rather than copied and serialised again; the caller concatenates once. Byte for byte
 * what JSON.stringify of the expanded copy gives: new properties go last.
 */
function expandedJson(record: SageRecord, steps: readonly Step[], parts: Buffer<ArrayBuffer>[]): void {
  const own = recordJson(record);
  // A record already holding the property keeps it in place when expanded: let JSON.stringify place it.
  if (steps.some(({ name }) => Object.hasOwn(record, name))) {
    parts.push(Buffer.from(JSON.stringify(expand(record, steps))));
    return;
  }
  parts.push(own.subarray(0, own.length - 1));
  let empty = own.length === 2; // '{}'
  for (const step of steps) {
    if (step.kind !== 'related') continue;
    const value = related(record, step.target, step.table);
    if (value === undefined) continue;
    parts.push(empty ? step.opening.subarray(1) : step.opening);
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
