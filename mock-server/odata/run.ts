/** Applies a parsed query to candidate records: filter, order, skip, top, and `$select` projection. */

import type { JsonValue, SageRecord } from '../world/model.ts';
import { compileFilter, type RecordPredicate } from './filter-compiler.ts';
import type { ResourceModel } from './model.ts';
import { sortRecords } from './order.ts';
import type { ODataQuery, SelectItem } from './query.ts';

/**
 * Filters, orders ($orderby, else the model's defaultOrder, else candidate order), then skips and takes.
 * `candidates` is what the caller fetched (all rows, or an index bucket); it is never modified.
 */
export function runQuery(
  candidates: readonly SageRecord[],
  query: ODataQuery,
  model: ResourceModel,
): SageRecord[] {
  const { top, skip } = query;
  const order = query.orderby.length > 0 ? query.orderby : (model.defaultOrder ?? []);
  const predicate = query.filter === undefined ? undefined : compileFilter(query.filter, model);
  if (top === 0) return [];
  if (order.length === 0) return pageInPlace(candidates, predicate, skip, top);
  const matches = predicate === undefined ? candidates : candidates.filter(predicate);
  return sortRecords(matches, order, model, skip, skip + top);
}

/** The number of candidates that match the filter; `$count=true` ignores `$top` and `$skip`. */
export function countQuery(
  candidates: readonly SageRecord[],
  query: ODataQuery,
  model: ResourceModel,
): number {
  if (query.filter === undefined) return candidates.length;
  const predicate = compileFilter(query.filter, model);
  let count = 0;
  for (const record of candidates) if (predicate(record)) count++;
  return count;
}

/** Without an order, a page is collected in one pass that stops as soon as it is full. */
function pageInPlace(
  candidates: readonly SageRecord[],
  predicate: RecordPredicate | undefined,
  skip: number,
  top: number,
): SageRecord[] {
  if (predicate === undefined) return candidates.slice(skip, skip + top);
  const page: SageRecord[] = [];
  let skipped = 0;
  for (const record of candidates) {
    if (!predicate(record)) continue;
    if (skipped < skip) {
      skipped++;
      continue;
    }
    page.push(record);
    if (page.length === top) break;
  }
  return page;
}

/**
 * `$select` projection, applied after expansion. Keeps the listed fields in the record's own order; a bare
 * expanded name keeps the whole child; `child.field` keeps that field inside the expanded object (or inside each
 * element when the child is an array). Without a select, returns the record itself.
 */
export function project(record: SageRecord, select: SelectItem[] | undefined): SageRecord {
  if (select === undefined) return record;
  const plan = new Map<string, 'whole' | Set<string>>();
  for (const item of select) {
    if (item.kind === 'property') {
      plan.set(item.name, 'whole');
    } else {
      const existing = plan.get(item.child);
      if (existing === 'whole') continue;
      if (existing === undefined) plan.set(item.child, new Set([item.name]));
      else existing.add(item.name);
    }
  }
  const projected: SageRecord = {};
  for (const [name, value] of Object.entries(record)) {
    const wanted = plan.get(name);
    if (wanted === undefined) continue;
    projected[name] = wanted === 'whole' ? value : projectChild(value, wanted);
  }
  return projected;
}

function projectChild(value: JsonValue, fields: ReadonlySet<string>): JsonValue {
  if (Array.isArray(value)) return value.map((element) => projectChild(element, fields));
  if (value === null || typeof value !== 'object') return value;
  const projected: SageRecord = {};
  for (const [name, field] of Object.entries(value)) if (fields.has(name)) projected[name] = field;
  return projected;
}
