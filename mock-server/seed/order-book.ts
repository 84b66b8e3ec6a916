/**
 * The order book: hundreds of sales and purchase orders per company in every state, with the records that move
 * them on: despatches (sales) and receipts (purchases), cancelled lines, invoices and additional charges. Added after
 * everything else in the world, with its own Rng stream, so no earlier record's id changes.
 *
 * Completed orders are the documents behind posted invoices: each is rebuilt from one posted invoice of the ledger
 * (its lines from the invoice's nominal analysis, `2 x CODE Name` for sales), so what the orders say was invoiced is
 * what the ledger holds, to the penny. Open orders are recent, and none is invoiced yet. The quantities on a line
 * agree with the records that move it (checked in `order-book.test.ts`):
 *
 * - ordered = `line_quantity` + the line's cancelled quantity (`sop_cancelled_lines`; Sage reduces a line to what
 *   is left when its outstanding quantity is cancelled, assumed)
 * - `despatch_receipt_quantity` = the sum of the line's despatch (or receipt) lines, and outstanding =
 *   `line_quantity` - `despatch_receipt_quantity`
 * - `invoice_credit_quantity` = the sum of the line's invoice lines.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { asOfDay, businessDate, dayOf, dayStartMs, instant, workingDayOnOrAfter } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { CompanyWorld, JsonValue, SageRecord } from '../world/model.ts';
import { DOCUMENT_PROCESS, LINE_STATUS, progressStatus } from '../world/order-status.ts';
import { documentNumber, type OrderKind, priceOrderLine, totalOrder } from './orders.ts';
import { Rng } from './random.ts';
import { addRequisitions } from './requisitions.ts';
import { addSopDocuments } from './sop-documents.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const round = (value: number, places: number): number => {
  const scale = 10 ** places;
  return Math.round((value + Math.sign(value) * Number.EPSILON) * scale) / scale + 0;
};
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/** How many open orders each company gets, besides the completed ones rebuilt from posted invoices. */
export const ORDER_BOOK_VOLUMES = {
  sop: { open: 180, invoiced: 140 },
  pop: { open: 120, invoiced: 90 },
} as const;

/** The states an open order is seeded in, with their weights. */
const OPEN_STATES = [
  ['entered', 30],
  ['part-despatched', 22],
  ['despatched', 14],
  ['part-cancelled', 14],
  ['cancelled', 10],
  ['on-hold', 10],
] as const;
type OpenState = (typeof OPEN_STATES)[number][0];

interface Shape {
  kind: OrderKind;
  orders: 'sop_orders' | 'pop_orders';
  lines: 'sop_order_lines' | 'pop_order_lines';
  orderKey: 'sop_order_id' | 'pop_order_id';
  traders: 'customers' | 'suppliers';
  traderKey: 'customer_id' | 'supplier_id';
  transactions: 'sales_posted_transactions' | 'purchase_posted_transactions';
  valueField: 'value_of_current_orders_in_sop' | 'value_of_current_orders_in_pop';
  /** The line's despatched (sales) or received (purchases) quantity. */
  moved: 'despatch_receipt_quantity' | 'receipt_return_quantity';
  moveStatus: 'despatch_receipt_status' | 'receipt_return_status';
  cancelled: 'sop_cancelled_lines' | 'pop_cancelled_lines';
  charges: 'sop_additional_charges' | 'pop_additional_charges';
  invoices: 'sop_invoice_credits' | 'pop_invoice_credits';
  invoiceLines: 'sop_invoice_credit_lines' | 'pop_invoice_credit_lines';
  invoiceKey: 'sop_invoice_credit_id' | 'pop_invoice_credit_id';
}

