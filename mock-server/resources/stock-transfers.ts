/**
 * Stock transfers (stock.json): `POST /stock_transfers` moves a quantity of a product from one bin holding to
 * another, and `POST /stock_transfer_traceable_items` answers the batch and serial numbers a bin could give. A
 * transfer is a TransferOut movement from the source bin and a TransferIn movement into the destination under one
 * reference, as the seed writes them (mock-server/seed/stock-movements.ts); the bins and warehouse holdings move with
 * it, and a traceable product's items go as the replay of its movements carries them
 * (mock-server/world/traceable-stock.ts): the source bin's oldest first.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, CompanyStore } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import { traceableBalances, type ViewSources } from '../views/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { replayTraceableStock } from '../world/traceable-stock.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { put } from './writable.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;
const money = (value: number): number => Math.round(value * 100) / 100 + 0;
/** Sage's `user_name` on stock movements and its references hold 20 characters. */
const FIELD_LENGTH = 20;
const SERIAL = 'EnumTraceableTypeSerial';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sourcesOf(company: CompanyStore): ViewSources {
  return {
    all: (collection) => company.table(collection).all(),
    get: (collection, id) => company.table(collection).get(id),
    lookup: (collection, field, value) => {
      const table = company.table(collection);
      return table.lookup(field, value) ?? table.all().filter((r) => r[field] === value);
    },
  };
}

/** The product a body names, or a 400. */
function productOf(company: CompanyStore, body: Record<string, unknown>): SageRecord {
  const product = company.table('products').get(num(body.product_id));
  if (!product)
    throw badRequest(`No product was found with the Id '${String(body.product_id)}' given in product_id.`);
  return product;
}

/** A bin holding of the product, with its warehouse holding, or a 400 naming the field. */
function binOf(company: CompanyStore, product: SageRecord, body: Record<string, unknown>, field: string) {
  const bin = company.table('bin_holdings').get(num(body[field]));
  const holding = bin && company.table('warehouse_holdings').get(num(bin.warehouse_holding_id));
  if (!bin || !holding || bin.product_id !== product.id) {
    throw badRequest(
      `No bin holding of the product '${text(product.code)}' was found with the Id '${String(body[field])}' given in ${field}.`,
    );
  }
  return { bin, holding };
}

/** Which of the product's items a movement of `quantity` out of the bin takes, oldest first, by replaying its movements. */
function itemsTaken(
  company: CompanyStore,
  product: SageRecord,
  at: { warehouseName: string; binName: string },
  quantity: number,
): { itemId: number; quantity: number }[] {
  const items = company.table('traceable_items').lookup('product_id', num(product.id)) ?? [];
  if (items.length === 0) return [];
  const byMovement = new Map<number, SageRecord[]>();
  for (const item of items) {
    const id = num(item.product_transaction_view_id);
    byMovement.set(id, [...(byMovement.get(id) ?? []), item]);
  }
  const movements = sourcesOf(company).lookup('product_transaction_views', 'product_id', num(product.id));
  const probe: SageRecord = {
    id: Number.MAX_SAFE_INTEGER,
    transaction_type: 'AdjustmentOut',
    warehouse_name: at.warehouseName,
    bin_name: at.binName,
    quantity: -quantity,
    reference: '',
  };
  const { moves } = replayTraceableStock([...movements, probe], (id) => byMovement.get(id) ?? []);
  // A bin may hold one batch in several lots (it came in more than once): one row per item, in the order first taken.
  const taken = new Map<number, number>();
  for (const move of moves) {
    if (move.movement === probe) taken.set(move.itemId, qty((taken.get(move.itemId) ?? 0) - move.quantity));
  }
  return [...taken].map(([itemId, quantity]) => ({ itemId, quantity }));
}

