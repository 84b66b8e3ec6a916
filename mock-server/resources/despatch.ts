/**
 * Confirming a despatch (sop.json): `POST /sop_confirm_despatch` sends goods lines of one live sales order, and
 * `POST /sop_confirm_despatch_bin_items` answers the bins a line's goods would come from. A despatch is checked
 * whole before anything is stored, then committed as one change set: the lines' despatched quantities and released
 * allocations, the order's despatch status, one despatch receipt with its despatch lines, a goods-out movement per
 * bin, and the bins, warehouse holdings and products those movements and allocations move (as
 * mock-server/seed/stock-holdings.ts derives them).
 */
import type { Context } from 'hono';
import { badRequest } from '../errors.ts';
import type { ApiEnv } from '../gateway/index.ts';
import type { Change, CompanyStore } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import {
  binItems,
  binsOf,
  despatchableQuantity,
  despatchItem,
  outstandingQuantity,
  type ViewSources,
} from '../views/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { DOCUMENT_PROCESS, LINE_STATUS, progressStatus } from '../world/order-status.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { productTotals } from './stock-levels.ts';
import { put } from './writable.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;
const money = (value: number): number => Math.round(value * 100) / 100 + 0;
const MODULES = ['sales', 'sales_orders'] as const;
/** Sage's `user_name` on stock movements holds 20 characters. */
const USER_NAME_LENGTH = 20;

/** The company's records as the derived despatch rows read them. */
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

/** One item of a confirmation, checked: the line, how much goes, and from which bins. */
interface Despatch {
  line: SageRecord;
  quantity: number;
  /** The allocation it releases: what of the quantity was allocated to the line. */
  released: number;
  bins: { bin: SageRecord; quantity: number }[];
  holding: SageRecord | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The item's bins: those it names (each the holding's, adding up to its quantity) or the holding's by priority. */
function binsFor(
  item: Record<string, unknown>,
  path: string,
  line: SageRecord,
  quantity: number,
  own: readonly SageRecord[],
): { bin: SageRecord; quantity: number }[] {
  const named = Array.isArray(item.bin_items) ? item.bin_items.filter(isObject) : [];
  if (named.length === 0) {
    return binItems(own, quantity)
      .map((b, i) => ({ bin: own[i]!, quantity: num(b.quantity as JsonValue) }))
      .filter((b) => b.quantity > 0);
  }
  const taken = named.map((b, i) => {
    const bin = own.find((o) => o.id === b.id);
    if (!bin) {
      throw badRequest(
        `No bin of the warehouse holding of sales order line '${String(line.id)}' has the Id '${String(b.id)}' given in ${path}.bin_items[${i}].id.`,
      );
    }
    const share = num(b.quantity as JsonValue);
    if (share < 0) throw badRequest(`The ${path}.bin_items[${i}].quantity cannot be negative.`);
    if (share > num(bin.quantity_in_stock)) {
      throw badRequest(
        `The bin '${String(bin.name)}' holds only ${num(bin.quantity_in_stock)}, less than the ${share} given in ${path}.bin_items[${i}].quantity.`,
      );
    }
    return { bin, quantity: share };
  });
  const total = qty(taken.reduce((sum, b) => sum + b.quantity, 0));
  if (total !== quantity) {
    throw badRequest(
      `The ${path}.bin_items quantities add up to ${total}, not the item's quantity ${quantity}.`,
    );
  }
  return taken.filter((b) => b.quantity > 0);
}

