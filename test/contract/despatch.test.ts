/**
 * What the order book offers to despatch and what a purchase order line is linked to, read as an integrator reads
 * them: `/sop_confirm_despatch` lists exactly the allocated, outstanding goods lines of live orders with quantities
 * that agree with the lines, and a purchase line's linked sales and requisition lines agree with the records they
 * are derived from (mock-server/views/confirm-despatch.ts, mock-server/views/linked-order-lines.ts).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, writerFor } from '../support/writes.ts';

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

describe('POST /sop_confirm_despatch', () => {
  const all = '?$orderby=id&$top=5000';

  async function world() {
    const app = testSandbox();
    const [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    const rows = await caller.json<Row[]>('/sop_confirm_despatch');
    const row = rows.find((r) => (r.items as Row[]).length > 0)!;
    const item = (row.items as Row[])[0]!;
    const line = await caller.json<Row>(`/sop_order_lines/${String(item.id)}`);
    const holdings = await caller.json<Row[]>(`/warehouse_holdings${all}`);
    const holding = holdings.find(
      (h) => h.product_id === line.product_id && h.warehouse_id === line.warehouse_id,
    )!;
    return { app, writer, caller, row, item, line, holding };
  }

  /** The stock and allocation identities every write keeps, read afresh through the API. */
  async function expectBooksAgree(caller: Caller): Promise<void> {
    const [holdings, bins, products, orders, allocations] = await Promise.all([
      caller.json<Row[]>(`/warehouse_holdings${all}`),
      caller.json<Row[]>(`/bin_holdings${all}`),
      caller.json<Row[]>(`/products${all}`),
      caller.json<Row[]>(`/sop_orders${all}&$expand=lines`),
      caller.json<Row[]>('/sop_allocation_line_views?$top=5000'),
    ]);
    const lines = orders.flatMap((o) => o.lines as Row[]);
    const total = (rows: readonly Row[], field: string) =>
      Math.round(rows.reduce((s, r) => s + n(r[field]), 0) * 100_000) / 100_000;
    for (const h of holdings) {
      const own = bins.filter((b) => b.warehouse_holding_id === h.id);
      expect(n(h.quantity_in_stock)).toBe(total(own, 'quantity_in_stock'));
      expect(n(h.quantity_allocated)).toBe(total(own, 'quantity_allocated'));
      const sold = lines.filter((l) => l.product_id === h.product_id && l.warehouse_id === h.warehouse_id);
      expect(n(h.quantity_allocated_sop)).toBe(total(sold, 'stock_unit_allocated_quantity'));
    }
    for (const p of products) {
      const own = holdings.filter((h) => h.product_id === p.id);
      expect(n((p.holding as Row).quantity_in_stock)).toBe(total(own, 'quantity_in_stock'));
    }
    for (const line of lines.filter((l) => l.line_type === 'EnumLineTypeStandard')) {
      const own = allocations.filter((a) => a.sop_order_return_line_id === line.id);
      expect(total(own, 'sop_allocation_line_despatched_quantity')).toBe(n(line.despatch_receipt_quantity));
    }
  }

  it('despatches an allocated line: the line, its order, a despatch receipt, a goods-out movement and the stock all move', async () => {
    const { writer, caller, row, item, line, holding } = await world();
    const quantity = n(item.quantity);
    const answer = await writer.ok('POST', '/sop_confirm_despatch', {
      sop_order_return_id: row.sop_order_return_id,
      items: [{ id: item.id, quantity }],
      tracking_items: [{ consignment_no: 'CN-TEST-1', pieces: 2, weight: 3.5 }],
    });
    expect((answer.items as Row[])[0]).toMatchObject({ id: item.id, quantity });

    const after = await caller.json<Row>(`/sop_order_lines/${String(item.id)}`);
    expect(after.despatch_receipt_quantity).toBe(n(line.despatch_receipt_quantity) + quantity);
    expect(after.allocated_quantity).toBe(n(line.allocated_quantity) - quantity);
    const receipts = await caller.json<Row[]>("/sop_despatch_receipts?$filter=consignment_no eq 'CN-TEST-1'");
    expect(receipts).toHaveLength(1);
    const views = await caller.json<Row[]>(
      `/sop_order_despatch_line_views?$filter=sop_order_line_id eq ${String(item.id)}&$top=5000`,
    );
    expect(views.map((v) => v.sop_despatch_id)).toContain(receipts[0]?.id);
    const movements = await caller.json<Row[]>(
      `/product_transaction_views?$filter=second_reference eq '${String(receipts[0]?.despatch_no)}'`,
    );
    expect(movements.reduce((s, m) => s + n(m.quantity), 0)).toBe(-quantity);
    expect(
      movements.every((m) => m.transaction_type === 'GoodsOut' && m.reference === item.document_no),
    ).toBe(true);
    const stock = await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`);
    expect(stock.quantity_in_stock).toBe(n(holding.quantity_in_stock) - quantity);
    expect(stock.free_stock_available).toBe(holding.free_stock_available);

    // A bin holds what its movements sum to, the despatch's goods out included.
    const movementsOfProduct = await caller.json<Row[]>(
      `/product_transaction_views?$filter=product_id eq ${String(line.product_id)}&$top=5000`,
    );
    for (const bin of await caller.json<Row[]>(
      `/bin_holdings?$filter=warehouse_holding_id eq ${String(holding.id)}`,
    )) {
      const own = movementsOfProduct.filter(
        (m) => m.warehouse_name === holding.warehouse_name && m.bin_name === bin.name,
      );
      expect(Math.round(own.reduce((s, m) => s + n(m.quantity), 0) * 100_000) / 100_000).toBe(
        bin.quantity_in_stock,
      );
    }

    const listed = (await caller.json<Row[]>('/sop_confirm_despatch')).flatMap((r) => r.items as Row[]);
    expect(listed.map((i) => i.id)).not.toContain(item.id);
    await expectBooksAgree(caller);
  });

  it('despatches a row of the GET posted back as it was read: everything it offered goes', async () => {
    const { writer, caller, row } = await world();
    const answer = await writer.ok('POST', '/sop_confirm_despatch', row);
    const items = row.items as Row[];
    expect((answer.items as Row[]).map((i) => [i.id, i.quantity])).toEqual(
      items.map((i) => [i.id, i.quantity]),
    );
    for (const item of items) {
      const line = await caller.json<Row>(`/sop_order_lines/${String(item.id)}`);
      expect(line.despatch_receipt_quantity).toBe(n(item.despatch_receipt_quantity) + n(item.quantity));
      expect(line.allocated_quantity).toBe(0);
    }
    const after = await caller.json<Row[]>('/sop_confirm_despatch');
    expect(after.map((r) => r.sop_order_return_id)).not.toContain(row.sop_order_return_id);
    await expectBooksAgree(caller);
  });

  it('despatches part of a line, which then shows the rest outstanding', async () => {
    const { writer, caller, row, item, line } = await world();
    await writer.ok('POST', '/sop_confirm_despatch', {
      sop_order_return_id: row.sop_order_return_id,
      items: [{ id: item.id, quantity: 1 }],
    });
    const after = await caller.json<Row>(`/sop_order_lines/${String(item.id)}`);
    expect(after.despatch_receipt_status).toBe('EnumTradeLineStatusPartially');
    const listed = (await caller.json<Row[]>('/sop_confirm_despatch')).flatMap((r) => r.items as Row[]);
    const again = listed.find((i) => i.id === item.id);
    if (n(item.quantity) > 1) {
      expect(again).toMatchObject({
        outstanding_quantity: n(line.line_quantity) - n(after.despatch_receipt_quantity),
        quantity: n(item.quantity) - 1,
      });
    } else {
      expect(again).toBeUndefined();
    }
    await expectBooksAgree(caller);
  });

  it.each([
    [
      'more than is outstanding',
      (item: Row) => ({ quantity: n(item.outstanding_quantity) + 1 }),
      /is more than the .+ outstanding/,
    ],
    ['nothing', () => ({ quantity: 0 }), /must be more than 0/],
  ])('refuses to despatch %s with a 400 that changes nothing', async (_name, change, message) => {
    const { writer, row, item } = await world();
    const before = snapshot(writer.company);
    const answer = await writer.send('POST', '/sop_confirm_despatch', {
      sop_order_return_id: row.sop_order_return_id,
      items: [{ id: item.id, ...change(item) }],
    });
    expect(answer.status).toBe(400);
    expect((answer.body as Row).Message).toMatch(message);
    expect(snapshot(writer.company)).toBe(before);
  });

  it('takes the goods from the bins named, refusing bins that are not the holding’s or do not add up', async () => {
    const { writer, caller, row, item, holding } = await world();
    const bins = await caller.json<Row[]>(
      `/bin_holdings?$filter=warehouse_holding_id eq ${String(holding.id)}`,
    );
    const fullest = [...bins].sort((a, b) => n(b.quantity_in_stock) - n(a.quantity_in_stock))[0]!;
    const before = snapshot(writer.company);
    for (const [binItems, message] of [
      [[{ id: 987654321, quantity: 1 }], /No bin of the warehouse holding/],
      [[{ id: fullest.id, quantity: 0 }], /add up to 0, not the item's quantity 1/],
      [[{ id: fullest.id, quantity: n(fullest.quantity_in_stock) + 1 }], /holds only/],
    ] as const) {
      const answer = await writer.send('POST', '/sop_confirm_despatch', {
        sop_order_return_id: row.sop_order_return_id,
        items: [{ id: item.id, quantity: 1, bin_items: binItems }],
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect((answer.body as Row).Message).toMatch(message);
    }
    expect(snapshot(writer.company)).toBe(before);
    await writer.ok('POST', '/sop_confirm_despatch', {
      sop_order_return_id: row.sop_order_return_id,
      items: [{ id: item.id, quantity: 1, bin_items: [{ id: fullest.id, quantity: 1 }] }],
    });
    const after = await caller.json<Row>(`/bin_holdings/${String(fullest.id)}`);
    expect(after.quantity_in_stock).toBe(n(fullest.quantity_in_stock) - 1);
    await expectBooksAgree(caller);
  });

  it('refuses a line of another order, an order not live and an empty confirmation, changing nothing', async () => {
    const { writer, caller, row, item } = await world();
    const before = snapshot(writer.company);
    const other = (await caller.json<Row[]>(`/sop_orders${all}`)).find(
      (o) => o.id !== row.sop_order_return_id && o.document_status === 'EnumDocumentStatusLive',
    )!;
    const cancelled = (await caller.json<Row[]>(`/sop_orders${all}`)).find(
      (o) => o.document_status === 'EnumDocumentStatusCancelled',
    )!;
    for (const [body, message] of [
      [{ sop_order_return_id: other.id, items: [{ id: item.id, quantity: 1 }] }, /has no line with the Id/],
      [{ sop_order_return_id: cancelled.id, items: [{ id: item.id, quantity: 1 }] }, /is not live/],
      [{ sop_order_return_id: row.sop_order_return_id, items: [] }, /at least one line/],
      [{ items: [{ id: item.id, quantity: 1 }] }, /sop_order_return_id/],
    ] as const) {
      const answer = await writer.send('POST', '/sop_confirm_despatch', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect((answer.body as Row).Message).toMatch(message);
    }
    expect(snapshot(writer.company)).toBe(before);
  });

  it('answers a line’s bins, highest priority first, giving its despatchable quantity; trial sites may ask', async () => {
    const { app, writer, item } = await world();
    const answer = await writer.ok<Row>('POST', '/sop_confirm_despatch_bin_items', { id: item.id });
    expect(answer.id).toBe(item.id);
    const bins = answer.bin_items as Row[];
    expect(bins.reduce((s, b) => s + n(b.quantity), 0)).toBe(item.quantity);
    expect(bins).toEqual(item.bin_items);
    const trial = await writerFor(app, USERS.trial);
    const refused = await trial.send('POST', '/sop_confirm_despatch', { sop_order_return_id: 1, items: [] });
    expect(refused.status).toBe(403);
    const own = trial.company.table('sop_order_lines').all()[0]!;
    expect((await trial.ok<Row>('POST', '/sop_confirm_despatch_bin_items', { id: own.id })).id).toBe(own.id);
  });
  it('keeps the despatch list and the books in step through any run of confirmations, refusals changing nothing', async () => {
    const despatch = fc.record({ pick: fc.nat(), quantity: fc.integer({ min: -1, max: 30 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(despatch, { minLength: 1, maxLength: 4 }), async (runs) => {
        const { writer, caller } = await world();
        for (const run of runs) {
          const rows = await caller.json<Row[]>('/sop_confirm_despatch');
          if (rows.length === 0) break;
          const row = rows[run.pick % rows.length]!;
          const items = row.items as Row[];
          const item = items[run.pick % items.length]!;
          const before = snapshot(writer.company);
          const answer = await writer.send('POST', '/sop_confirm_despatch', {
            sop_order_return_id: row.sop_order_return_id,
            items: [{ id: item.id, quantity: run.quantity }],
          });
          const allowed = run.quantity > 0 && run.quantity <= n(item.outstanding_quantity);
          if (!allowed) {
            expect(answer.status, JSON.stringify(answer.body)).toBe(400);
            expect(snapshot(writer.company)).toBe(before);
          } else if (answer.status === 400) {
            // Beyond the allocation, only the holding's free stock can go.
            expect((answer.body as Row).Message).toMatch(/^Only .+ can be despatched from the warehouse/);
            expect(snapshot(writer.company)).toBe(before);
          } else {
            expect(answer.status).toBe(200);
          }
        }
        const lines = (await caller.json<Row[]>(`/sop_orders${all}&$expand=lines`)).flatMap((o) =>
          o.document_status === 'EnumDocumentStatusLive' ? (o.lines as Row[]) : [],
        );
        const byId = new Map(lines.map((l) => [l.id, l]));
        const listed = (await caller.json<Row[]>('/sop_confirm_despatch')).flatMap((r) => r.items as Row[]);
        expect(listed.map((i) => i.id).sort()).toEqual(
          lines
            .filter(
              (l) =>
                l.line_type === 'EnumLineTypeStandard' &&
                n(l.allocated_quantity) > 0 &&
                n(l.line_quantity) > n(l.despatch_receipt_quantity),
            )
            .map((l) => l.id)
            .sort(),
        );
        for (const item of listed) {
          const line = byId.get(item.id)!;
          expect(item.outstanding_quantity).toBe(n(line.line_quantity) - n(line.despatch_receipt_quantity));
          expect(item.quantity).toBe(line.allocated_quantity);
        }
        await expectBooksAgree(caller);
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
