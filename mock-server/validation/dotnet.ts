/**
 * What Sage's ASP.NET Web API model binding (Json.NET into .NET types) accepts: the .NET type a contract schema
 * binds to, the ranges of those types, and the date text Json.NET reads as a `System.DateTime`. The write
 * validator's formats and messages are built on these.
 * .NET numeric ranges: https://learn.microsoft.com/en-us/dotnet/csharp/language-reference/builtin-types/integral-numeric-types
 * and https://learn.microsoft.com/en-us/dotnet/csharp/language-reference/builtin-types/floating-point-numeric-types
 */
import type { Format } from 'ajv/dist/2020.js';
import { BUSINESS_DATE_FORMAT, isDateSchema, type SchemaObject, schemaTypes } from '../../contracts/index.ts';

const INTEGER_TYPES: Readonly<Record<string, string>> = {
  int16: 'System.Int16',
  int32: 'System.Int32',
  int64: 'System.Int64',
};

/** The .NET type Json.NET names when a value does not convert, from the schema's type and format. */
export function dotnetType(schema: SchemaObject): string {
  const base = schemaTypes(schema).find((t) => t !== 'null') ?? 'object';
  switch (base) {
    case 'integer':
      return INTEGER_TYPES[schema.format ?? 'int64'] ?? 'System.Int64';
    case 'number':
      return 'System.Decimal';
    case 'boolean':
      return 'System.Boolean';
    case 'string':
      return isDateSchema(schema) ? 'System.DateTime' : 'System.String';
    case 'array':
      return 'System.Collections.Generic.List';
    default:
      return 'System.Object';
  }
}

/** Half-open ranges of the integer formats; int64 stops where a JSON number stops being an exact integer. */
const INTEGER_LIMITS: Readonly<Record<string, number>> = { int16: 2 ** 15, int32: 2 ** 31 };

/**
 * A `System.Decimal` is a 96-bit integer scaled by a power of ten, so it holds magnitudes up to 2^96 - 1
 * (`Decimal.MaxValue`); every double below 2^96 is within that.
 */
const DECIMAL_LIMIT = 2 ** 96;

const DATE = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/**
 * A business date as Sage stores it (midnight, no zone), or undefined when the text is no date. Json.NET reads a
 * date alone (`2026-03-01`) as well as a date and time.
 */
export function businessDate(text: string): string | undefined {
  const match = DATE.exec(text.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m}-${d}T00:00:00`;
}

/**
 * Formats whose `pattern` is the shape Sage serves, not what its model binding reads: a body's business date binds
 * as Json.NET reads it (bindingFormat), so the write validator does not hold it to the pattern (docs/writes.md).
 */
export const BINDS_WIDER_THAN_PATTERN: ReadonlySet<string> = new Set([BUSINESS_DATE_FORMAT]);

/** Decimal places of a `decimal Ndp` format, or undefined for any other format. */
export function decimalPlaces(format: string | undefined): number | undefined {
  const places = /^decimal (\d+)dp$/.exec(format ?? '')?.[1];
  return places === undefined ? undefined : Number(places);
}

/**
 * The check of each contract format a body value must pass to bind: .NET integer and decimal ranges, Json.NET's
 * dates. Undefined for a format that only documents a value. Json.NET reads any date text as a `System.DateTime`
 * (`2026-03-01`, `2026-03-01T10:30:00Z`), so a body may send a business date in more shapes than the contract's
 * pattern, which is the shape Sage serves (see BINDS_WIDER_THAN_PATTERN).
 */
export function bindingFormat(name: string): Format | undefined {
  if (name === 'date-time' || name === BUSINESS_DATE_FORMAT)
    return { type: 'string', validate: (text) => businessDate(text) !== undefined };
  if (name === 'int64') return { type: 'number', validate: (n) => Number.isSafeInteger(n) };
  const limit = INTEGER_LIMITS[name];
  if (limit !== undefined) {
    return { type: 'number', validate: (n) => Number.isSafeInteger(n) && n >= -limit && n < limit };
  }
  if (decimalPlaces(name) !== undefined) {
    return { type: 'number', validate: (n) => Math.abs(n) < DECIMAL_LIMIT };
  }
  return undefined;
}
