/**
 * Batch and serial numbers for a stocktake's gains: a counted bin of a batch- or serial-numbered product that holds
 * more than its stock receives the surplus as new items, as the seed numbers every movement into stock, stocktake
 * gains included (mock-server/seed/traceable-items.ts): one batch for the whole gain, or a serial number per unit.
 * The replay of the product's movements then puts them in the bin (mock-server/world/traceable-stock.ts), so the
 * traceable balances keep summing to the holding. A loss takes the bin's oldest items, as every movement out does.
 */
import type { Change } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { put, type WriteContext } from './writable.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const SERIAL = 'EnumTraceableTypeSerial';
const BATCH = 'EnumTraceableTypeBatch';

/** The next serial number of the company, after the highest `SN` number any product has. */
function nextSerial(items: readonly SageRecord[]): () => string {
  let highest = items.reduce(
    (max, item) => Math.max(max, Number(/^SN(\d+)$/.exec(text(item.identification_no))?.[1] ?? 0)),
    0,
  );
  return () => `SN${++highest}`;
}

/**
 * The traceable items a stocktake's gain movement receives in `bin`, with their bin record; none when the product
 * is not traceable. Batches are numbered as the seed numbers them: the product code, the day, a sequence.
 */
export function stocktakeGainItems(
  ctx: WriteContext,
  movement: SageRecord,
  holding: SageRecord,
  bin: SageRecord,
): Change[] {
  const all = ctx.company.table('traceable_items');
  const own = all.lookup('product_id', num(holding.product_id)) ?? [];
  if (own.length === 0 || num(movement.quantity) <= 0) return [];
  const type = own.some((item) => item.traceable_type === SERIAL) ? SERIAL : BATCH;
  const product = ctx.company.table('products').get(num(holding.product_id));
  const prefix = `${text(product?.code)
    .replace(/[^A-Z0-9]/gi, '')
    .slice(0, 8)
    .toUpperCase()}-${ctx.today.slice(2, 10).replaceAll('-', '')}-`;
  let batchNo = own.reduce(
    (max, item) =>
      text(item.identification_no).startsWith(prefix)
        ? Math.max(max, Number(text(item.identification_no).slice(prefix.length)) || 0)
        : max,
    0,
  );
  const serial = nextSerial(all.all());
  const units = type === SERIAL ? Math.ceil(num(movement.quantity)) : 1;
  const changes: Change[] = [];
  for (let unit = 0; unit < units; unit++) {
    const item = blankRecord('traceable_items', ctx.now);
    item.id = ctx.company.reserveId();
    item.product_id = holding.product_id ?? null;
    item.traceable_type = type;
    item.product_transaction_view_id = movement.id ?? null;
    item.supplier_reference = '';
    item.receipt_date = ctx.today;
    item.additional_reference = '';
    item.identification_no = type === SERIAL ? serial() : `${prefix}${String(++batchNo).padStart(2, '0')}`;
    item.sell_by_date = null;
    item.use_by_date = null;
    const inBin = blankRecord('traceable_bin_items', ctx.now);
    inBin.id = ctx.company.reserveId();
    inBin.traceable_item_id = item.id;
    inBin.product_id = holding.product_id ?? null;
    inBin.warehouse_holding_id = holding.id ?? null;
    inBin.bin_item_id = bin.id ?? null;
    changes.push(put('traceable_items', item), put('traceable_bin_items', inBin));
  }
  return changes;
}
