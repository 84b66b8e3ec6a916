/**
 * Stock levels follow the movements: a bin holding's quantity is the sum of its product transactions, a warehouse
 * holding's the sum of its bins', a product's the sum of its warehouse holdings'; allocations and quantities on
 * order follow the order lines, goods out the sales invoices. Read through the API, as a client would check them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { TEST_DATES } from '../support/as-of.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const sumBy = <T>(rows: readonly T[], value: (row: T) => number): number =>
  Math.round(rows.reduce((total, row) => total + value(row), 0) * 100_000) / 100_000;
const all = '?$orderby=id&$top=5000';

describe('stock levels', () => {
  let app: SandboxApp;
  let caller: Caller;
  let movements: Row[];
  let holdings: Row[];
  let bins: Row[];
  let products: Row[];
  let warehouses: Row[];
  beforeAll(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
    [movements, holdings, bins, products, warehouses] = await Promise.all([
      caller.json<Row[]>(`/product_transaction_views${all}`),
      caller.json<Row[]>(`/warehouse_holdings${all}`),
      caller.json<Row[]>(`/bin_holdings${all}`),
      caller.json<Row[]>(`/products${all}`),
      caller.json<Row[]>(`/warehouses${all}`),
    ]);
  });

  it('keeps several warehouses, each holding stock in bins', () => {
    expect(warehouses.length).toBeGreaterThanOrEqual(3);
    expect(new Set(warehouses.map((w) => w.name)).size).toBe(warehouses.length);
    for (const warehouse of warehouses) {
      expect(holdings.some((h) => h.warehouse_id === warehouse.id && num(h.quantity_in_stock) > 0)).toBe(
        true,
      );
    }
    expect(new Set(bins.map((b) => b.name)).size).toBeGreaterThan(1);
  });

  it("gives each bin holding the sum of its movements, and never lets a bin's running balance go below zero", () => {
    const holdingOf = new Map(holdings.map((h) => [h.id, h]));
    for (const bin of bins) {
      const holding = holdingOf.get(bin.warehouse_holding_id)!;
      const own = movements.filter(
        (m) =>
          m.product_id === bin.product_id &&
          m.warehouse_name === holding.warehouse_name &&
          m.bin_name === bin.name,
      );
      expect(num(bin.quantity_in_stock), `${String(holding.warehouse_name)} ${String(bin.name)}`).toBe(
        sumBy(own, (m) => num(m.quantity)),
      );
      let running = 0;
      const byDate = [...own].sort(
        (a, b) =>
          String(a.transaction_date).localeCompare(String(b.transaction_date)) ||
          String(a.date_time_updated).localeCompare(String(b.date_time_updated)) ||
          num(a.id) - num(b.id),
      );
      for (const m of byDate) {
        running += num(m.quantity);
        expect(running).toBeGreaterThanOrEqual(0);
      }
    }
    // Every movement lands in some bin of some holding.
    const binKeys = new Set(
      bins.map(
        (b) =>
          `${String(b.product_id)}|${String(holdingOf.get(b.warehouse_holding_id)?.warehouse_name)}|${String(b.name)}`,
      ),
    );
    for (const m of movements) {
      expect(binKeys.has(`${String(m.product_id)}|${String(m.warehouse_name)}|${String(m.bin_name)}`)).toBe(
        true,
      );
    }
  });

  it('sums bin holdings to their warehouse holding, and warehouse holdings to the product', () => {
    for (const holding of holdings) {
      const own = bins.filter((b) => b.warehouse_holding_id === holding.id);
      expect(own.length).toBeGreaterThan(0);
      for (const field of ['quantity_in_stock', 'quantity_allocated', 'free_stock_available']) {
        expect(num(holding[field]), field).toBe(sumBy(own, (b) => num(b[field])));
      }
    }
    const stocked = products.filter((p) => holdings.some((h) => h.product_id === p.id));
    expect(stocked.length).toBeGreaterThan(0);
    for (const product of stocked) {
      const own = holdings.filter((h) => h.product_id === product.id);
      const summary = product.holding as Row;
      expect(num(summary.quantity_in_stock)).toBe(sumBy(own, (h) => num(h.quantity_in_stock)));
      expect(num(summary.quantity_allocated)).toBe(sumBy(own, (h) => num(h.quantity_allocated)));
      expect(num(summary.quantity_on_order)).toBe(sumBy(own, (h) => num(h.quantity_on_order)));
      expect(num(product.free_stock_quantity)).toBe(
        num(summary.quantity_in_stock) - num(summary.quantity_allocated),
      );
    }
  });

  it('takes quantities on order and allocated from the purchase and sales order lines', async () => {
    const linesOf = async (orders: string) =>
      (await caller.json<Row[]>(`/${orders}${all}&$expand=lines`)).flatMap((o) => o.lines as Row[]);
    const [popLines, sopLines] = await Promise.all([linesOf('pop_orders'), linesOf('sop_orders')]);
    expect(popLines.length).toBeGreaterThan(0);
    for (const holding of holdings) {
      const on = popLines.filter(
        (l) => l.product_id === holding.product_id && l.warehouse_id === holding.warehouse_id,
      );
      const allocated = sopLines.filter(
        (l) => l.product_id === holding.product_id && l.warehouse_id === holding.warehouse_id,
      );
      expect(num(holding.quantity_on_order)).toBe(sumBy(on, (l) => num(l.stock_unit_on_order_quantity)));
      expect(num(holding.quantity_allocated_sop)).toBe(
        sumBy(allocated, (l) => num(l.stock_unit_allocated_quantity)),
      );
    }
  });

  it('sends goods out for the sales invoices, and counts them in the sold-this-period figures', async () => {
    const invoices = await caller.json<Row[]>(
      `/sales_posted_transactions${all}&$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice'`,
    );
    const invoiceRefs = new Map(invoices.map((i) => [i.reference, i]));
    const customers = new Map((await caller.json<Row[]>(`/customers${all}`)).map((c) => [c.id, c]));
    const goodsOut = movements.filter((m) => m.transaction_type === 'GoodsOut');
    expect(goodsOut.length).toBeGreaterThan(invoices.length / 2);
    for (const m of goodsOut) {
      const invoice = invoiceRefs.get(m.reference);
      expect(invoice, String(m.reference)).toBeDefined();
      expect(m.transaction_date).toBe(invoice?.transaction_date);
      expect(m.source_area_reference).toBe(customers.get(invoice?.customer_id)?.reference);
      expect(num(m.quantity)).toBeLessThan(0);
    }
    // The stock period still open is the last month traded (mock-server/seed/stock.ts).
    const thisPeriod = TEST_DATES.tradingEnd.slice(0, 7);
    let soldSomething = false;
    for (const product of products) {
      const sold = goodsOut.filter(
        (m) => m.product_id === product.id && String(m.transaction_date).startsWith(thisPeriod),
      );
      const summary = product.holding as Row;
      expect(num(summary.quantity_sold_this_period)).toBe(sumBy(sold, (m) => -num(m.quantity)));
      if (num(summary.quantity_sold_this_period) > 0) soldSomething = true;
    }
    expect(soldSomething).toBe(true);
  });

  it('serves the nested lists and the bin holdings array of a warehouse holding', async () => {
    const holding = holdings.find((h) => num(h.quantity_in_stock) > 0)!;
    const nested = await caller.json<Row[]>(`/warehouse_holdings/${String(holding.id)}/bin_holdings`);
    const [expanded] = await caller.json<Row[]>(
      `/warehouse_holdings?$filter=id eq ${String(holding.id)}&$expand=bin_holdings`,
    );
    expect(nested.map((b) => b.id)).toEqual(
      bins.filter((b) => b.warehouse_holding_id === holding.id).map((b) => b.id),
    );
    expect((expanded?.bin_holdings as Row[] | undefined)?.map((b) => b.id)).toEqual(nested.map((b) => b.id));
    const ofWarehouse = await caller.json<Row[]>(
      `/warehouses/${String(holding.warehouse_id)}/warehouse_holdings`,
    );
    expect(ofWarehouse.map((h) => h.id)).toEqual(
      holdings.filter((h) => h.warehouse_id === holding.warehouse_id).map((h) => h.id),
    );
    const ofProduct = await caller.json<Row[]>(`/products/${String(holding.product_id)}/bin_holdings`);
    expect(ofProduct.map((b) => b.id)).toEqual(
      bins.filter((b) => b.product_id === holding.product_id).map((b) => b.id),
    );
    const groupId = products.find((p) => p.id === holding.product_id)?.product_group_id;
    const ofGroup = await caller.json<Row[]>(`/product_groups/${String(groupId)}/products`);
    expect(ofGroup.map((p) => p.id)).toEqual(
      products.filter((p) => p.product_group_id === groupId).map((p) => p.id),
    );
    const missing = await caller.get('/warehouses/1/warehouse_holdings');
    expect(missing.status).toBe(404);
    const holders = await caller.json<Row[]>(`/products/${String(holding.product_id)}/warehouses`);
    expect(holders.map((w) => w.id)).toEqual(
      warehouses
        .filter((w) => holdings.some((h) => h.product_id === holding.product_id && h.warehouse_id === w.id))
        .map((w) => w.id),
    );
    for (const path of [
      `/warehouses/${String(holding.warehouse_id)}/products/${String(holding.product_id)}/warehouse_holdings`,
      `/products/${String(holding.product_id)}/warehouses/${String(holding.warehouse_id)}/warehouse_holdings`,
    ]) {
      expect((await caller.json<Row[]>(path)).map((h) => h.id)).toEqual([holding.id]);
    }
    const unknownWarehouse = await caller.get(
      `/products/${String(holding.product_id)}/warehouses/1/warehouse_holdings`,
    );
    expect(unknownWarehouse.status).toBe(404);
  });

  it('projects /product_warehouse_views from the warehouse holdings', async () => {
    const views = await caller.json<Row[]>('/product_warehouse_views?$top=5000');
    expect(views.length).toBe(holdings.length);
    const byHolding = new Map(holdings.map((h) => [h.id, h]));
    for (const view of views) {
      const holding = byHolding.get(view.warehouse_holding_id)!;
      expect(view).toMatchObject({
        product_id: holding.product_id,
        warehouse_id: holding.warehouse_id,
        warehouse_name: holding.warehouse_name,
        free_stock_quantity: holding.free_stock_available,
      });
    }
  });

  it('projects /product_warehouse_bin_views from the bin holdings and their warehouse holdings', async () => {
    const views = await caller.json<Row[]>('/product_warehouse_bin_views?$top=5000');
    const holdingOf = new Map(holdings.map((h) => [h.id, h]));
    expect(views.map((v) => v.bin_holding_id)).toEqual(bins.map((b) => b.id));
    for (const [i, view] of views.entries()) {
      const bin = bins[i]!;
      const holding = holdingOf.get(bin.warehouse_holding_id)!;
      expect(view).toEqual({
        product_id: bin.product_id,
        warehouse_id: holding.warehouse_id,
        warehouse_name: holding.warehouse_name,
        bin_holding_id: bin.id,
        bin_holding_name: bin.name,
      });
    }
  });

  it('names real product groups and search values in /product_group_search_category_values', async () => {
    const [rows, values, groups] = await Promise.all([
      caller.json<Row[]>('/product_group_search_category_values?$top=5000'),
      caller.json<Row[]>(`/search_values${all}`),
      caller.json<Row[]>(`/product_groups${all}`),
    ]);
    expect(rows.length).toBeGreaterThan(0);
    const searchValueOf = new Map(values.map((v) => [v.id, v]));
    const groupIds = new Set(groups.map((g) => g.id));
    for (const row of rows) {
      expect(groupIds.has(row.product_group_id)).toBe(true);
      const value = searchValueOf.get(row.search_value_id);
      expect(value?.name).toBe(row.search_value_name);
      expect(value?.search_category_id).toBe(row.search_category_id);
    }
  });

  it('projects /product_views from the products, joining in their groups, and the alternative and cross-sell views', async () => {
    const [views, groups, alternatives, alternativeViews, crossSells, crossSellViews] = await Promise.all([
      caller.json<Row[]>(`/product_views${all}`),
      caller.json<Row[]>(`/product_groups${all}`),
      caller.json<Row[]>(`/alternative_products${all}`),
      caller.json<Row[]>(`/alternative_product_views${all}`),
      caller.json<Row[]>(`/cross_sell_products${all}`),
      caller.json<Row[]>(`/cross_sell_product_views${all}`),
    ]);
    const groupOf = new Map(groups.map((g) => [g.id, g]));
    const productOf = new Map(products.map((p) => [p.id, p]));
    expect(views.map((v) => v.id)).toEqual(products.map((p) => p.id));
    for (const [i, view] of views.entries()) {
      const product = products[i]!;
      const summary = product.holding as Row;
      expect(view).toMatchObject({
        code: product.code,
        product_group_code: groupOf.get(product.product_group_id)?.code,
        product_group_description: groupOf.get(product.product_group_id)?.description,
        free_stock_quantity: product.free_stock_quantity,
        confirmed_quantity_in_stock: summary.quantity_in_stock,
        quantity_on_pop_order: summary.quantity_on_order,
      });
    }
    expect(alternativeViews.length).toBe(alternatives.length);
    for (const [i, view] of alternativeViews.entries()) {
      const row = alternatives[i]!;
      expect(view).toMatchObject({
        id: row.id,
        product_code: productOf.get(row.product_id)?.code,
        alternative_product_name: productOf.get(row.alternative_product_id)?.name,
      });
    }
    expect(crossSellViews.map((v) => [v.id, v.cross_sell_product_code])).toEqual(
      crossSells.map((c) => [c.id, productOf.get(c.cross_sell_product_id)?.code]),
    );
  });

  it("cites real products and suppliers in the stock lists, and sets the products' flags from them", async () => {
    const [suppliers, alternatives, crossSells, supplierRows] = await Promise.all([
      caller.json<Row[]>(`/product_suppliers${all}`),
      caller.json<Row[]>(`/alternative_products${all}`),
      caller.json<Row[]>(`/cross_sell_products${all}`),
      caller.json<Row[]>(`/suppliers${all}`),
    ]);
    const productIds = new Set(products.map((p) => p.id));
    const supplierIds = new Set(supplierRows.map((s) => s.id));
    for (const row of suppliers) {
      expect(productIds.has(row.product_id)).toBe(true);
      expect(supplierIds.has(row.supplier_id)).toBe(true);
    }
    for (const row of alternatives) expect(productIds.has(row.alternative_product_id)).toBe(true);
    for (const row of crossSells) expect(productIds.has(row.cross_sell_product_id)).toBe(true);
    for (const product of products) {
      expect(product.has_preferred_supplier).toBe(
        suppliers.some((s) => s.product_id === product.id && s.is_preferred === true),
      );
      expect(product.has_alternative_products).toBe(alternatives.some((a) => a.product_id === product.id));
      expect(product.has_cross_sell_products).toBe(crossSells.some((c) => c.product_id === product.id));
    }
    // Goods in come from the product's own suppliers.
    const referenceOf = new Map(supplierRows.map((s) => [s.id, s.reference]));
    for (const m of movements.filter((m) => m.transaction_type === 'GoodsIn')) {
      const own = suppliers
        .filter((s) => s.product_id === m.product_id)
        .map((s) => referenceOf.get(s.supplier_id));
      expect(own).toContain(m.source_area_reference);
    }
  });

  it('lists stocktakes and their views alike, one per warehouse', async () => {
    const [stocktakes, views, types] = await Promise.all([
      caller.json<Row[]>(`/stocktakes${all}`),
      caller.json<Row[]>(`/stocktake_views${all}`),
      caller.json<Row[]>('/stocktake_types'),
    ]);
    expect(stocktakes.map((s) => s.warehouse_id).sort()).toEqual(warehouses.map((w) => w.id).sort());
    // Each count sheet line differs from the recorded quantity by exactly the adjustment the stocktake posted.
    const expanded = await caller.json<Row[]>(`/stocktakes${all}&$expand=stocktake_count_sheet_items`);
    const binOf = new Map(bins.map((b) => [b.id, b]));
    const holdingOf = new Map(holdings.map((h) => [h.id, h]));
    let discrepancies = 0;
    for (const stocktake of expanded) {
      const items = stocktake.stocktake_count_sheet_items as Row[];
      expect(items.length).toBe(
        bins.filter((b) => holdingOf.get(b.warehouse_holding_id)?.warehouse_id === stocktake.warehouse_id)
          .length,
      );
      for (const item of items) {
        const bin = binOf.get(item.bin_item_id)!;
        const own = movements.filter(
          (m) =>
            m.product_id === bin.product_id &&
            m.warehouse_name === stocktake.warehouse_name &&
            m.bin_name === bin.name &&
            String(m.transaction_date) <= String(stocktake.stocktake_date),
        );
        const counted = own.filter((m) => m.reference === 'STOCKTAKE');
        expect(num(item.recorded_quantity_in_stock)).toBe(
          sumBy(own, (m) => num(m.quantity)) - sumBy(counted, (m) => num(m.quantity)),
        );
        expect(num(item.actual_quantity_in_stock)).toBe(sumBy(own, (m) => num(m.quantity)));
        if (counted.length > 0) discrepancies++;
        const one = await caller.json<Row>(`/stocktake_count_sheet_items/${String(item.id)}`);
        expect(one).toEqual(item);
      }
    }
    expect(discrepancies).toBeGreaterThan(0);
    const typeId = new Map(types.map((t) => [t.value, t.id]));
    expect(views.map((v) => [v.id, v.warehouse_name, v.stocktake_type_id])).toEqual(
      stocktakes.map((s) => [s.id, s.warehouse_name, typeId.get(s.stocktake_type)]),
    );
  });
});
