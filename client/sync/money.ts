/** Money arithmetic in whole pence, so sums of many 2dp values compare exactly. */

export function pence(value: number | undefined | null): number {
  return Math.round((value ?? 0) * 100);
}

/** Pounds from pence; `+ 0` turns a negative zero into 0. */
export function pounds(pennies: number): number {
  return pennies / 100 + 0;
}

/** Rounds to 2 decimal places the way the ledger stores values. */
export function round2(value: number): number {
  return pounds(Math.round(value * 100));
}

/** `1234.5` as `1,234.50`, with a leading minus for negatives. */
export function formatMoney(value: number): string {
  return value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
