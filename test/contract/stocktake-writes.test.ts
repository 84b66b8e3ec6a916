/**
 * Stocktakes from creation to completion: items chosen from `POST /stocktake_new_items`, a stocktake created with
 * them, counts entered, the adjustments viewed, then approval posting each difference as an adjustment movement in
 * the bin counted, so bins, holdings and product totals take the counts. Each refusal is a 400 that changes
 * nothing. A property test then completes stocktakes with random counts and checks the identities through the API.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const round = (value: number): number => Math.round(value * 100_000) / 100_000;
const sum = (rows: readonly Row[], field: string): number =>
  round(rows.reduce((total, row) => total + num(row[field]), 0));
const all = '?$orderby=id&$top=5000';

type Caller = Awaited<ReturnType<typeof callerFor>>;

/** Every record of a list, page by page (the API answers 5000 at most). */
async function every(caller: Caller, path: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let skip = 0; ; skip += 5000) {
    const page = await caller.json<Row[]>(`${path}?$orderby=id&$top=5000&$skip=${skip}`);
    rows.push(...page);
    if (page.length < 5000) return rows;
  }
}

async function setUp() {
  const app = testSandbox();
  const writer = await writerFor(app, USERS.full);
  const caller = await callerFor(app, USERS.full);
  const warehouses = await caller.json<Row[]>(`/warehouses${all}`);
  return { app, writer, caller, warehouses };
}

/** The items a new stocktake of the warehouse may count, counting by bin. */
async function available(writer: Writer, warehouseId: unknown): Promise<Row[]> {
  const draft = await writer.ok('POST', '/stocktake_new_items', {
    warehouse_id: warehouseId,
    stocktake_type: 'EnumStocktakeTypeByBin',
  });
  return draft.stocktake_items as Row[];
}

/** A stocktake by bin of `count` items of the warehouse, moved on to Entering Counts; answers it with its items. */
async function countingStocktake(writer: Writer, warehouseId: unknown, count: number) {
  const items = (await available(writer, warehouseId)).slice(0, count);
  const stocktake = await writer.ok('POST', '/stocktakes', {
    warehouse_id: warehouseId,
    stocktake_name: 'Quarterly count',
    stocktake_type: 'EnumStocktakeTypeByBin',
    stocktake_items: items.map((i) => ({
      warehouse_holding_id: i.warehouse_holding_id,
      bin_name: i.bin_name,
      is_selected: true,
    })),
  });
  const entering = await writer.ok('POST', '/stocktake_enter_values', { id: stocktake.id });
  return { stocktake: entering, sheet: entering.stocktake_count_sheet_items as Row[] };
}

