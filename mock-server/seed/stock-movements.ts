/**
 * Stock movements (`/product_transaction_views`): an opening balance per holding, goods out for every stock line of
 * the seeded sales invoices, goods in from suppliers whenever a bin runs short, transfers between warehouses and
 * stocktake adjustments. Quantities are signed (goods in positive, goods out negative), so a holding's quantity in
 * stock is the sum of its movements (mock-server/seed/stock-holdings.ts).
 */
import { businessDate, dayOf, dayStartMs, instant, WORLD_DATES } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';
import type { Product } from './reference-data.ts';
import { STOCKTAKE_REFERENCE } from './stocktake-sheets.ts';
import type { Trader } from './traders.ts';
import type { Doc } from './trading.ts';

/** A warehouse and the bins its holdings use, in allocation order. */
export interface StockWarehouse {
  id: number;
  name: string;
  bins: readonly string[];
  /** The share of sales despatched from it. */
  share: number;
}

type MovementType = 'GoodsIn' | 'GoodsOut' | 'AdjustmentIn' | 'AdjustmentOut' | 'TransferIn' | 'TransferOut';
type SourceArea =
  | 'EnumSourceAreaTypeSupplier'
  | 'EnumSourceAreaTypeCustomer'
  | 'EnumSourceAreaTypeInternal'
  | 'EnumSourceAreaTypeOpeningBalance';

/** Sage's ids of the members named here (the contract's `/product_transaction_types`, `/source_area_types`). */
const TYPE_IDS: Readonly<Record<MovementType, number>> = {
  GoodsIn: 0,
  GoodsOut: 1,
  AdjustmentIn: 2,
  AdjustmentOut: 3,
  TransferIn: 4,
  TransferOut: 5,
};
const SOURCE_IDS: Readonly<Record<SourceArea, number>> = {
  EnumSourceAreaTypeSupplier: 0,
  EnumSourceAreaTypeCustomer: 1,
  EnumSourceAreaTypeInternal: 2,
  EnumSourceAreaTypeOpeningBalance: 4,
};
/** `/product_transaction_group_types`: goods out 1, goods in 2. */
const GROUP_OF: Readonly<Record<MovementType, number>> = {
  GoodsIn: 2,
  GoodsOut: 1,
  AdjustmentIn: 2,
  AdjustmentOut: 1,
  TransferIn: 2,
  TransferOut: 1,
};

export interface MovementInput {
  products: readonly Product[];
  /** Product group id and code by product id. */
  groups: ReadonlyMap<number, { id: number; code: string }>;
  warehouses: readonly StockWarehouse[];
  docs: readonly Doc[];
  suppliers: readonly Trader[];
  /** The supplier each product is bought from (its preferred supplier). */
  supplierOf: (product: Product) => Trader;
  userNames: readonly string[];
  rng: Rng;
  nextId: () => number;
}

interface Event {
  day: number;
  ms: number;
  product: Product;
  kind: 'sale' | 'transfer' | 'count';
  quantity: number;
  doc?: Doc;
}

/** Stocktakes at each financial year end seen in trading (Sage's year ends in December here). */

