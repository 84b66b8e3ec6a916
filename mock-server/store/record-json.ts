/**
 * Serialised JSON of stored records, encoded once while they are in demand. Records are never mutated in place (a
 * write replaces the object), so a list response is a concatenation of cached bytes instead of megabytes
 * serialised per request. The cache holds at most about RECORD_JSON_BUDGET_BYTES: a client paging once through
 * a large world's 55,000 posted transactions would otherwise keep a second, encoded copy of them (115 MB) for good,
 * while the pages asked for again and again are the ones the cache pays for.
 */
import type { JsonParts } from '../http/body-pool.ts';
import type { SageRecord } from '../world/model.ts';

/** Bytes of encoded records kept: the recently served ones, in two generations (see `recordJson`). */
export const RECORD_JSON_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Two generations, each a WeakMap (a replaced record's bytes go with it): encodings and hits go to the young one;
 * once it holds half the budget it becomes the old one and the previous old one is dropped. A record served in
 * either generation survives; one not served for a whole generation is encoded again if it is asked for later.
 */
let young = new WeakMap<SageRecord, Buffer<ArrayBuffer>>();
let old = new WeakMap<SageRecord, Buffer<ArrayBuffer>>();
let youngBytes = 0;

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export function recordJson(record: SageRecord): Buffer<ArrayBuffer> {
  let json = young.get(record);
  if (json !== undefined) return json;
  json = old.get(record) ?? Buffer.from(JSON.stringify(record));
  young.set(record, json);
  youngBytes += json.length;
  if (youngBytes >= RECORD_JSON_BUDGET_BYTES / 2) {
    old = young;
    young = new WeakMap();
    youngBytes = 0;
  }
  return json;
}

/** A JSON array of records, as the per-record cache's bytes and the commas between them. */
export function recordsJson(records: readonly SageRecord[]): JsonParts {
  const parts: Buffer<ArrayBuffer>[] = [OPEN];
  let byteLength = 2;
  for (let i = 0; i < records.length; i++) {
    if (i > 0) {
      parts.push(COMMA);
      byteLength += 1;
    }
    const json = recordJson(records[i]!);
    parts.push(json);
    byteLength += json.length;
  }
  parts.push(CLOSE);
  return { parts, byteLength };
}

/** The parts as one buffer. */
export function joinJson({ parts, byteLength }: JsonParts): Buffer<ArrayBuffer> {
  return Buffer.concat(parts, byteLength);
}
