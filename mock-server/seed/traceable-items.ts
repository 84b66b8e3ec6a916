/**
 * Traceable items: a few stock products of each company are batch- or serial-numbered, and every movement that
 * brought them into stock (opening balance, goods in, stocktake gain) received traceable items: one batch for the
 * movement's quantity, or one serial number per unit. Their bins (`traceable_bin_items`) are where the movements
 * carried them (mock-server/world/traceable-stock.ts). Sage flags a product's traceable fields Professional-only, so
 * the products' records do not say they are traceable; their traceable items do.
 */
import { businessDate, dayOf, dayStartMs, instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { Collections, SageRecord } from '../world/model.ts';
import { replayTraceableStock, traceableBinKey } from '../world/traceable-stock.ts';
import type { Rng } from './random.ts';

const BATCH = 'EnumTraceableTypeBatch';
const SERIAL = 'EnumTraceableTypeSerial';

/** How many products of a company are traceable, and how many of them serial-numbered. */
const TRACEABLE_PRODUCTS = { min: 3, max: 5, serial: 1 };

export interface TraceableInput {
  collections: Collections;
  rng: Rng;
  nextId: () => number;
}

export interface TraceableCollections {
  traceable_items: SageRecord[];
  traceable_bin_items: SageRecord[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Picks the traceable products and numbers the items their receipts brought in, then the bins they reached. */
export function buildTraceableItems(input: TraceableInput): TraceableCollections {
  const { collections, rng, nextId } = input;
  const movementsOf = new Map<number, SageRecord[]>();
  for (const movement of collections.product_transaction_views ?? []) {
    const id = Number(movement.product_id);
    const own = movementsOf.get(id);
    if (own) own.push(movement);
    else movementsOf.set(id, [movement]);
  }
  const stocked = collections.products.filter((p) => movementsOf.has(Number(p.id)));
  const count = Math.min(stocked.length, rng.int(TRACEABLE_PRODUCTS.min, TRACEABLE_PRODUCTS.max));
  const chosen: SageRecord[] = [];
  const pool = [...stocked];
  for (let i = 0; i < count; i++) chosen.push(...pool.splice(rng.int(0, pool.length - 1), 1));
  chosen.sort((a, b) => Number(a.id) - Number(b.id));
  // Serial numbers go to the products received in the fewest units: one record per unit stays a small list.
  const received = (product: SageRecord): number =>
    (movementsOf.get(Number(product.id)) ?? [])
      .filter((m) => Number(m.quantity) > 0 && !String(m.transaction_type).startsWith('Transfer'))
      .reduce((sum, m) => sum + Number(m.quantity), 0);
  const serial = new Set(
    [...chosen]
      .sort((a, b) => received(a) - received(b) || Number(a.id) - Number(b.id))
      .slice(0, TRACEABLE_PRODUCTS.serial),
  );

  const traceable_items: SageRecord[] = [];
  const itemsByMovement = new Map<number, SageRecord[]>();
  let serialNo = rng.int(100, 899) * 10_000;
  for (const product of chosen) {
    const type = serial.has(product) ? SERIAL : BATCH;
    const code = text(product.code)
      .replace(/[^A-Z0-9]/gi, '')
      .slice(0, 8)
      .toUpperCase();
    let batchNo = 0;
    const receipts = (movementsOf.get(Number(product.id)) ?? []).filter(
      (m) => Number(m.quantity) > 0 && m.transaction_type !== 'TransferIn',
    );
    for (const movement of receipts) {
      const day = dayOf(text(movement.transaction_date).slice(0, 10));
      const fromSupplier = movement.transaction_type === 'GoodsIn';
      const units = type === SERIAL ? Number(movement.quantity) : 1;
      const own: SageRecord[] = [];
      // Numbered as the goods are put away, the morning they arrive.
      const stamp = instant(dayStartMs(day) + 9 * 3600_000);
      for (let unit = 0; unit < units; unit++) {
        const item = blankRecord('traceable_items', stamp);
        item.id = nextId();
        item.product_id = Number(product.id);
        item.traceable_type = type;
        item.product_transaction_view_id = Number(movement.id);
        item.supplier_reference = fromSupplier ? text(movement.source_area_reference).slice(0, 8) : '';
        item.receipt_date = businessDate(day);
        item.additional_reference = fromSupplier ? text(movement.second_reference) : '';
        if (type === SERIAL) {
          item.identification_no = `SN${++serialNo}`;
          item.sell_by_date = null;
          item.use_by_date = null;
        } else {
          item.identification_no = `${code}-${businessDate(day).slice(2, 10).replaceAll('-', '')}-${String(++batchNo).padStart(2, '0')}`;
          // A batch keeps for one to two years from receipt, and is sold no later than a month before.
          const useBy = day + rng.int(365, 730);
          item.use_by_date = businessDate(useBy);
          item.sell_by_date = businessDate(useBy - 30);
        }
        own.push(item);
        traceable_items.push(item);
      }
      itemsByMovement.set(Number(movement.id), own);
    }
  }

  const binOf = new Map<string, SageRecord>();
  const holdingOf = new Map<number, SageRecord>();
  for (const holding of collections.warehouse_holdings ?? []) holdingOf.set(Number(holding.id), holding);
  for (const bin of collections.bin_holdings ?? []) {
    const holding = holdingOf.get(Number(bin.warehouse_holding_id));
    if (holding)
      binOf.set(`${String(bin.product_id)}|${text(holding.warehouse_name)}|${text(bin.name)}`, bin);
  }
  const traceable_bin_items: SageRecord[] = [];
  for (const product of chosen) {
    const { moves } = replayTraceableStock(
      movementsOf.get(Number(product.id)) ?? [],
      (id) => itemsByMovement.get(id) ?? [],
    );
    const seen = new Set<string>();
    for (const move of moves) {
      const key = traceableBinKey(move.itemId, move.warehouseName, move.binName);
      if (seen.has(key)) continue;
      seen.add(key);
      const bin = binOf.get(`${String(product.id)}|${move.warehouseName}|${move.binName}`);
      if (!bin) throw new Error(`traceable items: no bin ${move.binName} of ${move.warehouseName}`);
      const day = dayOf(text(move.movement.transaction_date).slice(0, 10));
      const record = blankRecord('traceable_bin_items', instant(dayStartMs(day) + 9 * 3600_000));
      record.id = nextId();
      record.traceable_item_id = move.itemId;
      record.product_id = Number(product.id);
      record.warehouse_holding_id = Number(bin.warehouse_holding_id);
      record.bin_item_id = Number(bin.id);
      traceable_bin_items.push(record);
    }
  }
  return { traceable_items, traceable_bin_items };
}
