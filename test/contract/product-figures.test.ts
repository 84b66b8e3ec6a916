/**
 * `/product_sales_figures/{Id}` and `/product_purchase_figures/{Id}`: a product's trading figures, read by the
 * product's id, agree with its stock movements summed here independently: sales are the movements to customers
 * (goods out, returns in), purchases those from suppliers (goods in, returns out), by the accounting period of their
 * date; the periods are those of the financial year holding the open stock period (the latest movement's), up to it,
 * and this period's and last period's quantities are those of the product's `holding`. An
 * unknown product is a 404 with Sage's body; a new product has figures at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import {
  api,
  type Caller,
  callerFor,
  copyOfWorld,
  smallTestWorld,
  testSandbox,
  USERS,
} from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const day = (value: unknown): string => String(value).slice(0, 10);
const ALL = '$top=5000';

interface Expected {
  quantity: number;
  value: number;
  cost: number;
}

/** The movements of a product of one side, in a period: summed as Sage shows them (sales positive). */
function summed(movements: readonly Row[], kinds: readonly string[], start: string, end: string): Expected {
  const sign = kinds.includes('GoodsOut') ? -1 : 1;
  const own = movements.filter(
    (m) =>
      kinds.includes(String(m.transaction_type)) &&
      day(m.transaction_date) >= start &&
      day(m.transaction_date) <= end,
  );
  return {
    quantity: sign * own.reduce((sum, m) => sum + n(m.quantity), 0),
    value:
      sign * own.reduce((sum, m) => sum + n(kinds.includes('GoodsOut') ? m.issue_value : m.cost_value), 0),
    cost: sign * own.reduce((sum, m) => sum + n(m.cost_value), 0),
  };
}

