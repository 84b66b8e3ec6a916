/**
 * What a stocktake counts (Sage's stock.json `stocktake.stocktake_items` and `stocktake_count_sheet_item`): the
 * entries a stocktake of a warehouse may choose from, one per bin when it counts by bin and one per warehouse
 * holding when it counts by stock item, the bins an entry sent back selects, and the count sheet item of a bin,
 * shaped as the seed's year-end count sheets are (mock-server/seed/stocktake-sheets.ts).
 */
import { badRequest } from '../errors.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import type { WriteContext } from './writable.ts';

export const STATUS = {
  selecting: 'EnumStocktakeStatusSelectingItems',
  counting: 'EnumStocktakeStatusEnteringCounts',
  complete: 'EnumStocktakeStatusComplete',
} as const;
export const BY_BIN = 'EnumStocktakeTypeByBin';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
export const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;

/** A bin of a warehouse with the holding and product it belongs to. */
export interface CountedBin {
  bin: SageRecord;
  holding: SageRecord;
  product: SageRecord | undefined;
}

function binsOfHolding(ctx: WriteContext, holding: SageRecord): CountedBin[] {
  const product = ctx.company.table('products').get(num(holding.product_id));
  return [...(ctx.company.table('bin_holdings').lookup('warehouse_holding_id', num(holding.id)) ?? [])]
    .sort((a, b) => num(a.allocation_priority) - num(b.allocation_priority) || num(a.id) - num(b.id))
    .map((bin) => ({ bin, holding, product }));
}

/** The count sheet items of a stocktake. */
export function itemsOf(ctx: WriteContext, stocktakeId: number): SageRecord[] {
  return [...(ctx.company.table('stocktake_count_sheet_items').lookup('stocktake_id', stocktakeId) ?? [])];
}

/** Bins (by id) on another stocktake of the warehouse that is not complete, with that stocktake's name. */
function binsTaken(ctx: WriteContext, stocktake: SageRecord): Map<number, string> {
  const taken = new Map<number, string>();
  for (const other of ctx.company.table('stocktakes').lookup('warehouse_id', num(stocktake.warehouse_id)) ??
    []) {
    if (other.id === stocktake.id || other.stocktake_status === STATUS.complete) continue;
    for (const item of itemsOf(ctx, num(other.id)))
      taken.set(num(item.bin_item_id), text(other.stocktake_name));
  }
  return taken;
}

/**
 * The entries `stocktake` may choose from: every holding of its warehouse (every bin, counting by bin) not on
 * another open stocktake, those already on it selected.
 */
export function availableItems(ctx: WriteContext, stocktake: SageRecord): SageRecord[] {
  const byBin = stocktake.stocktake_type === BY_BIN;
  const taken = binsTaken(ctx, stocktake);
  const onIt = new Map(
    (typeof stocktake.id === 'number' ? itemsOf(ctx, stocktake.id) : []).map((i) => [num(i.bin_item_id), i]),
  );
  const out: SageRecord[] = [];
  const holdings =
    ctx.company.table('warehouse_holdings').lookup('warehouse_id', num(stocktake.warehouse_id)) ?? [];
  for (const holding of [...holdings].sort((a, b) => num(a.id) - num(b.id))) {
    const bins = binsOfHolding(ctx, holding).filter(({ bin }) => !taken.has(num(bin.id)));
    const product = bins[0]?.product;
    if (!product) continue;
    if (
      stocktake.exclude_inactive_stock === true &&
      product.product_status_type === 'EnumStockItemStatusTypeInactive'
    )
      continue;
    const groups = byBin ? bins.map((b) => [b]) : [bins];
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      const counted = group.map(({ bin }) => onIt.get(num(bin.id))).filter((i) => i !== undefined);
      const inStock = qty(group.reduce((sum, { bin }) => sum + num(bin.quantity_in_stock), 0));
      const productGroup = ctx.company.table('product_groups').get(num(product.product_group_id));
      out.push({
        stocktake_item_id: counted[0]?.id ?? null,
        warehouse_holding_id: holding.id ?? null,
        bin_name: byBin ? text(first.bin.name) : '',
        item_code: text(product.code),
        item_name: text(product.name),
        stock_unit_name: text(product.stock_unit_name),
        traceable_type: text(product.traceable_type) || 'EnumTraceableTypeNone',
        product_group_id: product.product_group_id ?? null,
        product_group_code: text(productGroup?.code),
        allows_negative_stock: productGroup?.can_over_allocate_negative_stock === true,
        quantity_in_stock: inStock,
        value_of_stock: Math.round(inStock * num(product.average_buying_price) * 100) / 100 + 0,
        average_buying_price: num(product.average_buying_price),
        stocktake_cycle_period: num(product.stocktake_cycle_period),
        last_stocktake: first.bin.last_stocktake ?? null,
        date_of_last_sale: null,
        is_selected: counted.length > 0,
      });
    }
  }
  return out;
}