/** Checks every item of the body against the order and stock; the first problem is the 400. */
function checkItems(company: CompanyStore, order: SageRecord, items: readonly unknown[]): Despatch[] {
  const sources = sourcesOf(company);
  const seen = new Set<number>();
  /** Free stock the items before took, by warehouse holding. */
  const used = new Map<JsonValue | undefined, number>();
  return items.map((raw, i) => {
    const path = `items[${i}]`;
    const item = isObject(raw) ? raw : {};
    const id = num(item.id as JsonValue);
    const line = company.table('sop_order_lines').get(id);
    if (!line || line.sop_order_id !== order.id) {
      throw badRequest(
        `The sales order '${String(order.document_no)}' has no line with the Id '${String(item.id)}' given in ${path}.id.`,
      );
    }
    if (line.line_type !== 'EnumLineTypeStandard') {
      throw badRequest(`The sales order line '${id}' given in ${path}.id is not a goods line.`);
    }
    if (seen.has(id)) throw badRequest(`The sales order line '${id}' is named twice in items.`);
    seen.add(id);
    const quantity = qty(num(item.quantity as JsonValue));
    if (quantity <= 0) throw badRequest(`The ${path}.quantity must be more than 0.`);
    const outstanding = outstandingQuantity(line);
    if (quantity > outstanding) {
      throw badRequest(
        `The ${path}.quantity ${quantity} is more than the ${outstanding} outstanding on sales order line '${id}'.`,
      );
    }
    const released = Math.min(quantity, num(line.stock_unit_allocated_quantity));
    const holding = sources
      .lookup('warehouse_holdings', 'product_id', num(line.product_id))
      .find((h) => h.warehouse_id === line.warehouse_id);
    // What the line had allocated is in stock already; more must come from the holding's free stock.
    const more = qty(quantity - released);
    const free = qty(num(holding?.free_stock_available) - (used.get(holding?.id) ?? 0));
    if (holding && more > free) {
      throw badRequest(
        `Only ${qty(released + Math.max(0, free))} of the product '${String(line.code)}' can be despatched from the warehouse '${String(holding.warehouse_name)}'.`,
      );
    }
    if (holding) used.set(holding.id, qty((used.get(holding.id) ?? 0) + more));
    const own = binsOf(sources, line);
    return { line, quantity, released, bins: binsFor(item, path, line, quantity, own), holding };
  });
}

/** A holding's or bin's stock figures once its stock and sales order allocation are known. */
function restock(record: SageRecord, inStock: number, allocatedSop: number): SageRecord {
  const allocated = qty(
    allocatedSop + num(record.quantity_allocated_stock) + num(record.quantity_allocated_bom),
  );
  return {
    ...record,
    quantity_in_stock: inStock,
    confirmed_qty_in_stock: qty(inStock - num(record.unconfirmed_qty_in_stock)),
    quantity_in_stock_less_reserved: qty(inStock - num(record.quantity_reserved)),
    quantity_allocated_sop: allocatedSop,
    quantity_allocated: allocated,
    free_stock_available: qty(inStock - allocated),
    free_stock_available_less_reserved: qty(inStock - num(record.quantity_reserved) - allocated),
  };
}

interface Moment {
  now: string;
  day: string;
  user: string;
  reserveId: () => number;
}

