/**
 * Stock transfers (`POST /stock_transfers`) move stock between bins with a TransferOut and TransferIn movement pair:
 * the bins and warehouse holdings follow, the product's totals stay, and batch and serial numbers go with the stock,
 * the source bin's oldest first (`POST /stock_transfer_traceable_items` lists them in that order). Every refusal is
 * a 400 that changes nothing. A property test then runs random transfers and checks after each that bins sum to
 * holdings, holdings to the product's totals, and traceable balances to holdings.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const round = (value: number): number => Math.round(value * 100_000) / 100_000;
const sum = (rows: readonly Row[], field: string): number =>
  round(rows.reduce((total, row) => total + num(row[field]), 0));
const all = '?$orderby=id&$top=5000';

interface Stock {
  bins: Row[];
  holdings: Row[];
  products: Row[];
}

async function stockOf(caller: Caller): Promise<Stock> {
  const [bins, holdings, products] = await Promise.all([
    caller.json<Row[]>(`/bin_holdings${all}`),
    caller.json<Row[]>(`/warehouse_holdings${all}`),
    caller.json<Row[]>(`/products${all}`),
  ]);
  return { bins, holdings, products };
}

/** The product ids that have batch or serial numbers (their records do not say so: Sage's field is Professional-only). */
function traceableProducts(writer: Writer): Set<unknown> {
  return new Set(
    writer.company
      .table('traceable_items')
      .all()
      .map((item) => item.product_id),
  );
}

/** Bins sum to holdings, holdings to the product's totals, and a traceable holding's balances to its stock. */
async function expectStockAgrees(caller: Caller, traceable: ReadonlySet<unknown>): Promise<void> {
  const { bins, holdings, products } = await stockOf(caller);
  for (const h of holdings) {
    const own = bins.filter((b) => b.warehouse_holding_id === h.id);
    for (const field of ['quantity_in_stock', 'quantity_allocated', 'free_stock_available']) {
      expect(num(h[field]), `holding ${String(h.id)} ${field}`).toBe(sum(own, field));
    }
    for (const b of own) expect(num(b.quantity_in_stock)).toBeGreaterThanOrEqual(0);
    if (traceable.has(h.product_id)) {
      const balances = await caller.json<Row[]>(
        `/warehouse_holdings/${String(h.id)}/traceable_item_balances${all.replace('$orderby=id&', '')}`,
      );
      expect(sum(balances, 'quantity'), `balances of holding ${String(h.id)}`).toBe(num(h.quantity_in_stock));
      for (const b of own) {
        const inBin = balances.filter((row) => row.bin_item_id === b.id);
        expect(sum(inBin, 'quantity'), `balances of bin ${String(b.id)}`).toBe(num(b.quantity_in_stock));
      }
    }
  }
  for (const p of products) {
    const own = holdings.filter((h) => h.product_id === p.id);
    const summary = p.holding as Row;
    expect(num(summary.quantity_in_stock)).toBe(sum(own, 'quantity_in_stock'));
    expect(num(summary.quantity_allocated)).toBe(sum(own, 'quantity_allocated'));
  }
}

/** The bins of a product with their holdings' warehouses. */
function binsOfProduct(stock: Stock, productId: unknown): { bin: Row; holding: Row }[] {
  return stock.bins
    .filter((b) => b.product_id === productId)
    .map((bin) => ({ bin, holding: stock.holdings.find((h) => h.id === bin.warehouse_holding_id)! }));
}