const SHAPES: Readonly<Record<OrderKind, Shape>> = {
  sop: {
    kind: 'sop',
    orders: 'sop_orders',
    lines: 'sop_order_lines',
    orderKey: 'sop_order_id',
    traders: 'customers',
    traderKey: 'customer_id',
    transactions: 'sales_posted_transactions',
    valueField: 'value_of_current_orders_in_sop',
    moved: 'despatch_receipt_quantity',
    moveStatus: 'despatch_receipt_status',
    cancelled: 'sop_cancelled_lines',
    charges: 'sop_additional_charges',
    invoices: 'sop_invoice_credits',
    invoiceLines: 'sop_invoice_credit_lines',
    invoiceKey: 'sop_invoice_credit_id',
  },
  pop: {
    kind: 'pop',
    orders: 'pop_orders',
    lines: 'pop_order_lines',
    orderKey: 'pop_order_id',
    traders: 'suppliers',
    traderKey: 'supplier_id',
    transactions: 'purchase_posted_transactions',
    valueField: 'value_of_current_orders_in_pop',
    moved: 'receipt_return_quantity',
    moveStatus: 'receipt_return_status',
    cancelled: 'pop_cancelled_lines',
    charges: 'pop_additional_charges',
    invoices: 'pop_invoice_credits',
    invoiceLines: 'pop_invoice_credit_lines',
    invoiceKey: 'pop_invoice_credit_id',
  },
};

/** Sage's additional charges: the sales ones credit Other Income, the purchase ones debit Carriage (assumed). */
const CHARGES: Readonly<Record<OrderKind, readonly [code: string, name: string, value: number][]>> = {
  sop: [
    ['CARR', 'Carriage', 9.95],
    ['NEXTDAY', 'Next day delivery', 14.5],
    ['PACK', 'Packing and handling', 4.75],
    ['INS', 'Goods in transit insurance', 6],
  ],
  pop: [
    ['CARR', 'Carriage inwards', 12.5],
    ['PALLET', 'Pallet delivery', 35],
    ['SURCH', 'Fuel surcharge', 7.25],
  ],
};

interface Context {
  company: CompanyWorld;
  shape: Shape;
  rng: Rng;
  nextId: () => number;
  users: readonly { id: number; name: string }[];
  warehouseId: number | null;
  products: ReadonlyMap<string, SageRecord>;
  taxRates: ReadonlyMap<number, number>;
  out: Record<string, SageRecord[]>;
  nextDocument: () => string;
  nextMove: () => string;
  /** A product's price in a customer's price band (`/product_price_views`), if the price book has one. */
  bandPrice: (product: SageRecord, customer: SageRecord) => number | undefined;
  /** Per sales order line id: what its allocation lines allocated in all, and what is allocated still. */
  allocations: Map<JsonValue | undefined, { total: number; current: number }>;
  /** Free stock by `product_id|warehouse_id` (the holdings mock-server/seed/stock.ts built), less what is allocated here. */
  freeStock: Map<string, number>;
}

/** A stamp within the working day `day`, `minutes` after nine. */
const stamp = (day: number, minutes: number): string =>
  instant(dayStartMs(day) + (9 * 60 + minutes) * 60_000);

function newOrder(ctx: Context, trader: SageRecord, day: number): SageRecord {
  const { shape, company } = ctx;
  const created = stamp(day, ctx.rng.int(0, 480));
  const order = blankRecord(shape.orders, created);
  order.id = ctx.nextId();
  order[shape.traderKey] = trader.id ?? null;
  order.document_no = ctx.nextDocument();
  order.document_date = businessDate(day);
  order.document_status = 'EnumDocumentStatusLive';
  order.exchange_rate = 1;
  const currency = company.collections.currencies.find((c) => c.id === trader.currency_id);
  if (shape.kind === 'sop') {
    order.currency_id = trader.currency_id ?? null;
    order.customer_type = 'EnumCustomerTypeCredit';
    order.customer_document_no = `PO${String(ctx.rng.int(10_000, 99_999))}`;
    order.payment_type = 'EnumSOPOrderPaymentTypeFull';
    order.promised_delivery_date = businessDate(day + 7);
  } else {
    order.supplier_document_no = `SO-${String(ctx.rng.int(100_000, 999_999))}`;
    order.document_created_by = ctx.users[0]?.name ?? '';
  }
  order.requested_delivery_date = businessDate(day + 7);
  if (currency && currency.is_base_currency !== true)
    order.exchange_rate = num(currency.core_currency_rate) || 1;
  return order;
}