/** The stock changes of the despatches: bins, holdings and products, and a goods-out movement per bin. */
function stockChanges(
  company: CompanyStore,
  order: SageRecord,
  receipt: SageRecord,
  despatches: readonly Despatch[],
  at: Moment,
): Change[] {
  const changes: Change[] = [];
  const customer = company.table('customers').get(num(order.customer_id));
  const bins = new Map<number, SageRecord>();
  const holdings = new Map<number, SageRecord>();
  for (const { line, quantity, released, bins: taken, holding } of despatches) {
    if (!holding) continue;
    const product = company.table('products').get(num(line.product_id));
    const group = product && company.table('product_groups').get(num(product.product_group_id));
    const current = holdings.get(num(holding.id)) ?? holding;
    holdings.set(
      num(holding.id),
      restock(
        current,
        qty(num(current.quantity_in_stock) - quantity),
        qty(num(current.quantity_allocated_sop) - released),
      ),
    );
    // Allocations are held against the bin with the highest priority (stock-levels.ts).
    const first = binsOf(sourcesOf(company), line)[0];
    const touched = new Set([...taken.map((t) => t.bin), ...(first ? [first] : [])]);
    for (const bin of touched) {
      const was = bins.get(num(bin.id)) ?? bin;
      const out = taken.filter((t) => t.bin === bin).reduce((sum, t) => sum + t.quantity, 0);
      const freed = bin === first ? released : 0;
      bins.set(
        num(bin.id),
        restock(
          was,
          qty(num(was.quantity_in_stock) - out),
          Math.max(0, qty(num(was.quantity_allocated_sop) - freed)),
        ),
      );
    }
    const unitIssue = num(line.discounted_unit_price) || num(line.selling_unit_price);
    const cost = num(line.cost_price) || num(product?.standard_cost);
    for (const { bin, quantity: out } of taken) {
      const movement = blankRecord('product_transaction_views', at.now);
      movement.id = at.reserveId();
      movement.product_id = line.product_id ?? null;
      movement.product_group_id = product?.product_group_id ?? null;
      movement.product_code = text(line.code);
      movement.product_group_code = text(group?.code);
      movement.transaction_group_id = 1;
      movement.transaction_type_id = 1;
      movement.transaction_type = 'GoodsOut';
      movement.transaction_date = at.day;
      movement.source_area_type_id = 1;
      movement.source_area_reference = text(customer?.reference);
      movement.source_area_name = text(customer?.name).slice(0, 20);
      movement.reference = text(order.document_no).slice(0, 20);
      movement.second_reference = text(receipt.despatch_no).slice(0, 20);
      movement.warehouse_name = text(holding.warehouse_name);
      movement.bin_name = text(bin.name);
      movement.quantity = -out;
      movement.unit_cost_price = cost;
      movement.unit_issue_price = unitIssue;
      movement.cost_value = money(-out * cost);
      movement.issue_value = money(-out * unitIssue);
      movement.user_name = at.user;
      changes.push(put('product_transaction_views', movement));
    }
  }
  for (const bin of bins.values()) changes.push(put('bin_holdings', { ...bin, date_time_updated: at.now }));
  for (const holding of holdings.values())
    changes.push(put('warehouse_holdings', { ...holding, date_time_updated: at.now }));
  changes.push(...productTotals(company, holdings, at.now));
  return changes;
}

/** The lines, allocation lines and order once the despatches are applied. */
function orderChanges(company: CompanyStore, order: SageRecord, despatches: readonly Despatch[], at: Moment) {
  const changes: Change[] = [];
  const updated = new Map<number, SageRecord>();
  for (const { line, quantity, released } of despatches) {
    const moved = qty(num(line.despatch_receipt_quantity) + quantity);
    const allocated = qty(num(line.stock_unit_allocated_quantity) - released);
    const left = qty(num(line.line_quantity) - moved);
    const next: SageRecord = {
      ...line,
      despatch_receipt_quantity: moved,
      stock_unit_despatch_receipt_quantity: moved,
      despatch_receipt_status: progressStatus(moved, num(line.line_quantity), LINE_STATUS),
      allocated_quantity: allocated,
      stock_unit_allocated_quantity: allocated,
      available_for_despatch: left,
      stock_unit_available_for_despatch: left,
      is_line_deletable: false,
      date_time_updated: at.now,
    };
    updated.set(num(line.id), next);
    changes.push(put('sop_order_lines', next));
    // What was allocated goes first, oldest allocation first; the rest was allocated on the day it went.
    let unheld = released;
    for (const allocation of company
      .table('sop_allocation_lines')
      .lookup('sop_order_line_id', num(line.id)) ?? []) {
      const take = Math.min(unheld, num(allocation.current_allocated_quantity));
      if (take <= 0) continue;
      unheld = qty(unheld - take);
      changes.push(
        put('sop_allocation_lines', {
          ...allocation,
          despatched_quantity: qty(num(allocation.despatched_quantity) + take),
          current_allocated_quantity: qty(num(allocation.current_allocated_quantity) - take),
          date_time_updated: at.now,
        }),
      );
    }
    const fresh = qty(quantity - released + unheld);
    if (fresh > 0) {
      changes.push(
        put('sop_allocation_lines', {
          id: at.reserveId(),
          sop_order_id: order.id ?? null,
          sop_order_line_id: line.id ?? null,
          allocated_date: at.day,
          allocated_quantity: fresh,
          despatched_quantity: fresh,
          current_allocated_quantity: 0,
          user_name: at.user,
          warehouse_id: line.warehouse_id ?? null,
          date_time_created: at.now,
          date_time_updated: at.now,
        }),
      );
    }
  }
  const lines = (company.table('sop_order_lines').lookup('sop_order_id', num(order.id)) ?? []).map(
    (l) => updated.get(num(l.id)) ?? l,
  );
  const goods = lines.filter((l) => l.line_type !== 'EnumLineTypeComment');
  const total = goods.reduce((sum, l) => sum + num(l.line_quantity), 0);
  const moved = goods.reduce((sum, l) => sum + num(l.despatch_receipt_quantity), 0);
  changes.push(
    put('sop_orders', {
      ...order,
      despatch_receipt_status: progressStatus(moved, total, DOCUMENT_PROCESS),
      date_time_updated: at.now,
    }),
  );
  return changes;
}

