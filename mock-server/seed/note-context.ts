/** What the memo, alert and card seeds share: their inputs, their own random stream and ids, and dates of the ledger. */
import { dayOf, dayStartMs, instant, WORLD_DATES } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';

/** The records the notes are written about, as the company's collections hold them. */
export interface NotesSeedInput {
  customers: readonly SageRecord[];
  suppliers: readonly SageRecord[];
  sales: readonly SageRecord[];
  purchases: readonly SageRecord[];
  nominalCodes: readonly SageRecord[];
  products: readonly SageRecord[];
  /** The colleagues (`/users`), who write the notes and receive the pending emails. */
  users: readonly SageRecord[];
  /** The company's mail domain (`sandbox-full.test`). */
  mailDomain: string;
}

/** The notes' own random stream and the company's id counter. */
export interface Writer {
  rng: Rng;
  nextId: () => number;
  userNames: readonly string[];
}

/** The last trading day: notes are dated on or before it, so every stamp is before `WORLD_DATES.now`. */
export function ledgerEndDay(): number {
  return dayOf(WORLD_DATES.tradingEnd);
}

/** The day of a business date (`2026-03-01T00:00:00`), or undefined for null. */
export function dayOfDate(value: JsonValue | undefined): number | undefined {
  return typeof value === 'string' && value.length >= 10 ? dayOf(value.slice(0, 10)) : undefined;
}

/** A working-hours instant on a day (09:00-17:00 UTC). */
export function stampOn(rng: Rng, day: number): string {
  return instant(dayStartMs(day) + rng.int(9 * 3600, 17 * 3600) * 1000 + rng.int(0, 999));
}

/** A day up to `days` before the ledger's end. */
export function daysBefore(rng: Rng, days: number): number {
  return ledgerEndDay() - rng.int(0, days);
}

/** Pounds as a UK finance team writes them: `1,234.50`. */
export function money(value: JsonValue | undefined): string {
  const pence = Math.round(Math.abs(Number(value ?? 0)) * 100);
  const pounds = Math.floor(pence / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${pounds}.${String(pence % 100).padStart(2, '0')}`;
}
