/**
 * Warehouse and bin holdings, and each product's `holding` totals, derived from the stock movements and the order
 * lines: a bin's quantity in stock is the sum of its movements, a warehouse holding's the sum of its bins', a
 * product's the sum of its warehouse holdings'. Allocations follow the sales order lines and quantities on order
 * the purchase order lines (their stock-unit quantities), so every figure agrees with the records it comes from.
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { StockWarehouse } from './stock-movements.ts';

export interface HoldingInput {
  /** The stock products' records, whose `holding`, `free_stock_quantity` and `status` are set here. */
  products: readonly SageRecord[];
  warehouses: readonly StockWarehouse[];
  movements: readonly SageRecord[];
  sopOrderLines: readonly SageRecord[];
  popOrderLines: readonly SageRecord[];
  /** `YYYY-MM` of the stock period that is open, and of the one before it. */
  thisPeriod: string;
  lastPeriod: string;
  stamp: string;
  nextId: () => number;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
/** Quantities carry five decimal places (Sage's `decimal 5dp`); sums of whole numbers stay exact. */
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

export interface Holdings {
  warehouse_holdings: SageRecord[];
  bin_holdings: SageRecord[];
}

/** Holdings for every stock product in every warehouse, then each product's totals over them. */
export function buildHoldings(input: HoldingInput): Holdings {
  const byBin = new Map<string, number>();
  const sold = new Map<number, { now: number; last: number }>();
  const bought = new Map<number, { now: number; last: number }>();
  const tally = (into: Map<number, { now: number; last: number }>, id: number, period: string, q: number) => {
    const entry = into.get(id) ?? { now: 0, last: 0 };
    if (period === input.thisPeriod) entry.now += q;
    else if (period === input.lastPeriod) entry.last += q;
    into.set(id, entry);
  };
  for (const m of input.movements) {
    const k = `${String(m.product_id)}|${String(m.warehouse_name)}|${String(m.bin_name)}`;
    byBin.set(k, num(byBin.get(k)) + num(m.quantity));
    const period = String(m.transaction_date).slice(0, 7);
    if (m.transaction_type === 'GoodsOut') tally(sold, m.product_id as number, period, -num(m.quantity));
    if (m.transaction_type === 'GoodsIn') tally(bought, m.product_id as number, period, num(m.quantity));
  }
  const lineTotals = (lines: readonly SageRecord[], field: string) => {
    const totals = new Map<string, number>();
    for (const line of lines) {
      const k = `${String(line.product_id)}|${String(line.warehouse_id)}`;
      totals.set(k, num(totals.get(k)) + num(line[field]));
    }
    return totals;
  };
  const allocated = lineTotals(input.sopOrderLines, 'stock_unit_allocated_quantity');
  const onOrder = lineTotals(input.popOrderLines, 'stock_unit_on_order_quantity');

  const warehouse_holdings: SageRecord[] = [];
  const bin_holdings: SageRecord[] = [];
  for (const product of input.products) {
    const id = product.id as number;
    const totals = { inStock: 0, allocated: 0, onOrder: 0 };
    for (const warehouse of input.warehouses) {
      const k = `${id}|${warehouse.id}`;
      const holding = blankRecord('warehouse_holdings', input.stamp);
      const holdingId = input.nextId();
      holding.id = holdingId;
      holding.warehouse_id = warehouse.id;
      holding.product_id = id;
      holding.warehouse_name = warehouse.name;
      holding.reorder_level = warehouse === input.warehouses[0] ? 20 : 5;
      holding.minimum_level = warehouse === input.warehouses[0] ? 10 : 0;
      holding.maximum_level = warehouse === input.warehouses[0] ? 200 : 50;
      const sop = qty(num(allocated.get(k)));
      let inStock = 0;
      warehouse.bins.forEach((name, i) => {
        const inBin = qty(num(byBin.get(`${id}|${warehouse.name}|${name}`)));
        // Sales order allocations are held against the first bin, the one with the highest priority.
        const binAllocated = i === 0 ? sop : 0;
        const bin = blankRecord('bin_holdings', input.stamp);
        bin.id = input.nextId();
        bin.warehouse_holding_id = holdingId;
        bin.product_id = id;
        bin.name = name;
        bin.allocation_priority = i + 1;
        setStock(bin, inBin, binAllocated);
        bin_holdings.push(bin);
        inStock += inBin;
      });
      setStock(holding, qty(inStock), sop);
      holding.quantity_on_order = qty(num(onOrder.get(k)));
      warehouse_holdings.push(holding);
      totals.inStock += inStock;
      totals.allocated += sop;
      totals.onOrder += num(holding.quantity_on_order);
    }
    const summary = product.holding as SageRecord;
    summary.quantity_in_stock = qty(totals.inStock);
    summary.quantity_allocated = qty(totals.allocated);
    summary.quantity_on_order = qty(totals.onOrder);
    summary.quantity_sold_this_period = qty(sold.get(id)?.now ?? 0);
    summary.quantity_sold_last_period = qty(sold.get(id)?.last ?? 0);
    summary.quantity_bought_this_period = qty(bought.get(id)?.now ?? 0);
    summary.quantity_bought_last_period = qty(bought.get(id)?.last ?? 0);
    product.free_stock_quantity = qty(totals.inStock - totals.allocated);
    const status = product.status as SageRecord;
    status.has_movement_balances = true;
    status.has_negative_stock_quantities = totals.inStock < 0;
  }
  return { warehouse_holdings, bin_holdings };
}

