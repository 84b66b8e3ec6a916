/**
 * `/sop_despatch_discrete_orders` filters as Sage's does (sop.json: "only supports filtering on the following fields:
 * confirmation_intent_type, trader_id, warehouse_id, document_no and document_date"): each filter keeps exactly the
 * open orders the same condition keeps when worked out here from `/sop_orders` and their lines (`trader_id` is the
 * customer; an order is kept when one of its lines holds the warehouse or intent), and any other field is a 400.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const TOP = '$orderby=id&$top=5000';
const day = (value: unknown): string => String(value).slice(0, 10);

describe('/sop_despatch_discrete_orders filter fields', () => {
  let caller: Caller;
  let open: Row[];
  let linesOf: Map<unknown, Row[]>;
  let secondWarehouse: unknown;
  beforeAll(async () => {
    const app = testSandbox();
    caller = await callerFor(app, USERS.full);
    // An order with a line from a second warehouse, so the warehouse filter has two warehouses to tell apart.
    const warehouses = await caller.json<Row[]>('/warehouses');
    const holdings = await caller.json<Row[]>('/warehouse_holdings?$top=5000');
    const other = holdings.find((h) => h.warehouse_id !== warehouses[0]?.id)!;
    secondWarehouse = other.warehouse_id;
    const [customer] = await caller.json<Row[]>('/customers?$filter=on_hold eq false&$top=1');
    const response = await app.request(api('/sop_orders'), {
      method: 'POST',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        customer_id: customer!.id,
        lines: [
          {
            line_type: 'EnumLineTypeStandard',
            product_id: other.product_id,
            warehouse_id: other.warehouse_id,
            line_quantity: 2,
            selling_unit_price: 12.5,
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const orders = await caller.json<Row[]>(`/sop_orders?${TOP}&$expand=lines`);
    open = orders.filter(
      (o) =>
        o.document_status === 'EnumDocumentStatusLive' &&
        o.despatch_receipt_status !== 'EnumDocumentProcessStatusFull',
    );
    linesOf = new Map(orders.map((o) => [o.id, o.lines as Row[]]));
  }, 60_000);

  const listed = async (filter: string): Promise<unknown[]> =>
    (
      await caller.json<Row[]>(`/sop_despatch_discrete_orders?${TOP}&$filter=${encodeURIComponent(filter)}`)
    ).map((d) => d.id);
  const ids = (keep: (order: Row, lines: Row[]) => boolean): unknown[] =>
    open.filter((o) => keep(o, linesOf.get(o.id) ?? [])).map((o) => o.id);

  it('keeps the orders of a customer by trader_id', async () => {
    const customers = [...new Set(open.map((o) => o.customer_id))];
    expect(customers.length).toBeGreaterThan(1);
    for (const customer of customers) {
      const expected = ids((o) => o.customer_id === customer);
      expect(expected.length).toBeGreaterThan(0);
      expect(await listed(`trader_id eq ${String(customer)}`)).toEqual(expected);
    }
  });

  it('keeps the orders with a line from a warehouse by warehouse_id', async () => {
    const warehouses = [
      ...new Set(open.flatMap((o) => (linesOf.get(o.id) ?? []).map((l) => l.warehouse_id))),
    ];
    expect(warehouses).toContain(secondWarehouse);
    for (const warehouse of warehouses) {
      const expected = ids((_, lines) => lines.some((l) => l.warehouse_id === warehouse));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(open.length);
      expect(await listed(`warehouse_id eq ${String(warehouse)}`)).toEqual(expected);
      expect(await listed(`warehouse_id ne ${String(warehouse)}`)).toEqual(
        ids((_, lines) => lines.some((l) => l.warehouse_id !== warehouse)),
      );
    }
  });

  it('keeps the orders with a line of a confirmation intent by confirmation_intent_type', async () => {
    for (const intent of ['ConfirmOnDespatch', 'ConfirmOnInvoice', 'Confirm']) {
      expect(await listed(`confirmation_intent_type eq '${intent}'`)).toEqual(
        ids((_, lines) => lines.some((l) => l.confirmation_intent_type === intent)),
      );
    }
    expect((await listed("confirmation_intent_type eq 'ConfirmOnDespatch'")).length).toBeGreaterThan(0);
  });

  it('filters on document_no and document_date, and joins conditions with and / or', async () => {
    const [first, second] = open;
    expect(await listed(`document_no eq '${String(first!.document_no)}'`)).toEqual([first!.id]);
    const dates = [...new Set(open.map((o) => day(o.document_date)))].sort();
    const middle = dates[Math.floor(dates.length / 2)]!;
    const after = ids((o) => day(o.document_date) >= middle);
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(open.length);
    expect(await listed(`document_date ge ${middle}`)).toEqual(after);
    expect(
      await listed(
        `trader_id eq ${String(first!.customer_id)} or document_no eq '${String(second!.document_no)}'`,
      ),
    ).toEqual(ids((o) => o.customer_id === first!.customer_id || o.id === second!.id));
    expect(
      await listed(
        `warehouse_id eq ${String(secondWarehouse)} and trader_id eq ${String(first!.customer_id)}`,
      ),
    ).toEqual(
      ids(
        (o, lines) =>
          o.customer_id === first!.customer_id && lines.some((l) => l.warehouse_id === secondWarehouse),
      ),
    );
  });

  it('keeps $orderby, $top and $count working beside the filter', async () => {
    const customer = open[0]!.customer_id;
    const rows = await caller.json<Row[]>(
      `/sop_despatch_discrete_orders?$filter=trader_id eq ${String(customer)}&$orderby=id desc&$top=1`,
    );
    expect(rows.map((r) => r.id)).toEqual(
      ids((o) => o.customer_id === customer)
        .reverse()
        .slice(0, 1),
    );
  });

  it.each([
    ['a field of the record Sage does not filter on', "trader_name eq 'A'", "property named 'trader_name'"],
    ['the id', 'id eq 1', "property named 'id'"],
    ['the document value', 'document_value gt 0', "property named 'document_value'"],
    [
      'a value no confirmation intent has',
      "confirmation_intent_type eq 'Despatch'",
      "'Despatch' is not a value",
    ],
    ['a quoted trader id', "trader_id eq '5'", "property 'trader_id'"],
  ])(
    'answers a filter on %s with 400 and Sage’s body naming the fields it takes',
    async (_, filter, problem) => {
      const response = await caller.get(
        `/sop_despatch_discrete_orders?$filter=${encodeURIComponent(filter)}`,
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { Message: string };
      expect(Object.keys(body)).toEqual(['Message']);
      expect(body.Message).toContain(problem);
      expect(body.Message).toContain(
        '/sop_despatch_discrete_orders filters only on confirmation_intent_type, trader_id, warehouse_id, document_no, document_date.',
      );
    },
  );
});
