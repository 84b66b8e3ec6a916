/**
 * The batch and serial number questions of stock.json: `POST /traceable_items_amend_traceable_items` lists a
 * product's numbered items in stock bin by bin, as its holdings' traceable balances hold them, and
 * `POST /traceable_items_assign_traceable_items` its items without a number (none: every receipt is numbered as it
 * comes in). Both change nothing, answer trial sites, and refuse an unknown product with 400.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const sum = (rows: readonly Row[], field: string): number =>
  Math.round(rows.reduce((total, row) => total + num(row[field]), 0) * 100_000) / 100_000;

describe('batch and serial number questions', () => {
  let app: SandboxApp;
  let writer: Writer;
  let caller: Caller;
  let traceable: unknown[];
  beforeAll(async () => {
    app = testSandbox();
    [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    traceable = [
      ...new Set(
        writer.company
          .table('traceable_items')
          .all()
          .map((item) => item.product_id),
      ),
    ];
  });

  it("lists each traceable product's numbers in stock, bin by bin, summing to its stock", async () => {
    for (const productId of traceable) {
      const answer = await writer.ok<Row>('POST', '/traceable_items_amend_traceable_items', {
        product_id: productId,
      });
      expect(answer).toMatchObject({
        product_id: productId,
        issue_status: 'EnumTraceableIssueStatusNotIssued',
      });
      const items = answer.traceable_adjustment_items as Row[];
      const product = await caller.json<Row>(`/products/${String(productId)}`);
      expect(sum(items, 'quantity')).toBe(num((product.holding as Row).quantity_in_stock));
      expect(sum(items, 'quantity') - sum(items, 'available_quantity')).toBe(
        num((product.holding as Row).quantity_allocated_sop ?? (product.holding as Row).quantity_allocated),
      );
      expect(items.every((i) => typeof i.warehouse_name === 'string' && typeof i.bin_name === 'string')).toBe(
        true,
      );
    }
  });

  it('lists no numbers for a product that is not traceable, and no unnumbered items', async () => {
    const plain = writer.company
      .table('products')
      .all()
      .find((p) => !traceable.includes(p.id))!;
    const none = await writer.ok<Row>('POST', '/traceable_items_amend_traceable_items', {
      product_id: plain.id,
    });
    expect(none.traceable_adjustment_items).toEqual([]);
    for (const productId of traceable) {
      const answer = await writer.ok<Row>('POST', '/traceable_items_assign_traceable_items', {
        product_id: productId,
      });
      expect(answer.traceable_adjustment_items).toEqual([]);
    }
  });

  it('changes nothing, answers a trial site, and refuses an unknown product with 400', async () => {
    const trial = await writerFor(app, USERS.trial);
    const product = trial.company.table('traceable_items').all()[0]!.product_id;
    const state = snapshot(trial.company);
    for (const path of [
      '/traceable_items_amend_traceable_items',
      '/traceable_items_assign_traceable_items',
    ]) {
      expect((await trial.ok<Row>('POST', path, { product_id: product })).product_id).toBe(product);
      const refused = await writer.send('POST', path, { product_id: 987654321 });
      expect(refused.status).toBe(400);
      expect((refused.body as Row).Message).toBe(
        "No product was found with the Id '987654321' given in product_id.",
      );
    }
    expect(snapshot(trial.company)).toBe(state);
  });
});