/** An entry of a request's `stocktake_items`, as sent. */
type Entry = Record<string, unknown>;

/**
 * The bins an entry names in `stocktake`'s warehouse: its warehouse holding (`warehouse_holding_id`, or the
 * product `item_code` held there), narrowed to the bin `bin_name` when given. A 400 when it names nothing there.
 */
export function binsOfEntry(
  ctx: WriteContext,
  stocktake: SageRecord,
  entry: Entry,
  at: number,
): CountedBin[] {
  const where = `stocktake_items[${at}]`;
  const warehouseName = `'${text(stocktake.warehouse_name)}'`;
  const holdings = ctx.company.table('warehouse_holdings');
  let holding: SageRecord | undefined;
  if (typeof entry.warehouse_holding_id === 'number') {
    holding = holdings.get(entry.warehouse_holding_id);
    if (!holding || holding.warehouse_id !== stocktake.warehouse_id) {
      throw badRequest(
        `${where}: no warehouse holding of the warehouse ${warehouseName} has the Id '${entry.warehouse_holding_id}'.`,
      );
    }
  } else if (typeof entry.item_code === 'string' && entry.item_code !== '') {
    const code = entry.item_code;
    const product = ctx.company
      .table('products')
      .all()
      .find((p) => p.code === code);
    if (!product) throw badRequest(`${where}: no product has the code '${code}'.`);
    holding = (holdings.lookup('product_id', num(product.id)) ?? []).find(
      (h) => h.warehouse_id === stocktake.warehouse_id,
    );
    if (!holding)
      throw badRequest(`${where}: the product '${code}' is not held in the warehouse ${warehouseName}.`);
  } else {
    throw badRequest(`${where}: give the warehouse_holding_id or the item_code of the item.`);
  }
  const bins = binsOfHolding(ctx, holding);
  if (typeof entry.bin_name !== 'string' || entry.bin_name === '') return bins;
  const name = entry.bin_name.toLowerCase();
  const one = bins.filter(({ bin }) => text(bin.name).toLowerCase() === name);
  if (one.length === 0) {
    throw badRequest(
      `${where}: the item is not held in a bin '${entry.bin_name}' of the warehouse ${warehouseName}.`,
    );
  }
  return one;
}

/** The entries of a request's `stocktake_items`: a 400 when it is not an array of objects. */
export function entriesOf(value: unknown): Entry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    throw badRequest('The stocktake_items field must be an array of items.');
  }
  return value as Entry[];
}

/** A new count sheet item for a bin, its recorded quantity the bin's stock now, nothing counted yet. */
export function countSheetItem(ctx: WriteContext, stocktakeId: number, counted: CountedBin): SageRecord {
  const { bin, product } = counted;
  const group = ctx.company.table('product_groups').get(num(product?.product_group_id));
  const recorded = qty(num(bin.quantity_in_stock));
  const r = blankRecord('stocktake_count_sheet_items', ctx.now);
  r.id = ctx.company.reserveId();
  r.stocktake_id = stocktakeId;
  r.bin_item_id = bin.id ?? 0;
  r.bin_name = text(bin.name);
  r.item_code = text(product?.code);
  r.item_name = text(product?.name);
  r.stock_unit_name = text(product?.stock_unit_name);
  r.traceable_type = text(product?.traceable_type) || 'EnumTraceableTypeNone';
  r.costing_method_type = group?.costing_method ?? '';
  r.standard_cost = num(product?.standard_cost);
  r.average_buying_price = num(product?.average_buying_price);
  r.recorded_quantity_in_stock = recorded;
  r.has_negative_quantity_in_stock = recorded < 0;
  r.quantity_allocated = num(bin.quantity_allocated);
  r.actual_quantity_entered = false;
  r.actual_quantity_in_stock = 0;
  r.discrepancy_status = 'EnumDiscrepancyStatusNoDiscrepancy';
  r.discrepancy_narrative = '';
  r.allows_negative_stock = group?.can_over_allocate_negative_stock === true;
  return r;
}

/** A count sheet item with its recorded quantity brought up to its bin's stock now, and its discrepancy. */
export function refreshed(ctx: WriteContext, item: SageRecord): SageRecord {
  const bin = ctx.company.table('bin_holdings').get(num(item.bin_item_id));
  const recorded = qty(num(bin?.quantity_in_stock));
  const found = item.actual_quantity_entered === true && qty(num(item.actual_quantity_in_stock)) !== recorded;
  return {
    ...item,
    recorded_quantity_in_stock: recorded,
    has_negative_quantity_in_stock: recorded < 0,
    discrepancy_status: found ? 'EnumDiscrepancyStatusFound' : 'EnumDiscrepancyStatusNoDiscrepancy',
  };
}