describe('POST /stock_transfers', () => {
  let app: SandboxApp;
  let writer: Writer;
  let caller: Caller;
  let traceable: Set<unknown>;
  beforeAll(async () => {
    app = testSandbox();
    [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    traceable = traceableProducts(writer);
  });

  /** A bin of a product that is not traceable with free stock, and another bin of the product chosen by `pick`. */
  async function pairOf(pick: (from: Row, fromHolding: Row, to: Row, toHolding: Row) => boolean) {
    const stock = await stockOf(caller);
    for (const product of stock.products) {
      if (traceable.has(product.id)) continue;
      const bins = binsOfProduct(stock, product.id);
      for (const from of bins) {
        if (num(from.bin.free_stock_available) < 2) continue;
        const to = bins.find((b) => b.bin !== from.bin && pick(from.bin, from.holding, b.bin, b.holding));
        if (to) return { product, from, to, stock };
      }
    }
    throw new Error('no bins to transfer between');
  }

  it('moves stock between warehouses: a movement pair under one reference, the bins and holdings follow', async () => {
    const { product, from, to } = await pairOf((_f, fh, _t, th) => fh.id !== th.id);
    const quantity = 2;
    const answer = await writer.ok<Row>('POST', '/stock_transfers', {
      product_id: product.id,
      bin_holding_from_id: from.bin.id,
      bin_holding_to_id: to.bin.id,
      quantity,
      date: '2026-10-15T00:00:00',
      second_reference: 'Shelf move',
    });
    expect(answer).toMatchObject({ product_id: product.id, quantity, date: '2026-10-15T00:00:00' });
    expect(answer.reference).toMatch(/^TRN\d{6}$/);
    expect(answer.traceable_adjustment_items).toEqual([]);
    const movements = await caller.json<Row[]>(
      `/product_transaction_views?$filter=reference eq '${String(answer.reference)}'&$orderby=id`,
    );
    expect(
      movements.map((m) => [
        m.transaction_type,
        m.warehouse_name,
        m.bin_name,
        m.quantity,
        m.second_reference,
      ]),
    ).toEqual([
      ['TransferOut', from.holding.warehouse_name, from.bin.name, -quantity, 'Shelf move'],
      ['TransferIn', to.holding.warehouse_name, to.bin.name, quantity, 'Shelf move'],
    ]);
    expect(movements.every((m) => m.transaction_date === '2026-10-15T00:00:00')).toBe(true);
    const after = await stockOf(caller);
    const bin = (id: unknown) => after.bins.find((b) => b.id === id)!;
    const holding = (id: unknown) => after.holdings.find((h) => h.id === id)!;
    expect(num(bin(from.bin.id).quantity_in_stock)).toBe(round(num(from.bin.quantity_in_stock) - quantity));
    expect(num(bin(to.bin.id).quantity_in_stock)).toBe(round(num(to.bin.quantity_in_stock) + quantity));
    expect(num(holding(from.holding.id).quantity_in_stock)).toBe(
      round(num(from.holding.quantity_in_stock) - quantity),
    );
    expect(num(holding(to.holding.id).quantity_in_stock)).toBe(
      round(num(to.holding.quantity_in_stock) + quantity),
    );
    const totals = after.products.find((p) => p.id === product.id)!.holding as Row;
    expect(totals.quantity_in_stock).toBe((product.holding as Row).quantity_in_stock);
    await expectStockAgrees(caller, traceable);
  });

  it('moves stock between bins of one warehouse, the holding unchanged, under the reference given', async () => {
    const { product, from, to } = await pairOf((_f, fh, _t, th) => fh.id === th.id);
    await writer.ok('POST', '/stock_transfers', {
      product_id: product.id,
      bin_holding_from_id: from.bin.id,
      bin_holding_to_id: to.bin.id,
      quantity: 1,
      reference: 'SHELF-01',
    });
    const after = await stockOf(caller);
    expect(num(after.bins.find((b) => b.id === to.bin.id)!.quantity_in_stock)).toBe(
      round(num(to.bin.quantity_in_stock) + 1),
    );
    expect(after.holdings.find((h) => h.id === from.holding.id)!.quantity_in_stock).toBe(
      from.holding.quantity_in_stock,
    );
    const movements = await caller.json<Row[]>(`/product_transaction_views?$filter=reference eq 'SHELF-01'`);
    expect(movements.map((m) => m.quantity).sort()).toEqual([-1, 1]);
    await expectStockAgrees(caller, traceable);
  });

  describe('refusals: a 400 that changes nothing', () => {
    it.each([
      ['more than the free stock at the source', 'more', /^Only .+ can be transferred from the bin '.+'/],
      ['the same bin as source and destination', 'same', /is both bin_holding_from_id and bin_holding_to_id/],
      [
        'an unknown product',
        'product',
        /^No product was found with the Id '987654321' given in product_id\.$/,
      ],
      ['an unknown bin', 'bin', /^No bin holding of the product '.+' was found with the Id '987654321'/],
      ["another product's bin", 'other', /^No bin holding of the product '.+' was found with the Id/],
      ['a quantity of 0', 'zero', /^The quantity must be more than 0\.$/],
      ['batch numbers on a product that has none', 'untraceable', /is not batch or serial numbered/],
    ])('refuses %s', async (_name, kind, message) => {
      const { product, from, to, stock } = await pairOf(() => true);
      const other = stock.bins.find((b) => b.product_id !== product.id)!;
      const anItem = writer.company.table('traceable_items').all()[0]!;
      const body: Row = {
        product_id: kind === 'product' ? 987654321 : product.id,
        bin_holding_from_id: from.bin.id,
        bin_holding_to_id:
          kind === 'same'
            ? from.bin.id
            : kind === 'bin'
              ? 987654321
              : kind === 'other'
                ? other.id
                : to.bin.id,
        quantity: kind === 'more' ? num(from.bin.free_stock_available) + 1 : kind === 'zero' ? 0 : 1,
        ...(kind === 'untraceable'
          ? { traceable_adjustment_items: [{ traceable_item_id: anItem.id, quantity: 1 }] }
          : {}),
      };
      const before = snapshot(writer.company);
      const answer = await writer.send('POST', '/stock_transfers', body);
      expect(answer.status).toBe(400);
      expect((answer.body as Row).Message).toMatch(message);
      expect(snapshot(writer.company)).toBe(before);
    });
  });

  it('refuses a trial site (403), and answers its question about batch numbers', async () => {
    const trial = await writerFor(app, USERS.trial);
    const bin = trial.company.table('bin_holdings').all()[0]!;
    const other = trial.company
      .table('bin_holdings')
      .all()
      .find((b) => b.product_id === bin.product_id && b.id !== bin.id)!;
    const before = snapshot(trial.company);
    const refused = await trial.send('POST', '/stock_transfers', {
      product_id: bin.product_id,
      bin_holding_from_id: bin.id,
      bin_holding_to_id: other.id,
      quantity: 1,
    });
    expect(refused.status).toBe(403);
    expect(snapshot(trial.company)).toBe(before);
    const asked = await trial.ok<Row>('POST', '/stock_transfer_traceable_items', {
      product_id: bin.product_id,
      bin_holding_from_id: bin.id,
    });
    expect(asked.bin_holding_from_id).toBe(bin.id);
  });
});

describe('transfers of batch- and serial-numbered stock', () => {
  let writer: Writer;
  let caller: Caller;
  let traceable: Set<unknown>;
  beforeAll(async () => {
    const app = testSandbox();
    [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    traceable = traceableProducts(writer);
  });

  /** A traceable product's bin with free stock and two numbers or more, and a bin of the product in another warehouse. */
  async function traceablePair(serial: boolean) {
    const items = writer.company.table('traceable_items').all();
    const stock = await stockOf(caller);
    for (const productId of traceable) {
      const isSerial = items.some(
        (i) => i.product_id === productId && i.traceable_type === 'EnumTraceableTypeSerial',
      );
      if (isSerial !== serial) continue;
      const bins = binsOfProduct(stock, productId);
      for (const from of bins.filter((b) => num(b.bin.free_stock_available) >= 3)) {
        const to = bins.find((b) => b.holding.id !== from.holding.id);
        const listed = await writer.ok<Row>('POST', '/stock_transfer_traceable_items', {
          product_id: productId,
          bin_holding_from_id: from.bin.id,
        });
        const numbers = listed.traceable_adjustment_items as Row[];
        if (to && numbers.length >= 2) return { productId, from, to, numbers };
      }
    }
    throw new Error('no traceable bins to transfer between');
  }

  it.each([
    ['batch', false],
    ['serial', true],
  ])(
    "lists a bin's %s numbers oldest first, moves the first ones and refuses others",
    async (_kind, serial) => {
      const { productId, from, to, numbers: items } = await traceablePair(serial);
      expect(sum(items, 'available_quantity')).toBe(num(from.bin.quantity_in_stock));
      expect(items.every((i) => i.bin_item_id === from.bin.id && i.quantity === 0)).toBe(true);

      const quantity = 2;
      const pick = (rows: readonly Row[]) => {
        let left = quantity;
        return rows.flatMap((row) => {
          const part = Math.min(left, num(row.available_quantity));
          left -= part;
          if (part <= 0) return [];
          return [
            serial
              ? { traceable_item_id: row.traceable_item_id, is_selected: true }
              : { traceable_item_id: row.traceable_item_id, quantity: part },
          ];
        });
      };
      const body = {
        product_id: productId,
        bin_holding_from_id: from.bin.id,
        bin_holding_to_id: to.bin.id,
        quantity,
      };

      // Named numbers that are not the oldest, or not in the bin at all, are refused.
      const before = snapshot(writer.company);
      const last = items.at(-1)!;
      const notFirst = await writer.send('POST', '/stock_transfers', {
        ...body,
        traceable_adjustment_items: [
          serial
            ? { traceable_item_id: last.traceable_item_id, is_selected: true }
            : { traceable_item_id: last.traceable_item_id, quantity },
        ],
      });
      expect(notFirst.status).toBe(400);
      expect((notFirst.body as Row).Message).toMatch(
        /^A transfer takes the bin's oldest batch and serial numbers first/,
      );
      const elsewhere = writer.company
        .table('traceable_items')
        .all()
        .find((i) => i.product_id === productId && !items.some((row) => row.traceable_item_id === i.id))!;
      const notInBin = await writer.send('POST', '/stock_transfers', {
        ...body,
        traceable_adjustment_items: [{ traceable_item_id: elsewhere.id, quantity: 1, is_selected: true }],
      });
      expect(notInBin.status).toBe(400);
      expect((notInBin.body as Row).Message).toMatch(/is not in the bin '.+' of the warehouse '.+'\.$/);
      expect(snapshot(writer.company)).toBe(before);

      const moved = await writer.ok<Row>('POST', '/stock_transfers', {
        ...body,
        traceable_adjustment_items: pick(items),
      });
      const went = moved.traceable_adjustment_items as Row[];
      expect(went.map((i) => i.traceable_item_id)).toEqual(pick(items).map((i) => i.traceable_item_id));
      expect(sum(went, 'quantity')).toBe(quantity);
      expect(went.every((i) => i.bin_item_id === to.bin.id)).toBe(true);
      const balances = await caller.json<Row[]>(
        `/warehouse_holdings/${String(to.holding.id)}/traceable_item_balances?$top=5000`,
      );
      for (const item of went) {
        expect(
          balances.some((b) => b.traceable_item_id === item.traceable_item_id && b.bin_item_id === to.bin.id),
        ).toBe(true);
      }
      await expectStockAgrees(caller, traceable);
    },
  );

  it('keeps bins, holdings, product totals and batch balances in step over random transfers', async () => {
    const stock = await stockOf(caller);
    const bins = stock.bins.filter((b) =>
      stock.bins.some((o) => o.product_id === b.product_id && o.id !== b.id),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ from: fc.nat(), to: fc.nat(), quantity: fc.integer({ min: 1, max: 40 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (transfers) => {
          for (const t of transfers) {
            const from = bins[t.from % bins.length]!;
            const siblings = bins.filter((b) => b.product_id === from.product_id && b.id !== from.id);
            const to = siblings[t.to % siblings.length]!;
            const current = writer.company.table('bin_holdings').get(num(from.id))!;
            const before = snapshot(writer.company);
            const answer = await writer.send('POST', '/stock_transfers', {
              product_id: from.product_id,
              bin_holding_from_id: from.id,
              bin_holding_to_id: to.id,
              quantity: t.quantity,
            });
            if (t.quantity > num(current.free_stock_available)) {
              expect(answer.status).toBe(400);
              expect(snapshot(writer.company)).toBe(before);
            } else {
              expect(answer.status).toBe(200);
            }
            await expectStockAgrees(caller, traceable);
          }
        },
      ),
      { numRuns: 12, seed: 13 },
    );
  });
});
