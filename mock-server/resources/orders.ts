/**
 * Sales orders, sales quotations and purchase orders with their lines (Sage's sop.json and pop.json), and their
 * drafts (`*_duplicate`, kept in draft tables until confirmed: docs/writes.md). An order is written with its
 * `lines`: a line with an `id` changes that line, one without is added, `is_to_delete: true` removes it. Lines take
 * their defaults from the product and the account, are priced (discount, net, tax) and the order is totalled by
 * the server; the account's current order value follows. `document_no` is the server's, as on Sage 200 Standard
 * ("setting this on POST will be ignored", sop.json).
 */

import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { documentNumber, LIVE_DOCUMENT_STATUS, priceOrderLine, totalOrder } from '../seed/orders.ts';
import type { Change, TableName } from '../store/index.ts';
import { type RecordWrite, writeValidator } from '../validation/index.ts';
import { blankRecord } from '../world/fields.ts';
import { sameJson } from '../world/json.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { type DocumentKind, type OrderShape, type Placement, SHAPES } from './order-shapes.ts';
import { mergeRecord, stampRecord, withDefaults } from './records.ts';
import { requireFreeStock, stockLevelChanges } from './stock-levels.ts';
import {
  type CommitStep,
  put,
  requireNominal,
  requireReference,
  type WritableResource,
  type WriteContext,
} from './writable.ts';

/** A quotation's validity when none is given, as the seeded quotations have it (assumed). */
const QUOTATION_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Fields a line must carry, by line type, as Sage's field text describes them (sop.json / pop.json: "Product
 * record Id. Required for lines of type EnumLineTypeStandard", a free-text line's description...), instead of the
 * schema's blanket required list.
 */
const LINE_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  EnumLineTypeStandard: ['line_type', 'product_id', 'warehouse_id', 'line_quantity'],
  EnumLineTypeFreeText: ['line_type', 'description', 'line_quantity'],
  EnumLineTypeCharge: ['line_type'],
  EnumLineTypeComment: ['line_type', 'description'],
};

const ADDRESS_FIELDS = ['address_1', 'address_2', 'address_3', 'address_4', 'city', 'county', 'postcode'];
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const money = (value: number): number =>
  Math.round((value + Math.sign(value) * Number.EPSILON) * 100) / 100 + 0;
const numberOf = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);

/** The next document number of the company's documents of this kind (quotations are numbered apart). */
function nextDocumentNo(ctx: WriteContext, shape: OrderShape): string {
  let highest = 0;
  for (const order of ctx.company.table(shape.orders).all()) {
    const n = Number(order.document_no);
    if (Number.isSafeInteger(n) && n > highest) highest = n;
  }
  return documentNumber(highest + 1);
}

/** A sales order's delivery address copied from a customer delivery address record. */
function deliveryFrom(address: SageRecord, into: SageRecord): SageRecord {
  const out: SageRecord = { ...into, postal_name: address.postal_name ?? '' };
  for (const field of ADDRESS_FIELDS) out[field] = address[field] ?? '';
  out.country = address.country ?? '';
  out.contact = address.contact ?? '';
  out.telephone_number = String(address.telephone ?? '').slice(0, 30);
  out.fax_number = address.fax ?? '';
  out.email_address = address.email ?? '';
  out.tax_number = address.tax_number ?? '';
  out.tax_code_id = address.tax_code_id ?? null;
  out.country_code_id = address.country_code_id ?? null;
  return out;
}

