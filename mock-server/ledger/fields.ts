/**
 * Reading a posting body: the contract's schema first (types, required fields, maxLength, through the zod schemas
 * generated from contracts/sage200.openapi.yaml), then money, rates and dates. The first problem found is a 400
 * naming the field, in ASP.NET's wording where it has one (assumed: no real Sage 200 message is on record).
 */
import type { z } from 'zod';
import { loadContract, type SchemaObject, schemas } from '../../contracts/index.ts';
import { SageApiError } from '../errors.ts';
import { dayOf, ymd } from '../world/calendar.ts';

/** A 400 application error: the request is refused and nothing changes. */
export function invalid(message: string): SageApiError {
  return new SageApiError(400, message);
}

/** `tax_analysis_items[0].id` from zod's path. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node = body;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The .NET type Json.NET names when a value does not convert, from the contract's type and format. */
function dotnetType(schema: SchemaObject | undefined): string {
  const types = typeof schema?.type === 'string' ? [schema.type] : [...(schema?.type ?? [])];
  const base = types.find((t) => t !== 'null');
  switch (base) {
    case 'integer':
      return schema?.format === 'int16'
        ? 'System.Int16'
        : schema?.format === 'int32'
          ? 'System.Int32'
          : 'System.Int64';
    case 'number':
      return 'System.Decimal';
    case 'boolean':
      return 'System.Boolean';
    case 'string':
      return schema?.format === 'date-time' ? 'System.DateTime' : 'System.String';
    case 'array':
      return 'System.Collections.Generic.List';
    default:
      return 'System.Object';
  }
}

/** The contract's schema of the field at `path` (array indexes step into `items`). */
function schemaAt(schema: SchemaObject | undefined, path: readonly PropertyKey[]): SchemaObject | undefined {
  let node = schema;
  for (const key of path) node = typeof key === 'number' ? node?.items : node?.properties?.[String(key)];
  return node;
}

/**
 * Parses `body` with the contract schema `name` (its generated zod schema); the first issue becomes the 400 (zod
 * reports in schema order), worded as ASP.NET's DataAnnotations and Json.NET word theirs.
 */
export function parseBody<Name extends keyof typeof schemas>(
  name: Name,
  body: unknown,
): z.output<(typeof schemas)[Name]> {
  const result = schemas[name].safeParse(body);
  if (result.success) return result.data as z.output<(typeof schemas)[Name]>;
  const issue = result.error.issues[0];
  if (!issue) throw invalid('The request is invalid.');
  const field = fieldPath(issue.path);
  const value = valueAt(body, issue.path);
  if (issue.code === 'too_big' && issue.origin === 'string') {
    throw invalid(`The field ${field} must be a string with a maximum length of ${String(issue.maximum)}.`);
  }
  if (value === undefined) throw invalid(`The ${field} field is required.`);
  const shown = value === null ? '{null}' : JSON.stringify(value);
  const type = dotnetType(schemaAt(loadContract().components.schemas[name], issue.path));
  throw invalid(`Error converting value ${shown} to type '${type}'. Path '${field}'.`);
}

/** Largest money amount a posting takes: Sage's decimal columns hold far more, but pence stay exact below this. */
const MAX_POUNDS = 999_999_999_999.99;

/**
 * Pence of a `decimal 2dp` amount; 400 when it has more than two decimal places, is negative (postings take
 * positive amounts; the ledger gives the sign) or out of range.
 */
export function pence(value: number, field: string): number {
  const result = Math.round(value * 100);
  // Integer division by 100 is correctly rounded, so this holds exactly when `value` is a 2dp decimal.
  if (result / 100 !== value) throw invalid(`The field ${field} must have at most two decimal places.`);
  if (result < 0) throw invalid(`The field ${field} must not be negative.`);
  if (value > MAX_POUNDS) throw invalid(`The field ${field} must not be more than ${MAX_POUNDS}.`);
  return result + 0;
}

/** Pounds from pence; `+ 0` turns a negative zero into 0. */
export function money(amount: number): number {
  return amount / 100 + 0;
}

/** A `decimal 6dp` exchange rate: positive, at most six decimal places. */
export function rate(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw invalid(`The field ${field} must be greater than zero.`);
  if (Math.round(value * 1e6) / 1e6 !== value) {
    throw invalid(`The field ${field} must have at most six decimal places.`);
  }
  return value;
}

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The day (days since 1970-01-01) of a date-time field. Sage's business dates carry no time that matters, so the
 * date part is taken as written (`2026-03-01`, `2026-03-01T00:00:00`, `2026-03-01T00:00:00Z` are the same day).
 */
export function dayOfField(value: string, field: string): number {
  const match = DATE.exec(value);
  const day = match ? dayOf(value.slice(0, 10)) : Number.NaN;
  const hours = Number(match?.[4] ?? 0);
  const minutes = Number(match?.[5] ?? 0);
  const seconds = Number(match?.[6] ?? 0);
  if (
    !match ||
    !Number.isFinite(day) ||
    ymd(day) !== value.slice(0, 10) ||
    hours > 23 ||
    minutes > 59 ||
    seconds > 59
  ) {
    throw invalid(
      `Error converting value ${JSON.stringify(value)} to type 'System.DateTime'. Path '${field}'.`,
    );
  }
  return day;
}
