/**
 * Writes move stock levels: a purchase order line's quantity is on order in its warehouse holding, a sales order
 * line's allocated quantity is allocated there (and in the holding's first bin), and the product's totals follow;
 * a renamed warehouse or product shows in the movements and holdings; a product with stock movements cannot be
 * deleted. A property test then runs random bursts of order writes and checks every identity through the API.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { type Answer, snapshot, type Writer, writerFor } from '../support/writes.ts';
import { expectStockAgrees } from './books-support.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const all = '?$orderby=id&$top=5000';

interface World {
  writer: Writer;
  caller: Caller;
  holdings: Row[];
  customers: Row[];
  suppliers: Row[];
}

async function world(): Promise<World> {
  const app = testSandbox();
  const [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
  const [holdings, customers, suppliers] = await Promise.all([
    caller.json<Row[]>(`/warehouse_holdings${all}`),
    caller.json<Row[]>(`/customers${all}&$filter=on_hold eq false`),
    caller.json<Row[]>(`/suppliers${all}`),
  ]);
  return { writer, caller, holdings, customers, suppliers };
}

const line = (holding: Row, quantity: number, allocated?: number): Row => ({
  line_type: 'EnumLineTypeStandard',
  product_id: holding.product_id,
  warehouse_id: holding.warehouse_id,
  line_quantity: quantity,
  ...(allocated === undefined ? {} : { allocated_quantity: allocated }),
});

/** A write refused because it would allocate more than the free stock (a 400 that changed nothing). */
function refusedForStock(answer: Answer): boolean {
  if (answer.status !== 400) return false;
  expect((answer.body as Row).Message).toMatch(/^Only .+ can be allocated from the warehouse '.+'\.$/);
  return true;
}