/** A holding's or bin's stock figures: everything in stock is confirmed, nothing reserved or allocated elsewhere. */
function setStock(record: SageRecord, inStock: number, allocatedSop: number): void {
  record.confirmed_qty_in_stock = inStock;
  record.unconfirmed_qty_in_stock = 0;
  record.quantity_in_stock = inStock;
  record.quantity_reserved = 0;
  record.quantity_in_stock_less_reserved = inStock;
  record.quantity_allocated_sop = allocatedSop;
  record.quantity_allocated_stock = 0;
  record.quantity_allocated_bom = 0;
  record.quantity_allocated = allocatedSop;
  record.free_stock_available = qty(inStock - allocatedSop);
  record.free_stock_available_less_reserved = qty(inStock - allocatedSop);
}

/**
 * Sums the order lines into the holdings again once lines were added after the stock was built (the order book,
 * mock-server/seed/order-book.ts): each warehouse holding's allocated and on-order quantities, its first bin's
 * allocation, and each product's totals, as `buildHoldings` derives them.
 */
export function settleOrderStock(collections: Readonly<Record<string, SageRecord[] | undefined>>): void {
  const key = (r: SageRecord) => `${String(r.product_id)}|${String(r.warehouse_id)}`;
  const sum = (lines: readonly SageRecord[] | undefined, field: string) => {
    const totals = new Map<string, number>();
    for (const line of lines ?? []) totals.set(key(line), num(totals.get(key(line))) + num(line[field]));
    return totals;
  };
  const allocated = sum(collections.sop_order_lines, 'stock_unit_allocated_quantity');
  const onOrder = sum(collections.pop_order_lines, 'stock_unit_on_order_quantity');
  const binsOf = new Map<unknown, SageRecord[]>();
  for (const bin of collections.bin_holdings ?? []) {
    binsOf.set(bin.warehouse_holding_id, [...(binsOf.get(bin.warehouse_holding_id) ?? []), bin]);
  }
  const totals = new Map<unknown, { allocated: number; onOrder: number }>();
  for (const holding of collections.warehouse_holdings ?? []) {
    const sop = qty(num(allocated.get(key(holding))));
    setStock(holding, num(holding.quantity_in_stock), sop);
    holding.quantity_on_order = qty(num(onOrder.get(key(holding))));
    const bins = [...(binsOf.get(holding.id) ?? [])].sort(
      (a, b) => num(a.allocation_priority) - num(b.allocation_priority),
    );
    bins.forEach((bin, i) => {
      setStock(bin, num(bin.quantity_in_stock), i === 0 ? sop : 0);
    });
    const total = totals.get(holding.product_id) ?? { allocated: 0, onOrder: 0 };
    total.allocated += sop;
    total.onOrder += num(holding.quantity_on_order);
    totals.set(holding.product_id, total);
  }
  for (const product of collections.products ?? []) {
    const total = totals.get(product.id);
    if (!total) continue;
    const summary = product.holding as SageRecord;
    summary.quantity_allocated = qty(total.allocated);
    summary.quantity_on_order = qty(total.onOrder);
    product.free_stock_quantity = qty(num(summary.quantity_in_stock) - total.allocated);
  }
}
