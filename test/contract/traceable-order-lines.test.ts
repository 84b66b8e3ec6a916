/**
 * A sales order line's batch and serial numbers (`POST /sop_confirm_despatch_traceable_items`,
 * `POST /sop_order_line_traceable_items`): the numbers of its product in its warehouse holding, with the line's
 * allocation held against them and what its despatches took, live through order writes; both are questions that
 * change nothing, so trial sites may ask them, and an unknown line is a 400.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const sum = (rows: readonly Row[], field: string): number =>
  Math.round(rows.reduce((total, row) => total + num(row[field]), 0) * 100_000) / 100_000;
const all = '?$orderby=id&$top=5000';

describe("a sales order line's batch and serial numbers", () => {
  let app: SandboxApp;
  let writer: Writer;
  let caller: Caller;
  let holding: Row;
  let line: Row;
  beforeAll(async () => {
    app = testSandbox();
    [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    const batches = new Set<unknown>(
      writer.company
        .table('traceable_items')
        .all()
        .filter((i) => i.traceable_type === 'EnumTraceableTypeBatch')
        .map((i) => i.product_id),
    );
    const holdings = await caller.json<Row[]>(`/warehouse_holdings${all}`);
    holding = holdings.find((h) => batches.has(h.product_id) && num(h.free_stock_available) >= 6)!;
    const customers = await caller.json<Row[]>(`/customers${all}&$filter=on_hold eq false`);
    const order = await writer.ok<Row>('POST', '/sop_orders', {
      customer_id: customers[0]!.id,
      lines: [
        {
          line_type: 'EnumLineTypeStandard',
          product_id: holding.product_id,
          warehouse_id: holding.warehouse_id,
          line_quantity: 6,
          allocated_quantity: 4,
        },
      ],
    });
    line = (order.lines as Row[])[0]!;
  });

  it("lists the holding's numbers with the line's allocation held against them", async () => {
    const answer = await writer.ok<Row>('POST', '/sop_order_line_traceable_items', { id: line.id });
    expect(answer).toMatchObject({
      id: line.id,
      product_id: holding.product_id,
      sale_from_single_batch: false,
    });
    const items = answer.traceable_adjustment_items as Row[];
    const balances = await caller.json<Row[]>(
      `/warehouse_holdings/${String(holding.id)}/traceable_item_balances?$top=5000`,
    );
    expect(sum(items, 'allocation_quantity')).toBe(4);
    expect(sum(items, 'quantity')).toBe(4);
    // What each number holds is what is available to this line plus what other lines hold of it.
    expect(sum(items, 'available_quantity') + sum(balances, 'allocated_quantity') - 4).toBe(
      sum(balances, 'quantity'),
    );
    const own = await writer.ok<Row>('POST', '/sop_order_line_traceable_items', {
      id: line.id,
      is_read_only: true,
    });
    expect(sum(own.traceable_adjustment_items as Row[], 'allocation_quantity')).toBe(4);
    expect((own.traceable_adjustment_items as Row[]).every((i) => num(i.allocation_quantity) > 0)).toBe(true);
  });

  it('leaves out batches past their sell-by or use-by date on the activity date', async () => {
    const late = await writer.ok<Row>('POST', '/sop_order_line_traceable_items', {
      id: line.id,
      activity_date: '2099-01-01T00:00:00',
    });
    expect(late.traceable_adjustment_items).toEqual([]);
  });

  it("answers the line's bins and numbers for despatch, and what a despatch took", async () => {
    const before = await writer.ok<Row>('POST', '/sop_confirm_despatch_traceable_items', { id: line.id });
    expect(sum(before.bin_items as Row[], 'quantity')).toBe(4);
    expect(sum(before.traceable_adjustment_items as Row[], 'despatched_quantity')).toBe(0);
    await writer.ok('POST', '/sop_confirm_despatch', {
      sop_order_return_id: line.sop_order_id,
      items: [{ id: line.id, quantity: 3 }],
    });
    const after = await writer.ok<Row>('POST', '/sop_order_line_traceable_items', { id: line.id });
    const items = after.traceable_adjustment_items as Row[];
    expect(sum(items, 'despatched_quantity')).toBe(3);
    expect(sum(items, 'allocation_quantity')).toBe(1);
  });

  it('changes nothing, answers a trial site, and refuses an unknown line with 400', async () => {
    const trial = await writerFor(app, USERS.trial);
    const own = trial.company.table('sop_order_lines').all()[0]!;
    const state = snapshot(trial.company);
    for (const path of ['/sop_confirm_despatch_traceable_items', '/sop_order_line_traceable_items']) {
      expect((await trial.ok<Row>('POST', path, { id: own.id })).id).toBe(own.id);
      const refused = await writer.send('POST', path, { id: 987654321 });
      expect(refused.status).toBe(400);
      expect((refused.body as Row).Message).toBe(
        "No sales order line was found with the Id '987654321' given in id.",
      );
    }
    expect(snapshot(trial.company)).toBe(state);
  });
});
