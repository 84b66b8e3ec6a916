/**
 * Approving and completing a stocktake (Sage's stock.json `PostStocktakeApproveComplete`): each counted bin whose
 * count differs from its stock becomes an adjustment movement (AdjustmentIn or AdjustmentOut, reference
 * `STOCKTAKE`), as the seed posts its year-end stocktakes (mock-server/seed/stock-movements.ts), and the bins,
 * warehouse holdings and products take the counted quantities. Like the seed's, the adjustments post nothing to
 * the nominal ledger. A gain of a batch- or serial-numbered product is received as new numbers (stocktake-traceable.ts).
 */
import { STOCKTAKE_REFERENCE } from '../seed/stocktake-sheets.ts';
import type { Change } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { qty, refreshed, STATUS } from './stocktake-items.ts';
import { stocktakeGainItems } from './stocktake-traceable.ts';
import { put, type WriteContext } from './writable.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const money = (value: number): number => Math.round(value * 100) / 100 + 0;
/** Sage's `user_name` on stock movements holds 20 characters. */
const USER_NAME_LENGTH = 20;
/** `/product_transaction_types` and `/product_transaction_group_types` (goods in 2, goods out 1). */
const ADJUSTMENT = {
  in: { type: 'AdjustmentIn', typeId: 2, groupId: 2 },
  out: { type: 'AdjustmentOut', typeId: 3, groupId: 1 },
} as const;
/** `/source_area_types`: Internal. */
const SOURCE_INTERNAL = 2;

/** A holding's or bin's stock figures once its quantity in stock is `inStock`; allocations stay as they are. */
function restocked(record: SageRecord, inStock: number, now: string): SageRecord {
  return {
    ...record,
    quantity_in_stock: inStock,
    confirmed_qty_in_stock: qty(inStock - num(record.unconfirmed_qty_in_stock)),
    quantity_in_stock_less_reserved: qty(inStock - num(record.quantity_reserved)),
    free_stock_available: qty(inStock - num(record.quantity_allocated)),
    free_stock_available_less_reserved: qty(
      inStock - num(record.quantity_reserved) - num(record.quantity_allocated),
    ),
    date_time_updated: now,
  };
}

function movement(ctx: WriteContext, item: SageRecord, holding: SageRecord, difference: number): SageRecord {
  const product = ctx.company.table('products').get(num(holding.product_id));
  const group = ctx.company.table('product_groups').get(num(product?.product_group_id));
  const kind = difference > 0 ? ADJUSTMENT.in : ADJUSTMENT.out;
  const cost = num(product?.average_buying_price);
  const m = blankRecord('product_transaction_views', ctx.now);
  m.id = ctx.company.reserveId();
  m.product_id = holding.product_id ?? null;
  m.product_group_id = product?.product_group_id ?? null;
  m.product_code = text(product?.code);
  m.product_group_code = text(group?.code);
  m.transaction_group_id = kind.groupId;
  m.transaction_type_id = kind.typeId;
  m.transaction_type = kind.type;
  m.transaction_date = ctx.today;
  m.source_area_type_id = SOURCE_INTERNAL;
  m.reference = STOCKTAKE_REFERENCE;
  m.warehouse_name = text(holding.warehouse_name);
  m.bin_name = text(item.bin_name);
  m.quantity = difference;
  m.unit_cost_price = cost;
  m.cost_value = money(difference * cost);
  m.memo = text(item.discrepancy_narrative).slice(0, 60) || 'Stocktake variance';
  m.user_name = ctx.user.email.slice(0, USER_NAME_LENGTH);
  return m;
}

/** The changes completing `stocktake` makes; its items must all be counted (checked by the caller). */
export function completionChanges(
  ctx: WriteContext,
  stocktake: SageRecord,
  items: readonly SageRecord[],
): Change[] {
  const changes: Change[] = [];
  const bins = ctx.company.table('bin_holdings');
  const holdings = ctx.company.table('warehouse_holdings');
  const heldDifference = new Map<number, number>();
  for (const stored of items) {
    const item = refreshed(ctx, stored);
    const bin = bins.get(num(item.bin_item_id));
    const holding = bin && holdings.get(num(bin.warehouse_holding_id));
    const counted = qty(num(item.actual_quantity_in_stock));
    const difference = qty(counted - num(item.recorded_quantity_in_stock));
    item.discrepancy_status =
      difference === 0 ? 'EnumDiscrepancyStatusNoDiscrepancy' : 'EnumDiscrepancyStatusResolved';
    item.date_time_updated = ctx.now;
    changes.push(put('stocktake_count_sheet_items', item));
    if (!bin || !holding) continue;
    changes.push(put('bin_holdings', { ...restocked(bin, counted, ctx.now), last_stocktake: ctx.today }));
    if (difference === 0) continue;
    const adjustment = movement(ctx, item, holding, difference);
    changes.push(
      put('product_transaction_views', adjustment),
      ...stocktakeGainItems(ctx, adjustment, holding, bin),
    );
    heldDifference.set(num(holding.id), qty((heldDifference.get(num(holding.id)) ?? 0) + difference));
  }
  const products = new Map<number, number>();
  for (const [id, difference] of heldDifference) {
    const holding = holdings.get(id);
    if (!holding) continue;
    changes.push(
      put(
        'warehouse_holdings',
        restocked(holding, qty(num(holding.quantity_in_stock) + difference), ctx.now),
      ),
    );
    const productId = num(holding.product_id);
    products.set(productId, qty((products.get(productId) ?? 0) + difference));
  }
  for (const [id, difference] of products) {
    const product = ctx.company.table('products').get(id);
    if (!product) continue;
    const summary = { ...(product.holding as SageRecord) };
    summary.quantity_in_stock = qty(num(summary.quantity_in_stock) + difference);
    const status = { ...(product.status as SageRecord) };
    status.has_negative_stock_quantities = summary.quantity_in_stock < 0;
    changes.push(
      put('products', {
        ...product,
        holding: summary,
        status,
        free_stock_quantity: qty(num(summary.quantity_in_stock) - num(summary.quantity_allocated)),
        date_time_updated: ctx.now,
      }),
    );
  }
  changes.push(
    put('stocktakes', {
      ...stocktake,
      stocktake_status: STATUS.complete,
      stocktake_date: ctx.today,
      can_modify_stocktake_type: false,
      advance_status: false,
      date_time_updated: ctx.now,
    }),
  );
  return changes;
}
