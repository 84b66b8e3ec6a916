/** Turns a checked `$filter` tree into nested closures, once, so rows are tested without re-reading the tree. */

import type { JsonValue, SageRecord } from '../world/model.ts';
import { ODataError } from './errors.ts';
import type { ComparisonOperator, FilterExpression } from './filter-parser.ts';
import { instantReader } from './instants.ts';
import { type FieldModel, fieldOf, type ResourceModel } from './model.ts';
import { compareText, enumLookup, enumNumber, foldCase } from './values.ts';

export type RecordPredicate = (record: SageRecord) => boolean;

const compiled = new WeakMap<FilterExpression, WeakMap<ResourceModel, RecordPredicate>>();

/**
 * Compiles a filter from parseQuery into a predicate. Semantics follow OData: a missing or null value equals
 * only `null`, is `ne` any other literal, and fails every ordering comparison. Cached per filter and model.
 */
export function compileFilter(filter: FilterExpression, model: ResourceModel): RecordPredicate {
  let byModel = compiled.get(filter);
  let predicate = byModel?.get(model);
  if (predicate === undefined) {
    predicate = compile(filter, model);
    if (byModel === undefined) {
      byModel = new WeakMap();
      compiled.set(filter, byModel);
    }
    byModel.set(model, predicate);
  }
  return predicate;
}

function compile(expression: FilterExpression, model: ResourceModel): RecordPredicate {
  switch (expression.kind) {
    case 'and': {
      const parts = expression.operands.map((operand) => compile(operand, model));
      if (parts.length === 2) {
        const [a, b] = parts as [RecordPredicate, RecordPredicate];
        return (record) => a(record) && b(record);
      }
      return (record) => {
        for (const part of parts) if (!part(record)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expression.operands.map((operand) => compile(operand, model));
      if (parts.length === 2) {
        const [a, b] = parts as [RecordPredicate, RecordPredicate];
        return (record) => a(record) || b(record);
      }
      return (record) => {
        for (const part of parts) if (part(record)) return true;
        return false;
      };
    }
    case 'not': {
      const operand = compile(expression.operand, model);
      return (record) => !operand(record);
    }
    case 'function':
      fieldFor(model, expression.field);
      return compileFunction(expression);
    case 'compare':
      return compileComparison(expression, fieldFor(model, expression.field));
    default: {
      const unknown: never = expression;
      throw new Error(`Unknown filter node ${String(unknown)}`);
    }
  }
}

function fieldFor(model: ResourceModel, name: string): FieldModel {
  const field = fieldOf(model, name);
  if (field === undefined) {
    throw new ODataError(
      `Invalid $filter: Could not find a property named '${name}' on type '${model.name}'.`,
      {
        option: '$filter',
      },
    );
  }
  return field;
}

function compileFunction(expression: Extract<FilterExpression, { kind: 'function' }>): RecordPredicate {
  const { field } = expression;
  const text = foldCase(expression.value);
  switch (expression.name) {
    case 'contains':
      return (record) => {
        const value = record[field];
        return typeof value === 'string' && foldCase(value).includes(text);
      };
    case 'startswith':
      return (record) => {
        const value = record[field];
        return typeof value === 'string' && foldCase(value).startsWith(text);
      };
    case 'endswith':
      return (record) => {
        const value = record[field];
        return typeof value === 'string' && foldCase(value).endsWith(text);
      };
    default: {
      const unknown: never = expression.name;
      throw new Error(`Unknown function ${String(unknown)}`);
    }
  }
}

/** A test on an already-converted, non-null value. */
type ValueTest<T> = (value: T) => boolean;

function orderingTest<T>(
  operator: ComparisonOperator,
  literal: T,
  compare: (a: T, b: T) => number,
): ValueTest<T> {
  switch (operator) {
    case 'eq':
      return (value) => compare(value, literal) === 0;
    case 'ne':
      return (value) => compare(value, literal) !== 0;
    case 'gt':
      return (value) => compare(value, literal) > 0;
    case 'ge':
      return (value) => compare(value, literal) >= 0;
    case 'lt':
      return (value) => compare(value, literal) < 0;
    case 'le':
      return (value) => compare(value, literal) <= 0;
    default: {
      const unknown: never = operator;
      throw new Error(`Unknown operator ${String(unknown)}`);
    }
  }
}

function numberTest(operator: ComparisonOperator, literal: number): ValueTest<number> {
  switch (operator) {
    case 'eq':
      return (value) => value === literal;
    case 'ne':
      return (value) => value !== literal;
    case 'gt':
      return (value) => value > literal;
    case 'ge':
      return (value) => value >= literal;
    case 'lt':
      return (value) => value < literal;
    case 'le':
      return (value) => value <= literal;
    default: {
      const unknown: never = operator;
      throw new Error(`Unknown operator ${String(unknown)}`);
    }
  }
}

/**
 * Wraps a test with the conversion from the stored value; a value that is null, missing or of the wrong type
 * satisfies only `ne` (OData: null ne 5 is true, null gt 5 is false).
 */
function withConversion<T>(
  field: string,
  operator: ComparisonOperator,
  convert: (value: JsonValue | undefined) => T | undefined,
  test: ValueTest<T>,
): RecordPredicate {
  const absent = operator === 'ne';
  return (record) => {
    const value = convert(record[field]);
    return value === undefined ? absent : test(value);
  };
}

function compileComparison(
  expression: Extract<FilterExpression, { kind: 'compare' }>,
  model: FieldModel,
): RecordPredicate {
  const { field, operator, value: literal } = expression;
  switch (literal.type) {
    case 'null':
      return operator === 'eq' ? (record) => record[field] == null : (record) => record[field] != null;
    case 'string': {
      if (operator === 'eq' || operator === 'ne') {
        const folded = foldCase(literal.value);
        const equal = operator === 'eq';
        return (record) => {
          const value = record[field];
          return typeof value === 'string' ? (foldCase(value) === folded) === equal : !equal;
        };
      }
      const test = orderingTest(operator, literal.value, compareText);
      return withConversion(
        field,
        operator,
        (value) => (typeof value === 'string' ? value : undefined),
        test,
      );
    }
    case 'number': {
      const test = numberTest(operator, literal.value);
      return (record) => {
        const value = record[field];
        return typeof value === 'number' ? test(value) : operator === 'ne';
      };
    }
    case 'boolean': {
      const equal = operator === 'eq';
      return (record) => {
        const value = record[field];
        return typeof value === 'boolean' ? (value === literal.value) === equal : !equal;
      };
    }
    case 'date-time': {
      const instant = instantReader(field);
      const test = numberTest(operator, literal.value);
      const absent = operator === 'ne';
      return (record) => {
        const value = instant(record);
        return value === undefined ? absent : test(value);
      };
    }
    case 'enum': {
      if (model.enumValues === undefined) throw new Error(`'${field}' is not an enum field`);
      const lookup = enumLookup(model.enumValues);
      return withConversion(
        field,
        operator,
        (value) => enumNumber(value, lookup),
        numberTest(operator, literal.value),
      );
    }
    default: {
      const unknown: never = literal;
      throw new Error(`Unknown filter value ${String(unknown)}`);
    }
  }
}