function newLine(ctx: Context, order: SageRecord, number: number): SageRecord {
  const line = blankRecord(ctx.shape.lines, text(order.date_time_created));
  line.id = ctx.nextId();
  line[ctx.shape.orderKey] = order.id ?? null;
  line.line_number = number;
  if (ctx.shape.kind === 'sop') {
    line.show_on_customer_docs = true;
    line.selling_unit_multiple = 1;
    line.requested_delivery_date = order.requested_delivery_date ?? null;
    line.promised_delivery_date = order.promised_delivery_date ?? null;
  } else {
    line.show_on_supplier_docs = true;
    line.pricing_unit_multiple = 1;
  }
  line.stock_unit_multiple = 1;
  line.is_line_deletable = true;
  return line;
}

function productLine(
  ctx: Context,
  line: SageRecord,
  product: SageRecord,
  quantity: number,
  unit: number,
): void {
  line.line_type = 'EnumLineTypeStandard';
  line.product_id = product.id ?? null;
  line.warehouse_id = ctx.warehouseId;
  line.code = product.code ?? '';
  line.description = product.name ?? '';
  line.tax_code_id = product.tax_code_id ?? null;
  line.line_quantity = quantity;
  line.stock_unit_line_quantity = quantity;
  if (ctx.shape.kind === 'sop') {
    line.selling_unit_price = unit;
    line.cost_price = num(product.standard_cost);
  } else {
    line.unit_buying_price = unit;
  }
}

/** Sets a line's moved, invoiced and cancelled quantities and the statuses that follow from them. */
function settleLine(ctx: Context, line: SageRecord, moved: number, invoiced: number): void {
  const { shape } = ctx;
  const quantity = num(line.line_quantity);
  line[shape.moved] = moved;
  line[`stock_unit_${shape.moved}`] = moved;
  line.invoice_credit_quantity = invoiced;
  line.stock_unit_invoice_credit_quantity = invoiced;
  line[shape.moveStatus] = progressStatus(moved, quantity, LINE_STATUS);
  line.invoice_credit_status = progressStatus(invoiced, quantity, LINE_STATUS);
  line.is_complete = invoiced >= quantity;
  line.is_line_deletable = moved === 0;
  if (shape.kind === 'sop') {
    const allocated = ctx.allocations.get(line.id) ?? { total: 0, current: 0 };
    line.allocated_quantity = allocated.current;
    line.stock_unit_allocated_quantity = allocated.current;
    line.allocation_status = progressStatus(allocated.total, quantity, LINE_STATUS);
    line.posted_invoice_credit_quantity = invoiced;
    line.stock_unit_posted_invoice_credit_quantity = invoiced;
    line.available_for_despatch = round(quantity - moved, 5);
    line.stock_unit_available_for_despatch = round(quantity - moved, 5);
  } else {
    line.stock_unit_on_order_quantity = round(quantity - moved, 5);
  }
}

/** The order's process statuses from its lines (those with a quantity to move). */
function settleOrder(ctx: Context, order: SageRecord, lines: readonly SageRecord[]): void {
  const goods = lines.filter((l) => l.line_type !== 'EnumLineTypeComment');
  const total = goods.reduce((sum, l) => sum + num(l.line_quantity), 0);
  const moved = goods.reduce((sum, l) => sum + num(l[ctx.shape.moved]), 0);
  const invoiced = goods.reduce((sum, l) => sum + num(l.invoice_credit_quantity), 0);
  order[ctx.shape.moveStatus] = progressStatus(moved, total, DOCUMENT_PROCESS);
  order.invoice_credit_status = progressStatus(invoiced, total, DOCUMENT_PROCESS);
}

/**
 * An allocation of `quantity` of a sales order line on `day`, of which `despatched` has gone; what is left stays
 * allocated to the line (`allocated_quantity`).
 */
function allocate(ctx: Context, line: SageRecord, quantity: number, despatched: number, day: number): void {
  const created = stamp(day, ctx.rng.int(0, 480));
  const current = round(quantity - despatched, 5);
  ctx.out.sop_allocation_lines?.push({
    id: ctx.nextId(),
    sop_order_id: line.sop_order_id ?? null,
    sop_order_line_id: line.id ?? null,
    allocated_date: businessDate(day),
    allocated_quantity: quantity,
    despatched_quantity: despatched,
    current_allocated_quantity: current,
    user_name: ctx.rng.pick(ctx.users)?.name ?? '',
    warehouse_id: line.warehouse_id ?? null,
    date_time_created: created,
    date_time_updated: created,
  });
  const tally = ctx.allocations.get(line.id) ?? { total: 0, current: 0 };
  ctx.allocations.set(line.id, { total: tally.total + quantity, current: round(tally.current + current, 5) });
}

