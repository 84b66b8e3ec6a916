/**
 * The seeded stock agrees with itself in every company of the small and medium worlds: bins hold the sum of their
 * movements, warehouse holdings the sum of their bins, products the sum of their holdings; quantities on order and
 * allocated follow the order lines; goods out follow the sales invoices; and no bin's running balance goes below zero.
 */
import { describe, expect, it } from 'vitest';
import { TEST_AS_OF, TEST_DATES } from '../../test/support/as-of.ts';
import type { CompanyWorld, SageRecord, Scale } from '../world/model.ts';
import { buildWorld } from './build.ts';

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const total = (rows: readonly SageRecord[], value: (row: SageRecord) => number): number =>
  Math.round(rows.reduce((sum, row) => sum + value(row), 0) * 100_000) / 100_000;

function groupBy(rows: readonly SageRecord[], key: (row: SageRecord) => string): Map<string, SageRecord[]> {
  const groups = new Map<string, SageRecord[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

describe.each<Scale>(['small', 'medium'])('the %s world', (scale) => {
  const companies = buildWorld({ seed: 200, scale, asOf: TEST_AS_OF }).sites.flatMap((site) =>
    site.companies.map((c) => [`company ${c.company_id}`, c] as const),
  );

  it.each(companies)('%s: bins, holdings and products sum the movements', (_name, company: CompanyWorld) => {
    const k = company.collections;
    const movements = k.product_transaction_views ?? [];
    const holdings = k.warehouse_holdings ?? [];
    const bins = k.bin_holdings ?? [];
    expect(k.warehouses.length).toBeGreaterThanOrEqual(3);
    expect(movements.length).toBeGreaterThan(0);
    const holdingOf = new Map(holdings.map((h) => [h.id, h]));
    const byBin = groupBy(
      movements,
      (m) => `${String(m.product_id)}|${String(m.warehouse_name)}|${String(m.bin_name)}`,
    );
    let binned = 0;
    for (const bin of bins) {
      const holding = holdingOf.get(bin.warehouse_holding_id)!;
      const own =
        byBin.get(`${String(bin.product_id)}|${String(holding.warehouse_name)}|${String(bin.name)}`) ?? [];
      binned += own.length;
      expect(num(bin.quantity_in_stock)).toBe(total(own, (m) => num(m.quantity)));
      let running = 0;
      for (const m of [...own].sort((a, b) =>
        String(a.date_time_updated).localeCompare(String(b.date_time_updated)),
      )) {
        running += num(m.quantity);
        expect(running).toBeGreaterThanOrEqual(0);
      }
    }
    expect(binned).toBe(movements.length);
    const binsOf = groupBy(bins, (b) => String(b.warehouse_holding_id));
    for (const holding of holdings) {
      expect(num(holding.quantity_in_stock)).toBe(
        total(binsOf.get(String(holding.id)) ?? [], (b) => num(b.quantity_in_stock)),
      );
    }
    const holdingsOf = groupBy(holdings, (h) => String(h.product_id));
    for (const product of k.products) {
      const own = holdingsOf.get(String(product.id)) ?? [];
      const summary = product.holding as SageRecord;
      expect(num(summary.quantity_in_stock)).toBe(total(own, (h) => num(h.quantity_in_stock)));
      expect(num(summary.quantity_on_order)).toBe(total(own, (h) => num(h.quantity_on_order)));
      expect(num(summary.quantity_allocated)).toBe(total(own, (h) => num(h.quantity_allocated)));
    }
  });

  it.each(companies)(
    '%s: order lines are on order and allocated in their holdings',
    (_name, company: CompanyWorld) => {
      const k = company.collections;
      const key = (r: SageRecord) => `${String(r.product_id)}|${String(r.warehouse_id)}`;
      const pop = groupBy(k.pop_order_lines, key);
      const sop = groupBy(k.sop_order_lines, key);
      for (const holding of k.warehouse_holdings ?? []) {
        expect(num(holding.quantity_on_order)).toBe(
          total(pop.get(key(holding)) ?? [], (l) => num(l.stock_unit_on_order_quantity)),
        );
        expect(num(holding.quantity_allocated_sop)).toBe(
          total(sop.get(key(holding)) ?? [], (l) => num(l.stock_unit_allocated_quantity)),
        );
      }
    },
  );

  it.each(companies)(
    "%s: goods out are the sales invoices' stock lines, counted in the period's sales",
    (_name, company: CompanyWorld) => {
      const k = company.collections;
      const invoices = new Map(
        k.sales_posted_transactions
          .filter((t) => t.trader_transaction_type === 'TradingAccountEntryTypeInvoice')
          .map((t) => [t.reference, t]),
      );
      const goodsOut = (k.product_transaction_views ?? []).filter((m) => m.transaction_type === 'GoodsOut');
      for (const m of goodsOut) expect(invoices.get(m.reference)?.transaction_date).toBe(m.transaction_date);
      const period = TEST_DATES.tradingEnd.slice(0, 7);
      const sold = groupBy(
        goodsOut.filter((m) => String(m.transaction_date).startsWith(period)),
        (m) => String(m.product_id),
      );
      expect(sold.size).toBeGreaterThan(0);
      for (const product of k.products) {
        expect(num((product.holding as SageRecord).quantity_sold_this_period)).toBe(
          total(sold.get(String(product.id)) ?? [], (m) => -num(m.quantity)),
        );
      }
    },
  );
});
