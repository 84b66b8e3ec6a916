/**
 * `/product_sales_figures/{Id}` and `/product_purchase_figures/{Id}`: a product's trading figures, read by the
 * product's id, agree with its stock movements summed here independently: sales are the movements to customers
 * (goods out, returns in), purchases those from suppliers (goods in, returns out), by the accounting period of their
 * date; the periods are those of the financial year holding the open stock period (the latest movement's), up to it,
 * and this period's and last period's quantities are those of the product's `holding`. An
 * unknown product is a 404 with Sage's body; a new product has figures at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

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