/** Builds every movement, in date order; the generator keeps no bin below zero. */
export function buildStockMovements(input: MovementInput): SageRecord[] {
  const { rng, warehouses } = input;
  const START = dayOf(WORLD_DATES.tradingStart);
  const END = dayOf(WORLD_DATES.tradingEnd);
  // The past year's year-end stock count.
  const COUNT_DAYS = [dayOf(`${WORLD_DATES.firstYear}-12-31`)];
  const home = warehouses[0];
  if (!home) throw new Error('stock movements: no warehouse');
  const stocked = input.products.filter((p) => !p.service);
  const onHand = new Map<string, number>();
  const key = (product: Product, warehouse: StockWarehouse, bin: string) =>
    `${product.id}|${warehouse.id}|${bin}`;
  const movements: SageRecord[] = [];
  let grn = rng.int(1, 9) * 1000;
  let transferNo = rng.int(1, 9) * 100;
  let poNo = rng.int(20, 60) * 100;

  const move = (
    event: { day: number; ms: number; product: Product },
    warehouse: StockWarehouse,
    bin: string,
    type: MovementType,
    quantity: number,
    detail: {
      source: SourceArea;
      trader?: Trader;
      reference: string;
      secondReference?: string;
      unitIssue?: number;
      memo?: string;
    },
  ) => {
    const signed = GROUP_OF[type] === 2 ? quantity : -quantity;
    const k = key(event.product, warehouse, bin);
    onHand.set(k, (onHand.get(k) ?? 0) + signed);
    const group = input.groups.get(event.product.id);
    const r = blankRecord('product_transaction_views', instant(event.ms));
    const cost = event.product.cost / 100;
    r.id = input.nextId();
    r.product_id = event.product.id;
    r.product_group_id = group?.id ?? null;
    r.product_code = event.product.code;
    r.product_group_code = group?.code ?? '';
    r.transaction_group_id = GROUP_OF[type];
    r.transaction_type_id = TYPE_IDS[type];
    r.transaction_type = type;
    r.transaction_date = businessDate(event.day);
    r.source_area_type_id = SOURCE_IDS[detail.source];
    r.source_area_reference = detail.trader?.reference ?? '';
    r.source_area_name = (detail.trader?.name ?? '').slice(0, 20);
    r.reference = detail.reference.slice(0, 20);
    r.second_reference = (detail.secondReference ?? '').slice(0, 20);
    r.warehouse_name = warehouse.name;
    r.bin_name = bin;
    r.quantity = signed;
    r.unit_cost_price = cost;
    r.unit_issue_price = detail.unitIssue ?? 0;
    r.cost_value = Math.round(signed * cost * 100) / 100;
    r.issue_value = Math.round(signed * (detail.unitIssue ?? 0) * 100) / 100;
    r.memo = detail.memo ?? '';
    r.user_name = rng.pick(input.userNames);
    movements.push(r);
  };

  const openingMs = dayStartMs(START) + 8 * 3600_000;
  for (const product of stocked) {
    for (const warehouse of warehouses) {
      const quantity = warehouse === home ? rng.int(20, 120) : rng.int(0, 30);
      if (quantity === 0) continue;
      move({ day: START, ms: openingMs, product }, warehouse, warehouse.bins[0]!, 'AdjustmentIn', quantity, {
        source: 'EnumSourceAreaTypeOpeningBalance',
        reference: 'O/BAL',
        memo: 'Opening balance',
      });
    }
  }

  const events: Event[] = [];
  for (const doc of input.docs) {
    if (doc.kind !== 'SI') continue;
    for (const line of doc.lines) {
      if (line.stock) {
        events.push({
          day: doc.day,
          ms: doc.ms,
          product: line.stock.product,
          kind: 'sale',
          quantity: line.stock.quantity,
          doc,
        });
      }
    }
  }
  for (const product of stocked) {
    for (let day = START + rng.int(20, 60); day <= END; day += rng.int(40, 90)) {
      events.push({
        day,
        ms: dayStartMs(day) + 15 * 3600_000,
        product,
        kind: 'transfer',
        quantity: rng.int(5, 20),
      });
    }
    for (const day of COUNT_DAYS) {
      if (rng.chance(0.3)) {
        events.push({
          day,
          ms: dayStartMs(day) + 17 * 3600_000,
          product,
          kind: 'count',
          quantity: rng.int(-3, 2) || 1,
        });
      }
    }
  }
  events.sort((a, b) => a.ms - b.ms || a.product.id - b.product.id);

  /** Goods in to a bin before it goes short: an order of several weeks' sales from the product's supplier. */
  const replenish = (event: Event, warehouse: StockWarehouse, bin: string, needed: number) => {
    const quantity = Math.max(needed, rng.int(4, 12) * 10);
    const supplier = input.supplierOf(event.product);
    move({ ...event, ms: event.ms - 3600_000 }, warehouse, bin, 'GoodsIn', quantity, {
      source: 'EnumSourceAreaTypeSupplier',
      trader: supplier,
      reference: `GRN${String(++grn).padStart(6, '0')}`,
      secondReference: `PO${String(++poNo).padStart(6, '0')}`,
    });
  };

  for (const event of events) {
    switch (event.kind) {
      case 'sale': {
        const doc = event.doc!;
        const warehouse = pickWarehouse(warehouses, rng.next()) ?? home;
        const bin = warehouse.bins.find(
          (b) => (onHand.get(key(event.product, warehouse, b)) ?? 0) >= event.quantity,
        );
        const from = bin ?? warehouse.bins[0]!;
        const have = onHand.get(key(event.product, warehouse, from)) ?? 0;
        if (have < event.quantity) replenish(event, warehouse, from, event.quantity - have);
        move(event, warehouse, from, 'GoodsOut', event.quantity, {
          source: 'EnumSourceAreaTypeCustomer',
          ...(doc.trader ? { trader: doc.trader } : {}),
          reference: doc.reference,
          secondReference: doc.secondReference,
          unitIssue: event.product.price / 100,
        });
        break;
      }
      case 'transfer': {
        const to = warehouses[1 + rng.int(0, warehouses.length - 2)];
        const from = home.bins[0]!;
        if (!to || to === home || (onHand.get(key(event.product, home, from)) ?? 0) < event.quantity) break;
        const reference = `TRN${String(++transferNo).padStart(6, '0')}`;
        const memo = `Transfer from ${home.name} to ${to.name}`;
        move(event, home, from, 'TransferOut', event.quantity, {
          source: 'EnumSourceAreaTypeInternal',
          reference,
          memo,
        });
        move(event, to, to.bins[0]!, 'TransferIn', event.quantity, {
          source: 'EnumSourceAreaTypeInternal',
          reference,
          memo,
        });
        break;
      }
      case 'count': {
        const bin = home.bins[0]!;
        const have = onHand.get(key(event.product, home, bin)) ?? 0;
        const change = Math.max(event.quantity, -have);
        if (change === 0) break;
        move(event, home, bin, change > 0 ? 'AdjustmentIn' : 'AdjustmentOut', Math.abs(change), {
          source: 'EnumSourceAreaTypeInternal',
          reference: STOCKTAKE_REFERENCE,
          memo: 'Year-end stocktake variance',
        });
        break;
      }
      default:
        event.kind satisfies never;
        throw new Error(`stock movements: unknown event ${String(event.kind)}`);
    }
  }
  return movements;
}

/** The warehouse a sale is despatched from: `roll` in [0, 1) falls in one warehouse's share. */
function pickWarehouse(warehouses: readonly StockWarehouse[], roll: number): StockWarehouse | undefined {
  let cumulative = 0;
  for (const warehouse of warehouses) {
    cumulative += warehouse.share;
    if (roll < cumulative) return warehouse;
  }
  return undefined;
}
