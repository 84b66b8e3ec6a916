/**
 * Batch and serial numbers (`/traceable_items/{id}/...`, `/traceable_bin_items/{id}/...`,
 * `/warehouse_holdings/{id}/traceable_item_balances`) agree with the stock they are derived from: an item's receipts
 * less its issues are what its locations hold, a warehouse holding's balances sum to its quantity in stock, a serial
 * number moves one unit at a time, and the sales order lines' allocations are held against the items, at once after
 * an order write.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import { type Caller, callerFor, testSandbox, USERS, userOf } from '../support/sandbox.ts';
import { writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const sum = (rows: readonly Row[], field: string): number =>
  Math.round(rows.reduce((total, row) => total + num(row[field]), 0) * 100_000) / 100_000;
const all = '?$top=5000';

/** The full user's first company, whose stored traceable items no list serves. */
function companyOf(app: SandboxApp): CompanyStore {
  const user = userOf(app, USERS.full);
  return [...app.sandbox.store.site(user.site_id)!.companies.values()][0]!;
}

describe('traceable items', () => {
  let app: SandboxApp;
  let caller: Caller;
  let items: readonly Row[];
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    items = companyOf(app).table('traceable_items').all();
  });

  it('seeds batch- and serial-numbered products in every company, each number once', () => {
    for (const site of app.sandbox.store.sites) {
      for (const company of app.sandbox.store.site(site.site_id)!.companies.values()) {
        const own = company.table('traceable_items').all();
        const types = new Set(own.map((item) => item.traceable_type));
        expect(types).toEqual(new Set(['EnumTraceableTypeBatch', 'EnumTraceableTypeSerial']));
        const products = new Set(own.map((item) => item.product_id));
        expect(products.size).toBeGreaterThanOrEqual(3);
        expect(products.size).toBeLessThanOrEqual(6);
        const numbers = own.map((item) => `${String(item.product_id)}|${String(item.identification_no)}`);
        expect(new Set(numbers).size).toBe(numbers.length);
      }
    }
  });

  it("lists each item's receipts less its issues as the stock its locations hold; a serial number moves one unit", async () => {
    let held = 0;
    for (const item of items) {
      const base = `/traceable_items/${String(item.id)}`;
      const [receipts, issues, locations] = await Promise.all([
        caller.json<Row[]>(`${base}/traceable_item_receipts${all}`),
        caller.json<Row[]>(`${base}/traceable_item_issues${all}`),
        caller.json<Row[]>(`${base}/traceable_item_locations${all}`),
      ]);
      expect(receipts.length).toBeGreaterThan(0);
      const balance =
        Math.round(
          (sum(receipts, 'received_issued_quantity') - sum(issues, 'received_issued_quantity')) * 1e5,
        ) / 1e5;
      expect(sum(locations, 'bin_quantity_in_stock'), `item ${String(item.identification_no)}`).toBe(balance);
      expect(balance).toBeGreaterThanOrEqual(0);
      if (item.traceable_type === 'EnumTraceableTypeSerial') {
        for (const row of [...receipts, ...issues]) expect(row.received_issued_quantity).toBe(1);
        expect(balance).toBeLessThanOrEqual(1);
      }
      // The first receipt is the movement that brought the item in, on its receipt date.
      expect(receipts.map((r) => r.id)).toContain(item.product_transaction_view_id);
      expect(receipts.map((r) => r.received_issued_date)).toContain(item.receipt_date);
      held += balance;
    }
    expect(held).toBeGreaterThan(0);
  });

  it("sums a warehouse holding's balances to its quantity in stock, and lists none for a product not traceable", async () => {
    const traceable = new Set(items.map((item) => item.product_id));
    const holdings = await caller.json<Row[]>(`/warehouse_holdings${all}`);
    let checked = 0;
    for (const holding of holdings) {
      const balances = await caller.json<Row[]>(
        `/warehouse_holdings/${String(holding.id)}/traceable_item_balances${all}`,
      );
      if (!traceable.has(holding.product_id)) {
        expect(balances).toEqual([]);
        continue;
      }
      checked++;
      expect(sum(balances, 'quantity')).toBe(num(holding.quantity_in_stock));
      expect(sum(balances, 'allocated_quantity')).toBe(
        Math.min(num(holding.quantity_allocated_sop), num(holding.quantity_in_stock)),
      );
      const bins = await caller.json<Row[]>(`/warehouse_holdings/${String(holding.id)}/bin_holdings${all}`);
      for (const bin of bins) {
        const inBin = balances.filter((b) => b.bin_item_id === bin.id);
        expect(sum(inBin, 'quantity')).toBe(num(bin.quantity_in_stock));
        for (const b of inBin) expect(b.bin_name).toBe(bin.name);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("holds allocations against items: an item's allocations are its bins' and what its locations have allocated", async () => {
    let allocated = 0;
    for (const item of items) {
      const base = `/traceable_items/${String(item.id)}`;
      const [allocations, locations] = await Promise.all([
        caller.json<Row[]>(`${base}/traceable_item_allocations${all}`),
        caller.json<Row[]>(`${base}/traceable_item_locations${all}`),
      ]);
      const byBins: Row[] = [];
      for (const location of locations) {
        const own = await caller.json<Row[]>(
          `/traceable_bin_items/${String(location.traceable_bin_item_id)}/traceable_item_allocations${all}`,
        );
        expect(sum(own, 'allocated_quantity')).toBe(
          Math.round((num(location.bin_quantity_in_stock) - num(location.free_stock_available)) * 1e5) / 1e5,
        );
        byBins.push(...own);
      }
      expect(allocations).toEqual(byBins);
      allocated += sum(allocations, 'allocated_quantity');
    }
    expect(allocated).toBeGreaterThan(0);
  });

  it("shows a renamed warehouse in its items' locations at once, their stock unchanged", async () => {
    const writer = await writerFor(app, USERS.full);
    const holdings = await caller.json<Row[]>(`/warehouse_holdings${all}`);
    const traceable = new Set(items.map((item) => item.product_id));
    const holding = holdings.find((h) => traceable.has(h.product_id) && num(h.quantity_in_stock) > 0)!;
    const balances = `/warehouse_holdings/${String(holding.id)}/traceable_item_balances${all}`;
    const before = await caller.json<Row[]>(balances);
    await writer.ok('PUT', `/warehouses/${String(holding.warehouse_id)}`, { name: 'RENAMED' });
    expect(await caller.json<Row[]>(balances)).toEqual(before);
    const [first] = before;
    const locations = await caller.json<Row[]>(
      `/traceable_items/${String(first!.traceable_item_id)}/traceable_item_locations${all}`,
    );
    const here = locations.filter((l) => l.traceable_bin_item_id === first!.traceable_bin_item_id);
    expect(here.map((l) => [l.warehouse_name, l.bin_quantity_in_stock])).toEqual([
      ['RENAMED', first!.quantity],
    ]);
    await writer.ok('PUT', `/warehouses/${String(holding.warehouse_id)}`, { name: holding.warehouse_name });
  });

  it("allocates a new sales order line to the holding's items at once, and lets them go when it is deleted", async () => {
    const writer = await writerFor(app, USERS.full);
    const holdings = await caller.json<Row[]>(`/warehouse_holdings${all}`);
    const traceable = new Set(items.map((item) => item.product_id));
    const holding = holdings.find((h) => traceable.has(h.product_id) && num(h.free_stock_available) >= 2)!;
    const balances = `/warehouse_holdings/${String(holding.id)}/traceable_item_balances${all}`;
    const before = await caller.json<Row[]>(balances);
    const [customer] = await caller.json<Row[]>('/customers?$filter=on_hold eq false&$top=1');
    const order = await writer.ok('POST', '/sop_orders', {
      customer_id: customer!.id,
      lines: [
        {
          line_type: 'EnumLineTypeStandard',
          product_id: holding.product_id,
          warehouse_id: holding.warehouse_id,
          line_quantity: 2,
          allocated_quantity: 2,
        },
      ],
    });
    const after = await caller.json<Row[]>(balances);
    expect(sum(after, 'allocated_quantity')).toBe(sum(before, 'allocated_quantity') + 2);
    const [line] = order.lines as Row[];
    const held = after.flatMap((b) => (num(b.allocated_quantity) > 0 ? [b.traceable_item_id] : []));
    const orderAllocations: Row[] = [];
    for (const id of new Set(held)) {
      const own = await caller.json<Row[]>(`/traceable_items/${String(id)}/traceable_item_allocations${all}`);
      orderAllocations.push(...own.filter((a) => a.allocation_balance_id === line!.id));
    }
    expect(sum(orderAllocations, 'allocated_quantity')).toBe(2);
    for (const a of orderAllocations) expect(a.order_no).toBe(order.document_no);
    await writer.ok('DELETE', `/sop_orders/${String(order.id)}`);
    expect(await caller.json<Row[]>(balances)).toEqual(before);
  });
});
