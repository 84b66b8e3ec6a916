/**
 * Serialised JSON of each stored record, computed once. Records are never mutated in place (a write replaces the
 * object), so a list response can be joined from cached strings instead of serialising megabytes per request.
 */
import type { SageRecord } from '../../fixtures/world.ts';

const cache = new WeakMap<SageRecord, string>();

export function recordJson(record: SageRecord): string {
  let json = cache.get(record);
  if (json === undefined) {
    json = JSON.stringify(record);
    cache.set(record, json);
  }
  return json;
}

/** A JSON array of records, built from the per-record cache. */
export function recordsJson(records: readonly SageRecord[]): string {
  let out = '[';
  for (let i = 0; i < records.length; i++) {
    if (i > 0) out += ',';
    out += recordJson(records[i]!);
  }
  return `${out}]`;
}
