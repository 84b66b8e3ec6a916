/**
 * The count sheets of the year-end stocktakes: one item per bin holding of the stocktake's warehouse, the recorded
 * quantity being the bin's movements up to the stocktake date and the actual quantity that plus the stocktake's
 * own adjustments (reference `STOCKTAKE`), so a discrepancy on a sheet is exactly the adjustment it was posted as.
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';

export interface SheetInput {
  stocktakes: readonly SageRecord[];
  holdings: readonly SageRecord[];
  bins: readonly SageRecord[];
  movements: readonly SageRecord[];
  products: ReadonlyMap<number, SageRecord>;
  groups: ReadonlyMap<number, SageRecord>;
  stamp: string;
  nextId: () => number;
}

/** Sage's stocktake adjustments name their stocktake by this reference (mock-server/seed/stock-movements.ts). */
export const STOCKTAKE_REFERENCE = 'STOCKTAKE';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

export function buildCountSheets(input: SheetInput): SageRecord[] {
  const recorded = new Map<string, number>();
  const adjusted = new Map<string, number>();
  const keyOf = (product: unknown, warehouse: unknown, bin: unknown, date: unknown) =>
    `${String(product)}|${String(warehouse)}|${String(bin)}|${String(date)}`;
  const dates = new Set(input.stocktakes.map((s) => String(s.stocktake_date)));
  for (const m of input.movements) {
    for (const date of dates) {
      if (String(m.transaction_date) > date) continue;
      const key = keyOf(m.product_id, m.warehouse_name, m.bin_name, date);
      const counted = m.reference === STOCKTAKE_REFERENCE && m.transaction_date === date;
      const into = counted ? adjusted : recorded;
      into.set(key, num(into.get(key)) + num(m.quantity));
    }
  }
  const holdingOf = new Map(input.holdings.map((h) => [h.id, h]));
  const items: SageRecord[] = [];
  for (const stocktake of input.stocktakes) {
    for (const bin of input.bins) {
      const holding = holdingOf.get(bin.warehouse_holding_id);
      if (holding?.warehouse_id !== stocktake.warehouse_id) continue;
      const product = input.products.get(bin.product_id as number);
      const group = input.groups.get(product?.product_group_id as number);
      const key = keyOf(bin.product_id, holding?.warehouse_name, bin.name, stocktake.stocktake_date);
      const expected = qty(num(recorded.get(key)));
      const difference = qty(num(adjusted.get(key)));
      const r = blankRecord('stocktake_count_sheet_items', input.stamp);
      r.id = input.nextId();
      r.stocktake_id = stocktake.id ?? 0;
      r.bin_item_id = bin.id ?? 0;
      r.bin_name = bin.name ?? '';
      r.item_code = product?.code ?? '';
      r.item_name = product?.name ?? '';
      r.traceable_type = 'EnumTraceableTypeNone';
      r.costing_method_type = group?.costing_method ?? '';
      r.standard_cost = product?.standard_cost ?? 0;
      r.average_buying_price = product?.average_buying_price ?? 0;
      r.recorded_quantity_in_stock = expected;
      r.has_negative_quantity_in_stock = expected < 0;
      r.actual_quantity_entered = true;
      r.actual_quantity_in_stock = qty(expected + difference);
      r.discrepancy_status =
        difference === 0 ? 'EnumDiscrepancyStatusNoDiscrepancy' : 'EnumDiscrepancyStatusResolved';
      r.discrepancy_narrative = difference === 0 ? '' : 'Counted at year end; variance posted';
      r.allows_negative_stock = group?.can_over_allocate_negative_stock ?? false;
      items.push(r);
    }
  }
  return items;
}