describe('stock levels through writes', () => {
  it('puts a purchase order line on order in its holding and product, and takes it off when the order goes', async () => {
    const { writer, caller, holdings, suppliers } = await world();
    const holding = holdings[0]!;
    const product = () => caller.json<Row>(`/products/${String(holding.product_id)}`);
    const before = (await product()).holding as Row;
    const order = await writer.ok('POST', '/pop_orders', {
      supplier_id: suppliers[0]!.id,
      lines: [line(holding, 7)],
    });
    const after = await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`);
    expect(num(after.quantity_on_order)).toBe(num(holding.quantity_on_order) + 7);
    expect(num(((await product()).holding as Row).quantity_on_order)).toBe(num(before.quantity_on_order) + 7);
    await writer.ok('DELETE', `/pop_orders/${String(order.id)}`);
    expect(await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`)).toMatchObject({
      quantity_on_order: holding.quantity_on_order,
    });
    await expectStockAgrees(caller);
  });

  it('allocates a sales order line in its holding, first bin and product, lowering free stock', async () => {
    const { writer, caller, holdings, customers } = await world();
    const holding = holdings.find((h) => num(h.quantity_in_stock) >= 3)!;
    const order = await writer.ok('POST', '/sop_orders', {
      customer_id: customers[0]!.id,
      lines: [line(holding, 5, 3)],
    });
    const after = await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`);
    expect(after).toMatchObject({
      quantity_allocated_sop: num(holding.quantity_allocated_sop) + 3,
      free_stock_available: num(holding.free_stock_available) - 3,
    });
    const product = await caller.json<Row>(`/products/${String(holding.product_id)}`);
    expect(num(product.free_stock_quantity)).toBe(
      num((product.holding as Row).quantity_in_stock) - num((product.holding as Row).quantity_allocated),
    );
    const [orderLine] = order.lines as Row[];
    await writer.ok('PUT', `/sop_orders/${String(order.id)}`, {
      lines: [{ id: orderLine?.id, allocated_quantity: 1 }],
    });
    expect(await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`)).toMatchObject({
      quantity_allocated_sop: num(holding.quantity_allocated_sop) + 1,
    });
    await expectStockAgrees(caller);
  });

  it('refuses to allocate more than the free stock, changing nothing', async () => {
    const { writer, holdings, customers } = await world();
    const holding = holdings.find((h) => num(h.free_stock_available) > 0)!;
    const before = snapshot(writer.company);
    const quantity = num(holding.free_stock_available) + 1;
    const answer = await writer.send('POST', '/sop_orders', {
      customer_id: customers[0]!.id,
      lines: [line(holding, quantity, quantity)],
    });
    expect(answer.status).toBe(400);
    expect((answer.body as Row).Message).toBe(
      `Only ${String(holding.free_stock_available)} of the product '${String(
        (await writer.ok('GET', `/products/${String(holding.product_id)}`)).code,
      )}' can be allocated from the warehouse '${String(holding.warehouse_name)}'.`,
    );
    expect(snapshot(writer.company)).toBe(before);
  });

  it('refuses to allocate more than the line quantity, changing nothing', async () => {
    const { writer, holdings, customers } = await world();
    const before = snapshot(writer.company);
    const answer = await writer.send('POST', '/sop_orders', {
      customer_id: customers[0]!.id,
      lines: [line(holdings[0]!, 2, 3)],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      Message: 'The lines[0].allocated_quantity cannot be more than the line quantity.',
    });
    expect(snapshot(writer.company)).toBe(before);
  });

  it('writes a renamed warehouse into its holdings and movements, and a product code into its movements', async () => {
    const { writer, caller, holdings } = await world();
    const holding = holdings.find((h) => num(h.quantity_in_stock) > 0)!;
    const count = (await caller.json<Row[]>(`/product_transaction_views${all}`)).filter(
      (m) => m.warehouse_name === holding.warehouse_name,
    ).length;
    await writer.ok('PUT', `/warehouses/${String(holding.warehouse_id)}`, { name: 'RENAMED' });
    await writer.ok('PUT', `/products/${String(holding.product_id)}`, { code: 'RENAMED-1' });
    const movements = await caller.json<Row[]>(`/product_transaction_views${all}`);
    expect(movements.filter((m) => m.warehouse_name === 'RENAMED').length).toBe(count);
    expect(movements.some((m) => m.warehouse_name === holding.warehouse_name)).toBe(false);
    const own = movements.filter((m) => m.product_id === holding.product_id);
    expect(own.every((m) => m.product_code === 'RENAMED-1')).toBe(true);
    const sheets = (
      await caller.json<Row[]>(`/stocktakes${all}&$expand=stocktake_count_sheet_items`)
    ).flatMap((s) => s.stocktake_count_sheet_items as Row[]);
    const binIds = new Set(
      (await caller.json<Row[]>(`/products/${String(holding.product_id)}/bin_holdings`)).map((b) => b.id),
    );
    const lines = sheets.filter((item) => binIds.has(item.bin_item_id));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((item) => item.item_code === 'RENAMED-1')).toBe(true);
    expect(await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`)).toMatchObject({
      warehouse_name: 'RENAMED',
    });
    const [view] = await caller.json<Row[]>(
      `/product_warehouse_views?$filter=warehouse_holding_id eq ${String(holding.id)}`,
    );
    expect(view?.warehouse_name).toBe('RENAMED');
    // Views that join the product in show its new code at once.
    const [productView] = await caller.json<Row[]>(
      `/product_views?$filter=id eq ${String(holding.product_id)}`,
    );
    expect(productView?.code).toBe('RENAMED-1');
    const joined = await caller.json<Row[]>(`/alternative_product_views${all}`);
    for (const row of joined.filter((r) => r.alternative_product_id === holding.product_id)) {
      expect(row.alternative_product_code).toBe('RENAMED-1');
    }
  });

  it('refuses to delete a product with stock movements or a warehouse holding stock items, changing nothing', async () => {
    const { writer, holdings } = await world();
    const before = snapshot(writer.company);
    const refused = await writer.send('DELETE', `/products/${String(holdings[0]!.product_id)}`);
    expect(refused.status).toBe(400);
    expect((refused.body as Row).Message).toMatch(
      /^The product '.+' cannot be deleted because (it holds stock|it has stock transactions|order lines use it)\.$/,
    );
    const depot = holdings.find((h) => h.warehouse_name !== 'HOME')!;
    const answer = await writer.send('DELETE', `/warehouses/${String(depot.warehouse_id)}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      Message: `The warehouse '${String(depot.warehouse_name)}' cannot be deleted because it holds stock items.`,
    });
    expect(snapshot(writer.company)).toBe(before);
  });

  it('keeps every stock identity through random bursts of order writes', async () => {
    const order = fc.record({
      kind: fc.constantFrom('sop', 'pop'),
      account: fc.nat(),
      lines: fc.array(
        fc.record({ holding: fc.nat(), quantity: fc.integer({ min: 1, max: 20 }), share: fc.nat(4) }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    });
    const command = fc.oneof(
      { weight: 3, arbitrary: order.map((o) => ({ type: 'create' as const, ...o })) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const), pick: fc.nat() }) },
      {
        weight: 2,
        arbitrary: fc.record({ type: fc.constant('reallocate' as const), pick: fc.nat(), share: fc.nat(4) }),
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), async (commands) => {
        const { writer, caller, holdings, customers, suppliers } = await world();
        const created: Row[] = [];
        for (const c of commands) {
          if (c.type === 'create') {
            const lines = c.lines.map((l) => {
              const holding = holdings[l.holding % holdings.length]!;
              return line(
                holding,
                l.quantity,
                c.kind === 'sop' ? Math.floor((l.quantity * l.share) / 4) : undefined,
              );
            });
            const body =
              c.kind === 'sop'
                ? { customer_id: customers[c.account % customers.length]!.id, lines }
                : { supplier_id: suppliers[c.account % suppliers.length]!.id, lines };
            const answer = await writer.send('POST', `/${c.kind}_orders`, body);
            if (refusedForStock(answer)) continue;
            expect(answer.status).toBe(200);
            created.push({ kind: c.kind, ...(answer.body as Row) });
          } else if (created.length > 0) {
            const target = created[c.pick % created.length]!;
            if (c.type === 'delete') {
              await writer.ok('DELETE', `/${String(target.kind)}_orders/${String(target.id)}`);
              created.splice(created.indexOf(target), 1);
            } else if (target.kind === 'sop') {
              const lines = (target.lines as Row[]).map((l) => ({
                id: l.id,
                allocated_quantity: Math.floor((num(l.line_quantity) * c.share) / 4),
              }));
              const answer = await writer.send('PUT', `/sop_orders/${String(target.id)}`, { lines });
              if (refusedForStock(answer)) continue;
              expect(answer.status).toBe(200);
              Object.assign(target, answer.body);
            }
          }
        }
        await expectStockAgrees(caller);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