describe('product trading figures', () => {
  let app: SandboxApp;
  let caller: Caller;
  let movements: Row[];
  let products: Row[];
  let calendar: Row[];
  let sourceAreas: Map<unknown, unknown>;
  beforeAll(async () => {
    app = testSandbox({ freezeClock: true });
    caller = await callerFor(app, USERS.full);
    let areas: Row[];
    [movements, products, calendar, areas] = await Promise.all([
      caller.json<Row[]>(`/product_transaction_views?${ALL}`),
      caller.json<Row[]>(`/products?${ALL}`),
      caller.json<Row[]>(`/financial_year_period_views?${ALL}`),
      caller.json<Row[]>('/source_area_types'),
    ]);
    sourceAreas = new Map(areas.map((a) => [a.value, a.id]));
  });

  const from = (area: string, productId: unknown): Row[] =>
    movements.filter((m) => m.product_id === productId && m.source_area_type_id === sourceAreas.get(area));

  /** The calendar's periods, oldest first, and the one before a period. */
  const periodBefore = (start: string): Row | undefined =>
    calendar
      .filter((p) => day(p.period_end_date) < start)
      .sort((a, b) => day(a.period_start_date).localeCompare(day(b.period_start_date)))
      .at(-1);

  it.each([
    ['sales', 'product_sales_figures', 'EnumSourceAreaTypeCustomer', ['GoodsOut', 'ReturnIn'], 'sold'],
    [
      'purchase',
      'product_purchase_figures',
      'EnumSourceAreaTypeSupplier',
      ['GoodsIn', 'ReturnOut'],
      'bought',
    ],
  ] as const)(
    'sums each product’s %s figures from its stock movements',
    async (_, path, area, kinds, verb) => {
      const active = products.filter((p) => from(area, p.id).length > 0);
      expect(active.length).toBeGreaterThan(0);
      let nonZeroPeriods = 0;
      for (const product of active) {
        const figures = await caller.json<Row>(`/${path}/${String(product.id)}`);
        const own = from(area, product.id);
        const periods = figures.periods as Row[];
        expect(periods.length).toBeGreaterThan(0);
        // The periods are the current financial year's, from its first.
        const first = calendar.find((p) => day(p.period_start_date) === day(periods[0]!.start_date))!;
        expect(day(first.financial_year_start_date)).toBe(day(first.period_start_date));
        for (const period of periods) {
          const expected = summed(own, kinds, day(period.start_date), day(period.end_date));
          const where = `${String(product.code)} ${String(period.period)} ${String(period.year)}`;
          expect(n(period[`quantity_${verb}`]), where).toBeCloseTo(expected.quantity, 5);
          expect(n(period[`value_${verb}`]), where).toBeCloseTo(expected.value, 2);
          if (expected.quantity !== 0) {
            nonZeroPeriods++;
            const average =
              path === 'product_sales_figures' ? 'average_selling_price' : 'average_buying_price';
            expect(n(period[average]), where).toBeCloseTo(expected.value / expected.quantity, 4);
          }
          if (path === 'product_sales_figures') {
            expect(n(period.cost_of_sale_value), where).toBeCloseTo(expected.cost, 2);
            expect(n(period.profit_value), where).toBeCloseTo(expected.value - expected.cost, 2);
          }
        }
        const current = periods.at(-1)!;
        const now = summed(own, kinds, day(current.start_date), day(current.end_date));
        expect(n(figures[`quantity_${verb}_this_period`])).toBeCloseTo(now.quantity, 5);
        expect(n(figures[`value_${verb}_this_period`])).toBeCloseTo(now.value, 2);
        const previous = periodBefore(day(current.start_date))!;
        const before = summed(own, kinds, day(previous.period_start_date), day(previous.period_end_date));
        expect(n(figures[`quantity_${verb}_last_period`])).toBeCloseTo(before.quantity, 5);
        expect(n(figures[`value_${verb}_last_period`])).toBeCloseTo(before.value, 2);
      }
      expect(nonZeroPeriods).toBeGreaterThan(0);
    },
  );

  it.each(['product_sales_figures', 'product_purchase_figures'])(
    'answers /%s of an unknown product with 404 and Sage’s body',
    async (path) => {
      const unknown = Math.max(...products.map((p) => n(p.id))) + 1_000;
      const response = await caller.get(`/${path}/${unknown}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        Message: `No ${path === 'product_sales_figures' ? 'product sales' : 'product purchase'} figure was found with the Id '${unknown}'.`,
      });
    },
  );

  it('serves figures for a product as soon as it is created, all nought', async () => {
    const template = products[0]!;
    const response = await app.request(api('/products'), {
      method: 'POST',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        code: 'FIG-NEW-01',
        name: 'Figures test item',
        product_group_id: template.product_group_id,
      }),
    });
    expect(response.status).toBe(200);
    const created = (await response.json()) as Row;
    const figures = await caller.json<Row>(`/product_sales_figures/${String(created.id)}`);
    expect(figures.quantity_sold_this_period).toBe(0);
    expect((figures.periods as Row[]).every((p) => p.quantity_sold === 0 && p.value_sold === 0)).toBe(true);
  });

  it("ends at the open stock period, the latest movement's, and agrees there with the product's own figures", async () => {
    const latest =
      movements
        .map((m) => day(m.transaction_date))
        .sort()
        .at(-1) ?? '';
    const open = calendar.find(
      (p) => day(p.period_start_date) <= latest && latest <= day(p.period_end_date),
    )!;
    const holdingOf = (p: Row): Row => (p.holding ?? {}) as Row;
    const stocked = products.filter((p) => typeof holdingOf(p).quantity_sold_this_period === 'number');
    expect(stocked.length).toBeGreaterThan(0);
    let moved = 0;
    for (const product of stocked) {
      const [sales, purchases] = await Promise.all([
        caller.json<Row>(`/product_sales_figures/${String(product.id)}`),
        caller.json<Row>(`/product_purchase_figures/${String(product.id)}`),
      ]);
      expect(day((sales.periods as Row[]).at(-1)!.start_date)).toBe(day(open.period_start_date));
      expect(sales.quantity_sold_this_period, String(product.code)).toBe(
        holdingOf(product).quantity_sold_this_period,
      );
      expect(sales.quantity_sold_last_period, String(product.code)).toBe(
        holdingOf(product).quantity_sold_last_period,
      );
      expect(purchases.quantity_bought_this_period, String(product.code)).toBe(
        holdingOf(product).quantity_bought_this_period,
      );
      expect(purchases.quantity_bought_last_period, String(product.code)).toBe(
        holdingOf(product).quantity_bought_last_period,
      );
      moved += n(sales.quantity_sold_this_period) + n(sales.quantity_sold_last_period);
    }
    expect(moved).toBeGreaterThan(0);
  });
});

/**
 * Sage's custom filtering of the figures (stock.json: "custom filtering on the following fields: 'no_of_periods',
 * 'warehouse_name', 'source_area_reference' and analysis codes 1-20"): the filtered figures equal the movements the
 * same conditions keep on `/product_transaction_views` (a list `$filter`, an independent path) summed by period, and
 * `no_of_periods eq N` lists the N calendar periods ending at the open one. Analysis codes 6 to 20 (Sage 200
 * Professional's), other fields, operators and forms answer 400 with Sage's body.
 */
describe('product trading figures: custom filtering', () => {
  const SIDES = [
    ['product_sales_figures', 'EnumSourceAreaTypeCustomer', ['GoodsOut', 'ReturnIn'], 'sold'],
    ['product_purchase_figures', 'EnumSourceAreaTypeSupplier', ['GoodsIn', 'ReturnOut'], 'bought'],
  ] as const;
  /** The analysis code the test tags on some of the movements of its own copy of the world. */
  const TAG = 'TRADE';
  let caller: Caller;
  let movements: Row[];
  let calendar: Row[];
  let sourceAreas: Map<unknown, unknown>;
  let open: number;
  beforeAll(async () => {
    const world = copyOfWorld(smallTestWorld());
    for (const site of world.sites) {
      for (const company of site.companies) {
        const own = company.collections.product_transaction_views ?? [];
        own.forEach((movement, i) => {
          if (i % 3 === 0) movement.analysis_code_1 = TAG;
        });
      }
    }
    const app = createSandbox({ world, freezeClock: true });
    caller = await callerFor(app, USERS.full);
    let areas: Row[];
    [movements, calendar, areas] = await Promise.all([
      caller.json<Row[]>(`/product_transaction_views?${ALL}`),
      caller.json<Row[]>(`/financial_year_period_views?${ALL}&$orderby=period_start_date`),
      caller.json<Row[]>('/source_area_types'),
    ]);
    sourceAreas = new Map(areas.map((a) => [a.value, a.id]));
    const latest =
      movements
        .map((m) => day(m.transaction_date))
        .sort()
        .at(-1) ?? '';
    open = calendar.findIndex((p) => day(p.period_start_date) <= latest && latest <= day(p.period_end_date));
  });

  const filterOf = (text: string): string => `$filter=${encodeURIComponent(text)}`;

  /** The movements of a product the list's `$filter` keeps under the same conditions. */
  const kept = (productId: unknown, conditions: string): Promise<Row[]> =>
    caller.json<Row[]>(
      `/product_transaction_views?${ALL}&${filterOf(`product_id eq ${String(productId)}${conditions ? ` and ${conditions}` : ''}`)}`,
    );

  /** The calendar periods a figures record with `no_of_periods` lists: that many, ending at the open one. */
  const lastPeriods = (count: number): Row[] => calendar.slice(Math.max(0, open - count + 1), open + 1);

  /** Checks a figures record against the movements it should be summed from, period by period. */
  function expectSummed(
    figures: Row,
    own: readonly Row[],
    side: readonly [string, string, readonly string[], string],
    listed: readonly Row[],
    where: string,
  ): number {
    const [, area, kinds, verb] = side;
    const mine = own.filter((m) => m.source_area_type_id === sourceAreas.get(area));
    const periods = figures.periods as Row[];
    expect(
      periods.map((p) => day(p.start_date)),
      where,
    ).toEqual(listed.map((p) => day(p.period_start_date)));
    let moved = 0;
    periods.forEach((period, i) => {
      const expected = summed(
        mine,
        kinds,
        day(listed[i]!.period_start_date),
        day(listed[i]!.period_end_date),
      );
      expect(n(period[`quantity_${verb}`]), `${where} ${String(period.period)}`).toBeCloseTo(
        expected.quantity,
        5,
      );
      expect(n(period[`value_${verb}`]), `${where} ${String(period.period)}`).toBeCloseTo(expected.value, 2);
      moved += Math.abs(expected.quantity);
    });
    const now = calendar[open]!;
    const before = calendar[open - 1]!;
    const thisPeriod = summed(mine, kinds, day(now.period_start_date), day(now.period_end_date));
    const lastPeriod = summed(mine, kinds, day(before.period_start_date), day(before.period_end_date));
    expect(n(figures[`quantity_${verb}_this_period`]), where).toBeCloseTo(thisPeriod.quantity, 5);
    expect(n(figures[`value_${verb}_this_period`]), where).toBeCloseTo(thisPeriod.value, 2);
    expect(n(figures[`quantity_${verb}_last_period`]), where).toBeCloseTo(lastPeriod.quantity, 5);
    expect(n(figures[`value_${verb}_last_period`]), where).toBeCloseTo(lastPeriod.value, 2);
    return moved + Math.abs(thisPeriod.quantity) + Math.abs(lastPeriod.quantity);
  }

  /** Products with movements of a side, and the distinct values a field takes on them. */
  const activeProducts = (area: string): unknown[] => [
    ...new Set(
      movements.filter((m) => m.source_area_type_id === sourceAreas.get(area)).map((m) => m.product_id),
    ),
  ];
  const valuesOf = (field: string, productId: unknown): string[] => [
    ...new Set(movements.filter((m) => m.product_id === productId).map((m) => String(m[field]))),
  ];

  it.each(SIDES)('narrows /%s by warehouse_name to the movements of that warehouse', async (...side) => {
    const [path, area] = side;
    let moved = 0;
    let narrowed = 0;
    for (const productId of activeProducts(area)) {
      for (const warehouse of valuesOf('warehouse_name', productId)) {
        const condition = `warehouse_name eq '${warehouse}'`;
        const [figures, own, all] = await Promise.all([
          caller.json<Row>(`/${path}/${String(productId)}?${filterOf(condition)}`),
          kept(productId, condition),
          kept(productId, ''),
        ]);
        expect(own.every((m) => m.warehouse_name === warehouse)).toBe(true);
        if (own.length < all.length) narrowed++;
        const year = calendar.filter((p) => p.financial_year_id === calendar[open]!.financial_year_id);
        const listed = year.filter((p) => day(p.period_start_date) <= day(calendar[open]!.period_start_date));
        moved += expectSummed(figures, own, side, listed, `${String(productId)} ${warehouse}`);
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(narrowed).toBeGreaterThan(0);
  });

  it.each(SIDES)(
    'narrows /%s by source_area_reference and no_of_periods together, reaching back across financial years',
    async (...side) => {
      const [path, area] = side;
      const periodsThisYear = calendar
        .slice(0, open + 1)
        .filter((p) => p.financial_year_id === calendar[open]!.financial_year_id).length;
      let moved = 0;
      for (const productId of activeProducts(area)) {
        const references = movements
          .filter((m) => m.product_id === productId && m.source_area_type_id === sourceAreas.get(area))
          .map((m) => String(m.source_area_reference));
        for (const reference of new Set(references)) {
          for (const count of [1, 3, periodsThisYear + 4]) {
            const [figures, own] = await Promise.all([
              caller.json<Row>(
                `/${path}/${String(productId)}?${filterOf(`no_of_periods eq ${count} and source_area_reference eq '${reference}'`)}`,
              ),
              kept(productId, `source_area_reference eq '${reference}'`),
            ]);
            moved += expectSummed(
              figures,
              own,
              side,
              lastPeriods(count),
              `${String(productId)} ${reference} ${count}`,
            );
          }
        }
      }
      expect(moved).toBeGreaterThan(0);
    },
  );

  it.each(SIDES)(
    'narrows /%s by an analysis code (1 to 5) to the movements that carry it',
    async (...side) => {
      const [path, area] = side;
      let moved = 0;
      for (const productId of activeProducts(area)) {
        for (const [condition, count] of [
          [`analysis_code_1 eq '${TAG}'`, 2],
          [`analysis_code_1 eq '${TAG}' and analysis_code_5 eq ''`, 6],
        ] as const) {
          const [figures, own] = await Promise.all([
            caller.json<Row>(
              `/${path}/${String(productId)}?${filterOf(`${condition} and no_of_periods eq ${count}`)}`,
            ),
            kept(productId, condition),
          ]);
          expect(own.every((m) => m.analysis_code_1 === TAG)).toBe(true);
          moved += expectSummed(figures, own, side, lastPeriods(count), `${String(productId)} ${condition}`);
        }
      }
      expect(moved).toBeGreaterThan(0);
    },
  );

  it('lists every period the calendar holds up to the open one when no_of_periods asks for more', async () => {
    const productId = activeProducts('EnumSourceAreaTypeCustomer')[0];
    const figures = await caller.json<Row>(
      `/product_sales_figures/${String(productId)}?${filterOf('no_of_periods eq 9999')}`,
    );
    expect((figures.periods as Row[]).length).toBe(open + 1);
    expectSummed(figures, await kept(productId, ''), SIDES[0], lastPeriods(open + 1), String(productId));
  });

  it('compares a warehouse name as a list $filter does, without regard to case', async () => {
    const productId = activeProducts('EnumSourceAreaTypeCustomer')[0];
    const warehouse = valuesOf('warehouse_name', productId)[0]!;
    const [lower, exact] = await Promise.all(
      [warehouse.toLowerCase(), warehouse].map((name) =>
        caller.json<Row>(
          `/product_sales_figures/${String(productId)}?${filterOf(`warehouse_name eq '${name}'`)}`,
        ),
      ),
    );
    expect(warehouse).not.toBe(warehouse.toLowerCase());
    expect(lower).toEqual(exact);
  });

  it('keeps $select working beside the filter', async () => {
    const productId = activeProducts('EnumSourceAreaTypeCustomer')[0];
    const figures = await caller.json<Row>(
      `/product_sales_figures/${String(productId)}?${filterOf('no_of_periods eq 2')}&$select=quantity_sold_this_period`,
    );
    expect(Object.keys(figures)).toEqual(['quantity_sold_this_period']);
  });

  it('answers a valid filter on an unknown product with 404 and Sage’s body', async () => {
    const response = await caller.get(`/product_sales_figures/99999999?${filterOf('no_of_periods eq 2')}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      Message: "No product sales figure was found with the Id '99999999'.",
    });
  });

  const FORM = "takes a $filter of conditions 'field eq value' joined by 'and'";
  it.each([
    [
      'a Professional-only analysis code',
      "analysis_code_6 eq 'X'",
      "'analysis_code_6' is a Sage 200 Professional field",
    ],
    [
      'the last Professional-only analysis code',
      "analysis_code_20 eq 'X'",
      "'analysis_code_20' is a Sage 200 Professional field",
    ],
    [
      'a field it does not filter on',
      'quantity_sold_this_period eq 1',
      "Could not find a property named 'quantity_sold_this_period'",
    ],
    ['an unknown field', "bin_name eq 'A1'", "Could not find a property named 'bin_name'"],
    [
      'an operator other than eq',
      "warehouse_name ne 'HOME'",
      "the operator 'ne' (on 'warehouse_name') is not supported",
    ],
    [
      'an ordering of no_of_periods',
      'no_of_periods gt 2',
      "the operator 'gt' (on 'no_of_periods') is not supported",
    ],
    ['or', "warehouse_name eq 'HOME' or warehouse_name eq 'LEEDS'", "'or' is not supported"],
    ['not', "not (warehouse_name eq 'HOME')", "'not' is not supported"],
    ['a string function', "startswith(warehouse_name,'H')", "the function 'startswith' is not supported"],
    ['no_of_periods of 0', 'no_of_periods eq 0', "'no_of_periods' must be a whole number of periods from 1"],
    [
      'a fractional no_of_periods',
      'no_of_periods eq 1.5',
      "'no_of_periods' must be a whole number of periods from 1",
    ],
    ['a quoted no_of_periods', "no_of_periods eq '3'", "property 'no_of_periods'"],
    [
      'no_of_periods twice',
      'no_of_periods eq 2 and no_of_periods eq 3',
      "'no_of_periods' is given more than once",
    ],
    ['a malformed expression', 'warehouse_name eq', 'Syntax error in $filter at position 17'],
  ])('answers %s with 400 and Sage’s body naming the problem', async (_, filter, problem) => {
    const productId = activeProducts('EnumSourceAreaTypeCustomer')[0];
    for (const path of ['product_sales_figures', 'product_purchase_figures']) {
      const response = await caller.get(`/${path}/${String(productId)}?${filterOf(filter)}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { Message: string };
      expect(Object.keys(body)).toEqual(['Message']);
      expect(body.Message).toContain(problem);
      expect(body.Message).toContain(`/${path}/{Id} ${FORM}`);
    }
  });

  it('answers a $filter given twice with 400', async () => {
    const productId = activeProducts('EnumSourceAreaTypeCustomer')[0];
    const response = await caller.get(
      `/product_sales_figures/${String(productId)}?${filterOf('no_of_periods eq 2')}&${filterOf('no_of_periods eq 3')}`,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { Message: string }).Message).toContain('given more than once');
  });
});