/** The defaults an order takes from its account: currency and rate, discounts, delivery address. */
function fromTrader(record: SageRecord, trader: SageRecord, ctx: WriteContext, shape: OrderShape): void {
  record[shape.traderKey] = trader.id ?? null;
  const currency =
    typeof trader.currency_id === 'number'
      ? ctx.company.table('currencies').get(trader.currency_id)
      : undefined;
  record.exchange_rate = typeof currency?.core_currency_rate === 'number' ? currency.core_currency_rate : 1;
  record.settlement_discount_days = trader.early_settlement_discount_days ?? 0;
  record.settlement_discount_percent = trader.early_settlement_discount_percent ?? 0;
  const delivery = record.delivery_address as SageRecord;
  if (shape.kind === 'sop') {
    record.currency_id = trader.currency_id ?? null;
    record.document_discount_percent = trader.invoice_discount_percent ?? 0;
    record.order_priority = trader.order_priority ?? '';
    const addresses =
      ctx.company.table('customer_delivery_addresses').lookup('customer_id', trader.id as number) ?? [];
    const chosen = addresses.find((a) => a.is_default === true);
    if (chosen) {
      record.customer_delivery_address_id = chosen.id ?? null;
      record.delivery_address = deliveryFrom(chosen, delivery);
    } else {
      const main = (trader.main_address ?? {}) as SageRecord;
      record.delivery_address = deliveryFrom(
        {
          ...main,
          postal_name: String(trader.name ?? '').slice(0, 60),
          contact: main.contact_name ?? '',
          tax_code_id: trader.default_tax_code_id ?? null,
          country_code_id: main.address_country_code_id ?? null,
        },
        delivery,
      );
    }
  } else {
    // Goods on a purchase order come to the company.
    const details = ctx.company.company.company_details;
    const address = (details.address ?? {}) as SageRecord;
    const country = ctx.company.table('country_codes').get(details.country_code_id as number);
    const out: SageRecord = { ...delivery, postal_name: String(details.name ?? '').slice(0, 60) };
    for (const field of ADDRESS_FIELDS) out[field] = address[field] ?? '';
    out.country = country?.name ?? '';
    out.country_code_id = country?.id ?? null;
    record.delivery_address = out;
  }
}

/** One line of the body, checked and completed: defaults from the product and account, references, price. */
function prepareLine(
  item: unknown,
  path: string,
  current: SageRecord | undefined,
  trader: SageRecord,
  ctx: WriteContext,
  shape: OrderShape,
): SageRecord {
  const schema = ctx.schema(shape.lineSchema);
  if (!isObject(item))
    throw badRequest(
      `Error converting value ${JSON.stringify(item)} to type 'System.Object'. Path '${path}'.`,
    );
  const { id: _id, is_to_delete: _delete, ...fields } = item;
  const start = current ?? withDefaults(blankRecord(shape.lines, ctx.now), schema);
  const lineType = typeof fields.line_type === 'string' ? fields.line_type : String(start.line_type ?? '');
  const options: RecordWrite = current
    ? { mode: 'update', current }
    : { mode: 'create', current: start, required: LINE_REQUIRED[lineType] ?? ['line_type'] };
  const patch = writeValidator().checkRecord(shape.lineSchema, fields, options, `${path}.`);
  const line = mergeRecord(start, patch, schema);
  const standard = line.line_type === 'EnumLineTypeStandard';
  // A line without a product or warehouse (free text, charge, comment) carries 0: Sage's schema has no null here.
  const product = line.product_id
    ? requireReference(ctx, line, 'product_id', 'products', 'product', `${path}.product_id`)
    : undefined;
  if (line.warehouse_id)
    requireReference(ctx, line, 'warehouse_id', 'warehouses', 'warehouse', `${path}.warehouse_id`);
  const hasProduct = product !== undefined;
  if (!hasProduct) line.product_id = 0;
  if (!line.warehouse_id) line.warehouse_id = 0;
  if (!current) {
    if (standard && product) {
      if (line.code === '') line.code = product.code ?? '';
      if (line.description === '') line.description = product.name ?? '';
      if (shape.kind === 'sop' && line.cost_price === 0) line.cost_price = product.standard_cost ?? 0;
      if (shape.kind === 'pop' && !Object.hasOwn(fields, 'unit_buying_price')) {
        line.unit_buying_price = product.standard_cost ?? 0;
      }
    }
    if (line.tax_code_id === null) {
      const fromProduct =
        standard && product && !(shape.kind === 'sop' && trader.use_tax_code_as_default === true);
      line.tax_code_id = (fromProduct ? product.tax_code_id : trader.default_tax_code_id) ?? null;
    }
    if (line.nominal_reference === '') {
      const nominalId = standard
        ? product?.[shape.kind === 'sop' ? 'revenue_nominal_code_id' : 'stock_nominal_code_id']
        : trader.default_nominal_code_id;
      const nominal =
        typeof nominalId === 'number' ? ctx.company.table('nominal_codes').get(nominalId) : undefined;
      if (nominal) {
        line.nominal_reference = nominal.reference ?? '';
        line.nominal_cost_centre = nominal.cost_centre_code ?? '';
        line.nominal_department = nominal.department_code ?? '';
      }
    }
    line.is_line_deletable = true;
    line[shape.kind === 'sop' ? 'show_on_customer_docs' : 'show_on_supplier_docs'] = true;
  }
  if (standard && !hasProduct) throw badRequest(`The ${path}.product_id field is required.`);
  const tax = requireReference(ctx, line, 'tax_code_id', 'tax_codes', 'tax code', `${path}.tax_code_id`);
  requireNominal(
    ctx,
    line.nominal_reference,
    line.nominal_cost_centre,
    line.nominal_department,
    `${path}.nominal_reference`,
  );
  line.stock_unit_line_quantity = line.line_quantity ?? 0;
  // What is left to despatch (receive) follows the quantity: a line the order book has part-despatched keeps it.
  const quantity = numberOf(line.line_quantity);
  const moved = numberOf(
    shape.kind === 'sop' ? line.despatch_receipt_quantity : line.receipt_return_quantity,
  );
  const outstanding = Math.round((quantity - moved) * 1e5) / 1e5 + 0;
  if (shape.document === 'quote' && numberOf(line.allocated_quantity) !== 0) {
    throw badRequest(`The ${path}.allocated_quantity must be 0: a sales quotation allocates no stock.`);
  }
  if (shape.kind === 'sop') {
    if (numberOf(line.allocated_quantity) > quantity) {
      throw badRequest(`The ${path}.allocated_quantity cannot be more than the line quantity.`);
    }
    // Allocated stock is held in the line's warehouse holding (stock-levels.ts).
    line.stock_unit_allocated_quantity = line.allocated_quantity ?? 0;
    line.available_for_despatch = outstanding;
    line.stock_unit_available_for_despatch = outstanding;
    if (moved > 0) line.despatch_receipt_status = tradeLineStatus(moved, quantity);
  } else {
    // What is still to come is on order in the line's warehouse holding (stock-levels.ts).
    line.stock_unit_on_order_quantity = outstanding;
    if (moved > 0) line.receipt_return_status = tradeLineStatus(moved, quantity);
  }
  priceOrderLine(line, shape.kind, numberOf(tax?.tax_rate));
  return line;
}

