/** Stored date-times read as instants once per record, not once per row per request. */

import type { SageRecord } from '../world/model.ts';
import { type Instant, parseInstant } from './values.ts';

/** Reads one field of a record as an instant; undefined when it is null, missing, not a string or malformed. */
export type InstantReader = (record: SageRecord) => Instant | undefined;

const readers = new Map<string, InstantReader>();

/**
 * The cached reader of a date-time field. Stored records are never mutated (a write puts a new object), so an
 * instant cached against a record stays right for as long as that record lives, and dies with it.
 */
export function instantReader(field: string): InstantReader {
  let reader = readers.get(field);
  if (reader === undefined) {
    const cache = new WeakMap<SageRecord, Instant | null>();
    reader = (record) => {
      let instant = cache.get(record);
      if (instant === undefined) {
        const value = record[field];
        instant = (typeof value === 'string' ? parseInstant(value) : undefined) ?? null;
        cache.set(record, instant);
      }
      return instant ?? undefined;
    };
    readers.set(field, reader);
  }
  return reader;
}
