/**
 * Writes to stocktakes and their count sheet items (Sage's stock.json). A stocktake of one warehouse starts at
 * Selecting Items, its `stocktake_items` choosing the bins to count; `advance_status` (or `POST
 * /stocktake_enter_values`, stocktake-steps.ts) moves it to Entering Counts, where each count sheet item takes its
 * count; approving and completing it posts the differences (stocktake-completion.ts). A completed stocktake is
 * not changed or deleted. See docs/writes.md ("Stocktakes").
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import {
  BY_BIN,
  binsOfEntry,
  type CountedBin,
  countSheetItem,
  entriesOf,
  itemsOf,
  qty,
  STATUS,
} from './stocktake-items.ts';
import { put, requireReference, type WritableResource, type WriteContext } from './writable.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);

/** A 400 when `stocktake` is complete: nothing about it changes any more. */
export function requireOpen(stocktake: SageRecord | undefined): void {
  if (stocktake?.stocktake_status === STATUS.complete) {
    throw badRequest(
      `The stocktake '${String(stocktake.stocktake_name)}' is complete and cannot be changed.`,
    );
  }
}

/** What a request's `stocktake_items` change: the bins to add to the stocktake, and its items to take off. */
interface Selection {
  add: CountedBin[];
  remove: SageRecord[];
}

/**
 * The selection the request's `stocktake_items` make, checked whole: each entry's bins added when it is selected
 * (a bin on another open stocktake of the warehouse is refused), taken off when sent with `is_selected` false.
 */
function selectionOf(ctx: WriteContext, stocktake: SageRecord, body: Record<string, unknown>): Selection {
  const entries = entriesOf(body.stocktake_items);
  const onIt = new Map(
    (stocktake.id ? itemsOf(ctx, num(stocktake.id)) : []).map((item) => [num(item.bin_item_id), item]),
  );
  if (entries.length === 0) return { add: [], remove: [] };
  if (stocktake.stocktake_status !== STATUS.selecting) {
    throw badRequest(
      'The stocktake_items of a stocktake can be changed only while it is at Selecting Items.',
    );
  }
  const elsewhere = new Map<number, string>();
  for (const other of ctx.company.table('stocktakes').lookup('warehouse_id', num(stocktake.warehouse_id)) ??
    []) {
    if (other.id === stocktake.id || other.stocktake_status === STATUS.complete) continue;
    for (const item of itemsOf(ctx, num(other.id)))
      elsewhere.set(num(item.bin_item_id), String(other.stocktake_name));
  }
  const add = new Map<number, CountedBin>();
  const remove = new Map<number, SageRecord>();
  entries.forEach((entry, at) => {
    for (const counted of binsOfEntry(ctx, stocktake, entry, at)) {
      const binId = num(counted.bin.id);
      const current = onIt.get(binId);
      if (entry.is_selected === false) {
        add.delete(binId);
        if (current) remove.set(binId, current);
        continue;
      }
      remove.delete(binId);
      if (current) continue;
      const other = elsewhere.get(binId);
      if (other !== undefined) {
        throw badRequest(
          `stocktake_items[${at}]: the bin '${String(counted.bin.name)}' of '${String(counted.product?.code)}' is on the stocktake '${other}' already.`,
        );
      }
      add.set(binId, counted);
    }
  });
  return { add: [...add.values()], remove: [...remove.values()] };
}