/** A despatch (sales) or receipt (purchases) of `quantities` (line id to quantity) of one order on `day`. */
function move(
  ctx: Context,
  order: SageRecord,
  quantities: ReadonlyMap<SageRecord, number>,
  day: number,
  invoiced: boolean,
) {
  const { shape, rng } = ctx;
  const user = rng.pick(ctx.users);
  const created = stamp(day, rng.int(0, 480));
  if (shape.kind === 'sop') {
    const receipt = blankRecord('sop_despatch_receipts', created);
    receipt.id = ctx.nextId();
    receipt.despatch_no = ctx.nextMove();
    receipt.despatched_by = user?.name ?? '';
    receipt.despatch_date = businessDate(day);
    const courier = rng.pick(ctx.company.collections.couriers ?? [{}]);
    receipt.courier_id = courier.id ?? null;
    receipt.courier_name = courier.name ?? '';
    receipt.consignment_no = rng.chars('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 12);
    // Goods leaving the country travel under an Incoterm, with a reason for export (a sale).
    const customer = ctx.company.collections.customers.find((c) => c.id === order.customer_id);
    if (customer && customer.country_code_id !== ctx.company.company_details.country_code_id) {
      const incoterm = ctx.company.collections.sop_incoterms?.find((t) => text(t.name).startsWith('DAP'));
      const reason = ctx.company.collections.sop_export_reasons?.[0];
      receipt.sop_incoterm_id = incoterm?.id ?? null;
      receipt.sop_incoterm_name = incoterm?.name ?? '';
      receipt.sop_export_reason_id = reason?.id ?? null;
      receipt.sop_export_reason_name = reason?.name ?? '';
    }
    receipt.pieces = [...quantities.values()].reduce((sum, q) => sum + Math.ceil(q), 0);
    receipt.weight = round(receipt.pieces * (0.5 + rng.next() * 2), 4);
    ctx.out.sop_despatch_receipts?.push(receipt);
    ctx.out.sop_order_despatches?.push({
      id: ctx.nextId(),
      sop_despatch_receipt_id: receipt.id,
      sop_order_id: order.id ?? null,
      date_time_created: created,
      date_time_updated: created,
    });
    for (const [line, quantity] of quantities) {
      // Sage despatches what was allocated: the goods are allocated first, on the day they go.
      if (line.line_type === 'EnumLineTypeStandard') allocate(ctx, line, quantity, quantity, day);
      ctx.out.sop_despatch_lines?.push({
        id: ctx.nextId(),
        sop_despatch_receipt_id: receipt.id,
        sop_order_id: order.id ?? null,
        sop_order_line_id: line.id ?? null,
        quantity,
        is_invoiced: invoiced,
        date_time_created: created,
        date_time_updated: created,
      });
    }
    return;
  }
  const receiptId = ctx.nextId();
  ctx.out.pop_receipt_returns?.push({
    id: receiptId,
    pop_order_id: order.id ?? null,
    receipt_return_no: ctx.nextMove(),
    receipt_return_date: businessDate(day),
    supplier_document_no: `DN${String(rng.int(10_000, 99_999))}`,
    user_number: user?.id ?? 0,
    user_name: user?.name ?? '',
    date_time_created: created,
    date_time_updated: created,
  });
  for (const [line, quantity] of quantities) {
    ctx.out.pop_receipt_return_lines?.push({
      id: ctx.nextId(),
      pop_receipt_return_id: receiptId,
      pop_order_id: order.id ?? null,
      pop_order_line_id: line.id ?? null,
      quantity,
      invoiced: invoiced ? 'Invoiced' : 'Not Invoiced',
      date_time_created: created,
      date_time_updated: created,
    });
  }
}

/** Records `quantity` of `line` as cancelled on `day`: the line keeps what is left (see the file comment). */
function cancel(ctx: Context, order: SageRecord, line: SageRecord, quantity: number, day: number): void {
  const user = ctx.rng.pick(ctx.users);
  const record = blankRecord(ctx.shape.cancelled, stamp(day, ctx.rng.int(0, 480)));
  record.id = ctx.nextId();
  record[`${ctx.shape.kind}_order_return_id`] = order.id ?? null;
  record.item_code = line.code ?? '';
  record.item_description = line.description ?? '';
  record.cancelled_quantity = quantity;
  record.cancelled_date = businessDate(day);
  record.user_number = user?.id ?? 0;
  record.user_name = user?.name ?? '';
  record[ctx.shape.kind === 'sop' ? 'selling_unit_description' : 'buying_unit_description'] = 'Each';
  record.stock_unit_cancelled_quantity = quantity;
  ctx.out[ctx.shape.cancelled]?.push(record);
  line.line_quantity = round(num(line.line_quantity) - quantity, 5);
  line.stock_unit_line_quantity = line.line_quantity;
}

function taxRate(ctx: Context, line: SageRecord): number {
  return typeof line.tax_code_id === 'number' ? (ctx.taxRates.get(line.tax_code_id) ?? 0) : 0;
}

/** One open order in `state`, dated in the last six weeks before the world's now. */
function openOrder(ctx: Context, traders: readonly SageRecord[], state: OpenState, day: number): void {
  const { rng, shape, out } = ctx;
  const trader = rng.pick(traders);
  const order = newOrder(ctx, trader, day);
  const products = [...ctx.products.values()];
  const count = rng.pick([1, 1, 2, 2, 3, 4]);
  const chosen = new Set<SageRecord>();
  while (chosen.size < Math.min(count, products.length)) chosen.add(rng.pick(products));
  const lines: SageRecord[] = [];
  for (const product of chosen) {
    const line = newLine(ctx, order, lines.length + 1);
    const quantity = rng.int(2, 24);
    // A customer is charged its price band's price (`/product_price_views`); a supplier, the standard cost.
    const price =
      shape.kind === 'sop'
        ? (ctx.bandPrice(product, trader) ?? round(num(product.standard_cost) * 1.8, 2))
        : round(num(product.standard_cost) / num(order.exchange_rate || 1), 2);
    productLine(ctx, line, product, quantity, price);
    lines.push(line);
  }
  for (const line of lines) priceOrderLine(line, shape.kind, taxRate(ctx, line));

  const moved = new Map<SageRecord, number>();
  const later = (days: number) => Math.min(workingDayOnOrAfter(day + days), asOfDay());
  const goods = lines.filter((l) => l.line_type === 'EnumLineTypeStandard');
  if (state === 'part-despatched') {
    const first = new Map<SageRecord, number>();
    for (const line of goods) first.set(line, Math.floor(num(line.line_quantity) / 2));
    const nonZero = new Map([...first].filter(([, q]) => q > 0));
    if (nonZero.size > 0) move(ctx, order, nonZero, later(2), false);
    for (const [line, q] of nonZero) moved.set(line, q);
  } else if (state === 'despatched') {
    const all = new Map(goods.map((l) => [l, num(l.line_quantity)]));
    move(ctx, order, all, later(3), false);
    for (const [line, q] of all) moved.set(line, q);
  } else if (state === 'part-cancelled') {
    const [first, ...rest] = goods;
    if (first) {
      const sent = Math.floor(num(first.line_quantity) / 3);
      if (sent > 0) {
        move(ctx, order, new Map([[first, sent]]), later(2), false);
        moved.set(first, sent);
      }
      cancel(ctx, order, first, round(num(first.line_quantity) - sent, 5), later(4));
      priceOrderLine(first, shape.kind, taxRate(ctx, first));
    }
    if (rest.length === 0) order.cancelled_status = DOCUMENT_PROCESS[2] ?? '';
    else order.cancelled_status = DOCUMENT_PROCESS[1] ?? '';
  } else if (state === 'cancelled') {
    for (const line of goods) {
      cancel(ctx, order, line, num(line.line_quantity), later(3));
      priceOrderLine(line, shape.kind, taxRate(ctx, line));
    }
    for (const line of lines.filter((l) => l.line_type === 'EnumLineTypeCharge')) {
      line.line_quantity = 0;
      priceOrderLine(line, shape.kind, taxRate(ctx, line));
    }
    order.document_status = 'EnumDocumentStatusCancelled';
    order.cancelled_status = DOCUMENT_PROCESS[2] ?? '';
  } else if (state === 'entered' && shape.kind === 'sop' && rng.chance(0.5)) {
    // Allocated in full where the holding's free stock allows, as an order write may allocate (stock-levels.ts).
    for (const line of goods) {
      const key = `${String(line.product_id)}|${String(line.warehouse_id)}`;
      const quantity = Math.min(num(line.line_quantity), Math.max(0, ctx.freeStock.get(key) ?? 0));
      if (quantity <= 0) continue;
      ctx.freeStock.set(key, round((ctx.freeStock.get(key) ?? 0) - quantity, 5));
      allocate(ctx, line, quantity, 0, later(1));
    }
  } else if (state === 'on-hold') {
    order.document_status = 'EnumDocumentStatusOnHold';
  }
  for (const line of lines) settleLine(ctx, line, moved.get(line) ?? 0, 0);
  totalOrder(order, lines, shape.kind);
  settleOrder(ctx, order, lines);
  if (order.document_status !== 'EnumDocumentStatusCancelled') {
    trader[shape.valueField] = round(num(trader[shape.valueField]) + num(order.total_gross_value), 2);
  }
  out[shape.orders]?.push(order);
  out[shape.lines]?.push(...lines);
}

/** Member ids of `EnumInvoiceCreditTypeInvoice` and `EnumDocumentStatusComplete` (sop_ and pop_ lists agree). */

function memberId(list: string, value: string): number {
  const member = loadCatalog()
    .members(list)
    .find((m) => m.value === value);
  if (!member) throw new Error(`${list} has no member ${value}`);
  return member.id;
}

const SALES_LINE = /^(\d+) x (\S+) /;

/**
 * The order behind one posted invoice, despatched or received in full and invoiced: its lines from the invoice's
 * nominal analysis (a product line for `2 x CODE Name`, else a free-text line of quantity 1), with the invoice's
 * tax spread over them so that the order's totals are the invoice's.
 */
function invoicedOrder(ctx: Context, invoice: SageRecord): boolean {
  const { shape, rng, out } = ctx;
  const trader = ctx.company.collections[shape.traders].find((t) => t.id === invoice[shape.traderKey]);
  if (!trader) return false;
  const analysis = Array.isArray(invoice.nominal_analysis_items)
    ? (invoice.nominal_analysis_items as SageRecord[])
    : [];
  const taxCodeId = Array.isArray(invoice.tax_analysis_items)
    ? ((invoice.tax_analysis_items[0] as SageRecord | undefined)?.id ?? null)
    : null;
  // Sales orders charge products at their price band's price, which only sterling invoices charged: those whose
  // every line names a product are rebuilt; a purchase invoice's analysis becomes free text.
  if (shape.kind === 'sop') {
    if (num(invoice.exchange_rate) !== 1 || analysis.length === 0) return false;
    for (const item of analysis) {
      const match = SALES_LINE.exec(text(item.narrative));
      if (!match || !ctx.products.has(match[2] ?? '')) return false;
    }
  }
  const invoiceDay = dayOf(text(invoice.transaction_date).slice(0, 10));
  const day = invoiceDay - rng.int(3, 12);
  const order = newOrder(ctx, trader, day);
  order.exchange_rate = num(invoice.exchange_rate) || 1;
  if (shape.kind === 'sop') order.customer_document_no = text(invoice.second_reference).slice(0, 20);
  const lines = analysis.map((item, i) => {
    const line = newLine(ctx, order, i + 1);
    const value = num(item.value);
    const match = SALES_LINE.exec(text(item.narrative));
    const product = match ? ctx.products.get(match[2] ?? '') : undefined;
    if (match && product) {
      const quantity = Number(match[1]);
      productLine(ctx, line, product, quantity, round(value / quantity, 5));
    } else {
      line.line_type = 'EnumLineTypeFreeText';
      line.product_id = 0;
      line.warehouse_id = 0;
      line.description = text(item.narrative) || text(item.name);
      line.line_quantity = 1;
      line[shape.kind === 'sop' ? 'selling_unit_price' : 'unit_buying_price'] = value;
    }
    line.tax_code_id = taxCodeId;
    line.nominal_reference = item.code ?? '';
    line.nominal_cost_centre = item.cost_centre ?? '';
    line.nominal_department = item.department ?? '';
    priceOrderLine(line, shape.kind, taxRate(ctx, line));
    line.line_total_value = value;
    return line;
  });
  if (lines.length === 0) return false;
  // The invoice's tax, spread by value, the last line taking what rounding leaves.
  const tax = num(invoice.document_tax_value);
  const goods = lines.reduce((sum, l) => sum + num(l.line_total_value), 0);
  let left = tax;
  lines.forEach((line, i) => {
    const share =
      i === lines.length - 1 ? round(left, 2) : round((tax * num(line.line_total_value)) / (goods || 1), 2);
    line.line_tax_value = share;
    left = round(left - share, 2);
  });
  const all = new Map(lines.map((l) => [l, num(l.line_quantity)]));
  move(ctx, order, all, Math.max(day + 1, invoiceDay - rng.int(0, 2)), true);
  for (const line of lines) settleLine(ctx, line, num(line.line_quantity), num(line.line_quantity));
  totalOrder(order, lines, shape.kind);
  settleOrder(ctx, order, lines);
  order.document_status = 'EnumDocumentStatusComplete';

  const posted = text(invoice.date_time_created);
  const creditId = ctx.nextId();
  out[shape.invoices]?.push({
    id: creditId,
    [shape.orderKey]: order.id ?? null,
    document_no: invoice.reference ?? '',
    document_date: invoice.transaction_date ?? null,
    invoice_credit_type: 'EnumInvoiceCreditTypeInvoice',
    invoice_credit_type_id: memberId('sop_invoice_credit_types', 'EnumInvoiceCreditTypeInvoice'),
    document_status: 'EnumDocumentStatusComplete',
    document_status_id: memberId('sop_document_status_types', 'EnumDocumentStatusComplete'),
    total_net_value: num(invoice.document_goods_value),
    total_tax_value: tax,
    total_gross_value: num(invoice.document_gross_value),
    posted_transaction_id: invoice.id ?? null,
    date_time_created: posted,
    date_time_updated: posted,
  });
  for (const line of lines) {
    out[shape.invoiceLines]?.push({
      id: ctx.nextId(),
      [shape.invoiceKey]: creditId,
      [`${shape.kind}_order_line_id`]: line.id ?? null,
      quantity: num(line.line_quantity),
      ...(shape.kind === 'sop' ? invoicedValues(line) : {}),
      date_time_created: posted,
      date_time_updated: posted,
    });
  }
  out[shape.orders]?.push(order);
  out[shape.lines]?.push(...lines);
  return true;
}

/**
 * A sales invoice line's values and its profit analysis: the whole order line is invoiced, in sterling (the only
 * invoices rebuilt as orders), so its base cost is the line's cost price times the quantity.
 */
function invoicedValues(line: SageRecord): SageRecord {
  const net = num(line.line_total_value);
  const cost = round(num(line.cost_price) * num(line.line_quantity), 5);
  return {
    line_total_value: net,
    line_tax_value: num(line.line_tax_value),
    realised_cost_value: cost,
    realised_profit_value: round(net - cost, 5),
  };
}

function additionalCharges(ctx: Context): SageRecord[] {
  const { company, shape } = ctx;
  const created = text(company.company_details.date_time_created);
  const nominal = company.collections.nominal_codes.find(
    (n) => n.reference === (shape.kind === 'sop' ? '4900' : '5100'),
  );
  const standard = company.collections.tax_codes.find((t) => t.code === 1);
  return CHARGES[shape.kind].map(([code, name, value]) => {
    const charge = blankRecord(shape.charges, created);
    charge.id = ctx.nextId();
    charge.code = code;
    charge.name = name;
    charge.charge_value = value;
    if (shape.kind === 'sop') charge.notional_cost_value = round(value * 0.6, 5);
    charge.nominal_code_id = nominal?.id ?? null;
    charge.tax_code_id = standard?.id ?? null;
    return charge;
  });
}

/** The collections the order book adds to a company (the internal ones are declared in `x-sandbox-collections`). */
export const ORDER_BOOK_COLLECTIONS = [
  'sop_additional_charges',
  'sop_despatch_receipts',
  'sop_order_despatches',
  'sop_despatch_lines',
  'sop_allocation_lines',
  'sop_cancelled_lines',
  'sop_invoice_credits',
  'sop_invoice_credit_lines',
  'pop_additional_charges',
  'pop_receipt_returns',
  'pop_receipt_return_lines',
  'pop_cancelled_lines',
  'pop_invoice_credits',
  'pop_invoice_credit_lines',
] as const;

/** Adds the order book to a company, in place; `seed` starts its own Rng stream. */
export function addOrderBook(company: CompanyWorld, seed: number, scale: 'small' | 'medium' | 'large'): void {
  const rng = new Rng(seed);
  const nextId = () => company.next_id++;
  const factor = scale === 'small' ? 0.1 : 1;
  const users = (company.collections.users ?? []).map((u) => ({ id: num(u.id), name: text(u.name) }));
  const products = new Map<string, SageRecord>();
  for (const product of company.collections.products) {
    if (product.allow_sales_order === true) products.set(text(product.code), product);
  }
  const taxRates = new Map(company.collections.tax_codes.map((t) => [num(t.id), num(t.tax_rate)]));
  const out: Record<string, SageRecord[]> = Object.fromEntries(
    ORDER_BOOK_COLLECTIONS.map((name) => [name, []]),
  );
  const warehouse = company.collections.warehouses[0]?.id;
  const bandPrices = new Map<string, number>();
  for (const price of company.collections.product_price_views ?? []) {
    bandPrices.set(
      `${String(price.product_id)}:${String(price.price_band_id)}`,
      num(price.product_price_price),
    );
  }
  for (const kind of ['sop', 'pop'] as const) {
    const shape = SHAPES[kind];
    const existing = company.collections[shape.orders];
    let documentNo = existing.reduce((max, o) => Math.max(max, Number(o.document_no) || 0), 0);
    let moveNo = 0;
    const ctx: Context = {
      company,
      shape,
      rng,
      nextId,
      users: users.length > 0 ? users : [{ id: 0, name: '' }],
      warehouseId: typeof warehouse === 'number' ? warehouse : null,
      products,
      taxRates,
      out,
      nextDocument: () => documentNumber(++documentNo),
      nextMove: () => `${kind === 'sop' ? 'DSP' : 'GRN'}${String(++moveNo).padStart(7, '0')}`,
      allocations: new Map(),
      freeStock: new Map(
        (company.collections.warehouse_holdings ?? []).map((h) => [
          `${String(h.product_id)}|${String(h.warehouse_id)}`,
          num(h.free_stock_available),
        ]),
      ),
      bandPrice: (product, customer) =>
        bandPrices.get(`${String(product.id)}:${String(customer.price_band_id)}`),
    };
    out[shape.charges] = additionalCharges(ctx);
    out[shape.orders] = [];
    out[shape.lines] = [];
    const volumes = ORDER_BOOK_VOLUMES[kind];
    const invoices = company.collections[shape.transactions]
      .filter((t) => t.trader_transaction_type === 'TradingAccountEntryTypeInvoice')
      .slice(-Math.round(volumes.invoiced * factor));
    for (const invoice of invoices) invoicedOrder(ctx, invoice);
    const traders = company.collections[shape.traders].filter(
      (t) => t.on_hold !== true && t.account_status_type === 'AccountStatusActive',
    );
    const weights: number[] = OPEN_STATES.map(([, w]) => w);
    const cumulative = Float64Array.from(
      weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0)),
    );
    const open = Math.round(volumes.open * factor);
    const start = asOfDay() - 42;
    const days = 39;
    const dates = Array.from({ length: open }, () => workingDayOnOrAfter(start + rng.int(0, days))).sort(
      (a, b) => a - b,
    );
    if (traders.length > 0 && products.size > 0) {
      for (const day of dates) {
        const state = OPEN_STATES[rng.pickCumulative(cumulative)]?.[0] ?? 'entered';
        openOrder(ctx, traders, state, day);
      }
    }
    existing.push(...(out[shape.orders] ?? []));
    company.collections[shape.lines].push(...(out[shape.lines] ?? []));
  }
  for (const name of ORDER_BOOK_COLLECTIONS) company.collections[name] = out[name] ?? [];
  addRequisitions({
    company,
    rng,
    nextId,
    factor,
    orders: out.pop_orders ?? [],
    lines: out.pop_order_lines ?? [],
    users: users.length > 0 ? users : [{ id: 0, name: '' }],
  });
  addSopDocuments({ company, rng, nextId, factor });
}