/** The items the body names, as item id and quantity: a batch's `quantity`, a selected serial number's 1. */
function namedItems(company: CompanyStore, body: Record<string, unknown>): Map<number, number> {
  const named = new Map<number, number>();
  const items = Array.isArray(body.traceable_adjustment_items) ? body.traceable_adjustment_items : [];
  items.forEach((raw, i) => {
    const entry = isObject(raw) ? raw : {};
    const item = company.table('traceable_items').get(num(entry.traceable_item_id));
    const serial = item?.traceable_type === SERIAL;
    const quantity = serial ? (entry.is_selected === false ? 0 : 1) : qty(num(entry.quantity));
    if (quantity < 0) throw badRequest(`The traceable_adjustment_items[${i}].quantity cannot be negative.`);
    if (quantity === 0) return;
    const id = num(entry.traceable_item_id);
    named.set(id, qty((named.get(id) ?? 0) + quantity));
  });
  return named;
}

/** Checks the batch or serial numbers the body names against those the bin gives first; a 400 on any other. */
function checkTraceable(
  company: CompanyStore,
  product: SageRecord,
  taken: readonly { itemId: number; quantity: number }[],
  body: Record<string, unknown>,
  from: { warehouseName: string; binName: string; all: readonly { itemId: number; quantity: number }[] },
): void {
  const named = namedItems(company, body);
  if (named.size === 0) return;
  if ((company.table('traceable_items').lookup('product_id', num(product.id)) ?? []).length === 0) {
    throw badRequest(
      `The product '${text(product.code)}' is not batch or serial numbered, so traceable_adjustment_items must be empty.`,
    );
  }
  const inBin = new Map(from.all.map((lot) => [lot.itemId, lot.quantity]));
  for (const [id, quantity] of named) {
    const item = company.table('traceable_items').get(id);
    const name = item && item.product_id === product.id ? `'${text(item.identification_no)}'` : `Id '${id}'`;
    if (!item || item.product_id !== product.id || !inBin.has(id)) {
      throw badRequest(
        `The batch or serial number ${name} given in traceable_adjustment_items is not in the bin '${from.binName}' of the warehouse '${from.warehouseName}'.`,
      );
    }
    if (quantity > (inBin.get(id) ?? 0)) {
      throw badRequest(
        `The bin '${from.binName}' holds only ${inBin.get(id)} of the batch ${name}, less than the ${quantity} given in traceable_adjustment_items.`,
      );
    }
  }
  const first = new Map(taken.map((lot) => [lot.itemId, lot.quantity]));
  const same = named.size === first.size && [...named].every(([id, quantity]) => first.get(id) === quantity);
  if (!same) {
    const oldest = taken
      .map(
        (lot) =>
          `${text(company.table('traceable_items').get(lot.itemId)?.identification_no)} x ${lot.quantity}`,
      )
      .join(', ');
    throw badRequest(
      `A transfer takes the bin's oldest batch and serial numbers first: ${oldest}; the traceable_adjustment_items name others.`,
    );
  }
}

/** A bin's or holding's stock figures once `change` has gone in (or out, negative); allocations stay. */
function moved(record: SageRecord, change: number, now: string): SageRecord {
  const inStock = qty(num(record.quantity_in_stock) + change);
  const allocated = num(record.quantity_allocated);
  return {
    ...record,
    quantity_in_stock: inStock,
    confirmed_qty_in_stock: qty(inStock - num(record.unconfirmed_qty_in_stock)),
    quantity_in_stock_less_reserved: qty(inStock - num(record.quantity_reserved)),
    free_stock_available: qty(inStock - allocated),
    free_stock_available_less_reserved: qty(inStock - num(record.quantity_reserved) - allocated),
    date_time_updated: now,
  };
}

/** The next transfer reference after the company's highest (`TRN000042`). */
function nextReference(company: CompanyStore): string {
  const highest = company
    .table('product_transaction_views')
    .all()
    .filter((m) => m.transaction_type === 'TransferOut')
    .reduce((max, m) => Math.max(max, Number(/^TRN(\d+)$/.exec(text(m.reference))?.[1] ?? 0)), 0);
  return `TRN${String(highest + 1).padStart(6, '0')}`;
}

