/**
 * The shared way a company's reference lists are built: a blank record of the list's resource per row, an id from
 * the company's counter and a creation instant from a fixed clock. No Rng and no Faker, so the lists change nothing
 * else in the world but `next_id`.
 */
import { instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonPrimitive, SageRecord } from '../world/model.ts';

export interface ListBuilder {
  /** One record of `resource` per row, in order, each filled by `fill` after its id and instants are set. */
  records<Row>(
    resource: string,
    rows: readonly Row[],
    fill: (record: SageRecord, row: Row) => void,
  ): SageRecord[];
  readonly nextId: () => number;
}

/** Milliseconds between two records' creation instants: someone keying in a list, one entry after another. */
const STEP_MS = 2_500;

/**
 * A builder whose records are created from `startIso` on, `STEP_MS` apart, so every list record has its own
 * instant and later lists are newer.
 */
export function listBuilder(nextId: () => number, startIso: string): ListBuilder {
  let ms = Date.parse(startIso);
  return {
    nextId,
    records(resource, rows, fill) {
      return rows.map((row) => {
        ms += STEP_MS;
        const record = blankRecord(resource, instant(ms));
        record.id = nextId();
        fill(record, row);
        return record;
      });
    },
  };
}

/** The record of a list whose `field` is `value`; a seed table naming a missing entry is a bug. */
export function byField(records: readonly SageRecord[], field: string, value: JsonPrimitive): SageRecord {
  const found = records.find((r) => r[field] === value);
  if (!found) throw new Error(`seed lists: no record with ${field} '${String(value)}'`);
  return found;
}

/** The id of the record of a list whose `field` is `value`. */
export function idOf(records: readonly SageRecord[], field: string, value: JsonPrimitive): number {
  const id = byField(records, field, value).id;
  if (typeof id !== 'number') throw new Error(`seed lists: '${String(value)}' has no id`);
  return id;
}
