/**
 * What a `$filter` pins down, for the store to choose an index: the comparisons of its top-level `and` chain that
 * every matching record must satisfy. The store still applies the whole filter to what an index returns, so these
 * only narrow the candidates; they never decide a match.
 */

import type { ComparisonOperator, FilterExpression } from './filter-parser.ts';

/** One end of a range. */
export interface Bound {
  value: number;
  inclusive: boolean;
}

/** The values a field may take, both ends optional; `lower` above `upper` means nothing matches. */
export interface FieldRange {
  lower?: Bound;
  upper?: Bound;
}

export interface FilterConstraints {
  /**
   * `field eq literal` with a number or boolean literal, as stored. String equality ignores case, and dates and
   * enums have several stored spellings, so an exact-match index could miss rows for those.
   */
  equalities: { field: string; value: number | boolean }[];
  /** Bounds on date-time fields, as instants, from eq, gt, ge, lt and le. */
  dateRanges: Map<string, FieldRange>;
  /** Bounds on number and integer fields from the same operators. */
  numberRanges: Map<string, FieldRange>;
}

const cache = new WeakMap<FilterExpression, FilterConstraints>();

/** The constraints of a parsed filter (cached per filter). */
export function filterConstraints(filter: FilterExpression): FilterConstraints {
  let constraints = cache.get(filter);
  if (constraints === undefined) {
    constraints = { equalities: [], dateRanges: new Map(), numberRanges: new Map() };
    collect(filter, constraints);
    cache.set(filter, constraints);
  }
  return constraints;
}

function collect(filter: FilterExpression, into: FilterConstraints): void {
  switch (filter.kind) {
    case 'and':
      for (const operand of filter.operands) collect(operand, into);
      return;
    case 'compare': {
      const { field, operator, value } = filter;
      if (operator === 'eq' && (value.type === 'number' || value.type === 'boolean')) {
        into.equalities.push({ field, value: value.value });
      }
      if (value.type === 'date-time') narrow(into.dateRanges, field, operator, value.value);
      else if (value.type === 'number') narrow(into.numberRanges, field, operator, value.value);
      return;
    }
    case 'or':
    case 'not':
    case 'function':
      return;
    default: {
      const unknown: never = filter;
      throw new Error(`Unknown filter node ${String(unknown)}`);
    }
  }
}

function narrow(
  ranges: Map<string, FieldRange>,
  field: string,
  operator: ComparisonOperator,
  value: number,
): void {
  const range = ranges.get(field) ?? {};
  switch (operator) {
    case 'eq':
      range.lower = tighterLower(range.lower, { value, inclusive: true });
      range.upper = tighterUpper(range.upper, { value, inclusive: true });
      break;
    case 'gt':
    case 'ge':
      range.lower = tighterLower(range.lower, { value, inclusive: operator === 'ge' });
      break;
    case 'lt':
    case 'le':
      range.upper = tighterUpper(range.upper, { value, inclusive: operator === 'le' });
      break;
    case 'ne':
      return;
    default: {
      const unknown: never = operator;
      throw new Error(`Unknown operator ${String(unknown)}`);
    }
  }
  ranges.set(field, range);
}

function tighterLower(current: Bound | undefined, next: Bound): Bound {
  if (current === undefined || next.value > current.value) return next;
  if (next.value < current.value) return current;
  return { value: next.value, inclusive: current.inclusive && next.inclusive };
}

function tighterUpper(current: Bound | undefined, next: Bound): Bound {
  if (current === undefined || next.value < current.value) return next;
  if (next.value > current.value) return current;
  return { value: next.value, inclusive: current.inclusive && next.inclusive };
}

/**
 * The one field a filter only bounds: an `and` chain of eq, gt, ge, lt and le comparisons of that field with
 * numbers or date-times, which a range of that field's index answers exactly. Undefined for any other filter.
 */
export function boundedField(filter: FilterExpression): string | undefined {
  switch (filter.kind) {
    case 'and': {
      const fields = new Set(filter.operands.map(boundedField));
      const [only] = fields;
      return fields.size === 1 ? only : undefined;
    }
    case 'compare': {
      const { operator, value } = filter;
      if (operator === 'ne' || (value.type !== 'number' && value.type !== 'date-time')) return undefined;
      return filter.field;
    }
    case 'or':
    case 'not':
    case 'function':
      return undefined;
    default: {
      const unknown: never = filter;
      throw new Error(`Unknown filter node ${String(unknown)}`);
    }
  }
}
