/**
 * Reading a posting body's values once the write validator (mock-server/validation) has checked it against the
 * contract: money, rates and dates, each refused with a 400 naming the field.
 */
import { badRequest } from '../errors.ts';
import { dayOf, ymd } from '../world/calendar.ts';

/** Largest money amount a posting takes: Sage's decimal columns hold far more, but pence stay exact below this. */
const MAX_POUNDS = 999_999_999_999.99;

/**
 * Pence of a `decimal 2dp` amount; 400 when it has more than two decimal places, is negative (postings take
 * positive amounts; the ledger gives the sign) or out of range.
 */
export function pence(value: number, field: string): number {
  const result = Math.round(value * 100);
  // Integer division by 100 is correctly rounded, so this holds exactly when `value` is a 2dp decimal.
  if (result / 100 !== value) throw badRequest(`The field ${field} must have at most two decimal places.`);
  if (result < 0) throw badRequest(`The field ${field} must not be negative.`);
  if (value > MAX_POUNDS) throw badRequest(`The field ${field} must not be more than ${MAX_POUNDS}.`);
  return result + 0;
}

/** Pounds from pence; `+ 0` turns a negative zero into 0. */
export function money(amount: number): number {
  return amount / 100 + 0;
}

/** A `decimal 6dp` exchange rate: positive, at most six decimal places. */
export function rate(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw badRequest(`The field ${field} must be greater than zero.`);
  if (Math.round(value * 1e6) / 1e6 !== value) {
    throw badRequest(`The field ${field} must have at most six decimal places.`);
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
    throw badRequest(
      `Error converting value ${JSON.stringify(value)} to type 'System.DateTime'. Path '${field}'.`,
    );
  }
  return day;
}