/** Sage's trade line status of `done` out of `of` (sop_trade_line_status_types). */
function tradeLineStatus(done: number, of: number): string {
  if (done <= 0) return 'EnumTradeLineStatusNone';
  return done >= of ? 'EnumTradeLineStatusFully' : 'EnumTradeLineStatusPartially';
}

/** An order the account's current order value counts: neither complete (invoiced) nor cancelled. */
const isCurrent = (order: SageRecord): boolean =>
  order.document_status !== 'EnumDocumentStatusComplete' &&
  order.document_status !== 'EnumDocumentStatusCancelled';

/** What has happened to a line that the order book records: despatched (received) or invoiced quantities. */
function movedQuantity(line: SageRecord, shape: OrderShape): number {
  const moved = shape.kind === 'sop' ? line.despatch_receipt_quantity : line.receipt_return_quantity;
  return Math.max(numberOf(moved), numberOf(line.invoice_credit_quantity));
}

/** The lines of a document in `table`, in line order. */
function linesIn(ctx: WriteContext, shape: OrderShape, table: TableName, order: SageRecord | undefined) {
  return order === undefined
    ? []
    : [...(ctx.company.table(table).lookup(shape.orderKey, order.id as number) ?? [])].sort(
        (a, b) => numberOf(a.line_number) - numberOf(b.line_number),
      );
}

/** The account with its current order value recomputed, or undefined when it does not change. */
function traderWithValue(
  ctx: WriteContext,
  shape: OrderShape,
  trader: SageRecord,
  order: SageRecord,
  gross: number,
): SageRecord | undefined {
  const field = shape.valueField;
  if (!field) return undefined;
  const others = (ctx.company.table(shape.orders).lookup(shape.traderKey, trader.id as number) ?? []).filter(
    (o) => o.id !== order.id && isCurrent(o),
  );
  const own = isCurrent(order) ? gross : 0;
  const value = money(others.reduce((sum, o) => sum + numberOf(o.total_gross_value), own));
  return value === trader[field] ? undefined : { ...trader, [field]: value };
}