/** One traceable item's row in an answer: the item, where it is and how much of it. */
function itemRow(
  item: SageRecord | undefined,
  balance: SageRecord | undefined,
  bin: SageRecord,
  figures: { quantity: number; available: number },
): Record<string, JsonValue> {
  const serial = item?.traceable_type === SERIAL;
  const allocated = num(balance?.allocated_quantity);
  return {
    traceable_item_id: item?.id ?? null,
    traceable_bin_item_id: balance?.traceable_bin_item_id ?? null,
    quantity: figures.quantity,
    is_selected: serial && figures.quantity > 0,
    identification_no: text(item?.identification_no),
    is_selectable: true,
    supplier_reference: serial ? text(item?.supplier_reference) : '',
    receipt_date: serial ? (item?.receipt_date ?? null) : null,
    additional_reference: text(item?.additional_reference),
    sell_by_date: item?.sell_by_date ?? null,
    use_by_date: item?.use_by_date ?? null,
    bin_item_id: bin.id ?? null,
    bin_name: text(bin.name),
    allocated_quantity: allocated,
    is_allocated: serial && allocated > 0,
    original_quantity: figures.available,
    available_quantity: figures.available,
  };
}

/** The movement pair of a transfer, out of one bin and into the other. */
function movementPair(
  product: SageRecord,
  ends: { from: SageRecord; to: SageRecord; fromHolding: SageRecord; toHolding: SageRecord },
  detail: {
    quantity: number;
    day: string;
    now: string;
    reference: string;
    secondReference: string;
    user: string;
  },
  reserveId: () => number,
  company: CompanyStore,
): SageRecord[] {
  const group = company.table('product_groups').get(num(product.product_group_id));
  const cost = num(product.standard_cost);
  const memo = `Transfer from ${text(ends.fromHolding.warehouse_name)} to ${text(ends.toHolding.warehouse_name)}`;
  return (['TransferOut', 'TransferIn'] as const).map((type) => {
    const out = type === 'TransferOut';
    const signed = out ? -detail.quantity : detail.quantity;
    const movement = blankRecord('product_transaction_views', detail.now);
    movement.id = reserveId();
    movement.product_id = product.id ?? null;
    movement.product_group_id = product.product_group_id ?? null;
    movement.product_code = text(product.code);
    movement.product_group_code = text(group?.code);
    // `/product_transaction_group_types`: goods out 1, goods in 2; `/product_transaction_types`: 5 out, 4 in.
    movement.transaction_group_id = out ? 1 : 2;
    movement.transaction_type_id = out ? 5 : 4;
    movement.transaction_type = type;
    movement.transaction_date = detail.day;
    movement.source_area_type_id = 2;
    movement.reference = detail.reference;
    movement.second_reference = detail.secondReference;
    movement.warehouse_name = text((out ? ends.fromHolding : ends.toHolding).warehouse_name);
    movement.bin_name = text((out ? ends.from : ends.to).name);
    movement.quantity = signed;
    movement.unit_cost_price = cost;
    movement.cost_value = money(signed * cost);
    movement.memo = memo;
    movement.user_name = detail.user;
    return movement;
  });
}

function dayOf(now: Date, date: unknown): string {
  return typeof date === 'string' && date !== ''
    ? `${date.slice(0, 10)}T00:00:00`
    : `${now.toISOString().slice(0, 10)}T00:00:00`;
}

