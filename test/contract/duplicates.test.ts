/**
 * `POST /sop_orders_duplicate`, `/sop_quotes_duplicate` and `/pop_orders_duplicate` make a draft (`is_editing`
 * true) that `PUT` with `is_editing` false confirms and `DELETE` discards, as Sage's files describe; until it is
 * confirmed no list, view, stock figure or account value counts it (a property test over random sequences with
 * fast-check). `POST /products_duplicate` copies a product under a new code with what its flags ask for.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

const first = (co: CompanyStore, table: string, match: (r: SageRecord) => boolean = () => true) => {
  const found = co.table(table).all().find(match);
  if (!found) throw new Error(`no ${table} record to use`);
  return found;
};
/** An order with lines, not on hold, of the table's first account that has one. */
const sourceOrder = (co: CompanyStore, orders: string, lines: string, key: string) =>
  first(co, orders, (o) => (co.table(lines).lookup(key, o.id as number) ?? []).length > 1);

describe('duplicating an order makes a draft that PUT confirms and DELETE discards', () => {
  let app: SandboxApp;
  let writer: Writer;
  let co: CompanyStore;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    co = writer.company;
  });

  const customer = () => first(co, 'customers', (c) => c.on_hold === false);

  it('answers a draft: new ids, is_editing true, no number, the source lines, the new customer', async () => {
    const source = sourceOrder(co, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const sourceLines = co.table('sop_order_lines').lookup('sop_order_id', source.id as number) ?? [];
    const target = customer();
    const draft = await writer.ok('POST', '/sop_orders_duplicate', {
      source_id: source.id,
      customer_id: target.id,
      prices_and_discounts: true,
    });
    expect(draft).toMatchObject({
      is_editing: true,
      is_draft: true,
      document_no: '',
      customer_id: target.id,
    });
    expect(draft.id).not.toBe(source.id);
    const lines = draft.lines as Row[];
    expect(lines.map((l) => [l.product_id, l.line_quantity, l.selling_unit_price])).toEqual(
      [...sourceLines]
        .sort((a, b) => n(a.line_number) - n(b.line_number))
        .map((l) => [l.product_id, l.line_quantity, l.selling_unit_price]),
    );
    expect(lines.every((l) => n(l.allocated_quantity) === 0 && n(l.despatch_receipt_quantity) === 0)).toBe(
      true,
    );
    // Not in the order book until confirmed.
    expect((await writer.send('GET', `/sop_orders/${draft.id}`)).status).toBe(404);
    const views = await writer.ok<Row[]>('GET', `/sop_order_line_views?$filter=sop_order_id eq ${draft.id}`);
    expect(views).toEqual([]);
  });

  it('keeps discounts only with prices_and_discounts (rule: otherwise the selling prices without discounts)', async () => {
    const source = sourceOrder(co, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const withLine = (co.table('sop_order_lines').lookup('sop_order_id', source.id as number) ?? [])[0];
    await writer.ok('PUT', `/sop_orders/${source.id}`, {
      lines: [{ id: withLine?.id, discount_percent_specified: true, unit_discount_percent: 10 }],
    });
    const body = { source_id: source.id, customer_id: customer().id };
    const kept = await writer.ok('POST', '/sop_orders_duplicate', { ...body, prices_and_discounts: true });
    const dropped = await writer.ok('POST', '/sop_orders_duplicate', body);
    const lineOf = (draft: Row) => (draft.lines as Row[])[n(withLine?.line_number) - 1] ?? {};
    expect(lineOf(kept).unit_discount_percent).toBe(10);
    expect(lineOf(dropped).unit_discount_percent).toBe(0);
    expect(lineOf(dropped).selling_unit_price).toBe(lineOf(kept).selling_unit_price);
  });

  it('a PUT that keeps is_editing changes the draft only; is_editing false confirms it with the next number', async () => {
    const holdingOf = (line: Row | SageRecord | undefined) =>
      co
        .table('warehouse_holdings')
        .all()
        .find((h) => h.product_id === line?.product_id && h.warehouse_id === line?.warehouse_id);
    // An order with a line for a product its warehouse holds, so the confirmation moves a holding's figures.
    const source = first(co, 'pop_orders', (o) =>
      (co.table('pop_order_lines').lookup('pop_order_id', o.id as number) ?? []).some(
        (l) => l.line_number === 1 && holdingOf(l) !== undefined,
      ),
    );
    const draft = await writer.ok('POST', '/pop_orders_duplicate', {
      source_id: source.id,
      supplier_id: source.supplier_id,
    });
    const [line] = draft.lines as Row[];
    const edited = await writer.ok('PUT', `/pop_orders/${draft.id}`, {
      supplier_document_no: 'DRAFT-1',
      lines: [{ id: line?.id, line_quantity: 3 }],
    });
    expect(edited).toMatchObject({ is_editing: true, supplier_document_no: 'DRAFT-1', document_no: '' });
    expect((await writer.send('GET', `/pop_orders/${draft.id}`)).status).toBe(404);
    const highest = Math.max(
      ...co
        .table('pop_orders')
        .all()
        .map((o) => Number(o.document_no)),
    );
    const holding = holdingOf(line);
    if (!holding) throw new Error('the line has no holding');
    const onOrder = n(holding.quantity_on_order);
    const confirmed = await writer.ok('PUT', `/pop_orders/${draft.id}`, { is_editing: false });
    expect(confirmed).toMatchObject({ id: draft.id, is_editing: false, is_draft: false });
    expect(Number(confirmed.document_no)).toBe(highest + 1);
    const read = await writer.ok('GET', `/pop_orders/${draft.id}?$expand=lines`);
    expect((read.lines as Row[]).map((l) => l.id)).toEqual((draft.lines as Row[]).map((l) => l.id));
    expect(n(co.table('warehouse_holdings').get(holding.id as number)?.quantity_on_order)).toBe(
      qty(onOrder + 3),
    );
    expect(co.table('pop_order_drafts').get(draft.id as number)).toBeUndefined();
    expect(co.table('pop_order_draft_lines').lookup('pop_order_id', draft.id as number) ?? []).toEqual([]);
  });

  it('DELETE discards a draft and everything it held', async () => {
    const before = snapshot(co);
    const source = sourceOrder(co, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const draft = await writer.ok('POST', '/sop_orders_duplicate', {
      source_id: source.id,
      customer_id: customer().id,
    });
    expect((await writer.send('DELETE', `/sop_orders/${draft.id}`)).status).toBe(200);
    expect(co.table('sop_order_drafts').all()).toEqual(
      JSON.parse(before).collections.sop_order_drafts.map((d: Row) => expect.objectContaining({ id: d.id })),
    );
    expect((await writer.send('DELETE', `/sop_orders/${draft.id}`)).status).toBe(404);
  });

  it('duplicates a quotation from a quotation or a sales order, and confirms it as a live quotation', async () => {
    const quote = first(co, 'sop_quotes');
    const order = sourceOrder(co, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    for (const source of [quote, order]) {
      const draft = await writer.ok('POST', '/sop_quotes_duplicate', {
        source_id: source.id,
        customer_id: customer().id,
      });
      expect(draft.is_editing).toBe(true);
      expect((draft.lines as Row[]).length).toBeGreaterThan(0);
      const listed = await writer.ok<Row[]>('GET', `/sop_quote_views?$filter=id eq ${draft.id}`);
      expect(listed).toEqual([]);
      const confirmed = await writer.ok('PUT', `/sop_quotes/${draft.id}`, { is_editing: false });
      expect(confirmed.is_editing).toBe(false);
      const [view] = await writer.ok<Row[]>('GET', `/sop_quote_views?$filter=id eq ${draft.id}`);
      expect(view?.total_gross_value).toBe(confirmed.total_gross_value);
    }
  });

  it('confirming a draft for a customer on hold needs override_on_hold, as a new order does', async () => {
    const held = first(co, 'customers', (c) => c.on_hold === true);
    const source = sourceOrder(co, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const draft = await writer.ok('POST', '/sop_orders_duplicate', {
      source_id: source.id,
      customer_id: held.id,
    });
    const refused = await writer.send('PUT', `/sop_orders/${draft.id}`, { is_editing: false });
    expect(refused.status).toBe(400);
    const confirmed = await writer.ok('PUT', `/sop_orders/${draft.id}`, {
      is_editing: false,
      override_on_hold: true,
    });
    expect(confirmed.is_editing).toBe(false);
  });

  it.each([
    ['/sop_orders_duplicate', () => ({ customer_id: customer().id }), 'The source_id field is required.'],
    ['/sop_orders_duplicate', () => ({ source_id: 1 }), 'The customer_id field is required.'],
    [
      '/sop_orders_duplicate',
      () => ({ source_id: 987654321, customer_id: customer().id }),
      "No sales order was found with the Id '987654321' given in source_id.",
    ],
    [
      '/sop_quotes_duplicate',
      () => ({ source_id: 987654321, customer_id: customer().id }),
      "No sales quotation or sales order was found with the Id '987654321' given in source_id.",
    ],
    [
      '/pop_orders_duplicate',
      () => ({ source_id: first(co, 'pop_orders').id, supplier_id: 987654321 }),
      "No supplier was found with the Id '987654321' given in supplier_id.",
    ],
    [
      '/sop_orders_duplicate',
      () => ({
        source_id: first(co, 'sop_orders').id,
        customer_id: customer().id,
        prices_and_discounts: 'yes',
      }),
      "Error converting value \"yes\" to type 'System.Boolean'. Path 'prices_and_discounts'.",
    ],
    [
      '/products_duplicate',
      () => ({ source_id: first(co, 'products').id }),
      'The new_code field is required.',
    ],
    [
      '/products_duplicate',
      () => ({ source_id: first(co, 'products').id, new_code: first(co, 'products').code }),
      () => `The code '${String(first(co, 'products').code)}' is already used by another product.`,
    ],
    [
      '/products_duplicate',
      () => ({ source_id: 987654321, new_code: 'NEW-1' }),
      "No product was found with the Id '987654321' given in source_id.",
    ],
  ] as [string, () => Row, string | (() => string)][])(
    'POST %s refuses a bad body with a 400 and changes nothing',
    async (path, body, message) => {
      const before = snapshot(co);
      const answer = await writer.send('POST', path, body());
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ Message: typeof message === 'string' ? message : message() });
      expect(snapshot(co)).toBe(before);
    },
  );

  it('refuses trial sites and a role without the ledger with 403, changing nothing', async () => {
    const trial = await writerFor(app, USERS.trial);
    const before = snapshot(trial.company);
    const order = sourceOrder(trial.company, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const body = { source_id: order.id, customer_id: order.customer_id };
    expect((await trial.send('POST', '/sop_orders_duplicate', body)).status).toBe(403);
    const product = first(trial.company, 'products');
    const copy = { source_id: product.id, new_code: 'TRIAL-COPY' };
    expect((await trial.send('POST', '/products_duplicate', copy)).status).toBe(403);
    expect(snapshot(trial.company)).toBe(before);
    const limited = await writerFor(app, USERS.limited);
    const own = sourceOrder(limited.company, 'sop_orders', 'sop_order_lines', 'sop_order_id');
    const refused = await limited.send('POST', '/sop_quotes_duplicate', {
      source_id: own.id,
      customer_id: own.customer_id,
    });
    expect(refused.status).toBe(403);
  });
});

describe('the order book and stock count only confirmed documents', () => {
  it('after any sequence of duplicates, edits, confirmations and discards', async () => {
    const app = testSandbox();
    const writer = await writerFor(app, USERS.full);
    const co = writer.company;
    const sopSources = co.table('sop_orders').all().slice(0, 6);
    const popSources = co.table('pop_orders').all().slice(0, 6);
    const customers = co
      .table('customers')
      .all()
      .filter((c) => c.on_hold === false);

    /** Every holding's on-order and SOP-allocated figures as the live order lines add them up. */
    const fromLines = () => {
      const sums = new Map<number, [number, number]>();
      const add = (line: SageRecord, at: 0 | 1, field: string) => {
        const holding = (co.table('warehouse_holdings').lookup('product_id', n(line.product_id)) ?? []).find(
          (h) => h.warehouse_id === line.warehouse_id,
        );
        if (!holding) return;
        const pair = sums.get(holding.id as number) ?? [0, 0];
        pair[at] = qty(pair[at] + n(line[field]));
        sums.set(holding.id as number, pair);
      };
      for (const line of co.table('pop_order_lines').all()) add(line, 0, 'stock_unit_on_order_quantity');
      for (const line of co.table('sop_order_lines').all()) add(line, 1, 'stock_unit_allocated_quantity');
      return sums;
    };
    const figures = () =>
      new Map(
        co
          .table('warehouse_holdings')
          .all()
          .map((h): [number, [number, number]] => [
            h.id as number,
            [n(h.quantity_on_order), n(h.quantity_allocated_sop)],
          ]),
      );
    // What the seed holds beside the order lines (stock allocations of other kinds) stays as it is.
    const offset = (() => {
      const lines = fromLines();
      return new Map(
        [...figures()].map(([id, [order, allocated]]): [number, [number, number]] => {
          const [o, a] = lines.get(id) ?? [0, 0];
          return [id, [qty(order - o), qty(allocated - a)]];
        }),
      );
    })();

    const step = fc.oneof(
      fc.record({
        kind: fc.constant('duplicate' as const),
        side: fc.constantFrom('sop' as const, 'pop' as const, 'quote' as const),
        source: fc.nat({ max: 5 }),
        account: fc.nat({ max: Math.max(0, customers.length - 1) }),
        prices: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('edit' as const), quantity: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('confirm' as const) }),
      fc.record({ kind: fc.constant('discard' as const) }),
    );
    const PATHS = { sop: 'sop_orders', pop: 'pop_orders', quote: 'sop_quotes' } as const;
    const drafts: { side: keyof typeof PATHS; id: number; lines: Row[] }[] = [];
    const confirmed: { side: keyof typeof PATHS; id: number }[] = [];
    const discarded: { side: keyof typeof PATHS; id: number }[] = [];

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'duplicate') {
            const sources = s.side === 'pop' ? popSources : sopSources;
            const source = sources[s.source % sources.length];
            const body =
              s.side === 'pop'
                ? { source_id: source?.id, supplier_id: source?.supplier_id }
                : { source_id: source?.id, customer_id: customers[s.account]?.id };
            const draft = await writer.ok('POST', `/${PATHS[s.side]}_duplicate`, {
              ...body,
              prices_and_discounts: s.prices,
            });
            expect(draft.is_editing).toBe(true);
            drafts.push({ side: s.side, id: n(draft.id), lines: draft.lines as Row[] });
            continue;
          }
          const draft = drafts.at(-1);
          if (!draft) continue;
          const path = `/${PATHS[draft.side]}/${draft.id}`;
          if (s.kind === 'edit' && draft.lines[0]) {
            const edited = await writer.ok('PUT', path, {
              lines: [{ id: draft.lines[0].id, line_quantity: s.quantity }],
            });
            expect(edited.is_editing).toBe(true);
          } else if (s.kind === 'confirm') {
            expect((await writer.ok('PUT', path, { is_editing: false })).is_editing).toBe(false);
            confirmed.push(drafts.pop()!);
          } else if (s.kind === 'discard') {
            expect((await writer.send('DELETE', path)).status).toBe(200);
            discarded.push(drafts.pop()!);
          }
        }

        // The order book's lists and views hold the confirmed documents and no draft or discarded one.
        for (const side of ['sop', 'pop', 'quote'] as const) {
          const listed = new Set(
            (await writer.ok<Row[]>('GET', `/${PATHS[side]}?$top=5000`)).map((r) => r.id),
          );
          const viewPath =
            side === 'quote' ? '/sop_quote_views' : `/${PATHS[side].slice(0, 3)}_order_return_views`;
          const viewed = new Set((await writer.ok<Row[]>('GET', `${viewPath}?$top=5000`)).map((r) => r.id));
          for (const doc of confirmed.filter((d) => d.side === side)) {
            expect(listed.has(doc.id)).toBe(true);
            expect(viewed.has(doc.id)).toBe(true);
          }
          for (const doc of [...drafts, ...discarded].filter((d) => d.side === side)) {
            expect(listed.has(doc.id)).toBe(false);
            expect(viewed.has(doc.id)).toBe(false);
          }
        }
        const lineViews = await writer.ok<Row[]>('GET', '/sop_order_line_views?$top=5000');
        const viewedOrders = new Set(lineViews.map((v) => v.sop_order_id));
        for (const doc of drafts.filter((d) => d.side === 'sop'))
          expect(viewedOrders.has(doc.id)).toBe(false);

        // Stock: every holding's figures are what the live order lines add up to, drafts counting nothing.
        const lines = fromLines();
        for (const [id, [order, allocated]] of figures()) {
          const [o, a] = lines.get(id) ?? [0, 0];
          const [oo, ao] = offset.get(id) ?? [0, 0];
          expect([order, allocated]).toEqual([qty(o + oo), qty(a + ao)]);
        }
        // Each account's value of current orders counts live orders only.
        for (const customer of customers) {
          const live = (co.table('sop_orders').lookup('customer_id', customer.id as number) ?? []).filter(
            (o) =>
              o.document_status !== 'EnumDocumentStatusComplete' &&
              o.document_status !== 'EnumDocumentStatusCancelled',
          );
          const value = Math.round(live.reduce((sum, o) => sum + n(o.total_gross_value), 0) * 100) / 100;
          expect(n(co.table('customers').get(customer.id as number)?.value_of_current_orders_in_sop)).toBe(
            value,
          );
        }
      }),
      { numRuns: 12, seed: 13 },
    );
    expect(confirmed.length + drafts.length + discarded.length).toBeGreaterThan(0);
  });
});

