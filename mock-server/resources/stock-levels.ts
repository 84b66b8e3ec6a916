/**
 * Keeps stock levels in step with order writes: a sales order line's allocated quantity is held in its warehouse
 * holding (and the holding's first bin), a purchase order line's quantity on order too, and the product's `holding`
 * totals are the sums over its warehouse holdings, as the seed derives them (mock-server/seed/stock-holdings.ts).
 */
import { badRequest } from '../errors.ts';
import type { Change, CompanyStore } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import { put, type WriteContext } from './writable.ts';

type LineTable = 'sop_order_lines' | 'pop_order_lines';

/** An order write's lines: those it stores (new lines may still carry id 0) and the stored ids it replaces. */
export interface LineWrite {
  table: LineTable;
  written: readonly SageRecord[];
  replaced: ReadonlySet<number>;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

/** What a line contributes to its holding, by the table it is in. */
const FIGURES: Readonly<Record<LineTable, { line: string; holding: string }>> = {
  sop_order_lines: { line: 'stock_unit_allocated_quantity', holding: 'quantity_allocated_sop' },
  pop_order_lines: { line: 'stock_unit_on_order_quantity', holding: 'quantity_on_order' },
};

/** Each holding the write touches, with its figure's total once the write is applied (only those that change). */
function newTotals(ctx: WriteContext, write: LineWrite): { holding: SageRecord; total: number }[] {
  const lines = ctx.company.table(write.table);
  const pairs = new Map<string, { product: number; warehouse: number }>();
  for (const line of [...write.written, ...[...write.replaced].map((id) => lines.get(id))]) {
    if (typeof line?.product_id === 'number' && typeof line.warehouse_id === 'number') {
      pairs.set(`${line.product_id}|${line.warehouse_id}`, {
        product: line.product_id,
        warehouse: line.warehouse_id,
      });
    }
  }
  const { line: lineField, holding: holdingField } = FIGURES[write.table];
  const holdings = ctx.company.table('warehouse_holdings');
  const out: { holding: SageRecord; total: number }[] = [];
  for (const { product, warehouse } of pairs.values()) {
    const holding = (holdings.lookup('product_id', product) ?? []).find((h) => h.warehouse_id === warehouse);
    if (!holding) continue;
    const kept = (lines.lookup('product_id', product) ?? []).filter(
      (l) => l.warehouse_id === warehouse && !write.replaced.has(l.id as number),
    );
    const added = write.written.filter((l) => l.product_id === product && l.warehouse_id === warehouse);
    const total = qty([...kept, ...added].reduce((sum, l) => sum + num(l[lineField]), 0));
    if (num(holding[holdingField]) !== total) out.push({ holding, total });
  }
  return out;
}

/** A 400 when the write would allocate more than a holding's free stock; checked before anything is reserved. */
export function requireFreeStock(ctx: WriteContext, write: LineWrite): void {
  if (write.table !== 'sop_order_lines') return;
  for (const { holding, total } of newTotals(ctx, write)) {
    const more = total - num(holding.quantity_allocated_sop);
    if (more > 0 && more > num(holding.free_stock_available)) {
      const code = ctx.company.table('products').get(holding.product_id as number)?.code;
      throw badRequest(
        `Only ${String(holding.free_stock_available)} of the product '${String(code)}' can be allocated from the warehouse '${String(holding.warehouse_name)}'.`,
      );
    }
  }
}

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
 * The holding, bin and product changes that follow an order write's lines, to be committed with them. A line for a
 * product not held in its warehouse moves no holding.
 */
export function stockLevelChanges(ctx: WriteContext, write: LineWrite): Change[] {
  const bins = ctx.company.table('bin_holdings');
  const out: Change[] = [];
  const changed = new Map<number, SageRecord>();
  for (const { holding, total } of newTotals(ctx, write)) {
    const next: SageRecord = { ...holding, date_time_updated: ctx.now };
    if (write.table === 'sop_order_lines') {
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
      next.quantity_on_order = total;
    }
    changed.set(next.id as number, next);
    out.push(put('warehouse_holdings', next));
  }

  out.push(...productTotals(ctx.company, changed, ctx.now));
  return out;
}

/**
 * Each product's `holding` totals (in stock, allocated, on order) and free stock, summed again over its warehouse
 * holdings once `changed` (by id) replace the stored ones: a put per product a changed holding belongs to.
 */
export function productTotals(
  company: CompanyStore,
  changed: ReadonlyMap<number, SageRecord>,
  now: string,
): Change[] {
  const out: Change[] = [];
  for (const id of new Set([...changed.values()].map((h) => h.product_id as number))) {
    const product = company.table('products').get(id);
    if (!product) continue;
    const own = (company.table('warehouse_holdings').lookup('product_id', id) ?? []).map(
      (h) => changed.get(h.id as number) ?? h,
    );
    const total = (field: string): number => qty(own.reduce((sum, h) => sum + num(h[field]), 0));
    const summary = {
      ...(product.holding as SageRecord),
      quantity_in_stock: total('quantity_in_stock'),
      quantity_allocated: total('quantity_allocated'),
      quantity_on_order: total('quantity_on_order'),
    };
    out.push(
      put('products', {
        ...product,
        holding: summary,
        free_stock_quantity: qty(summary.quantity_in_stock - summary.quantity_allocated),
        date_time_updated: now,
      }),
    );
  }
  return out;
}
