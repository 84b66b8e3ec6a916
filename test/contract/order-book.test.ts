/**
 * The order book (mock-server/seed/order-book.ts) read as an integrator reads it: the SOP and POP views agree with
 * the orders, lines, despatches, receipts, cancelled lines and invoices they are projected from, completed orders
 * agree to the penny with the posted invoices behind them, and a write to an order shows in every view at once
 * (a property test over random writes with fast-check).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
const cents = (value: unknown): number => Math.round(n(value) * 100);
const TOP = '$orderby=id&$top=5000';

function sumBy(rows: readonly Row[], key: string, value: string): Map<unknown, number> {
  const sums = new Map<unknown, number>();
  for (const row of rows) sums.set(row[key], (sums.get(row[key]) ?? 0) + n(row[value]));
  return sums;
}

async function write(app: SandboxApp, caller: Caller, method: string, path: string, body: unknown) {
  const response = await app.request(api(path), {
    method,
    headers: { ...caller.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Row };
}

describe('the sales order book', () => {
  let app: SandboxApp;
  let caller: Caller;
  let orders: Row[];
  let lines: Row[];
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    orders = await caller.json<Row[]>(`/sop_orders?${TOP}`);
    lines = await caller.json<Row[]>('/sop_order_line_views?$orderby=sop_order_line_id&$top=5000');
  });

  it('holds orders in every state: open, part-despatched, despatched, part-cancelled, cancelled, on hold, complete', () => {
    const states = new Set(
      orders.map((o) => `${String(o.document_status)}/${String(o.despatch_receipt_status)}`),
    );
    for (const state of [
      'EnumDocumentStatusLive/EnumDocumentProcessStatusNone',
      'EnumDocumentStatusLive/EnumDocumentProcessStatusPart',
      'EnumDocumentStatusLive/EnumDocumentProcessStatusFull',
      'EnumDocumentStatusOnHold/EnumDocumentProcessStatusNone',
      'EnumDocumentStatusCancelled/EnumDocumentProcessStatusNone',
      'EnumDocumentStatusComplete/EnumDocumentProcessStatusFull',
    ]) {
      expect(states).toContain(state);
    }
    expect(orders.some((o) => o.cancelled_status === 'EnumDocumentProcessStatusPart')).toBe(true);
  });

  it('projects one line view per order line, with its order, customer and product', async () => {
    const customers = new Map((await caller.json<Row[]>(`/customers?${TOP}`)).map((c) => [c.id, c]));
    const byId = new Map(orders.map((o) => [o.id, o]));
    for (const order of orders.slice(0, 40)) {
      const own = await caller.json<Row[]>(`/sop_orders/${String(order.id)}/sop_order_lines?$orderby=id`);
      const views = lines.filter((l) => l.sop_order_id === order.id);
      expect(views.map((v) => v.sop_order_line_id)).toEqual(own.map((l) => l.id));
      for (const [i, line] of own.entries()) {
        expect(views[i]).toMatchObject({
          sop_order_document_no: order.document_no,
          sop_order_document_status: order.document_status,
          customer_id: order.customer_id,
          customer_reference: customers.get(order.customer_id)?.reference,
          sop_order_line_quantity: line.line_quantity,
          sop_order_line_despatch_receipt_quantity: line.despatch_receipt_quantity,
          sop_order_line_invoice_credit_quantity: line.invoice_credit_quantity,
          sop_order_line_total_value: line.line_total_value,
          product_id: line.line_type === 'EnumLineTypeStandard' ? line.product_id : null,
        });
      }
    }
    expect(new Set(lines.map((l) => l.sop_order_id))).toEqual(new Set(byId.keys()));
  });

  it('sums despatch lines to each line’s despatched quantity and leaves nothing negative outstanding', async () => {
    const despatched = sumBy(
      await caller.json<Row[]>('/sop_order_despatch_line_views?$top=5000'),
      'sop_order_line_id',
      'sop_despatch_line_quantity',
    );
    expect(despatched.size).toBeGreaterThan(0);
    for (const line of lines) {
      const moved = n(line.sop_order_line_despatch_receipt_quantity);
      expect(despatched.get(line.sop_order_line_id) ?? 0).toBeCloseTo(moved, 5);
      expect(n(line.sop_order_line_quantity) - moved).toBeGreaterThanOrEqual(0);
    }
  });

  it('cancels only what was outstanding: a line with a cancelled record has nothing left to despatch', async () => {
    const cancelled = await caller.json<Row[]>(`/sop_cancelled_lines?${TOP}`);
    expect(cancelled.length).toBeGreaterThan(0);
    for (const record of cancelled) {
      const line = lines.find(
        (l) =>
          l.sop_order_id === record.sop_order_return_id && l.sop_order_line_product_code === record.item_code,
      );
      expect(
        line,
        `cancelled ${String(record.item_code)} on order ${String(record.sop_order_return_id)}`,
      ).toBeDefined();
      expect(n(record.cancelled_quantity)).toBeGreaterThan(0);
      expect(n(line?.sop_order_line_quantity)).toBeCloseTo(
        n(line?.sop_order_line_despatch_receipt_quantity),
        5,
      );
    }
    const one = cancelled[0];
    expect(await caller.json(`/sop_cancelled_lines/${String(one?.id)}`)).toEqual(one);
  });

  it('sums invoice lines to each line’s invoiced quantity; each invoice is a posted invoice, to the penny', async () => {
    const invoiced = sumBy(
      await caller.json<Row[]>('/sop_order_return_line_invoice_credit_views?$top=5000'),
      'sop_order_return_line_id',
      'sop_invoice_credit_line_invoice_credit_quantity',
    );
    for (const line of lines) {
      expect(invoiced.get(line.sop_order_line_id) ?? 0).toBeCloseTo(
        n(line.sop_order_line_invoice_credit_quantity),
        5,
      );
    }
    const invoices = await caller.json<Row[]>('/sop_order_return_invoice_credit_views?$top=5000');
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) {
      const [posted] = await caller.json<Row[]>(
        `/sales_posted_transactions?$filter=reference eq '${String(invoice.sop_invoice_credit_document_no)}' and customer_id eq ${String(invoice.customer_id)}`,
      );
      expect(posted?.trader_transaction_type).toBe('TradingAccountEntryTypeInvoice');
      expect(cents(invoice.sop_invoice_credit_total_net_value)).toBe(cents(posted?.document_goods_value));
      expect(cents(invoice.sop_invoice_credit_total_tax_value)).toBe(cents(posted?.document_tax_value));
      expect(cents(invoice.sop_order_return_total_net_value)).toBe(cents(posted?.document_goods_value));
      expect(cents(invoice.sop_order_return_total_gross_value)).toBe(cents(posted?.document_gross_value));
    }
  });

  it('totals every order from its lines and sets its statuses from their quantities', () => {
    for (const order of orders) {
      const own = lines.filter((l) => l.sop_order_id === order.id);
      const goods = own.filter((l) => l.sop_order_line_type !== 'EnumLineTypeCharge');
      const net = goods.reduce((sum, l) => sum + cents(l.sop_order_line_total_value), 0);
      expect(cents(order.subtotal_goods_value)).toBe(net);
      const tax = own.reduce((sum, l) => sum + cents(l.sop_order_line_line_tax_value), 0);
      expect(Math.abs(cents(order.total_tax_value) - tax)).toBeLessThanOrEqual(own.length);
      const ordered = own.reduce((sum, l) => sum + n(l.sop_order_line_quantity), 0);
      const moved = own.reduce((sum, l) => sum + n(l.sop_order_line_despatch_receipt_quantity), 0);
      const expected =
        moved === 0
          ? 'EnumDocumentProcessStatusNone'
          : moved >= ordered
            ? 'EnumDocumentProcessStatusFull'
            : 'EnumDocumentProcessStatusPart';
      expect(order.despatch_receipt_status, `order ${String(order.document_no)}`).toBe(expected);
    }
  });

  it('projects one despatch view per despatch receipt, naming its order and customer', async () => {
    const receipts = await caller.json<Row[]>(`/sop_despatch_receipts?${TOP}`);
    const views = await caller.json<Row[]>('/sop_order_despatch_views?$top=5000');
    expect(views.map((v) => v.sop_despatch_id).sort()).toEqual(receipts.map((r) => r.id).sort());
    for (const view of views.slice(0, 30)) {
      const order = orders.find((o) => o.id === view.sop_order_id);
      expect(view.sop_order_document_no).toBe(order?.document_no);
      expect(view.customer_id).toBe(order?.customer_id);
    }
  });

  it('keeps on each line what its allocation lines still hold allocated, and allocates all that was despatched', async () => {
    const allocations = await caller.json<Row[]>('/sop_allocation_line_views?$top=5000');
    const current = sumBy(
      allocations,
      'sop_order_return_line_id',
      'sop_allocation_line_current_allocated_quantity',
    );
    const gone = sumBy(allocations, 'sop_order_return_line_id', 'sop_allocation_line_despatched_quantity');
    expect([...current.values()].some((q) => q > 0)).toBe(true);
    for (const line of lines) {
      expect(current.get(line.sop_order_line_id) ?? 0).toBeCloseTo(
        n(line.sop_order_line_allocated_quantity),
        5,
      );
      if (line.sop_order_line_type === 'EnumLineTypeStandard') {
        expect(gone.get(line.sop_order_line_id) ?? 0).toBeCloseTo(
          n(line.sop_order_line_despatch_receipt_quantity),
          5,
        );
      }
    }
  });

  it('offers for despatch exactly the live orders with something left to despatch', async () => {
    const discrete = await caller.json<Row[]>(`/sop_despatch_discrete_orders?${TOP}`);
    const open = orders.filter(
      (o) =>
        o.document_status === 'EnumDocumentStatusLive' &&
        o.despatch_receipt_status !== 'EnumDocumentProcessStatusFull',
    );
    expect(open.length).toBeGreaterThan(0);
    expect(discrete.map((d) => d.id)).toEqual(open.map((o) => o.id));
    expect(discrete.map((d) => d.document_value)).toEqual(open.map((o) => o.total_gross_value));
  });

  it('serves the additional charges with their nominal and tax codes', async () => {
    const charges = await caller.json<Row[]>(`/sop_additional_charges?${TOP}`);
    expect(charges.map((c) => c.code)).toContain('CARR');
    for (const charge of charges) {
      expect((await caller.get(`/nominal_codes/${String(charge.nominal_code_id)}`)).status).toBe(200);
      expect((await caller.get(`/tax_codes/${String(charge.tax_code_id)}`)).status).toBe(200);
    }
    expect((await caller.get('/sop_additional_charges/1')).status).toBe(404);
    const [expanded] = await caller.json<Row[]>(
      '/sop_additional_charges?$orderby=id&$top=1&$expand=nominal_code,tax_code',
    );
    expect((expanded?.nominal_code as Row | undefined)?.id).toBe(expanded?.nominal_code_id);
    expect((expanded?.tax_code as Row | undefined)?.id).toBe(expanded?.tax_code_id);
    const [receipt] = await caller.json<Row[]>('/sop_despatch_receipts?$orderby=id&$top=1&$expand=courier');
    expect((receipt?.courier as Row | undefined)?.name).toBe(receipt?.courier_name);
  });

  it('answers 403 to a role without the Sales Ledger', async () => {
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/sop_order_line_views')).status).toBe(403);
    expect((await limited.get('/pop_order_line_views')).status).toBe(200);
  });
});

describe('quotations, pro formas and returns', () => {
  let caller: Caller;
  beforeAll(async () => {
    caller = await callerFor(testSandbox(), USERS.full);
  });

  it('projects every quotation line, whose values add up to its quotation', async () => {
    const quotes = await caller.json<Row[]>(`/sop_quotes?${TOP}`);
    const lines = await caller.json<Row[]>('/sop_quote_line_views?$top=5000');
    const views = await caller.json<Row[]>(`/sop_quote_views?${TOP}`);
    expect(quotes.length).toBeGreaterThan(2);
    expect(views.map((v) => v.id)).toEqual(quotes.map((q) => q.id));
    for (const [i, quote] of quotes.entries()) {
      const own = lines.filter((l) => l.sop_quote_id === quote.id);
      expect(own.length, `quote ${String(quote.document_no)}`).toBeGreaterThan(0);
      const goods = own.reduce((sum, l) => sum + cents(l.sop_quote_line_total_value), 0);
      expect(goods).toBe(cents(quote.subtotal_goods_value));
      expect(
        own.every(
          (l) => l.customer_id === quote.customer_id && l.sop_quote_document_no === quote.document_no,
        ),
      ).toBe(true);
      expect(views[i]?.total_gross_value).toBe(quote.total_gross_value);
    }
  });

  it('projects pro forma lines with their customer and product', async () => {
    const lines = await caller.json<Row[]>('/sop_proforma_line_views?$top=5000');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect((await caller.get(`/customers/${String(line.customer_id)}`)).status).toBe(200);
      expect(line.product_code).toBe(line.sop_proforma_line_product_code);
    }
  });

  it('rebuilds each return from a posted credit note, received and credited in full', async () => {
    const lines = await caller.json<Row[]>('/sop_return_line_views?$top=5000');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [credit] = await caller.json<Row[]>(
        `/sales_posted_transactions?$filter=reference eq '${String(line.sop_return_document_no)}' and customer_id eq ${String(line.customer_id)}`,
      );
      expect(credit?.trader_transaction_type).toBe('TradingAccountEntryTypeCreditNote');
      expect(cents(line.sop_return_line_total_value)).toBe(cents(credit?.document_goods_value));
      expect(line.sop_return_line_despatch_receipt_quantity).toBe(line.sop_return_line_quantity);
      expect(line.sop_return_line_invoice_credit_quantity).toBe(line.sop_return_line_quantity);
    }
  });
});

describe('the purchase order book', () => {
  let caller: Caller;
  let orders: Row[];
  let lines: Row[];
  beforeAll(async () => {
    const app = testSandbox();
    caller = await callerFor(app, USERS.full);
    orders = await caller.json<Row[]>(`/pop_orders?${TOP}`);
    lines = await caller.json<Row[]>('/pop_order_line_views?$orderby=pop_order_line_id&$top=5000');
  });

  it('sums receipt lines to each line’s received quantity and invoice lines to its invoiced quantity', async () => {
    const received = sumBy(
      await caller.json<Row[]>('/pop_order_return_line_receipt_return_views?$top=5000'),
      'pop_order_return_line_id',
      'pop_receipt_return_line_receipt_return_quantity',
    );
    const invoiced = sumBy(
      await caller.json<Row[]>('/pop_order_return_line_invoice_credit_views?$top=5000'),
      'pop_order_return_line_id',
      'pop_invoice_credit_line_invoice_credit_quantity',
    );
    expect(received.size).toBeGreaterThan(0);
    expect(invoiced.size).toBeGreaterThan(0);
    for (const line of lines) {
      const own = await caller.json<Row>(`/pop_order_lines/${String(line.pop_order_line_id)}`);
      expect(received.get(line.pop_order_line_id) ?? 0).toBeCloseTo(n(own.receipt_return_quantity), 5);
      expect(invoiced.get(line.pop_order_line_id) ?? 0).toBeCloseTo(n(own.invoice_credit_quantity), 5);
      expect(n(own.line_quantity) - n(own.receipt_return_quantity)).toBeGreaterThanOrEqual(0);
    }
  });

  it('rebuilds completed orders from posted purchase invoices, to the penny', async () => {
    const rows = await caller.json<Row[]>('/pop_order_return_invoice_credit_views?$top=5000');
    const invoices = new Map(rows.map((r) => [r.pop_invoice_credit_no, r]));
    expect(invoices.size).toBeGreaterThan(0);
    for (const row of invoices.values()) {
      const [posted] = await caller.json<Row[]>(
        `/purchase_posted_transactions?$filter=reference eq '${String(row.pop_invoice_credit_no)}' and supplier_id eq ${String(row.supplier_id)}`,
      );
      expect(cents(row.pop_order_return_total_net_value)).toBe(cents(posted?.document_goods_value));
      expect(cents(row.pop_order_return_total_gross_value)).toBe(cents(posted?.document_gross_value));
    }
  });

  it('projects one order view per order, with its status as its member id', async () => {
    const views = await caller.json<Row[]>(`/pop_order_return_views?${TOP}`);
    const statuses = new Map(
      (await caller.json<Row[]>('/pop_document_status_types')).map((s) => [s.value, s.id]),
    );
    expect(views.map((v) => v.id)).toEqual(orders.map((o) => o.id));
    for (const [i, view] of views.entries()) {
      expect(view.document_status_id).toBe(statuses.get(orders[i]?.document_status));
      expect(view.total_gross_value).toBe(orders[i]?.total_gross_value);
    }
    const held = new Set(orders.map((o) => o.document_status));
    expect(held).toContain('EnumDocumentStatusLive');
    expect(held).toContain('EnumDocumentStatusComplete');
  });
});

describe('purchase requisitions', () => {
  it('are fulfilled by live purchase order lines of their item and quantity, or from stock', async () => {
    const caller = await callerFor(testSandbox(), USERS.full);
    const lines = await caller.json<Row[]>(`/pop_requisition_fulfilment_lines?${TOP}`);
    const views = await caller.json<Row[]>('/pop_requisition_fulfilment_line_views?$top=5000');
    expect(lines.some((l) => l.pop_requisition_fulfilment_line_type === 'POPOrder')).toBe(true);
    expect(lines.some((l) => l.pop_requisition_fulfilment_line_type === 'Stock')).toBe(true);
    expect(views.map((v) => v.pop_requisition_fulfilment_line_id).sort()).toEqual(
      lines.map((l) => l.id).sort(),
    );
    for (const line of lines) {
      const view = views.find((v) => v.pop_requisition_fulfilment_line_id === line.id);
      expect(view?.pop_requisition_line_quantity_fulfilled).toBe(line.quantity);
      expect(view?.pop_requisition_document_no).toMatch(/^REQ\d{6}$/);
      if (line.pop_requisition_fulfilment_line_type !== 'POPOrder') {
        expect(line.linked_item_id).toBe(0);
        continue;
      }
      const orderLine = await caller.json<Row>(`/pop_order_lines/${String(line.linked_item_id)}`);
      const order = await caller.json<Row>(`/pop_orders/${String(orderLine.pop_order_id)}`);
      expect(orderLine).toMatchObject({
        code: line.item_code,
        line_quantity: line.quantity,
        has_requisition_lines: true,
      });
      expect(order.document_no).toBe(line.linked_reference);
      expect(order.supplier_id).toBe(line.supplier_id);
    }
    expect(await caller.json(`/pop_requisition_fulfilment_lines/${String(lines[0]?.id)}`)).toEqual(lines[0]);
  });
});

describe('writes to orders the order book has moved on', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  async function currentValues(): Promise<void> {
    const orders = await caller.json<Row[]>(`/sop_orders?${TOP}`);
    const customers = await caller.json<Row[]>(`/customers?${TOP}`);
    const current = new Map<unknown, number>();
    for (const order of orders) {
      if (order.document_status === 'EnumDocumentStatusComplete') continue;
      if (order.document_status === 'EnumDocumentStatusCancelled') continue;
      current.set(order.customer_id, (current.get(order.customer_id) ?? 0) + cents(order.total_gross_value));
    }
    for (const customer of customers) {
      expect(cents(customer.value_of_current_orders_in_sop), String(customer.reference)).toBe(
        current.get(customer.id) ?? 0,
      );
    }
  }

  it('count only current orders (not complete, not cancelled) in the account’s value of current orders', async () => {
    await currentValues();
  });

  it('refuse to delete a despatched order, or its despatched line, or to order less than was despatched', async () => {
    const [line] = await caller.json<Row[]>(
      "/sop_order_line_views?$filter=sop_order_line_despatch_receipt_quantity gt 0 and sop_order_document_status eq 'EnumDocumentStatusLive'&$top=1",
    );
    expect(line).toBeDefined();
    const order = `/sop_orders/${String(line?.sop_order_id)}`;
    const before = await caller.json<Row>(`${order}?$expand=lines`);
    const removed = await app.request(api(order), { method: 'DELETE', headers: caller.headers });
    expect(removed.status).toBe(400);
    const dropLine = await write(app, caller, 'PUT', order, {
      lines: [{ id: line?.sop_order_line_id, is_to_delete: true }],
    });
    expect(dropLine.status).toBe(400);
    const fewer = await write(app, caller, 'PUT', order, {
      lines: [
        { id: line?.sop_order_line_id, line_quantity: n(line?.sop_order_line_despatch_receipt_quantity) - 1 },
      ],
    });
    expect(fewer.status).toBe(400);
    expect(String(fewer.body.message ?? JSON.stringify(fewer.body))).toContain('line_quantity');
    expect(await caller.json<Row>(`${order}?$expand=lines`)).toEqual(before);
  });

  it('take more on a part-despatched line: the outstanding quantity grows, the despatches stay', async () => {
    const [line] = await caller.json<Row[]>(
      "/sop_order_line_views?$filter=sop_order_line_despatch_receipt_quantity gt 0 and sop_order_document_status eq 'EnumDocumentStatusLive'&$top=1",
    );
    const id = String(line?.sop_order_line_id);
    const despatches = await caller.json<Row[]>(
      `/sop_order_despatch_line_views?$filter=sop_order_line_id eq ${id}`,
    );
    const more = await write(app, caller, 'PUT', `/sop_orders/${String(line?.sop_order_id)}`, {
      customer_document_no: 'PO-MORE',
      lines: [{ id: line?.sop_order_line_id, line_quantity: n(line?.sop_order_line_quantity) + 5 }],
    });
    expect(more.status).toBe(200);
    const [after] = await caller.json<Row[]>(`/sop_order_line_views?$filter=sop_order_line_id eq ${id}`);
    expect(after?.sop_order_line_quantity).toBe(n(line?.sop_order_line_quantity) + 5);
    expect(after?.sop_order_line_despatch_receipt_quantity).toBe(
      line?.sop_order_line_despatch_receipt_quantity,
    );
    const stored = await caller.json<Row>(`/sop_order_lines/${id}`);
    expect(stored.available_for_despatch).toBeCloseTo(
      n(stored.line_quantity) - n(stored.despatch_receipt_quantity),
      5,
    );
    expect(stored.despatch_receipt_status).toBe('EnumTradeLineStatusPartially');
    const order = await caller.json<Row>(`/sop_orders/${String(line?.sop_order_id)}`);
    expect(order.despatch_receipt_status).toBe('EnumDocumentProcessStatusPart');
    const again = await caller.json<Row[]>(
      `/sop_order_despatch_line_views?$filter=sop_order_line_id eq ${id}`,
    );
    expect(again.map((d) => d.sop_despatch_line_quantity)).toEqual(
      despatches.map((d) => d.sop_despatch_line_quantity),
    );
    expect(again.every((d) => d.sop_order_customer_document_no === 'PO-MORE')).toBe(true);
    await currentValues();
  });
});

describe('a write to an order shows in every view that covers it', () => {
  it('holds the view identities after any sequence of order writes', async () => {
    const app = testSandbox();
    const caller = await callerFor(app, USERS.full);
    const customers = (await caller.json<Row[]>(`/customers?${TOP}`)).filter((c) => c.on_hold === false);
    const products = await caller.json<Row[]>(`/products?${TOP}`);
    const [warehouse] = await caller.json<Row[]>('/warehouses');
    const lineArb = fc.record({
      product: fc.integer({ min: 0, max: products.length - 1 }),
      quantity: fc.integer({ min: 1, max: 40 }),
      price: fc.integer({ min: 1, max: 50_000 }).map((p) => p / 100),
    });
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('create' as const),
        customer: fc.integer({ min: 0, max: customers.length - 1 }),
        lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('rename' as const), reference: fc.stringMatching(/^[A-Z0-9]{1,12}$/) }),
      fc.record({ kind: fc.constant('add-line' as const), line: lineArb }),
    );
    const created: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        for (const s of steps) {
          const lineBody = (l: { product: number; quantity: number; price: number }) => ({
            line_type: 'EnumLineTypeStandard',
            product_id: products[l.product]?.id,
            warehouse_id: warehouse?.id,
            line_quantity: l.quantity,
            selling_unit_price: l.price,
          });
          const target = created.at(-1);
          if (s.kind === 'create') {
            const { status, body } = await write(app, caller, 'POST', '/sop_orders', {
              customer_id: customers[s.customer]?.id,
              lines: s.lines.map(lineBody),
            });
            expect(status).toBe(200);
            created.push(n(body.id));
          } else if (target !== undefined && s.kind === 'rename') {
            const { status } = await write(app, caller, 'PUT', `/sop_orders/${target}`, {
              customer_document_no: s.reference,
            });
            expect(status).toBe(200);
          } else if (target !== undefined && s.kind === 'add-line') {
            const { status } = await write(app, caller, 'PUT', `/sop_orders/${target}`, {
              lines: [lineBody(s.line)],
            });
            expect(status).toBe(200);
          }
        }
        for (const id of created.slice(-3)) {
          const order = await caller.json<Row>(`/sop_orders/${id}?$expand=lines`);
          const own = order.lines as Row[];
          const views = await caller.json<Row[]>(
            `/sop_order_line_views?$filter=sop_order_id eq ${id}&$orderby=sop_order_line_id`,
          );
          expect(views.map((v) => v.sop_order_line_id)).toEqual(own.map((l) => l.id));
          for (const [i, view] of views.entries()) {
            expect(view.sop_order_customer_document_no).toBe(order.customer_document_no);
            expect(view.sop_order_subtotal_goods_value).toBe(order.subtotal_goods_value);
            expect(view.sop_order_line_quantity).toBe(own[i]?.line_quantity);
            expect(view.sop_order_line_total_value).toBe(own[i]?.line_total_value);
            expect(view.sop_order_line_despatch_receipt_quantity).toBe(0);
          }
          const [orderView] = await caller.json<Row[]>(`/sop_order_return_views?$filter=id eq ${id}`);
          expect(orderView?.total_gross_value).toBe(order.total_gross_value);
          expect(orderView?.customer_document_no).toBe(order.customer_document_no);
          const [discrete] = await caller.json<Row[]>(
            `/sop_despatch_discrete_orders?$filter=document_no eq '${String(order.document_no)}'`,
          );
          expect(discrete?.document_value).toBe(order.total_gross_value);
        }
      }),
      { numRuns: 15, seed: 12 },
    );
  });
});
