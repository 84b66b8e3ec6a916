/**
 * The traceable item lists of stock.json, derived at read time from the traceable items and their bins
 * (mock-server/seed/traceable-items.ts), the stock movements and the sales order lines:
 *
 * - `/traceable_items/{id}/traceable_item_receipts` and `.../traceable_item_issues`: the item's share of each
 *   movement into and out of stock (transfers between bins move it without changing its quantity, so neither lists
 *   them); the receipts less the issues are what the item has in stock.
 * - `/traceable_items/{id}/traceable_item_locations`: each bin holding the item, with its quantity.
 * - `/warehouse_holdings/{id}/traceable_item_balances`: each item in the holding's bins; they sum to the holding's
 *   quantity in stock.
 * - `/traceable_items/{id}/traceable_item_allocations` and `/traceable_bin_items/{id}/traceable_item_allocations`:
 *   each sales order line's allocated quantity, held against the holding's items bin by bin in allocation priority,
 *   oldest item first, so an order write that allocates or despatches shows at once.
 *
 * Sage's records carry no link to the item or holding they are listed under: the rows hold it out of their JSON.
 */
import type { SageRecord } from '../world/model.ts';
import { replayTraceableStock, type TraceableMove, traceableBinKey } from '../world/traceable-stock.ts';
import type { DerivedView, ViewSources } from './model.ts';

const SERIAL = 'EnumTraceableTypeSerial';