describe('a stocktake from creation to completion', () => {
  it('posts each counted difference as an adjustment in the bin counted, and stock levels take the counts', async () => {
    const { writer, caller, warehouses } = await setUp();
    const warehouse = warehouses[0]!;
    const choices = await available(writer, warehouse.id);
    expect(choices.length).toBeGreaterThan(3);
    expect(choices.every((c) => c.is_selected === false && c.bin_name !== '')).toBe(true);

    const { stocktake, sheet } = await countingStocktake(writer, warehouse.id, 3);
    expect(stocktake.stocktake_status).toBe('EnumStocktakeStatusEnteringCounts');
    expect(stocktake.warehouse_name).toBe(warehouse.name);
    expect(sheet).toHaveLength(3);
    const bins = await Promise.all(
      sheet.map((i) => caller.json<Row>(`/bin_holdings/${String(i.bin_item_id)}`)),
    );
    sheet.forEach((item, k) => {
      expect(item.recorded_quantity_in_stock).toBe(bins[k]!.quantity_in_stock);
      expect(item.actual_quantity_entered).toBe(false);
    });

    const counts = [
      num(sheet[0]!.recorded_quantity_in_stock) + 4,
      num(sheet[1]!.recorded_quantity_in_stock),
      0,
    ];
    for (const [k, item] of sheet.entries()) {
      const counted = await writer.ok('PUT', `/stocktake_count_sheet_items/${String(item.id)}`, {
        actual_quantity_in_stock: counts[k],
        discrepancy_narrative: k === 0 ? 'Found behind the racking' : '',
      });
      expect(counted.actual_quantity_entered).toBe(true);
    }
    const viewed = await writer.ok('POST', '/stocktake_view_adjustments', { id: stocktake.id });
    const statuses = (viewed.stocktake_count_sheet_items as Row[]).map((i) => i.discrepancy_status);
    expect(statuses[0]).toBe('EnumDiscrepancyStatusFound');
    expect(statuses[1]).toBe('EnumDiscrepancyStatusNoDiscrepancy');

    const before = await caller.json<Row[]>(
      `/product_transaction_views${all}&$filter=reference eq 'STOCKTAKE'`,
    );
    const ledger = () => every(caller, '/nominal_codes');
    const ledgerBefore = await ledger();
    const done = await writer.ok('POST', '/stocktake_approve_complete', { id: stocktake.id });
    expect(done.stocktake_status).toBe('EnumStocktakeStatusComplete');

    const after = await caller.json<Row[]>(
      `/product_transaction_views${all}&$filter=reference eq 'STOCKTAKE'`,
    );
    const known = new Set(before.map((m) => m.id));
    const posted = after.filter((m) => !known.has(m.id));
    const expected = sheet
      .map((item, k) => ({ item, difference: round(counts[k]! - num(item.recorded_quantity_in_stock)) }))
      .filter((d) => d.difference !== 0);
    expect(posted).toHaveLength(expected.length);
    for (const { item, difference } of expected) {
      const movement = posted.find((m) => m.bin_name === item.bin_name && m.product_code === item.item_code);
      expect(movement?.quantity).toBe(difference);
      expect(movement?.transaction_type).toBe(difference > 0 ? 'AdjustmentIn' : 'AdjustmentOut');
      expect(movement?.warehouse_name).toBe(warehouse.name);
    }
    for (const [k, item] of sheet.entries()) {
      const bin = await caller.json<Row>(`/bin_holdings/${String(item.bin_item_id)}`);
      expect(bin.quantity_in_stock).toBe(counts[k]);
    }
    await expectStockAgrees(caller);
    // As the seed's year-end stocktakes, the adjustments post nothing to the nominal ledger.
    expect(await ledger()).toEqual(ledgerBefore);
    const stored = await caller.json<Row>(`/stocktakes/${String(stocktake.id)}`);
    expect(stored.stocktake_status).toBe('EnumStocktakeStatusComplete');
  });

  it('serves stocktakes CRUD: items added and taken off at Selecting Items, an open stocktake deleted with them', async () => {
    const { writer, caller, warehouses } = await setUp();
    const warehouse = warehouses[1]!;
    const [first, second] = await available(writer, warehouse.id);
    const created = await writer.ok('POST', '/stocktakes', {
      warehouse_id: warehouse.id,
      stocktake_items: [{ item_code: first!.item_code, is_selected: true }],
    });
    expect(created.stocktake_status).toBe('EnumStocktakeStatusSelectingItems');
    const views = await caller.json<Row[]>(`/stocktake_views?$filter=id eq ${String(created.id)}`);
    expect(views.map((v) => [v.warehouse_name, v.stocktake_name])).toEqual([
      [warehouse.name, created.stocktake_name],
    ]);
    const sheetOf = (id: unknown) =>
      caller
        .json<Row[]>(`/stocktakes/${String(id)}?$expand=stocktake_count_sheet_items`)
        .then((s) => (s as unknown as Row).stocktake_count_sheet_items as Row[]);
    expect((await sheetOf(created.id)).map((i) => i.item_code)).toEqual([first!.item_code]);
    await writer.ok('PUT', `/stocktakes/${String(created.id)}`, {
      stocktake_name: 'Depot spot check',
      stocktake_items: [
        { warehouse_holding_id: first!.warehouse_holding_id, is_selected: false },
        { warehouse_holding_id: second!.warehouse_holding_id, is_selected: true },
      ],
    });
    expect((await sheetOf(created.id)).map((i) => i.item_code)).toEqual([second!.item_code]);
    const amend = await writer.ok('POST', '/stocktake_amend_items', { id: created.id });
    const selected = (amend.stocktake_items as Row[]).filter((i) => i.is_selected === true);
    expect(selected.map((i) => i.item_code)).toEqual([second!.item_code]);
    const advanced = await writer.ok('PUT', `/stocktakes/${String(created.id)}`, { advance_status: true });
    expect(advanced.stocktake_status).toBe('EnumStocktakeStatusEnteringCounts');

    const [item] = await sheetOf(created.id);
    await writer.ok('DELETE', `/stocktakes/${String(created.id)}`);
    expect((await writer.send('GET', `/stocktakes/${String(created.id)}`)).status).toBe(404);
    expect((await writer.send('GET', `/stocktake_count_sheet_items/${String(item?.id)}`)).status).toBe(404);
  });
});

