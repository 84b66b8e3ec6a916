/** Stable multi-key ordering for `$orderby` and Sage's documented default orders. */

import type { SageRecord } from '../world/model.ts';
import { instantReader } from './instants.ts';
import { type FieldModel, fieldOf, type OrderKey, type ResourceModel } from './model.ts';
import { firstPositions, type PositionComparator } from './top-k.ts';
import { compareText, enumLookup, enumNumber } from './values.ts';

/**
 * Reads a field as a number for ordering. Null, missing and wrong-typed values read as -Infinity (never a JSON
 * number), so they sort first ascending and last descending, like NULL in SQL Server.
 */
function numericReader(name: string, field: FieldModel): ((record: SageRecord) => number) | undefined {
  if (field.enumValues !== undefined) {
    const lookup = enumLookup(field.enumValues);
    return (record) => enumNumber(record[name], lookup) ?? Number.NEGATIVE_INFINITY;
  }
  switch (field.type) {
    case 'integer':
    case 'number':
      return (record) => {
        const value = record[name];
        return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
      };
    case 'boolean':
      return (record) => {
        const value = record[name];
        return typeof value === 'boolean' ? Number(value) : Number.NEGATIVE_INFINITY;
      };
    case 'date-time': {
      const instant = instantReader(name);
      return (record) => instant(record) ?? Number.NEGATIVE_INFINITY;
    }
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
): PositionComparator {
  const read = field === undefined ? undefined : numericReader(name, field);
  if (read !== undefined) {
    const keys = new Float64Array(records.length);
    for (let i = 0; i < records.length; i++) keys[i] = read(records[i] as SageRecord);
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

/**
 * The total order of `$orderby` over record positions: each key in turn, then, for ties, ascending `ties[i]`
 * when given (distinct numbers in storage order, such as ids of a table stored in id order), else input position.
 */
export function orderComparator(
  records: readonly SageRecord[],
  order: readonly OrderKey[],
  model: ResourceModel,
  ties?: ArrayLike<number>,
): PositionComparator {
  const comparators = order.map((key) => {
    const ascending = keyComparator(records, key.field, fieldOf(model, key.field));
    return key.direction === 'desc' ? (a: number, b: number) => ascending(b, a) : ascending;
  });
  const last: PositionComparator =
    ties === undefined ? (a, b) => a - b : (a, b) => (ties[a] as number) - (ties[b] as number);
  if (comparators.length === 1) {
    const [only] = comparators as [PositionComparator];
    return (a, b) => only(a, b) || last(a, b);
  }
  return (a, b) => {
    for (const compare of comparators) {
      const difference = compare(a, b);
      if (difference !== 0) return difference;
    }
    return last(a, b);
  };
}

/**
 * Returns records [start, end) of the ordered list; ties keep input order (or the order of `ties`, see
 * orderComparator). Only the first `end` are selected, so a page near the front never sorts the whole input.
 * The input is not modified.
 */
export function sortRecords(
  records: readonly SageRecord[],
  order: readonly OrderKey[],
  model: ResourceModel,
  start: number,
  end: number,
  ties?: ArrayLike<number>,
): SageRecord[] {
  if (start >= end || start >= records.length) return [];
  const compare = orderComparator(records, order, model, ties);
  const positions = firstPositions(records.length, Math.min(end, records.length), compare);
  const page: SageRecord[] = [];
  for (let i = start; i < positions.length; i++) page.push(records[positions[i] as number] as SageRecord);
  return page;
}
