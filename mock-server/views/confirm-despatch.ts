/**
 * `GET /sop_confirm_despatch` (sop.json, "Sales Order Lines Available For Despatch"): per live sales order, its goods
 * lines whose allocated stock waits to go. Sage lists the "locked" goods of ConfirmOnDespatch lines, those allocated
 * and on a printed despatch note; the sandbox keeps no print run, so every allocated line still outstanding counts
 * (assumed). The quantity to despatch is what is allocated; outstanding is ordered less despatched; the bins the
 * goods are taken from are the holding's, highest priority first, as allocations are held (stock-levels.ts).
 */
import { businessDate } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import type { DerivedView, ViewContext, ViewSources } from './model.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const round = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;

/** A sales order line's quantity still to despatch, in stock units: ordered less despatched. */
export const outstandingQuantity = (line: SageRecord): number =>
  round(num(line.stock_unit_line_quantity) - num(line.stock_unit_despatch_receipt_quantity));

/** What of a line may be despatched now: its allocated stock, never more than is outstanding. */
export const despatchableQuantity = (line: SageRecord): number =>
  Math.max(0, Math.min(num(line.stock_unit_allocated_quantity), outstandingQuantity(line)));

/** Whether a line is listed for despatch: a goods line of a live order with allocated stock still to go. */
export const isAvailableForDespatch = (line: SageRecord, order: SageRecord | undefined): boolean =>
  order?.document_status === 'EnumDocumentStatusLive' &&
  line.line_type === 'EnumLineTypeStandard' &&
  line.confirmation_intent_type !== 'Confirm' &&
  despatchableQuantity(line) > 0;

/** The bins of a line's warehouse holding, highest allocation priority (lowest number) first. */
export function binsOf(sources: Pick<ViewSources, 'lookup'>, line: SageRecord): SageRecord[] {
  const holding = sources
    .lookup('warehouse_holdings', 'product_id', num(line.product_id))
    .find((h) => h.warehouse_id === line.warehouse_id);
  if (!holding) return [];
  return [...sources.lookup('bin_holdings', 'warehouse_holding_id', num(holding.id))].sort(
    (a, b) => num(a.allocation_priority) - num(b.allocation_priority) || num(a.id) - num(b.id),
  );
}

/** `quantity` taken from the bins in turn, each giving what it holds; the last takes any remainder. */
export function binItems(bins: readonly SageRecord[], quantity: number): SageRecord[] {
  let left = quantity;
  return bins.map((bin, i) => {
    const available = num(bin.quantity_in_stock);
    const take = i === bins.length - 1 ? left : Math.min(left, Math.max(0, available));
    left = round(left - take);
    return { id: bin.id ?? null, bin_name: text(bin.name), available_quantity: available, quantity: take };
  });
}

/** One line to despatch, as Sage's `sop_despatch_receipt_item` describes it. */
export function despatchItem(sources: ViewSources, order: SageRecord, line: SageRecord): SageRecord {
  const customer = sources.get('customers', num(order.customer_id));
  const product = sources.get('products', num(line.product_id));
  const group = product && sources.get('product_groups', num(product.product_group_id));
  const warehouse = sources.get('warehouses', num(line.warehouse_id));
  const quantity = despatchableQuantity(line);
  const bins = binItems(binsOf(sources, line), quantity);
  return {
    id: line.id ?? null,
    sop_order_return_id: order.id ?? null,
    document_no: text(order.document_no),
    customer_id: order.customer_id ?? null,
    customer_reference: text(customer?.reference),
    customer_name: text(customer?.name),
    product_id: line.product_id ?? null,
    item_code: text(line.code),
    item_name: text(line.description),
    unit_description: text(line.selling_unit_description),
    selling_unit_description: text(line.selling_unit_description),
    warehouse_name: text(warehouse?.name),
    quantity,
    line_quantity: num(line.stock_unit_line_quantity),
    despatch_receipt_quantity: num(line.stock_unit_despatch_receipt_quantity),
    outstanding_quantity: outstandingQuantity(line),
    available_quantity: quantity,
    // Batch and serial tracking is Professional-only: a Standard company holds no traceable stock.
    traceable_available_quantity: 0,
    line_unit_precision: num(line.line_unit_precision),
    stock_unit_precision: num(line.stock_unit_precision),
    selling_unit_multiple: num(line.selling_unit_multiple),
    stock_unit_multiple: num(line.stock_unit_multiple),
    product_type: text(group?.product_type),
    sale_from_single_batch: false,
    has_traceable_allocations: false,
    is_multiple_bin_allocations: bins.filter((b) => num(b.quantity) > 0).length > 1,
    document_date: order.document_date ?? null,
    requested_delivery_date: line.requested_delivery_date ?? null,
    promised_delivery_date: line.promised_delivery_date ?? null,
    bin_items: bins,
  };
}

/** The view: one row per live order with lines to despatch, dated today on the sandbox clock. */
const confirmDespatch: DerivedView = {
  // Not aged, but its rows carry today's date, so it is computed again when the day changes.
  aged: true,
  build(sources: ViewSources, context: ViewContext): SageRecord[] {
    const rows: SageRecord[] = [];
    for (const order of sources.all('sop_orders')) {
      if (order.document_status !== 'EnumDocumentStatusLive') continue;
      const lines = sources.lookup('sop_order_lines', 'sop_order_id', num(order.id));
      const items = lines
        .filter((line) => isAvailableForDespatch(line, order))
        .sort((a, b) => num(a.line_number) - num(b.line_number))
        .map((line) => despatchItem(sources, order, line));
      if (items.length === 0) continue;
      rows.push({
        sop_order_return_id: order.id ?? null,
        despatch_receipt_date: businessDate(context.today),
        items,
        tracking_items: [],
      });
    }
    return rows;
  },
};

/** The view, by the collection its contract entry names. */
export const confirmDespatchViews: Readonly<Record<string, DerivedView>> = {
  sop_confirm_despatch: confirmDespatch,
};
