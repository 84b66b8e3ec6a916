/**
 * Amending batch and serial numbers (stock.json `POST /traceable_items_amend`): the items the amend question
 * (`POST /traceable_items_amend_traceable_items`, traceable-amend.ts) lists are sent back with new numbers,
 * references or dates. An item is one record however many bins hold it, so the change shows in every traceable view
 * at once (mock-server/views/traceable-items.ts). Nothing moves: no stock movement, no bin or holding figure and no
 * nominal entry changes, and a numbered batch is not split (split_batch_items belong to assigning numbers, which
 * is Sage 200 Professional's `/traceable_items_assign`).
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { CompanyStore } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import { traceableBalances } from '../views/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { amendableRows, itemRow, productOf, sourcesOf } from './traceable-amend.ts';
import { put } from './writable.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const SERIAL = 'EnumTraceableTypeSerial';
/** The fields an amendment writes into the item, in the order Sage's schema lists them. */
const AMENDABLE = ['identification_no', 'additional_reference', 'sell_by_date', 'use_by_date'] as const;
type Amendable = (typeof AMENDABLE)[number];

/** A business date as stored: the validator has already held it to a date Json.NET binds. */
const dateOf = (value: unknown): JsonValue =>
  typeof value === 'string' ? `${value.slice(0, 10)}T00:00:00` : null;

const noun = (item: SageRecord): string => (item.traceable_type === SERIAL ? 'serial number' : 'batch');
const numberNoun = (item: SageRecord): string =>
  item.traceable_type === SERIAL ? 'serial number' : 'batch number';

/** Where an item is in stock, bin by bin. */
interface Held {
  warehouseName: string;
  binName: string;
  quantity: number;
}

function heldBy(company: CompanyStore): Map<number, Held[]> {
  const held = new Map<number, Held[]>();
  for (const row of traceableBalances(sourcesOf(company))) {
    const id = num(row.traceable_item_id);
    const holding = company.table('warehouse_holdings').get(num(row.warehouse_holding_id));
    held.set(id, [
      ...(held.get(id) ?? []),
      {
        warehouseName: text(holding?.warehouse_name),
        binName: text(row.bin_name),
        quantity: num(row.quantity),
      },
    ]);
  }
  return held;
}

/** Checks one row's `quantity` and bin against where the item is; a 400 when they disagree. */
function checkWhere(
  item: SageRecord,
  entry: Record<string, unknown>,
  held: readonly Held[],
  at: string,
): void {
  const named = typeof entry.warehouse_name === 'string' || typeof entry.bin_name === 'string';
  const bins = named
    ? held.filter(
        (h) =>
          (typeof entry.warehouse_name !== 'string' || h.warehouseName === entry.warehouse_name) &&
          (typeof entry.bin_name !== 'string' || h.binName === entry.bin_name),
      )
    : held;
  const bin = typeof entry.bin_name === 'string' ? `the bin '${entry.bin_name}'` : '';
  const warehouse = typeof entry.warehouse_name === 'string' ? `the warehouse '${entry.warehouse_name}'` : '';
  const where = bin && warehouse ? `${bin} of ${warehouse}` : bin || warehouse || 'stock';
  if (named && bins.length === 0) {
    throw badRequest(`The ${noun(item)} '${text(item.identification_no)}' is not in ${where}.`);
  }
  if (typeof entry.quantity !== 'number') return;
  const holds = qty(bins.reduce((total, h) => total + h.quantity, 0));
  if (qty(entry.quantity) !== holds) {
    throw badRequest(
      `The ${noun(item)} '${text(item.identification_no)}' holds ${holds} in ${where}, not the ${qty(entry.quantity)} given in ${at}.quantity: an amendment changes batch and serial numbers, not quantities.`,
    );
  }
}

