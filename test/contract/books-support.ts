/**
 * What every write must leave whole, read back through the API: the books (trial balance zero in every period, each
 * trader's balance the sum of what its transactions leave outstanding, the transaction and aged views agreeing with
 * the posted transactions) and the stock (bins sum to holdings, holdings to products, orders to what they hold).
 */
import { expect } from 'vitest';
import { trialBalance } from '../../mock-server/world/index.ts';
import type { CompanyWorld, SageRecord } from '../../mock-server/world/model.ts';
import type { Caller } from '../support/sandbox.ts';
import { type Poster, pence, readAll } from './postings-support.ts';
import {
  expectAgedBalancesMatch,
  expectTransactionViewsMatch,
  PURCHASES,
  SALES,
} from './trader-views-support.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const sum = (rows: readonly Row[], field: string): number =>
  Math.round(rows.reduce((total, row) => total + num(row[field]), 0) * 100_000) / 100_000;
const all = '?$orderby=id&$top=5000';
const outstandingOf = (t: SageRecord): number => pence(t.document_outstanding_value);

/** The books after a step: trial balance, balances against outstanding values, the transaction and aged views. */
export async function expectBooksWhole(poster: Poster): Promise<void> {
  for (const [period, total] of trialBalance(poster.company()))
    expect(total, `ledger period ${period}`).toBe(0);
  const values = await readAll(poster, '/nominal_period_value_views', 'nominal_period_value_id');
  const byPeriod = new Map<unknown, number>();
  for (const row of values) {
    byPeriod.set(
      row.accounting_period_id,
      (byPeriod.get(row.accounting_period_id) ?? 0) + pence(row.nominal_period_value_actual_value),
    );
  }
  for (const [period, total] of byPeriod) expect(total, `period ${String(period)}`).toBe(0);
  for (const ledger of [SALES, PURCHASES]) {
    const transactions = await readAll(poster, `/${ledger.transactions}`);
    const outstanding = new Map<unknown, number>();
    for (const t of transactions) {
      const key = t[ledger.accountKey];
      outstanding.set(key, (outstanding.get(key) ?? 0) + outstandingOf(t));
      expect(Math.abs(outstandingOf(t)), `outstanding of ${String(t.id)}`).toBeLessThanOrEqual(
        Math.abs(pence(t.document_gross_value)),
      );
    }
    for (const account of await readAll(poster, `/${ledger.accounts}`)) {
      expect(pence(account.balance), `${ledger.noun} ${String(account.reference)}`).toBe(
        outstanding.get(account.id) ?? 0,
      );
    }
    await expectTransactionViewsMatch(poster, ledger);
    await expectAgedBalancesMatch(poster, ledger);
  }
}

/** Every stock identity the API must keep, read afresh. */
export async function expectStockAgrees(caller: Caller): Promise<void> {
  const [holdings, bins, products, sopOrders, popOrders] = await Promise.all([
    caller.json<Row[]>(`/warehouse_holdings${all}`),
    caller.json<Row[]>(`/bin_holdings${all}`),
    caller.json<Row[]>(`/products${all}`),
    caller.json<Row[]>(`/sop_orders${all}&$expand=lines`),
    caller.json<Row[]>(`/pop_orders${all}&$expand=lines`),
  ]);
  const sopLines = sopOrders.flatMap((o) => o.lines as Row[]);
  const popLines = popOrders.flatMap((o) => o.lines as Row[]);
  const of = (lines: Row[], h: Row) =>
    lines.filter((l) => l.product_id === h.product_id && l.warehouse_id === h.warehouse_id);
  for (const h of holdings) {
    expect(num(h.quantity_on_order)).toBe(sum(of(popLines, h), 'stock_unit_on_order_quantity'));
    expect(num(h.quantity_allocated_sop)).toBe(sum(of(sopLines, h), 'stock_unit_allocated_quantity'));
    const own = bins.filter((b) => b.warehouse_holding_id === h.id);
    for (const field of ['quantity_in_stock', 'quantity_allocated', 'free_stock_available']) {
      expect(num(h[field]), field).toBe(sum(own, field));
    }
    expect(num(h.free_stock_available)).toBe(num(h.quantity_in_stock) - num(h.quantity_allocated));
  }
  for (const p of products) {
    const own = holdings.filter((h) => h.product_id === p.id);
    const summary = p.holding as Row;
    expect(num(summary.quantity_in_stock)).toBe(sum(own, 'quantity_in_stock'));
    expect(num(summary.quantity_allocated)).toBe(sum(own, 'quantity_allocated'));
    expect(num(summary.quantity_on_order)).toBe(sum(own, 'quantity_on_order'));
    expect(num(p.free_stock_quantity)).toBe(num(summary.quantity_in_stock) - num(summary.quantity_allocated));
  }
}

/**
 * Batch and serial numbers agree with the stock: each traceable product's holdings' traceable balances sum to the
 * holding's and each bin's quantity in stock, and no two of a product's items share a number.
 */
export async function expectTraceableAgrees(caller: Caller, company: CompanyWorld): Promise<void> {
  const items = company.collections.traceable_items ?? [];
  const traceable = new Set(items.map((item) => item.product_id));
  const [holdings, bins] = await Promise.all([
    caller.json<Row[]>(`/warehouse_holdings${all}`),
    caller.json<Row[]>(`/bin_holdings${all}`),
  ]);
  for (const h of holdings.filter((holding) => traceable.has(holding.product_id as number))) {
    const balances = await caller.json<Row[]>(
      `/warehouse_holdings/${String(h.id)}/traceable_item_balances?$top=5000`,
    );
    expect(sum(balances, 'quantity'), `traceable balances of holding ${String(h.id)}`).toBe(
      num(h.quantity_in_stock),
    );
    for (const b of bins.filter((bin) => bin.warehouse_holding_id === h.id)) {
      const inBin = balances.filter((row) => row.bin_item_id === b.id);
      expect(sum(inBin, 'quantity'), `traceable balances of bin ${String(b.id)}`).toBe(
        num(b.quantity_in_stock),
      );
    }
  }
  for (const product of traceable) {
    const numbers = items
      .filter((i) => i.product_id === product)
      .map((i) => String(i.identification_no).toUpperCase());
    expect(new Set(numbers).size, `numbers of product ${String(product)}`).toBe(numbers.length);
  }
}