describe('POST /products_duplicate copies a product under a new code with what the flags ask for', () => {
  let writer: Writer;
  let co: CompanyStore;
  beforeAll(async () => {
    writer = await writerFor(testSandbox(), USERS.full);
    co = writer.company;
  });

  /** A product with holdings, suppliers, memos and alternatives, where the seed has one. */
  const rich = () =>
    first(
      co,
      'products',
      (p) =>
        (co.table('warehouse_holdings').lookup('product_id', p.id as number) ?? []).length > 0 &&
        (co.table('product_suppliers').lookup('product_id', p.id as number) ?? []).length > 0,
    );
  const rows = (table: string, id: unknown) => co.table(table).lookup('product_id', id as number) ?? [];

  it('copies the writable fields alone without flags: no stock, no holdings, no related rows', async () => {
    const source = rich();
    const copy = await writer.ok('POST', '/products_duplicate', {
      source_id: source.id,
      new_code: 'COPY-BARE',
      new_name: 'A bare copy',
    });
    expect(copy).toMatchObject({
      code: 'COPY-BARE',
      name: 'A bare copy',
      description: source.description,
      product_group_id: source.product_group_id,
      tax_code_id: source.tax_code_id,
      free_stock_quantity: 0,
    });
    expect(copy.id).not.toBe(source.id);
    for (const table of [
      'warehouse_holdings',
      'product_suppliers',
      'alternative_products',
      'product_memos',
    ]) {
      expect(rows(table, copy.id)).toEqual([]);
    }
    expect((await writer.ok('GET', `/products/${copy.id}`)).code).toBe('COPY-BARE');
  });

  it('copies locations empty, stocking levels, suppliers and memos when asked', async () => {
    const source = rich();
    const copy = await writer.ok('POST', '/products_duplicate', {
      source_id: source.id,
      new_code: 'COPY-ALL',
      locations: true,
      location_stocking_levels: true,
      suppliers: true,
      alternative_items: true,
      cross_selling_items: true,
      memos: true,
    });
    expect(copy.name).toBe(source.name);
    const held = rows('warehouse_holdings', source.id);
    const copied = rows('warehouse_holdings', copy.id);
    expect(copied.map((h) => [h.warehouse_id, h.reorder_level, h.minimum_level, h.maximum_level])).toEqual(
      held.map((h) => [h.warehouse_id, h.reorder_level, h.minimum_level, h.maximum_level]),
    );
    expect(copied.every((h) => n(h.quantity_in_stock) === 0 && n(h.quantity_on_order) === 0)).toBe(true);
    expect(rows('product_suppliers', copy.id).map((s) => s.supplier_id)).toEqual(
      rows('product_suppliers', source.id).map((s) => s.supplier_id),
    );
    expect(rows('product_memos', copy.id).map((m) => m.note)).toEqual(
      rows('product_memos', source.id).map((m) => m.note),
    );
    expect(copy.has_preferred_supplier).toBe(
      rows('product_suppliers', source.id).some((s) => s.is_preferred),
    );
    const views = await writer.ok<Row[]>('GET', `/warehouse_holdings?$filter=product_id eq ${copy.id}`);
    expect(views.length).toBe(held.length);
  });

  it('copies locations without their stocking levels unless asked', async () => {
    const source = rich();
    const copy = await writer.ok('POST', '/products_duplicate', {
      source_id: source.id,
      new_code: 'COPY-LOC',
      locations: true,
    });
    const copied = rows('warehouse_holdings', copy.id);
    expect(copied.length).toBe(rows('warehouse_holdings', source.id).length);
    expect(copied.every((h) => n(h.reorder_level) === 0 && n(h.maximum_level) === 0)).toBe(true);
  });
});