describe('refusals change nothing', () => {
  it.each([
    ['a warehouse that does not exist', { warehouse_id: 987654321 }, /warehouse/],
    [
      'a warehouse holding not of the warehouse',
      { stocktake_items: [{ warehouse_holding_id: 987654321, is_selected: true }] },
      /no warehouse holding of the warehouse/,
    ],
    [
      'a product that does not exist',
      { stocktake_items: [{ item_code: 'NO-SUCH-ITEM', is_selected: true }] },
      /no product has the code 'NO-SUCH-ITEM'/,
    ],
  ])('refuses a stocktake with %s', async (_, extra, message) => {
    const { writer, warehouses } = await setUp();
    const before = snapshot(writer.company);
    const answer = await writer.send('POST', '/stocktakes', { warehouse_id: warehouses[0]!.id, ...extra });
    expect(answer.status).toBe(400);
    expect((answer.body as Row).Message).toMatch(message);
    expect(snapshot(writer.company)).toBe(before);
  });

  it('refuses a negative count, a completion before every item has a count, and any change once complete', async () => {
    const { writer, warehouses } = await setUp();
    const { stocktake, sheet } = await countingStocktake(writer, warehouses[0]!.id, 2);
    const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
      const before = snapshot(writer.company);
      const answer = await writer.send(method, path, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect((answer.body as Row).Message).toMatch(message);
      expect(snapshot(writer.company)).toBe(before);
    };
    const item = `/stocktake_count_sheet_items/${String(sheet[0]!.id)}`;
    await refused('PUT', item, { actual_quantity_in_stock: -1 }, /cannot be negative/);
    await writer.ok('PUT', item, { actual_quantity_in_stock: 5 });
    const complete = { id: stocktake.id };
    await refused('POST', '/stocktake_approve_complete', complete, /until every item has a count: 1 of 2/);
    await writer.ok('PUT', `/stocktake_count_sheet_items/${String(sheet[1]!.id)}`, {
      actual_quantity_in_stock: 1,
    });
    await writer.ok('POST', '/stocktake_approve_complete', complete);

    const path = `/stocktakes/${String(stocktake.id)}`;
    await refused('PUT', path, { stocktake_name: 'Renamed' }, /is complete and cannot be changed/);
    await refused('PUT', item, { actual_quantity_in_stock: 6 }, /is complete and cannot be changed/);
    await refused('POST', '/stocktake_approve_complete', complete, /is complete and cannot be changed/);
    await refused('POST', '/stocktake_enter_values', complete, /is complete and cannot be changed/);
    await refused('DELETE', path, undefined, /is complete and cannot be deleted/);
  });

  it('refuses a step naming no stocktake, and a seeded completed stocktake is not deleted', async () => {
    const { writer, caller } = await setUp();
    const before = snapshot(writer.company);
    const missing = await writer.send('POST', '/stocktake_enter_values', { id: 987654321 });
    expect(missing.status).toBe(400);
    expect((missing.body as Row).Message).toBe("No stocktake was found with the Id '987654321' given in id.");
    const [seeded] = await caller.json<Row[]>(`/stocktakes${all}`);
    expect(seeded?.stocktake_status).toBe('EnumStocktakeStatusComplete');
    expect((await writer.send('DELETE', `/stocktakes/${String(seeded?.id)}`)).status).toBe(400);
    expect(snapshot(writer.company)).toBe(before);
  });
});

/** Bins sum to their holdings, holdings to their products, and every bin is what its movements add up to. */
async function expectStockAgrees(caller: Caller): Promise<void> {
  const [holdings, bins, products, movements] = await Promise.all([
    caller.json<Row[]>(`/warehouse_holdings${all}`),
    caller.json<Row[]>(`/bin_holdings${all}`),
    caller.json<Row[]>(`/products${all}`),
    every(caller, '/product_transaction_views'),
  ]);
  for (const h of holdings) {
    const own = bins.filter((b) => b.warehouse_holding_id === h.id);
    expect(num(h.quantity_in_stock)).toBe(sum(own, 'quantity_in_stock'));
    expect(num(h.free_stock_available)).toBe(round(num(h.quantity_in_stock) - num(h.quantity_allocated)));
    for (const b of own) {
      const moved = movements.filter(
        (m) =>
          m.product_id === h.product_id && m.warehouse_name === h.warehouse_name && m.bin_name === b.name,
      );
      expect(num(b.quantity_in_stock), `bin ${String(b.id)}`).toBe(sum(moved, 'quantity'));
    }
  }
  for (const p of products) {
    const own = holdings.filter((h) => h.product_id === p.id);
    if (own.length === 0) continue;
    expect(num((p.holding as Row).quantity_in_stock)).toBe(sum(own, 'quantity_in_stock'));
  }
}