export function registerStockTransferRoutes({ api, deps, gate }: ApiRoutes): void {
  api.post(
    '/stock_transfers',
    gate(loadCatalog().pathModules('/stock_transfers')),
    rejectTrialWrites(),
    async (c) => {
      const body = await readJsonObject(c);
      writeValidator().checkBody('StockTransfer', body);
      // From here on nothing awaits until the commit, so no other write can slip in between the checks and it.
      const company = c.get('company');
      const product = productOf(company, body);
      const { bin: from, holding: fromHolding } = binOf(company, product, body, 'bin_holding_from_id');
      const { bin: to, holding: toHolding } = binOf(company, product, body, 'bin_holding_to_id');
      if (from.id === to.id) {
        throw badRequest(
          `The bin holding '${String(from.id)}' is both bin_holding_from_id and bin_holding_to_id: a transfer moves stock to another bin.`,
        );
      }
      const quantity = qty(num(body.quantity));
      if (quantity <= 0) throw badRequest('The quantity must be more than 0.');
      const free = num(from.free_stock_available);
      if (quantity > free) {
        throw badRequest(
          `Only ${free} of the product '${text(product.code)}' can be transferred from the bin '${text(from.name)}' of the warehouse '${text(fromHolding.warehouse_name)}'.`,
        );
      }
      const source = { warehouseName: text(fromHolding.warehouse_name), binName: text(from.name) };
      const taken = itemsTaken(company, product, source, quantity);
      const all = itemsTaken(company, product, source, num(from.quantity_in_stock));
      checkTraceable(company, product, taken, body, { ...source, all });

      const now = deps.clock.date();
      const stamp = now.toISOString();
      const reference = text(body.reference).slice(0, FIELD_LENGTH) || nextReference(company);
      const detail = {
        quantity,
        day: dayOf(now, body.date),
        now: stamp,
        reference,
        secondReference: text(body.second_reference).slice(0, FIELD_LENGTH),
        user: c.get('user').email.slice(0, FIELD_LENGTH),
      };
      const reserveId = () => company.reserveId();
      const movements = movementPair(
        product,
        { from, to, fromHolding, toHolding },
        detail,
        reserveId,
        company,
      );
      const changes: Change[] = movements.map((m) => put('product_transaction_views', m));
      changes.push(
        put('bin_holdings', moved(from, -quantity, stamp)),
        put('bin_holdings', moved(to, quantity, stamp)),
      );
      if (fromHolding.id !== toHolding.id) {
        changes.push(
          put('warehouse_holdings', moved(fromHolding, -quantity, stamp)),
          put('warehouse_holdings', moved(toHolding, quantity, stamp)),
        );
      }
      // An item reaching a bin it was never in gets its traceable bin item there.
      const binItems = company.table('traceable_bin_items');
      for (const lot of taken) {
        const there = (binItems.lookup('traceable_item_id', lot.itemId) ?? binItems.all()).some(
          (b) => b.traceable_item_id === lot.itemId && b.bin_item_id === to.id,
        );
        if (there) continue;
        const record = blankRecord('traceable_bin_items', stamp);
        record.id = reserveId();
        record.traceable_item_id = lot.itemId;
        record.product_id = product.id ?? null;
        record.warehouse_holding_id = toHolding.id ?? null;
        record.bin_item_id = to.id ?? null;
        changes.push(put('traceable_bin_items', record));
      }
      await deps.store().commit(company, changes);

      const balances = traceableBalances(sourcesOf(company));
      const answer = {
        product_id: product.id ?? null,
        bin_holding_from_id: from.id ?? null,
        bin_holding_to_id: to.id ?? null,
        quantity,
        date: detail.day,
        reference,
        second_reference: detail.secondReference,
        traceable_adjustment_items: taken.map((lot) => {
          const balance = balances.find((b) => b.traceable_item_id === lot.itemId && b.bin_item_id === to.id);
          return itemRow(company.table('traceable_items').get(lot.itemId), balance, to, {
            quantity: lot.quantity,
            available: num(balance?.quantity),
          });
        }),
      };
      return c.body(JSON.stringify(answer), 200, JSON_TYPE);
    },
  );

  // A question, not a write: trial sites may ask it.
  const question = '/stock_transfer_traceable_items';
  api.post(question, gate(loadCatalog().pathModules(question)), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('StockTransferTraceableItemsRequest', body);
    const company = c.get('company');
    const product = productOf(company, body);
    const { bin, holding } = binOf(company, product, body, 'bin_holding_from_id');
    const source = { warehouseName: text(holding.warehouse_name), binName: text(bin.name) };
    const balances = traceableBalances(sourcesOf(company));
    const answer = {
      product_id: product.id ?? null,
      bin_holding_from_id: bin.id ?? null,
      // Sage's answer is a transfer, whose destination and quantity are required: none is chosen yet.
      bin_holding_to_id: 0,
      quantity: 0,
      traceable_adjustment_items: itemsTaken(company, product, source, num(bin.quantity_in_stock)).map(
        (lot) => {
          const balance = balances.find(
            (b) => b.traceable_item_id === lot.itemId && b.bin_item_id === bin.id,
          );
          return itemRow(company.table('traceable_items').get(lot.itemId), balance, bin, {
            quantity: 0,
            available: lot.quantity,
          });
        },
      ),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
