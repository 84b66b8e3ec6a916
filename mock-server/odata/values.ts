/** How record values compare: dates as UTC instants, strings without regard to case, enums by number. */

import type { JsonValue } from '../world/model.ts';

/*
 * Assumption: Sage 200 runs on SQL Server with its default collation (Latin1_General_CI_AS), so string
 * equality, the string functions and ordering ignore case but not accents. Equality and the functions fold
 * case with toLowerCase; ordering uses an ICU collator of the same strength, the nearest JS equivalent.
 */
const collator = new Intl.Collator('en-GB', { sensitivity: 'accent' });

/** Orders two strings as the (assumed) SQL Server collation would: case-insensitive, accent-sensitive. */
export const compareText: (a: string, b: string) => number = collator.compare;

/** Folds case for equality and substring tests under the same collation assumption. */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when year-month-day names a real calendar day (proleptic Gregorian). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const last = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= last;
}

/** Milliseconds since the epoch, with sub-millisecond digits kept as a fraction. */
export type Instant = number;

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

/**
 * Reads a stored date-time (`2025-03-01T00:00:00`, `2025-03-01T09:12:44.120Z`, `2025-03-01`, with an optional
 * `Z` or `±hh:mm`); a value without a zone is a business date or time and is taken as UTC. Undefined if malformed.
 * Hand-written rather than Date.parse, which reads zone-less times as local time and is slower per row.
 */
export function parseInstant(text: string): Instant | undefined {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (!isCalendarDate(year, month, day)) return undefined; // also rejects NaN
  if (length === 10) return Date.UTC(year, month - 1, day);
  const separator = text[10];
  if ((separator !== 'T' && separator !== ' ') || length < 16 || text[13] !== ':') return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  let second = 0;
  let fraction = 0;
  let i = 16;
  if (text[i] === ':') {
    second = digitsAt(text, 17, 2);
    i = 19;
    if (text[i] === '.') {
      i++;
      let scale = 100;
      const start = i;
      while (i < length) {
        const code = text.charCodeAt(i) - 48;
        if (code < 0 || code > 9) break;
        fraction += code * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return undefined;
    }
  }
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined; // NaN fails too
  let offsetMinutes = 0;
  if (i < length) {
    const zone = text[i];
    if (zone === 'Z' && i + 1 === length) {
      // UTC
    } else if ((zone === '+' || zone === '-') && (length === i + 6 || length === i + 5)) {
      const colon = length === i + 6 ? 1 : 0;
      if (colon === 1 && text[i + 3] !== ':') return undefined;
      const hours = digitsAt(text, i + 1, 2);
      const minutes = digitsAt(text, i + 3 + colon, 2);
      if (!(hours <= 14 && minutes <= 59)) return undefined;
      offsetMinutes = (zone === '+' ? 1 : -1) * (hours * 60 + minutes);
    } else {
      return undefined;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offsetMinutes * 60_000;
}

/** Case-insensitive enum name lookup plus the set of valid numbers, built once per field model. */
export interface EnumLookup {
  byName: ReadonlyMap<string, number>;
  values: ReadonlySet<number>;
}

const enumLookups = new WeakMap<Readonly<Record<string, number>>, EnumLookup>();

/** The lookup for an enum field's `enumValues`, cached by identity. */
export function enumLookup(enumValues: Readonly<Record<string, number>>): EnumLookup {
  let lookup = enumLookups.get(enumValues);
  if (lookup === undefined) {
    const byName = new Map<string, number>();
    for (const [name, value] of Object.entries(enumValues)) byName.set(foldCase(name), value);
    lookup = { byName, values: new Set(byName.values()) };
    enumLookups.set(enumValues, lookup);
  }
  return lookup;
}

const INTEGER_TEXT = /^-?\d+$/;

/** The numeric value of an enum given as a name (`'TradingAccountEntryTypeInvoice'`), a number, or `'1'`. */
export function enumNumber(value: JsonValue | undefined, lookup: EnumLookup): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const named = lookup.byName.get(foldCase(value));
  if (named !== undefined) return named;
  return INTEGER_TEXT.test(value) ? Number(value) : undefined;
}