describe('random counts', () => {
  it('after completion, bins sum to holdings and the movements explain the differences', async () => {
    const { writer, caller, warehouses } = await setUp();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: warehouses.length - 1 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 4 }),
        async (w, counts) => {
          const { stocktake, sheet } = await countingStocktake(writer, warehouses[w]!.id, counts.length);
          for (const [k, item] of sheet.entries()) {
            await writer.ok('PUT', `/stocktake_count_sheet_items/${String(item.id)}`, {
              actual_quantity_in_stock: counts[k],
            });
          }
          await writer.ok('POST', '/stocktake_approve_complete', { id: stocktake.id });
          for (const [k, item] of sheet.entries()) {
            const bin = await caller.json<Row>(`/bin_holdings/${String(item.bin_item_id)}`);
            expect(bin.quantity_in_stock).toBe(counts[k]);
          }
        },
      ),
      { numRuns: 8 },
    );
    await expectStockAgrees(caller);
  });
});

describe('counting batch- and serial-numbered stock', () => {
  it.each([
    ['batch', false],
    ['serial', true],
  ])(
    'receives a %s gain as new numbers in the bin counted, and a loss takes the oldest, so traceable balances follow',
    async (_kind, serial) => {
      const { writer, caller } = await setUp();
      const items = writer.company.table('traceable_items').all();
      const productId = items.find(
        (i) => (i.traceable_type === 'EnumTraceableTypeSerial') === serial,
      )!.product_id;
      const bins = writer.company
        .table('bin_holdings')
        .all()
        .filter((b) => b.product_id === productId && num(b.quantity_in_stock) >= 2);
      const [gain, loss] = [bins[0]!, bins[1] ?? bins[0]!];
      for (const [bin, change] of gain === loss
        ? [[gain, 3] as const]
        : [[gain, 3] as const, [loss, -1] as const]) {
        const holding = writer.company.table('warehouse_holdings').get(num(bin.warehouse_holding_id))!;
        const stocktake = await writer.ok('POST', '/stocktakes', {
          warehouse_id: holding.warehouse_id,
          stocktake_type: 'EnumStocktakeTypeByBin',
          stocktake_items: [{ warehouse_holding_id: holding.id, bin_name: bin.name, is_selected: true }],
        });
        const entering = await writer.ok('POST', '/stocktake_enter_values', { id: stocktake.id });
        const [line] = entering.stocktake_count_sheet_items as Row[];
        const before = new Set(
          writer.company
            .table('traceable_items')
            .all()
            .map((i) => i.id),
        );
        await writer.ok('PUT', `/stocktake_count_sheet_items/${String(line!.id)}`, {
          actual_quantity_in_stock: num(line!.recorded_quantity_in_stock) + change,
        });
        await writer.ok('POST', '/stocktake_approve_complete', { id: stocktake.id });
        const fresh = writer.company
          .table('traceable_items')
          .all()
          .filter((i) => !before.has(i.id));
        expect(fresh).toHaveLength(change < 0 ? 0 : serial ? change : 1);
        const balances = await caller.json<Row[]>(
          `/warehouse_holdings/${String(holding.id)}/traceable_item_balances?$top=5000`,
        );
        const inBin = balances.filter((b) => b.bin_item_id === bin.id);
        const stored = await caller.json<Row>(`/bin_holdings/${String(bin.id)}`);
        expect(sum(inBin, 'quantity')).toBe(num(stored.quantity_in_stock));
        const heldAfter = await caller.json<Row>(`/warehouse_holdings/${String(holding.id)}`);
        expect(sum(balances, 'quantity')).toBe(num(heldAfter.quantity_in_stock));
        for (const item of fresh) {
          expect(inBin.find((b) => b.traceable_item_id === item.id)?.quantity).toBe(serial ? 1 : change);
        }
      }
      const numbers = writer.company
        .table('traceable_items')
        .all()
        .filter((i) => i.product_id === productId)
        .map((i) => i.identification_no);
      expect(new Set(numbers).size).toBe(numbers.length);
    },
  );
});
