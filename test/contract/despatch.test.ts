/**
 * What the order book offers to despatch and what a purchase order line is linked to, read as an integrator reads
 * them: `/sop_confirm_despatch` lists exactly the allocated, outstanding goods lines of live orders with quantities
 * that agree with the lines, and a purchase line's linked sales and requisition lines agree with the records they
 * are derived from (mock-server/views/confirm-despatch.ts, mock-server/views/linked-order-lines.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
const TOP = '$orderby=id&$top=5000';

describe('GET /sop_confirm_despatch', () => {
  let app: SandboxApp;
  let caller: Caller;
  let orders: Map<unknown, Row>;
  let lines: Row[];
  let rows: Row[];
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    orders = new Map((await caller.json<Row[]>(`/sop_orders?${TOP}`)).map((o) => [o.id, o]));
    lines = [];
    for (const order of orders.values()) {
      if (order.document_status !== 'EnumDocumentStatusLive') continue;
      lines.push(
        ...(await caller.json<Row[]>(`/sop_orders/${String(order.id)}/sop_order_lines?$orderby=id`)),
      );
    }
    rows = await caller.json<Row[]>('/sop_confirm_despatch');
  });

  it('lists every allocated goods line of a live order with something left to despatch, and nothing else', () => {
    const expected = lines
      .filter(
        (l) =>
          l.line_type === 'EnumLineTypeStandard' &&
          n(l.allocated_quantity) > 0 &&
          n(l.line_quantity) > n(l.despatch_receipt_quantity),
      )
      .map((l) => l.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const listed = rows.flatMap((r) => (r.items as Row[]).map((i) => i.id)).sort();
    expect(listed).toEqual(expected);
  });

  it('groups the lines by their order, one row per order, dated today', () => {
    const today = `${new Date(app.sandbox.clock.now()).toISOString().slice(0, 10)}T00:00:00`;
    for (const row of rows) {
      const order = orders.get(row.sop_order_return_id);
      expect(order?.document_status).toBe('EnumDocumentStatusLive');
      expect(row.despatch_receipt_date).toBe(today);
      for (const item of row.items as Row[]) {
        expect(item.sop_order_return_id).toBe(order?.id);
        expect(item.document_no).toBe(order?.document_no);
        expect(item.customer_id).toBe(order?.customer_id);
      }
    }
    expect(new Set(rows.map((r) => r.sop_order_return_id)).size).toBe(rows.length);
  });

  it('offers the allocated quantity, and shows outstanding as ordered less despatched', () => {
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const item of rows.flatMap((r) => r.items as Row[])) {
      const line = byId.get(item.id)!;
      expect(item.line_quantity).toBe(line.stock_unit_line_quantity);
      expect(item.despatch_receipt_quantity).toBe(line.stock_unit_despatch_receipt_quantity);
      expect(item.outstanding_quantity).toBe(n(line.line_quantity) - n(line.despatch_receipt_quantity));
      expect(item.quantity).toBe(line.stock_unit_allocated_quantity);
      expect(n(item.quantity)).toBeLessThanOrEqual(n(item.outstanding_quantity));
      expect(item.available_quantity).toBe(item.quantity);
      expect(item.item_code).toBe(line.code);
      const bins = item.bin_items as Row[];
      expect(bins.reduce((sum, b) => sum + n(b.quantity), 0)).toBe(item.quantity);
    }
  });

  it('drops a line as soon as a write takes its allocation off', async () => {
    const row = rows.find((r) => (r.items as Row[]).length > 0)!;
    const [item] = row.items as Row[];
    const response = await app.request(
      `/uk/sage200/accounts/v1/sop_orders/${String(row.sop_order_return_id)}`,
      {
        method: 'PUT',
        headers: { ...caller.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ lines: [{ id: item?.id, allocated_quantity: 0 }] }),
      },
    );
    expect(response.status, await response.text()).toBe(200);
    const after = await caller.json<Row[]>('/sop_confirm_despatch');
    const listed = after.flatMap((r) => (r.items as Row[]).map((i) => i.id));
    expect(listed).not.toContain(item?.id);
    expect(listed).toHaveLength(rows.flatMap((r) => r.items as Row[]).length - 1);
  });
});

describe('a purchase order line’s linked sales and requisition lines', () => {
  let caller: Caller;
  let popLines: Row[];
  beforeAll(async () => {
    const app = testSandbox();
    caller = await callerFor(app, USERS.full);
    const orders = await caller.json<Row[]>(`/pop_orders?$expand=lines&${TOP}`);
    popLines = orders.flatMap((o) => o.lines as Row[]);
  });

  it('lists, under each purchase line marked as linked, the sales lines it was raised for', async () => {
    const linked = popLines.filter((l) => l.has_linked_order_lines === true);
    expect(linked.length).toBeGreaterThan(0);
    for (const popLine of linked) {
      const rows = await caller.json<Row[]>(`/pop_order_lines/${String(popLine.id)}/pop_linked_order_lines`);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const sop = await caller.json<Row>(`/sop_order_lines/${String(row.id)}`);
        const order = await caller.json<Row>(`/sop_orders/${String(sop.sop_order_id)}`);
        const customer = await caller.json<Row>(`/customers/${String(order.customer_id)}`);
        expect(sop.product_id).toBe(popLine.product_id);
        expect(sop.has_pop_order).toBe(true);
        expect(row).toMatchObject({
          linked_order_id: order.id,
          document_no: order.document_no,
          customer_name: customer.name,
          customer_reference: customer.reference,
          stock_unit_despatched_quantity: sop.stock_unit_despatch_receipt_quantity,
          stock_unit_outstanding_quantity: n(sop.line_quantity) - n(sop.despatch_receipt_quantity),
        });
        expect(n(row.stock_unit_required_quantity)).toBeLessThanOrEqual(n(popLine.line_quantity));
      }
    }
  });

  it('answers an empty list for a purchase line linked to nothing, and 404 for an unknown one', async () => {
    const plain = popLines.find((l) => l.has_linked_order_lines !== true && l.has_requisition_lines !== true);
    expect(plain).toBeDefined();
    const id = String(plain?.id);
    expect(await caller.json<Row[]>(`/pop_order_lines/${id}/pop_linked_order_lines`)).toEqual([]);
    expect(await caller.json<Row[]>(`/pop_order_lines/${id}/pop_linked_requisition_lines`)).toEqual([]);
    const missing = await caller.get('/pop_order_lines/987654321/pop_linked_requisition_lines');
    expect(missing.status).toBe(404);
  });

  it('lists the requisition fulfilment lines each purchase line fulfils, with the requisition’s number', async () => {
    const fulfilment = await caller.json<Row[]>(
      '/pop_requisition_fulfilment_line_views?$filter=pop_requisition_fulfilment_line_linked_item_id gt 0&$top=5000',
    );
    expect(fulfilment.length).toBeGreaterThan(0);
    for (const view of fulfilment) {
      const rows = await caller.json<Row[]>(
        `/pop_order_lines/${String(view.pop_requisition_fulfilment_line_linked_item_id)}/pop_linked_requisition_lines`,
      );
      expect(rows).toContainEqual(
        expect.objectContaining({
          id: view.pop_requisition_fulfilment_line_id,
          document_no: view.pop_requisition_document_no,
          item_code: view.pop_requisition_fulfilment_line_item_code,
          quantity: view.pop_requisition_fulfilment_line_quantity,
        }),
      );
    }
  });
});
