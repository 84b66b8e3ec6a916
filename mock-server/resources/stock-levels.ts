/**
 * Keeps stock levels in step with order writes: a sales order line's allocated quantity is held in its warehouse
 * holding (and the holding's first bin), a purchase order line's quantity on order too, and the product's `holding`
 * totals are the sums over its warehouse holdings, as the seed derives them (mock-server/seed/stock-holdings.ts).
 */
import type { Change } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import { put, type WriteContext } from './writable.ts';

type LineTable = 'sop_order_lines' | 'pop_order_lines';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

/** What a line contributes to its holding, by the table it is in. */
const FIGURES: Readonly<Record<LineTable, { line: string; holding: string }>> = {
  sop_order_lines: { line: 'stock_unit_allocated_quantity', holding: 'quantity_allocated_sop' },
  pop_order_lines: { line: 'stock_unit_on_order_quantity', holding: 'quantity_on_order' },
};

/** A holding's allocation totals and free stock, once its sales order allocation is known. */
function allocate(record: SageRecord, allocatedSop: number): void {
  record.quantity_allocated_sop = allocatedSop;
  const allocated = qty(
    allocatedSop + num(record.quantity_allocated_stock) + num(record.quantity_allocated_bom),
  );
  record.quantity_allocated = allocated;
  record.free_stock_available = qty(num(record.quantity_in_stock) - allocated);
  record.free_stock_available_less_reserved = qty(
    num(record.quantity_in_stock) - num(record.quantity_reserved) - allocated,
  );
}

/**
 * The holding, bin and product changes that follow the order line changes in `changes` (puts and deletes of
 * `table`), to be committed with them. A line for a product not held in its warehouse moves no holding.
 */
export function stockLevelChanges(ctx: WriteContext, table: LineTable, changes: readonly Change[]): Change[] {
  const lines = ctx.company.table(table);
  const pending = new Map<number, SageRecord | null>();
  for (const change of changes) {
    if (change.kind === 'put' && change.table === table)
      pending.set(change.record.id as number, change.record);
    if (change.kind === 'delete' && change.table === table) pending.set(change.id, null);
  }
  const pairs = new Map<string, { product: number; warehouse: number }>();
  for (const [id, next] of pending) {
    for (const line of [lines.get(id), next]) {
      if (typeof line?.product_id === 'number' && typeof line.warehouse_id === 'number') {
        pairs.set(`${line.product_id}|${line.warehouse_id}`, {
          product: line.product_id,
          warehouse: line.warehouse_id,
        });
      }
    }
  }
  if (pairs.size === 0) return [];

  const { line: lineField, holding: holdingField } = FIGURES[table];
  const holdings = ctx.company.table('warehouse_holdings');
  const bins = ctx.company.table('bin_holdings');
  const out: Change[] = [];
  const changedHoldings = new Map<number, SageRecord>();
  for (const { product, warehouse } of pairs.values()) {
    const holding = (holdings.lookup('product_id', product) ?? []).find((h) => h.warehouse_id === warehouse);
    if (!holding) continue;
    const current = (lines.lookup('product_id', product) ?? []).filter(
      (l) => l.warehouse_id === warehouse && !pending.has(l.id as number),
    );
    const after = [...pending.values()].filter(
      (l): l is SageRecord => l !== null && l.product_id === product && l.warehouse_id === warehouse,
    );
    const total = qty([...current, ...after].reduce((sum, l) => sum + num(l[lineField]), 0));
    if (num(holding[holdingField]) === total) continue;
    const next: SageRecord = { ...holding, date_time_updated: ctx.now };
    if (table === 'sop_order_lines') {
      allocate(next, total);
      // Allocations are held against the bin with the highest priority (the lowest number).
      const [first] = [...(bins.lookup('warehouse_holding_id', holding.id as number) ?? [])].sort(
        (a, b) => num(a.allocation_priority) - num(b.allocation_priority),
      );
      if (first) {
        const bin: SageRecord = { ...first, date_time_updated: ctx.now };
        allocate(bin, qty(num(first.quantity_allocated_sop) + total - num(holding.quantity_allocated_sop)));
        out.push(put('bin_holdings', bin));
      }
    } else {
      next[holdingField] = total;
    }
    changedHoldings.set(next.id as number, next);
    out.push(put('warehouse_holdings', next));
  }

  const products = new Set([...changedHoldings.values()].map((h) => h.product_id as number));
  for (const id of products) {
    const product = ctx.company.table('products').get(id);
    if (!product) continue;
    const own = (holdings.lookup('product_id', id) ?? []).map(
      (h) => changedHoldings.get(h.id as number) ?? h,
    );
    const summary = { ...(product.holding as SageRecord) };
    summary.quantity_allocated = qty(own.reduce((sum, h) => sum + num(h.quantity_allocated), 0));
    summary.quantity_on_order = qty(own.reduce((sum, h) => sum + num(h.quantity_on_order), 0));
    out.push(
      put('products', {
        ...product,
        holding: summary,
        free_stock_quantity: qty(num(summary.quantity_in_stock) - num(summary.quantity_allocated)),
        date_time_updated: ctx.now,
      }),
    );
  }
  return out;
}