/**
 * Checks a merged document and builds its commit step: account rules, delivery address, lines (defaults, prices,
 * tax), totals, the account's current order value and stock. `place` says where the document is and goes: a draft
 * touches neither the account nor stock; confirming one moves it and its lines out of the draft tables.
 */
export function prepareDocument(
  shape: OrderShape,
  record: SageRecord,
  previous: SageRecord | undefined,
  ctx: WriteContext,
  body: Record<string, unknown>,
  place: Placement,
): CommitStep {
  const live = place.to === 'live';
  const trader = requireReference(ctx, record, shape.traderKey, shape.traders, shape.traderNoun);
  if (!trader) throw badRequest(`The ${shape.traderKey} field is required.`);
  if (previous && previous[shape.traderKey] !== record[shape.traderKey]) {
    const what = shape.document === 'quote' ? 'a sales quotation' : 'an order';
    throw badRequest(`The ${shape.traderKey} of ${what} cannot be changed.`);
  }
  const entering = place.from !== 'live';
  // A hidden account takes no new orders; a supplier on hold takes no purchase orders (assumed, as Sage 200's
  // help describes them; a customer on hold is the override below).
  if (live && entering && trader.account_status_type === 'AccountStatusHidden') {
    throw badRequest(
      `The ${shape.traderNoun} '${String(trader.reference)}' is a hidden account; it takes no new documents until its account_status_type is AccountStatusActive again.`,
    );
  }
  if (live && entering && shape.kind === 'pop' && trader.on_hold === true) {
    throw badRequest(`The supplier '${String(trader.reference)}' is on hold; it takes no purchase orders.`);
  }
  if (
    live &&
    entering &&
    shape.document === 'sop' &&
    trader.on_hold === true &&
    record.override_on_hold !== true
  ) {
    throw badRequest(
      `The customer '${String(trader.reference)}' is on hold; set override_on_hold to take the order.`,
    );
  }
  if (shape.kind === 'sop') {
    record.currency_id = trader.currency_id ?? null;
    const chosen = record.customer_delivery_address_id;
    if (chosen !== null && chosen !== previous?.customer_delivery_address_id) {
      const address = requireReference(
        ctx,
        record,
        'customer_delivery_address_id',
        'customer_delivery_addresses',
        'customer delivery address',
      );
      if (address && address.customer_id !== trader.id) {
        throw badRequest(
          `The customer delivery address '${String(chosen)}' given in customer_delivery_address_id belongs to another customer.`,
        );
      }
      if (address && !isObject(body.delivery_address)) {
        record.delivery_address = deliveryFrom(address, record.delivery_address as SageRecord);
      }
    }
  }
  const delivery = record.delivery_address as SageRecord;
  requireReference(ctx, delivery, 'tax_code_id', 'tax_codes', 'tax code', 'delivery_address.tax_code_id');
  requireReference(
    ctx,
    delivery,
    'country_code_id',
    'country_codes',
    'country code',
    'delivery_address.country_code_id',
  );

  // The document's lines after this write, and the ones it removes.
  const fromLines = place.from === 'draft' ? shape.draftLines : shape.lines;
  const stored = linesIn(ctx, shape, fromLines, previous);
  const lines = new Map<number | string, SageRecord>(stored.map((l) => [l.id as number, l]));
  const removed: number[] = [];
  if (Object.hasOwn(body, 'lines')) {
    if (!Array.isArray(body.lines)) {
      throw badRequest(
        `Error converting value ${JSON.stringify(body.lines)} to type 'System.Collections.Generic.List'. Path 'lines'.`,
      );
    }
    let nextNumber = stored.reduce((n, l) => Math.max(n, numberOf(l.line_number)), 0);
    body.lines.forEach((item, index) => {
      const path = `lines[${index}]`;
      const id = isObject(item) ? item.id : undefined;
      if (id !== undefined && id !== null && id !== 0) {
        const current = typeof id === 'number' ? lines.get(id) : undefined;
        if (!current || removed.includes(id as number)) {
          throw badRequest(`No ${shape.lineNoun} was found with the Id '${String(id)}' given in ${path}.id.`);
        }
        if (isObject(item) && item.is_to_delete === true) {
          if (movedQuantity(current, shape) > 0) {
            throw badRequest(
              `The ${shape.lineNoun} '${String(id)}' given in ${path}.id cannot be deleted: it has been ${shape.kind === 'sop' ? 'despatched' : 'received'} or invoiced.`,
            );
          }
          removed.push(id as number);
          lines.delete(id as number);
          return;
        }
        const changed = prepareLine(item, path, current, trader, ctx, shape);
        if (numberOf(changed.line_quantity) < movedQuantity(current, shape)) {
          throw badRequest(
            `The line_quantity given in ${path}.line_quantity is less than the ${movedQuantity(current, shape)} already ${shape.kind === 'sop' ? 'despatched' : 'received'} or invoiced.`,
          );
        }
        lines.set(id as number, changed);
        return;
      }
      if (isObject(item) && item.is_to_delete === true) return;
      const line = prepareLine(item, path, undefined, trader, ctx, shape);
      line.line_number = ++nextNumber;
      lines.set(`new ${index}`, line);
    });
  }
  const finalLines = [...lines.values()];
  totalOrder(record, finalLines, shape.kind);
  const movedField = shape.kind === 'sop' ? 'despatch_receipt_quantity' : 'receipt_return_quantity';
  const moved = finalLines.reduce((sum, l) => sum + numberOf(l[movedField]), 0);
  if (moved > 0) {
    const ordered = finalLines.reduce((sum, l) => sum + numberOf(l.line_quantity), 0);
    record[shape.kind === 'sop' ? 'despatch_receipt_status' : 'receipt_return_status'] =
      moved >= ordered ? 'EnumDocumentProcessStatusFull' : 'EnumDocumentProcessStatusPart';
  }
  record.is_editing = !live;
  if (Object.hasOwn(record, 'is_draft')) record.is_draft = !live;
  const account = live
    ? traderWithValue(ctx, shape, trader, record, numberOf(record.total_gross_value))
    : undefined;
  // Only lines already in the order book hold stock: a draft's lines come in new when it is confirmed.
  const replaced = new Set(place.from === 'live' ? stored.map((l) => l.id as number) : []);
  const stockLines = live ? shape.stockLines : undefined;
  if (stockLines) requireFreeStock(ctx, { table: stockLines, written: finalLines, replaced });

  return (reserveId = () => ctx.company.reserveId()) => {
    if (live && entering) record.document_no = nextDocumentNo(ctx, shape);
    if (!live) record.document_no = '';
    const moving = place.from === 'draft' && live;
    const table = live ? shape.orders : shape.drafts;
    const lineTable = live ? shape.lines : shape.draftLines;
    stampRecord(record, moving ? undefined : previous, ctx.schema(shape.schema), ctx.now, reserveId);
    const changes: Change[] = [];
    if (moving) {
      changes.push({ kind: 'delete', table: shape.drafts, id: record.id as number });
      for (const line of stored)
        changes.push({ kind: 'delete', table: shape.draftLines, id: line.id as number });
    }
    changes.push(put(table, record));
    const written = finalLines.map((line) => {
      const before = stored.find((s) => s.id === line.id && line.id !== 0);
      const stamped = stampRecord(
        { ...line, [shape.orderKey]: record.id ?? null },
        moving ? undefined : before,
        ctx.schema(shape.lineSchema),
        ctx.now,
        reserveId,
      );
      if (moving || !before || !sameJson(before, stamped)) changes.push(put(lineTable, stamped));
      return stamped;
    });
    if (!moving) for (const id of removed) changes.push({ kind: 'delete', table: lineTable, id });
    if (account) changes.push(put(shape.traders, account));
    if (stockLines) changes.push(...stockLevelChanges(ctx, { table: stockLines, written, replaced }));
    return { record, changes, response: { ...record, lines: written } };
  };
}

