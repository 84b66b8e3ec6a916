/** Stable multi-key ordering for `$orderby` and Sage's documented default orders. */

import type { JsonValue, SageRecord } from '../world/model.ts';
import { type FieldModel, fieldOf, type OrderKey, type ResourceModel } from './model.ts';
import { compareText, enumLookup, enumNumber, parseInstant } from './values.ts';

/** Compares two records by position in the input, ascending for one key. */
type IndexComparator = (a: number, b: number) => number;

/**
 * Reads a field as a number for ordering. Null, missing and wrong-typed values read as -Infinity (never a JSON
 * number), so they sort first ascending and last descending, like NULL in SQL Server.
 */
function numericReader(field: FieldModel): ((value: JsonValue | undefined) => number) | undefined {
  if (field.enumValues !== undefined) {
    const lookup = enumLookup(field.enumValues);
    return (value) => enumNumber(value, lookup) ?? Number.NEGATIVE_INFINITY;
  }
  switch (field.type) {
    case 'integer':
    case 'number':
      return (value) => (typeof value === 'number' ? value : Number.NEGATIVE_INFINITY);
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? Number(value) : Number.NEGATIVE_INFINITY);
    case 'date-time':
      return (value) =>
        typeof value === 'string'
          ? (parseInstant(value) ?? Number.NEGATIVE_INFINITY)
          : Number.NEGATIVE_INFINITY;
    case 'string':
    case 'object':
    case 'array':
      return undefined;
    default: {
      const unknown: never = field.type;
      throw new Error(`Unknown field type ${String(unknown)}`);
    }
  }
}

/** Reads one key of every record once, and returns an ascending comparator over record positions. */
function keyComparator(
  records: readonly SageRecord[],
  name: string,
  field: FieldModel | undefined,
): IndexComparator {
  const read = field === undefined ? undefined : numericReader(field);
  if (read !== undefined) {
    const keys = new Float64Array(records.length);
    records.forEach((record, i) => {
      keys[i] = read(record[name]);
    });
    return (a, b) => {
      const x = keys[a] as number;
      const y = keys[b] as number;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (field?.type !== 'string') return () => 0; // object/array keys are rejected by parseQuery
  const keys = records.map((record) => {
    const value = record[name];
    return typeof value === 'string' ? value : null;
  });
  return (a, b) => {
    const x = keys[a] ?? null;
    const y = keys[b] ?? null;
    if (x === y) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    return compareText(x, y);
  };
}

/** Returns records [start, end) of the ordered list; ties keep input order. The input is not modified. */
export function sortRecords(
  records: readonly SageRecord[],
  order: readonly OrderKey[],
  model: ResourceModel,
  start: number,
  end: number,
): SageRecord[] {
  const comparators = order.map((key) => {
    const ascending = keyComparator(records, key.field, fieldOf(model, key.field));
    return key.direction === 'desc' ? (a: number, b: number) => ascending(b, a) : ascending;
  });
  const positions = Array.from({ length: records.length }, (_, i) => i);
  positions.sort((a, b) => {
    for (const compare of comparators) {
      const difference = compare(a, b);
      if (difference !== 0) return difference;
    }
    return a - b;
  });
  return positions.slice(start, end).map((i) => records[i] as SageRecord);
}
