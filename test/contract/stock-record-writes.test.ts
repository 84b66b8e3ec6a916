/**
 * Writes to a product's links (suppliers, alternatives, cross-sell products) and to warehouse and bin holdings:
 * every rule with its message, refusals that change nothing, and a property test over random sequences that checks
 * the rules still hold after each step (one preferred link per product, one holding per product and warehouse, a
 * bin in every holding, stock figures unchanged by these writes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const all = '?$orderby=id&$top=5000';

async function setUp() {
  const app = testSandbox();
  const writer = await writerFor(app, USERS.full);
  const [products, suppliers, warehouses] = await Promise.all([
    writer.ok<Row[]>('GET', `/products${all}`),
    writer.ok<Row[]>('GET', `/suppliers${all}`),
    writer.ok<Row[]>('GET', `/warehouses${all}`),
  ]);
  return { app, writer, products, suppliers, warehouses };
}

/** Sends a write that must be refused with `message`, and checks the company did not change. */
async function refused(
  writer: Writer,
  method: string,
  path: string,
  body: unknown,
  message: string | RegExp,
) {
  const before = snapshot(writer.company);
  const answer = await writer.send(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  const text = (answer.body as { Message: string }).Message;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
  expect(snapshot(writer.company) === before, 'a refused write changed the company').toBe(true);
}

describe('product suppliers, alternatives and cross-sell products', () => {
  it('links a supplier to a product, moves the preferred mark, and unlinks it', async () => {
    const { writer, products, suppliers } = await setUp();
    const product = products[0]!;
    const linked = await writer.ok<Row[]>('GET', `/product_suppliers?$filter=product_id eq ${product.id}`);
    const free = suppliers.find((s) => !linked.some((l) => l.supplier_id === s.id))!;
    const created = await writer.ok('POST', '/product_suppliers', {
      product_id: product.id,
      supplier_id: free.id,
      supplier_stock_code: 'SUP-001',
      is_preferred: true,
    });
    expect(created).toMatchObject({ product_id: product.id, supplier_id: free.id, is_preferred: true });
    const after = await writer.ok<Row[]>('GET', `/product_suppliers?$filter=product_id eq ${product.id}`);
    expect(after.filter((l) => l.is_preferred === true).map((l) => l.id)).toEqual([created.id]);
    const expanded = await writer.ok<Row>('GET', `/products/${product.id}?$expand=suppliers`);
    expect((expanded.suppliers as Row[]).map((l) => l.id)).toContain(created.id);

    await refused(
      writer,
      'POST',
      '/product_suppliers',
      { product_id: product.id, supplier_id: free.id },
      `The supplier with the Id '${free.id}' is already a supplier of the product '${product.code}'.`,
    );
    await refused(
      writer,
      'PUT',
      `/product_suppliers/${created.id}`,
      { product_id: products[1]!.id },
      "The product_id of a product's supplier cannot be changed.",
    );
    expect((await writer.send('DELETE', `/product_suppliers/${created.id}`)).status).toBe(200);
    expect((await writer.send('GET', `/product_suppliers/${created.id}`)).status).toBe(404);
  });

  it('refuses unknown ids and a product linked to itself', async () => {
    const { writer, products } = await setUp();
    const [a, b] = products as [Row, Row];
    await refused(
      writer,
      'POST',
      '/alternative_products',
      { product_id: a.id, alternative_product_id: 99_999_999 },
      "No product was found with the Id '99999999' given in alternative_product_id.",
    );
    await refused(
      writer,
      'POST',
      '/cross_sell_products',
      { product_id: a.id, cross_sell_product_id: a.id },
      `The product '${a.code}' cannot be its own cross-sell product.`,
    );
    await refused(
      writer,
      'POST',
      '/product_suppliers',
      { product_id: a.id, supplier_id: 99_999_999 },
      "No supplier was found with the Id '99999999' given in supplier_id.",
    );
    const cross = await writer.ok('POST', '/cross_sell_products', {
      product_id: a.id,
      cross_sell_product_id: b.id,
    });
    expect(cross).toMatchObject({ product_id: a.id, cross_sell_product_id: b.id });
  });

  it('refuses a trial user and changes nothing', async () => {
    const app = testSandbox();
    const trial = await writerFor(app, USERS.trial);
    const products = await trial.ok<Row[]>('GET', `/products${all}`);
    const before = snapshot(trial.company);
    const answer = await trial.send('POST', '/alternative_products', {
      product_id: products[0]!.id,
      alternative_product_id: products[1]!.id,
    });
    expect(answer.status).toBe(403);
    expect(snapshot(trial.company) === before).toBe(true);
  });
});

describe('warehouse and bin holdings', () => {
  it("holds a product in a new warehouse, in the warehouse's Unspecified bin, and deletes the empty holding", async () => {
    const { writer, products } = await setUp();
    const warehouse = await writer.ok('POST', '/warehouses', { name: 'Leeds Depot' });
    const product = products[0]!;
    const holding = await writer.ok('POST', '/warehouse_holdings', {
      product_id: product.id,
      warehouse_id: warehouse.id,
      reorder_level: 5,
      maximum_level: 40,
    });
    expect(holding).toMatchObject({ warehouse_name: 'Leeds Depot', quantity_in_stock: 0, reorder_level: 5 });
    const bins = await writer.ok<Row[]>('GET', `/bin_holdings?$filter=warehouse_holding_id eq ${holding.id}`);
    expect(bins.map((b) => b.name)).toEqual(['Unspecified']);

    await refused(
      writer,
      'POST',
      '/warehouse_holdings',
      { product_id: product.id, warehouse_id: warehouse.id },
      `The product '${product.code}' is already held in the warehouse 'Leeds Depot'.`,
    );
    await refused(
      writer,
      'PUT',
      `/warehouse_holdings/${holding.id}`,
      { minimum_level: 50 },
      'The minimum_level cannot be more than the maximum_level.',
    );
    const shelf = await writer.ok('POST', '/bin_holdings', {
      warehouse_holding_id: holding.id,
      product_id: product.id,
      name: 'Shelf A',
      allocation_priority: 2,
    });
    await refused(
      writer,
      'POST',
      '/bin_holdings',
      { warehouse_holding_id: holding.id, product_id: product.id, name: 'shelf a' },
      "The product is already held in the bin 'shelf a' of the warehouse 'Leeds Depot'.",
    );
    await refused(
      writer,
      'POST',
      '/bin_holdings',
      { warehouse_holding_id: holding.id, product_id: products[1]!.id, name: 'Shelf B' },
      `The product_id '${products[1]!.id}' is not the product of the warehouse holding '${holding.id}'.`,
    );
    expect((await writer.send('DELETE', `/bin_holdings/${shelf.id}`)).status).toBe(200);
    await refused(
      writer,
      'DELETE',
      `/bin_holdings/${bins[0]!.id}`,
      undefined,
      "The bin holding 'Unspecified' cannot be deleted because it is the warehouse holding's only bin.",
    );
    expect((await writer.send('DELETE', `/warehouse_holdings/${holding.id}`)).status).toBe(200);
    expect(
      await writer.ok<Row[]>('GET', `/bin_holdings?$filter=warehouse_holding_id eq ${holding.id}`),
    ).toEqual([]);
  });

  it('refuses to delete a holding or a bin with stock', async () => {
    const { writer } = await setUp();
    const holdings = await writer.ok<Row[]>('GET', `/warehouse_holdings${all}`);
    const stocked = holdings.find((h) => (h.quantity_in_stock as number) > 0)!;
    await refused(
      writer,
      'DELETE',
      `/warehouse_holdings/${stocked.id}`,
      undefined,
      `The holding of product ${stocked.product_id} in the warehouse '${stocked.warehouse_name}' cannot be deleted because it holds stock.`,
    );
    const bins = await writer.ok<Row[]>('GET', `/bin_holdings${all}`);
    const bin = bins.find((b) => (b.quantity_in_stock as number) > 0)!;
    await refused(
      writer,
      'DELETE',
      `/bin_holdings/${bin.id}`,
      undefined,
      `The bin holding '${bin.name}' cannot be deleted because it holds stock.`,
    );
  });
});

describe('random sequences of link and holding writes', () => {
  it('keep one preferred link per product, one holding per product and warehouse, and a bin in every holding', async () => {
    const { writer, products, suppliers } = await setUp();
    const warehouse = await writer.ok('POST', '/warehouses', { name: 'Property Depot' });
    const few = products.slice(0, 4);
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('supplier' as const),
        product: fc.integer({ min: 0, max: 3 }),
        supplier: fc.integer({ min: 0, max: 5 }),
        preferred: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('alternative' as const),
        product: fc.integer({ min: 0, max: 3 }),
        other: fc.integer({ min: 0, max: 3 }),
        preferred: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('holding' as const), product: fc.integer({ min: 0, max: 3 }) }),
      fc.record({
        kind: fc.constant('delete' as const),
        table: fc.constantFrom('product_suppliers', 'alternative_products', 'warehouse_holdings'),
        pick: fc.nat(),
      }),
    );
    const stockBefore = JSON.stringify(
      (await writer.ok<Row[]>('GET', `/warehouse_holdings${all}`)).map((h) => [
        h.id,
        h.quantity_in_stock,
        h.quantity_allocated,
      ]),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'supplier') {
            await writer.send('POST', '/product_suppliers', {
              product_id: few[s.product]!.id,
              supplier_id: suppliers[s.supplier]!.id,
              is_preferred: s.preferred,
            });
          } else if (s.kind === 'alternative') {
            await writer.send('POST', '/alternative_products', {
              product_id: few[s.product]!.id,
              alternative_product_id: few[s.other]!.id,
              is_preferred: s.preferred,
            });
          } else if (s.kind === 'holding') {
            await writer.send('POST', '/warehouse_holdings', {
              product_id: few[s.product]!.id,
              warehouse_id: warehouse.id,
            });
          } else {
            const filter =
              s.table === 'warehouse_holdings'
                ? `warehouse_id eq ${warehouse.id}`
                : `product_id le ${few[3]!.id}`;
            const rows = await writer.ok<Row[]>('GET', `/${s.table}?$filter=${filter}&$orderby=id`);
            if (rows.length > 0) await writer.send('DELETE', `/${s.table}/${rows[s.pick % rows.length]!.id}`);
          }
          for (const table of ['product_suppliers', 'alternative_products'] as const) {
            const rows = await writer.ok<Row[]>('GET', `/${table}${all}`);
            const target = table === 'product_suppliers' ? 'supplier_id' : 'alternative_product_id';
            const pairs = rows.map((r) => `${r.product_id}|${r[target]}`);
            expect(new Set(pairs).size, `${table}: a pair twice`).toBe(pairs.length);
            for (const product of few) {
              expect(
                rows.filter((r) => r.product_id === product.id && r.is_preferred === true).length,
              ).toBeLessThanOrEqual(1);
            }
            expect(rows.every((r) => r.product_id !== r[target])).toBe(true);
          }
          const held = await writer.ok<Row[]>(
            'GET',
            `/warehouse_holdings?$filter=warehouse_id eq ${warehouse.id}&$orderby=id`,
          );
          expect(new Set(held.map((h) => h.product_id)).size).toBe(held.length);
          for (const h of held) {
            const bins = await writer.ok<Row[]>(
              'GET',
              `/bin_holdings?$filter=warehouse_holding_id eq ${h.id}`,
            );
            expect(bins.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 15 },
    );
    const stockAfter = JSON.stringify(
      (
        await writer.ok<Row[]>('GET', `/warehouse_holdings${all}&$filter=warehouse_id ne ${warehouse.id}`)
      ).map((h) => [h.id, h.quantity_in_stock, h.quantity_allocated]),
    );
    expect(stockAfter).toBe(stockBefore);
  });
});
