/** Runs an OData query against one company table: index-assisted candidate fetch, filter, order, page, expand, select. */

import type { ResourceDefinition } from '../../contracts/index.ts';
import {
  countQuery,
  indexHint,
  type ODataQuery,
  project,
  type ResourceModel,
  runQuery,
} from '../odata/index.ts';
import type { CollectionTable, CompanyStore } from '../store/index.ts';
import { recordJson, recordsJson } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';

/** Records a query may match: an index bucket when the filter pins an indexed field with `eq`, else every row. */
export function candidatesFor(table: CollectionTable, query: ODataQuery): readonly SageRecord[] {
  if (!query.filter) return table.all();
  const hint = indexHint(query.filter, table.indexedFields());
  return (hint && table.lookup(hint.field, hint.value)) ?? table.all();
}

/** The JSON body of a collection GET: a bare array, or a bare integer for `$count=true`. */
export function listBody(
  candidates: readonly SageRecord[],
  query: ODataQuery,
  model: ResourceModel,
  definition: ResourceDefinition,
  company: CompanyStore,
): string | Uint8Array<ArrayBuffer> {
  if (query.count) return String(countQuery(candidates, query, model));
  const rows = runQuery(candidates, query, model);
  if (query.expand.length === 0 && !query.select) return recordsJson(rows);
  return JSON.stringify(rows.map((row) => shape(row, query, definition, company)));
}

/** The JSON body of a single-record GET. */
export function recordBody(
  record: SageRecord,
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
): string | Uint8Array<ArrayBuffer> {
  if (query.expand.length === 0 && !query.select) return recordJson(record);
  return JSON.stringify(shape(record, query, definition, company));
}

function shape(
  record: SageRecord,
  query: ODataQuery,
  definition: ResourceDefinition,
  company: CompanyStore,
): SageRecord {
  let expanded = record;
  if (query.expand.length > 0) {
    expanded = { ...record };
    for (const name of query.expand) {
      const target = definition.expand[name];
      if (!target) continue;
      if (target.many) {
        const id = record.id;
        const children =
          typeof id === 'number' ? company.table(target.collection).lookup(target.foreignKey, id) : [];
        expanded[name] = [...(children ?? [])];
        continue;
      }
      const key = record[target.foreignKey];
      const related = typeof key === 'number' ? company.table(target.collection).get(key) : undefined;
      if (related) expanded[name] = related;
    }
  }
  return project(expanded, query.select);
}