/** The record a new document starts from: blank fields, Sage's defaults and the account's. */
export function startDocument(
  shape: OrderShape,
  ctx: WriteContext,
  request: Record<string, unknown>,
): SageRecord {
  const record = withDefaults(blankRecord(shape.orders, ctx.now), ctx.schema(shape.schema));
  record.document_no = nextDocumentNo(ctx, shape);
  record.document_date = ctx.today;
  record.document_status = LIVE_DOCUMENT_STATUS;
  record.document_created_by = ctx.user.email.slice(0, 30);
  if (shape.document === 'sop') {
    const status = record.payment_status as SageRecord;
    record.payment_status = {
      ...status,
      is_amendable: true,
      is_reference_amendable: true,
      is_payment_method_amendable: true,
    };
  }
  if (shape.document === 'quote') {
    record.customer_type = 'EnumCustomerTypeCredit';
    const expiry = new Date(Date.parse(`${ctx.today}Z`) + QUOTATION_DAYS * DAY_MS);
    record.quotation_expiry_date = `${expiry.toISOString().slice(0, 10)}T00:00:00`;
  }
  const traderId = request[shape.traderKey];
  if (typeof traderId === 'number') {
    const trader = requireReference(
      ctx,
      request as SageRecord,
      shape.traderKey,
      shape.traders,
      shape.traderNoun,
    );
    if (trader) fromTrader(record, trader, ctx, shape);
  }
  return record;
}

