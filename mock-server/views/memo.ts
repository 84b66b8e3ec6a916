/**
 * Rows projected from one source record, kept while that record and every record it is joined with are the same
 * objects. Records are never changed in place (a write puts a new object), so a kept row is still right, and a
 * view computed again after a write projects only what the write touched; the rows it keeps also keep their
 * cached JSON (mock-server/store/record-json.ts).
 */
import type { SageRecord } from '../world/model.ts';

export class RowMemo<Row> {
  readonly #rows = new WeakMap<SageRecord, { joins: readonly unknown[]; row: Row }>();

  /** The row of `source` joined with `joins`, made again only when one of them is a different object. */
  row(source: SageRecord, joins: readonly unknown[], make: () => Row): Row {
    const kept = this.#rows.get(source);
    if (kept && sameObjects(kept.joins, joins)) return kept.row;
    const row = make();
    this.#rows.set(source, { joins, row });
    return row;
  }
}

function sameObjects(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