/** The items the body amends, each with the fields it changes; a 400 for the first problem, in the rows' order. */
function amendmentsOf(
  company: CompanyStore,
  product: SageRecord,
  body: Record<string, unknown>,
): Map<number, { item: SageRecord; fields: Partial<Record<Amendable, JsonValue>> }> {
  const rows = Array.isArray(body.traceable_adjustment_items) ? body.traceable_adjustment_items : [];
  const held = rows.length > 0 ? heldBy(company) : new Map<number, Held[]>();
  const amended = new Map<number, { item: SageRecord; fields: Partial<Record<Amendable, JsonValue>> }>();
  rows.forEach((raw, index) => {
    const entry = isObject(raw) ? raw : {};
    const at = `traceable_adjustment_items[${index}]`;
    const id = entry.traceable_item_id;
    if (id === undefined || id === null) throw badRequest(`The ${at}.traceable_item_id field is required.`);
    const item = company.table('traceable_items').get(num(id));
    if (!item || item.product_id !== product.id) {
      throw badRequest(
        `No batch or serial number of the product '${text(product.code)}' was found with the Id '${String(id)}' given in ${at}.traceable_item_id.`,
      );
    }
    if (Object.hasOwn(entry, 'identification_no') && text(entry.identification_no).trim() === '') {
      throw badRequest(`The ${at}.identification_no field is required.`);
    }
    checkWhere(item, entry, held.get(num(item.id)) ?? [], at);
    if (Array.isArray(entry.split_batch_items) && entry.split_batch_items.length > 0) {
      throw badRequest(
        `The ${noun(item)} '${text(item.identification_no)}' has its number, and a numbered batch is not split: ${at}.split_batch_items must be empty.`,
      );
    }
    const own = amended.get(num(item.id)) ?? { item, fields: {} };
    for (const field of AMENDABLE) {
      if (!Object.hasOwn(entry, field)) continue;
      const value = field.endsWith('_date') ? dateOf(entry[field]) : text(entry[field]);
      const earlier = own.fields[field];
      if (earlier !== undefined && earlier !== value) {
        throw badRequest(
          `The ${noun(item)} '${text(item.identification_no)}' is given two different values of ${field} in traceable_adjustment_items.`,
        );
      }
      own.fields[field] = value;
    }
    amended.set(num(item.id), own);
  });
  return amended;
}

/** The items as amended; a 400 when a number is taken or a batch would have to be sold after it is used. */
function amendedItems(
  company: CompanyStore,
  product: SageRecord,
  amendments: ReturnType<typeof amendmentsOf>,
  now: string,
): SageRecord[] {
  const changed: SageRecord[] = [];
  for (const { item, fields } of amendments.values()) {
    const next: SageRecord = { ...item, ...fields };
    const sellBy = text(next.sell_by_date);
    const useBy = text(next.use_by_date);
    if (sellBy !== '' && useBy !== '' && sellBy > useBy) {
      throw badRequest(
        `The sell_by_date ${sellBy.slice(0, 10)} of the ${noun(item)} '${text(next.identification_no)}' is after its use_by_date ${useBy.slice(0, 10)}.`,
      );
    }
    if (AMENDABLE.some((field) => (next[field] ?? null) !== (item[field] ?? null))) {
      changed.push({ ...next, date_time_updated: now });
    }
  }
  // Numbers are unique within the product (Sage 200's "Allow duplicate numbers" is a Professional-only setting).
  const final = new Map<number, SageRecord>();
  for (const item of company.table('traceable_items').lookup('product_id', num(product.id)) ?? []) {
    final.set(num(item.id), item);
  }
  for (const item of changed) final.set(num(item.id), item);
  const owner = new Map<string, SageRecord>();
  for (const item of [...final.values()].sort((a, b) => num(a.id) - num(b.id))) {
    const key = text(item.identification_no).toUpperCase();
    if (key === '') continue;
    const first = owner.get(key);
    if (first && changed.some((c) => c.id === item.id || c.id === first.id)) {
      const [kept, renamed] = changed.some((c) => c.id === item.id) ? [first, item] : [item, first];
      throw badRequest(
        `The ${numberNoun(renamed)} '${text(renamed.identification_no)}' is already used by another ${noun(kept)} of the product '${text(product.code)}'.`,
      );
    }
    owner.set(key, item);
  }
  return changed;
}

export function registerTraceableItemsAmendRoutes({ api, deps, gate }: ApiRoutes): void {
  const path = '/traceable_items_amend';
  api.post(path, gate(loadCatalog().pathModules(path)), rejectTrialWrites(), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('TraceableAdjustment', body);
    // From here on nothing awaits until the commit, so no other write can slip in between the checks and it.
    const company = c.get('company');
    const product = productOf(company, body);
    const amendments = amendmentsOf(company, product, body);
    const changed = amendedItems(company, product, amendments, deps.clock.date().toISOString());
    if (changed.length > 0) {
      await deps.store().commit(
        company,
        changed.map((item) => put('traceable_items', item)),
      );
    }
    const named = new Set(amendments.keys());
    const rows = amendableRows(company, product, named);
    // An item with nothing left in stock is listed once, without a bin.
    const listed = new Set(rows.map((row) => row.traceable_item_id));
    for (const id of named) {
      const item = company.table('traceable_items').get(id);
      if (item && !listed.has(id)) {
        rows.push(itemRow(company, item, { warehouseName: null, binName: null, quantity: 0, allocated: 0 }));
      }
    }
    const answer = {
      product_id: num(product.id),
      issue_status: text(body.issue_status) || 'EnumTraceableIssueStatusNotIssued',
      traceable_adjustment_items: rows,
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