/** The changes that discard a draft: it and its lines. */
export function discardDraft(shape: OrderShape, draft: SageRecord, ctx: WriteContext): Change[] {
  return [
    { kind: 'delete', table: shape.drafts, id: draft.id as number },
    ...linesIn(ctx, shape, shape.draftLines, draft).map(
      (line): Change => ({ kind: 'delete', table: shape.draftLines, id: line.id as number }),
    ),
  ];
}

/** A quotation's `customer_type` must be a member of Sage's sop customer types. */
function requireCustomerType(record: SageRecord): void {
  const members = loadCatalog().members('sop_customer_types');
  if (!members.some((m) => m.value === record.customer_type)) {
    throw badRequest(
      `The value '${String(record.customer_type)}' is not valid for customer_type. Valid values: ${members.map((m) => m.value).join(', ')}.`,
    );
  }
}

function orderResource(document: DocumentKind): WritableResource {
  const shape = SHAPES[document];
  const definition = loadCatalog().resource(shape.orders);
  const lineRows = (ctx: WriteContext, order: SageRecord) => linesIn(ctx, shape, shape.lines, order);
  return {
    definition,
    create: true,
    update: true,
    remove: true,
    template: { path: `${shape.orders}_new`, requestSchema: shape.requestSchema, put: true },
    required: [shape.traderKey],
    ignored: ['document_no'],
    start: (ctx, request) => startDocument(shape, ctx, request),
    templateBody(record) {
      return { ...record, lines: [] };
    },
    prepare(record, previous, ctx, body) {
      if (shape.document === 'quote') requireCustomerType(record);
      return prepareDocument(shape, record, previous, ctx, body, {
        from: previous ? 'live' : 'new',
        to: 'live',
      });
    },
    drafts: {
      find: (ctx, id) => ctx.company.table(shape.drafts).get(id),
      prepare(record, draft, ctx, body) {
        if (shape.document === 'quote') requireCustomerType(record);
        const to = record.is_editing === false ? 'live' : 'draft';
        return prepareDocument(shape, record, draft, ctx, body, { from: 'draft', to });
      },
      discard: (draft, ctx) => discardDraft(shape, draft, ctx),
    },
    prepareDelete(record, ctx) {
      if (lineRows(ctx, record).some((line) => movedQuantity(line, shape) > 0)) {
        throw badRequest(
          `The order '${String(record.document_no)}' cannot be deleted: it has been ${shape.kind === 'sop' ? 'despatched' : 'received'} or invoiced.`,
        );
      }
      const changes: Change[] = lineRows(ctx, record).map((line) => ({
        kind: 'delete',
        table: shape.lines,
        id: line.id as number,
      }));
      const trader = ctx.company.table(shape.traders).get(record[shape.traderKey] as number);
      const account = trader ? traderWithValue(ctx, shape, trader, record, 0) : undefined;
      if (account) changes.push(put(shape.traders, account));
      if (shape.stockLines) {
        const replaced = new Set(lineRows(ctx, record).map((l) => l.id as number));
        changes.push(...stockLevelChanges(ctx, { table: shape.stockLines, written: [], replaced }));
      }
      return changes;
    },
  };
}

export const orderResources: readonly WritableResource[] = [
  orderResource('sop'),
  orderResource('pop'),
  orderResource('quote'),
];
