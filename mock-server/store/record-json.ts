/**
 * Serialised JSON of each stored record, encoded once. Records are never mutated in place (a write replaces the
 * object), so a list response is a concatenation of cached bytes instead of megabytes serialised per request.
 */
import type { SageRecord } from '../world/model.ts';

const cache = new WeakMap<SageRecord, Buffer<ArrayBuffer>>();
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export function recordJson(record: SageRecord): Buffer<ArrayBuffer> {
  let json = cache.get(record);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(record));
    cache.set(record, json);
  }
  return json;
}

/** A JSON array of records, built from the per-record cache. */
export function recordsJson(records: readonly SageRecord[]): Buffer<ArrayBuffer> {
  const parts: Buffer[] = [OPEN];
  for (let i = 0; i < records.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(recordJson(records[i]!));
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