/** The next despatch number after the company's highest (`DSP0000042`). */
function nextDespatchNo(company: CompanyStore): string {
  const highest = company
    .table('sop_despatch_receipts')
    .all()
    .reduce((max, r) => Math.max(max, Number(text(r.despatch_no).replace(/^\D+/, '')) || 0), 0);
  return `DSP${String(highest + 1).padStart(7, '0')}`;
}

/** The despatch receipt, with the tracking the body gives for this order (its first entry, or the one naming it). */
function receiptOf(company: CompanyStore, order: SageRecord, body: Record<string, unknown>, at: Moment) {
  const tracking = (Array.isArray(body.tracking_items) ? body.tracking_items.filter(isObject) : []).find(
    (t) =>
      t.sop_order_return_id === undefined ||
      t.sop_order_return_id === null ||
      t.sop_order_return_id === order.id,
  );
  const named = (field: string, collection: string, noun: string): SageRecord | undefined => {
    const id = tracking?.[field];
    if (id === undefined || id === null) return undefined;
    const found = typeof id === 'number' ? company.table(collection).get(id) : undefined;
    if (!found)
      throw badRequest(`No ${noun} was found with the Id '${String(id)}' given in tracking_items.${field}.`);
    return found;
  };
  const courier = named('courier_id', 'couriers', 'courier');
  const incoterm = named('sop_incoterm_id', 'sop_incoterms', 'incoterm');
  const reason = named('sop_export_reason_id', 'sop_export_reasons', 'export reason');
  const receipt = blankRecord('sop_despatch_receipts', at.now);
  receipt.id = at.reserveId();
  receipt.despatch_no = nextDespatchNo(company);
  receipt.despatched_by = at.user;
  receipt.despatch_date = at.day;
  receipt.courier_id = courier?.id ?? null;
  receipt.courier_name = text(courier?.name);
  receipt.sop_incoterm_id = incoterm?.id ?? null;
  receipt.sop_incoterm_name = text(incoterm?.name);
  receipt.sop_export_reason_id = reason?.id ?? null;
  receipt.sop_export_reason_name = text(reason?.name);
  receipt.consignment_no = text(tracking?.consignment_no as JsonValue);
  receipt.weight = num(tracking?.weight as JsonValue);
  receipt.pieces = num(tracking?.pieces as JsonValue);
  receipt.notes = text(tracking?.notes as JsonValue);
  return receipt;
}

/** The records of one despatch: its receipt, the order's despatch note and a despatch line per item. */
function despatchRecords(
  order: SageRecord,
  receipt: SageRecord,
  despatches: readonly Despatch[],
  at: Moment,
) {
  return [
    put('sop_despatch_receipts', receipt),
    put('sop_order_despatches', {
      id: at.reserveId(),
      sop_despatch_receipt_id: receipt.id ?? null,
      sop_order_id: order.id ?? null,
      date_time_created: at.now,
      date_time_updated: at.now,
    }),
    ...despatches.map(({ line, quantity }) =>
      put('sop_despatch_lines', {
        id: at.reserveId(),
        sop_despatch_receipt_id: receipt.id ?? null,
        sop_order_id: order.id ?? null,
        sop_order_line_id: line.id ?? null,
        quantity,
        is_invoiced: false,
        date_time_created: at.now,
        date_time_updated: at.now,
      }),
    ),
  ];
}