/** Sage's names of the movement history types (stock.json's traceable receipts filter names the "In" ones). */
const HISTORY_TYPES: Readonly<Record<string, string>> = {
  GoodsIn: 'In - POP',
  AdjustmentIn: 'In - Unknown Source',
  GoodsOut: 'Out - SOP',
  AdjustmentOut: 'Out - Unknown Source',
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

/** A row listed under a parent its JSON does not name: the link is kept out of the JSON. */
function linked(row: SageRecord, field: string, id: number): SageRecord {
  return Object.defineProperty(row, field, { value: id, enumerable: false });
}

interface BinItemStock {
  readonly binItem: SageRecord;
  readonly item: SageRecord;
  /** Read from the bin and warehouse holdings, which a warehouse's new name is written into. */
  readonly warehouseName: string;
  readonly binName: string;
  readonly quantity: number;
  allocated: number;
}

interface Allocation {
  readonly stock: BinItemStock;
  readonly line: SageRecord;
  readonly quantity: number;
}

interface TraceableStock {
  readonly moves: readonly TraceableMove[];
  /** Every traceable bin item with stock, in id order. */
  readonly inStock: readonly BinItemStock[];
  readonly allocations: readonly Allocation[];
}

/** Replays every traceable product's movements, then holds each holding's allocations against its items. */
function traceableStock(sources: ViewSources): TraceableStock {
  const itemsByProduct = new Map<number, SageRecord[]>();
  const itemsByMovement = new Map<number, SageRecord[]>();
  const items = new Map<number, SageRecord>();
  for (const item of sources.all('traceable_items')) {
    items.set(Number(item.id), item);
    const product = Number(item.product_id);
    itemsByProduct.set(product, [...(itemsByProduct.get(product) ?? []), item]);
    const movement = Number(item.product_transaction_view_id);
    itemsByMovement.set(movement, [...(itemsByMovement.get(movement) ?? []), item]);
  }
  const moves: TraceableMove[] = [];
  const quantities = new Map<string, number>();
  for (const product of itemsByProduct.keys()) {
    const replay = replayTraceableStock(
      sources.lookup('product_transaction_views', 'product_id', product),
      (id) => itemsByMovement.get(id) ?? [],
    );
    moves.push(...replay.moves);
    for (const [key, held] of replay.stock) quantities.set(key, held.quantity);
  }
  const inStock: BinItemStock[] = [];
  for (const binItem of sources.all('traceable_bin_items')) {
    const item = items.get(Number(binItem.traceable_item_id));
    const warehouseName = text(
      sources.get('warehouse_holdings', Number(binItem.warehouse_holding_id))?.warehouse_name,
    );
    const binName = text(sources.get('bin_holdings', Number(binItem.bin_item_id))?.name);
    const key = traceableBinKey(Number(binItem.traceable_item_id), warehouseName, binName);
    const quantity = quantities.get(key) ?? 0;
    if (item && quantity > 0) inStock.push({ binItem, item, warehouseName, binName, quantity, allocated: 0 });
  }
  return { moves, inStock, allocations: allocate(sources, itemsByProduct, inStock) };
}

/**
 * Each traceable product's allocated sales order lines, oldest line first, held against its holding's items: the
 * bins in allocation priority, the items of a bin oldest first, no item beyond what it has in stock.
 */
function allocate(
  sources: ViewSources,
  itemsByProduct: ReadonlyMap<number, readonly SageRecord[]>,
  inStock: readonly BinItemStock[],
): Allocation[] {
  const stockOf = new Map<number, BinItemStock[]>();
  for (const stock of inStock) {
    const holding = Number(stock.binItem.warehouse_holding_id);
    stockOf.set(holding, [...(stockOf.get(holding) ?? []), stock]);
  }
  const allocations: Allocation[] = [];
  const lines = sources
    .all('sop_order_lines')
    .filter(
      (line) => itemsByProduct.has(Number(line.product_id)) && num(line.stock_unit_allocated_quantity) > 0,
    );
  for (const holding of sources.all('warehouse_holdings')) {
    const product = Number(holding.product_id);
    if (!itemsByProduct.has(product)) continue;
    const priority = new Map(
      sources
        .lookup('bin_holdings', 'warehouse_holding_id', Number(holding.id))
        .map((bin) => [Number(bin.id), num(bin.allocation_priority)]),
    );
    const stock = [...(stockOf.get(Number(holding.id)) ?? [])].sort(
      (a, b) =>
        (priority.get(Number(a.binItem.bin_item_id)) ?? 0) -
          (priority.get(Number(b.binItem.bin_item_id)) ?? 0) || Number(a.binItem.id) - Number(b.binItem.id),
    );
    const own = lines
      .filter((line) => Number(line.product_id) === product && line.warehouse_id === holding.warehouse_id)
      .sort((a, b) => Number(a.id) - Number(b.id));
    for (const line of own) {
      let wanted = num(line.stock_unit_allocated_quantity);
      for (const held of stock) {
        if (wanted <= 0) break;
        const part = qty(Math.min(wanted, held.quantity - held.allocated));
        if (part <= 0) continue;
        held.allocated = qty(held.allocated + part);
        wanted = qty(wanted - part);
        allocations.push({ stock: held, line, quantity: part });
      }
    }
  }
  return allocations;
}

function historyView(direction: 1 | -1): DerivedView {
  return {
    aged: false,
    build(sources) {
      return traceableStock(sources)
        .moves.filter((move) => !move.transfer && Math.sign(move.quantity) === direction)
        .map(({ movement, itemId, quantity }) => {
          const traded = movement.transaction_type === 'GoodsIn' || movement.transaction_type === 'GoodsOut';
          const row: SageRecord = {
            id: Number(movement.id),
            trader_reference: text(movement.source_area_reference),
            trader_name: text(movement.source_area_name),
            sales_purchase_order_no: traded ? text(movement.second_reference) : '',
            despatch_receipt_grn_no: traded ? text(movement.reference) : '',
            received_issued_date: movement.transaction_date ?? null,
            received_issued_by: text(movement.user_name),
            transaction_history_type: HISTORY_TYPES[text(movement.transaction_type)] ?? '',
            received_issued_quantity: Math.abs(quantity),
          };
          return linked(row, 'traceable_item_id', itemId);
        });
    },
  };
}

const locations: DerivedView = {
  aged: false,
  build(sources) {
    return traceableStock(sources).inStock.map(({ binItem, warehouseName, binName, quantity, allocated }) =>
      linked(
        {
          traceable_bin_item_id: Number(binItem.id),
          warehouse_name: warehouseName,
          bin_item_id: Number(binItem.bin_item_id),
          bin_name: binName,
          free_stock_available: qty(quantity - allocated),
          bin_quantity_in_stock: quantity,
        },
        'traceable_item_id',
        Number(binItem.traceable_item_id),
      ),
    );
  },
};

/** Every traceable bin item with stock, with its quantity and allocation there (one row per item and bin). */
export function traceableBalances(sources: ViewSources): SageRecord[] {
  return traceableStock(sources).inStock.map(({ binItem, item, binName, quantity, allocated }) => {
    // Sage fills the supplier, the receipt date and whether it is allocated for serial numbers only.
    const serial = item.traceable_type === SERIAL;
    const row: SageRecord = {
      traceable_item_id: Number(item.id),
      identification_no: text(item.identification_no),
      supplier_reference: serial ? text(item.supplier_reference) : '',
      receipt_date: serial ? (item.receipt_date ?? null) : null,
      additional_reference: text(item.additional_reference),
      sell_by_date: item.sell_by_date ?? null,
      use_by_date: item.use_by_date ?? null,
      traceable_bin_item_id: Number(binItem.id),
      bin_item_id: Number(binItem.bin_item_id),
      bin_name: binName,
      quantity,
      allocated_quantity: allocated,
      is_allocated: serial && allocated > 0,
    };
    return linked(row, 'warehouse_holding_id', Number(binItem.warehouse_holding_id));
  });
}

const balances: DerivedView = { aged: false, build: traceableBalances };

/** One traceable bin item of a sales order line's warehouse holding, as the line sees it. */
export interface LineTraceableStock {
  readonly binItem: SageRecord;
  readonly item: SageRecord;
  readonly binName: string;
  /** What the item has in the bin. */
  readonly quantity: number;
  /** What other lines have allocated of it there. */
  readonly allocatedElsewhere: number;
  /** What this line has allocated of it there. */
  readonly allocatedToLine: number;
  /** What goods out under the line's order took of it from the bin. */
  readonly despatched: number;
}

/**
 * The batch and serial numbers of a sales order line's product in its warehouse holding, bin by bin, with the
 * allocations held against them and what its order's despatches took of them (a despatch's goods-out movement is
 * referenced by the order number: mock-server/resources/despatch.ts).
 */
export function lineTraceableStock(sources: ViewSources, line: SageRecord): LineTraceableStock[] {
  const stock = traceableStock(sources);
  const holding = sources
    .lookup('warehouse_holdings', 'product_id', Number(line.product_id))
    .find((h) => h.warehouse_id === line.warehouse_id);
  if (!holding) return [];
  const order = sources.get('sop_orders', Number(line.sop_order_id));
  const despatched = new Map<string, number>();
  for (const move of stock.moves) {
    if (move.movement.transaction_type !== 'GoodsOut' || move.movement.reference !== order?.document_no)
      continue;
    if (Number(move.movement.product_id) !== Number(line.product_id)) continue;
    const key = traceableBinKey(move.itemId, move.warehouseName, move.binName);
    despatched.set(key, qty((despatched.get(key) ?? 0) - move.quantity));
  }
  const bins = new Map<string, SageRecord>();
  for (const binItem of sources.all('traceable_bin_items')) {
    if (Number(binItem.warehouse_holding_id) !== Number(holding.id)) continue;
    const item = sources.get('traceable_items', Number(binItem.traceable_item_id));
    const binName = text(sources.get('bin_holdings', Number(binItem.bin_item_id))?.name);
    if (item) bins.set(traceableBinKey(Number(item.id), text(holding.warehouse_name), binName), binItem);
  }
  return [...bins].flatMap(([key, binItem]) => {
    const held = stock.inStock.find((s) => s.binItem === binItem);
    const toLine = stock.allocations
      .filter((a) => a.stock.binItem === binItem && a.line.id === line.id)
      .reduce((sum, a) => sum + a.quantity, 0);
    const out = despatched.get(key) ?? 0;
    if (!held && out === 0) return [];
    const item = sources.get('traceable_items', Number(binItem.traceable_item_id))!;
    return [
      {
        binItem,
        item,
        binName: text(sources.get('bin_holdings', Number(binItem.bin_item_id))?.name),
        quantity: held?.quantity ?? 0,
        allocatedElsewhere: qty((held?.allocated ?? 0) - toLine),
        allocatedToLine: qty(toLine),
        despatched: out,
      },
    ];
  });
}

const allocations: DerivedView = {
  aged: false,
  build(sources) {
    return traceableStock(sources).allocations.map(({ stock, line, quantity }) => {
      const order = sources.get('sop_orders', Number(line.sop_order_id));
      const customer = order ? sources.get('customers', Number(order.customer_id)) : undefined;
      const row: SageRecord = {
        traceable_bin_item_id: Number(stock.binItem.id),
        warehouse_name: stock.warehouseName,
        bin_name: stock.binName,
        // The sandbox keeps no record per traceable allocation; the order line is the allocation balance.
        traceable_allocation_bal_id: null,
        allocation_balance_id: Number(line.id),
        allocated_to: text(customer?.reference),
        allocation_date: order?.document_date ?? null,
        order_no: text(order?.document_no),
        allocated_quantity: quantity,
      };
      return linked(row, 'traceable_item_id', Number(stock.item.id));
    });
  },
};

/** The traceable item views, by collection (`x-sandbox-collections`, each `derived-from` the same records). */
export const traceableItemViews: Readonly<Record<string, DerivedView>> = {
  traceable_item_receipts: historyView(1),
  traceable_item_issues: historyView(-1),
  traceable_item_locations: locations,
  traceable_item_balances: balances,
  traceable_item_allocations: allocations,
};