const stocktakes: WritableResource = {
  definition: loadCatalog().resource('stocktakes'),
  create: true,
  update: true,
  remove: true,
  ignored: [
    'stocktake_items',
    'failed_stocktake_items',
    'warehouse_name',
    'stocktake_status',
    'can_modify_stocktake_type',
  ],
  start(ctx) {
    const record = withDefaults(blankRecord('stocktakes', ctx.now), ctx.schema('Stocktake'));
    record.stocktake_status = STATUS.selecting;
    record.stocktake_type = 'EnumStocktakeTypeByStockItem';
    record.stocktake_date = ctx.today;
    return record;
  },
  prepare(record, previous, ctx, body) {
    requireOpen(previous);
    if (previous && record.warehouse_id !== previous.warehouse_id) {
      throw badRequest('The warehouse_id of a stocktake cannot be changed.');
    }
    const warehouse = requireReference(ctx, record, 'warehouse_id', 'warehouses', 'warehouse');
    if (!warehouse) throw badRequest('The warehouse_id field is required.');
    record.warehouse_name = warehouse.name ?? '';
    if (typeof record.stocktake_name !== 'string' || record.stocktake_name.trim() === '') {
      record.stocktake_name = `${String(warehouse.name)} stocktake ${ctx.today.slice(0, 10)}`;
    }
    if (
      previous &&
      record.stocktake_type !== previous.stocktake_type &&
      previous.stocktake_status !== STATUS.selecting
    ) {
      throw badRequest(
        'The stocktake_type of a stocktake can be changed only while it is at Selecting Items.',
      );
    }
    requireReference(ctx, record, 'stock_variance_nominal_code_id', 'nominal_codes', 'nominal code');
    const selection = selectionOf(ctx, record, body);
    if (record.advance_status === true) {
      if (record.stocktake_status !== STATUS.selecting) {
        throw badRequest('Only a stocktake at Selecting Items can advance to Entering Counts.');
      }
      const kept = (previous ? itemsOf(ctx, num(record.id)).length : 0) - selection.remove.length;
      if (kept + selection.add.length === 0) {
        throw badRequest('A stocktake with no items cannot advance to Entering Counts.');
      }
      record.stocktake_status = STATUS.counting;
    }
    record.advance_status = false;
    record.stocktake_items = [];
    record.can_modify_stocktake_type = record.stocktake_status === STATUS.selecting;
    record.stocktake_type = record.stocktake_type === BY_BIN ? BY_BIN : 'EnumStocktakeTypeByStockItem';
    return () => {
      stampRecord(record, previous, ctx.schema('Stocktake'), ctx.now, () => ctx.company.reserveId());
      const id = num(record.id);
      const changes: Change[] = [put('stocktakes', record)];
      for (const item of selection.remove) {
        changes.push({ kind: 'delete', table: 'stocktake_count_sheet_items', id: num(item.id) });
      }
      for (const counted of selection.add)
        changes.push(put('stocktake_count_sheet_items', countSheetItem(ctx, id, counted)));
      return { record, changes };
    };
  },
  prepareDelete(record, ctx) {
    if (record.stocktake_status === STATUS.complete) {
      throw badRequest(`The stocktake '${String(record.stocktake_name)}' is complete and cannot be deleted.`);
    }
    return itemsOf(ctx, num(record.id)).map(
      (item): Change => ({ kind: 'delete', table: 'stocktake_count_sheet_items', id: num(item.id) }),
    );
  },
};

const countSheetItems: WritableResource = {
  definition: loadCatalog().resource('stocktake_count_sheet_items'),
  create: false,
  update: true,
  remove: false,
  start(ctx) {
    return blankRecord('stocktake_count_sheet_items', ctx.now);
  },
  prepare(record, previous, ctx, body) {
    const stocktake = ctx.company.table('stocktakes').get(num(record.stocktake_id));
    requireOpen(stocktake);
    if (stocktake?.stocktake_status !== STATUS.counting) {
      throw badRequest(
        'Counts can be entered only once the stocktake is at Entering Counts (POST /stocktake_enter_values).',
      );
    }
    if (Object.hasOwn(body, 'actual_quantity_in_stock')) {
      const counted = num(record.actual_quantity_in_stock);
      if (counted < 0) throw badRequest('The actual_quantity_in_stock cannot be negative.');
      record.actual_quantity_in_stock = qty(counted);
      if (body.actual_quantity_entered !== false) record.actual_quantity_entered = true;
    }
    if (record.actual_quantity_entered !== true) record.actual_quantity_in_stock = 0;
    const recorded = num(record.recorded_quantity_in_stock);
    const differs = record.actual_quantity_entered === true && record.actual_quantity_in_stock !== recorded;
    record.discrepancy_status = differs ? 'EnumDiscrepancyStatusFound' : 'EnumDiscrepancyStatusNoDiscrepancy';
    return () => {
      stampRecord(record, previous, ctx.schema('StocktakeCountSheetItem'), ctx.now, () =>
        ctx.company.reserveId(),
      );
      return { record, changes: [put('stocktake_count_sheet_items', record)] };
    };
  },
};

export const stocktakeResources: readonly WritableResource[] = [stocktakes, countSheetItems];