/** The order a confirmation names: it must exist and be live. */
function liveOrder(company: CompanyStore, body: Record<string, unknown>): SageRecord {
  const id = body.sop_order_return_id;
  const order = typeof id === 'number' ? company.table('sop_orders').get(id) : undefined;
  if (!order)
    throw badRequest(`No sales order was found with the Id '${String(id)}' given in sop_order_return_id.`);
  if (order.document_status !== 'EnumDocumentStatusLive') {
    throw badRequest(
      `The sales order '${String(order.document_no)}' is not live, so nothing on it can be despatched.`,
    );
  }
  return order;
}

function momentOf(c: Context<ApiEnv>, now: Date, date: unknown): Moment {
  const company = c.get('company');
  const day =
    typeof date === 'string' && date !== ''
      ? `${date.slice(0, 10)}T00:00:00`
      : `${now.toISOString().slice(0, 10)}T00:00:00`;
  return {
    now: now.toISOString(),
    day,
    user: c.get('user').email.slice(0, USER_NAME_LENGTH),
    reserveId: () => company.reserveId(),
  };
}

export function registerDespatchRoutes({ api, deps, gate }: ApiRoutes): void {
  const guard = gate(MODULES);
  api.post('/sop_confirm_despatch', guard, rejectTrialWrites(), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('SopConfirmDespatchAdjustment', body);
    const items = Array.isArray(body.items) ? body.items : [];
    if (items.length === 0) throw badRequest('The field items must have at least one line.');
    // From here on nothing awaits until the commit, so no other write can slip in between the checks and it.
    const company = c.get('company');
    const order = liveOrder(company, body);
    const despatches = checkItems(company, order, items);
    const at = momentOf(c, deps.clock.date(), body.despatch_receipt_date);
    const receipt = receiptOf(company, order, body, at);
    const changes = [
      ...despatchRecords(order, receipt, despatches, at),
      ...stockChanges(company, order, receipt, despatches, at),
      ...orderChanges(company, order, despatches, at),
    ];
    await deps.store().commit(company, changes);
    const sources = sourcesOf(company);
    const stored = company.table('sop_orders').get(num(order.id)) ?? order;
    const answer = {
      sop_order_return_id: order.id ?? null,
      despatch_receipt_date: at.day,
      items: despatches.map(({ line, quantity, bins }) => ({
        ...despatchItem(sources, stored, company.table('sop_order_lines').get(num(line.id)) ?? line),
        quantity,
        bin_items: bins.map(({ bin, quantity: share }) => ({
          id: bin.id ?? null,
          bin_name: text(bin.name),
          available_quantity: num(company.table('bin_holdings').get(num(bin.id))?.quantity_in_stock),
          quantity: share,
        })),
      })),
      tracking_items: [
        {
          sop_order_return_id: order.id ?? null,
          courier_id: receipt.courier_id ?? null,
          consignment_no: receipt.consignment_no ?? '',
          sop_incoterm_id: receipt.sop_incoterm_id ?? null,
          sop_export_reason_id: receipt.sop_export_reason_id ?? null,
          weight: receipt.weight ?? 0,
          pieces: receipt.pieces ?? 0,
          notes: receipt.notes ?? '',
        },
      ],
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });

  // A question, not a write: trial sites may ask it.
  api.post('/sop_confirm_despatch_bin_items', guard, async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('SopConfirmDespatchBinItemsRequest', body);
    const company = c.get('company');
    const line = company.table('sop_order_lines').get(num(body.id as JsonValue));
    if (!line)
      throw badRequest(`No sales order line was found with the Id '${String(body.id)}' given in id.`);
    const sources = sourcesOf(company);
    const answer = {
      id: line.id ?? null,
      bin_items: binItems(binsOf(sources, line), despatchableQuantity(line)),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
