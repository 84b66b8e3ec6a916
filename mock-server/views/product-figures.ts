/**
 * `/product_sales_figures/{Id}` and `/product_purchase_figures/{Id}` (stock.json): a product's trading figures, the
 * quantities and base-currency values its stock movements to customers (goods out less returns in) and from
 * suppliers (goods in less returns out) moved, in the stock period still open, the one before it and each period of
 * its financial year so far. Sage keeps these as it posts movements; here they are the same sums taken at read time
 * from `product_transaction_views`, so a movement a write adds shows up at once. Sage's records carry no id: each is
 * read by its product's id, which the row holds out of its JSON (`withProductKey`).
 */
import { loadCatalog } from '../../contracts/index.ts';
import { dayOf, MONTH_NAMES } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { text } from './ledgers.ts';
import type { DerivedView, ViewSources } from './model.ts';

interface Period {
  readonly row: SageRecord;
  readonly yearId: number;
  readonly start: number;
  readonly end: number;
}

/** What one product's movements of one side summed to in one period. */
interface Sums {
  quantity: number;
  value: number;
  cost: number;
}

interface Side {
  /** The movements' source area (`/source_area_types`) and the types that count, with their sign. */
  readonly sourceArea: string;
  readonly signs: Readonly<Record<string, number>>;
  /** The amount a movement is valued at: its issue value for a sale, its cost for a purchase. */
  readonly valueField: 'issue_value' | 'cost_value';
  readonly totals: (thisPeriod: Sums, lastPeriod: Sums) => SageRecord;
  readonly period: (period: Period, sums: Sums) => SageRecord;
}

const round = (value: number, places: number): number => {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale + 0;
};

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

const dayOfField = (value: JsonValue | undefined): number =>
  typeof value === 'string' ? dayOf(value.slice(0, 10)) : Number.NaN;

function periodFields(period: Period): SageRecord {
  const start = text(period.row.period_start_date);
  return {
    start_date: start || null,
    end_date: text(period.row.period_end_date) || null,
    period: MONTH_NAMES[Number(start.slice(5, 7)) - 1] ?? '',
    year: start.slice(0, 4),
  };
}

const SALES: Side = {
  sourceArea: 'EnumSourceAreaTypeCustomer',
  signs: { GoodsOut: -1, ReturnIn: -1 },
  valueField: 'issue_value',
  totals: (now, before) => ({
    quantity_sold_this_period: round(now.quantity, 5),
    value_sold_this_period: round(now.value, 5),
    quantity_sold_last_period: round(before.quantity, 5),
    value_sold_last_period: round(before.value, 5),
  }),
  period: (period, sums) => {
    const value = round(sums.value, 2);
    const cost = round(sums.cost, 2);
    return {
      ...periodFields(period),
      quantity_sold: round(sums.quantity, 5),
      value_sold: value,
      average_selling_price: round(ratio(sums.value, sums.quantity), 5),
      cost_of_sale_value: cost,
      profit_value: round(value - cost, 2),
      profit_percent: round(ratio((value - cost) * 100, value), 2),
    };
  },
};

const PURCHASES: Side = {
  sourceArea: 'EnumSourceAreaTypeSupplier',
  signs: { GoodsIn: 1, ReturnOut: 1 },
  valueField: 'cost_value',
  totals: (now, before) => ({
    quantity_bought_this_period: round(now.quantity, 5),
    value_bought_this_period: round(now.value, 5),
    quantity_bought_last_period: round(before.quantity, 5),
    value_bought_last_period: round(before.value, 5),
  }),
  period: (period, sums) => ({
    ...periodFields(period),
    quantity_bought: round(sums.quantity, 5),
    value_bought: round(sums.value, 2),
    average_buying_price: round(ratio(sums.value, sums.quantity), 5),
  }),
};

/** The calendar's periods, oldest first, and which of them a figures record sums and lists. */
interface Window {
  readonly periods: readonly Period[];
  /** The open stock period's index; -1 when there is none (no movement falls in the calendar). */
  readonly open: number;
  /** The first period listed. */
  readonly first: number;
  /** The first period summed: the first listed, or the one before the open period when that is earlier. */
  readonly from: number;
}

/**
 * The periods a figures record shows, oldest first, ending at the stock period still open: by default those of the
 * financial year holding it, from its first; with `no_of_periods` that many, reaching back into earlier years when
 * it asks for more than this year has had (as many as the calendar holds). The open period is the one of the latest
 * movement: Sage moves it on only when stock period end is run, which the sandbox does not offer (the products'
 * `quantity_sold_this_period` counts the same period, mock-server/seed/stock.ts).
 */
function periodWindow(sources: ViewSources, count: number | undefined): Window {
  const periods = sources
    .all('financial_year_period_views')
    .map((row) => ({
      row,
      yearId: Number(row.financial_year_id),
      start: dayOfField(row.period_start_date),
      end: dayOfField(row.period_end_date),
    }))
    .sort((a, b) => a.start - b.start);
  let latest = Number.NEGATIVE_INFINITY;
  for (const movement of sources.all('product_transaction_views')) {
    const day = dayOfField(movement.transaction_date);
    if (day > latest) latest = day;
  }
  const open = periods.findIndex((p) => latest >= p.start && latest <= p.end);
  if (open < 0) return { periods, open, first: 0, from: 0 };
  let first = open;
  if (count === undefined) {
    while (first > 0 && periods[first - 1]!.yearId === periods[open]!.yearId) first--;
  } else {
    first = Math.max(0, open - count + 1);
  }
  return { periods, open, first, from: Math.max(0, Math.min(first, open - 1)) };
}

const blank = (): Sums => ({ quantity: 0, value: 0, cost: 0 });

/** A row read by its product's id: the key is kept from the row's JSON, since Sage's record has no such field. */
function withProductKey(row: SageRecord, productId: number): SageRecord {
  return Object.defineProperty(row, 'product_id', { value: productId, enumerable: false });
}

/** One side's figures of one product, summed from its movements (any others are skipped). */
function figuresOf(side: Side, window: Window, movements: Iterable<SageRecord>): SageRecord {
  const { periods, open, first, from } = window;
  const sums = open < 0 ? [] : periods.slice(from, open + 1).map(blank);
  const sourceAreaId = sourceAreaIdOf(side);
  if (open >= 0) {
    for (const movement of movements) {
      const sign = side.signs[text(movement.transaction_type)];
      if (sign === undefined || movement.source_area_type_id !== sourceAreaId) continue;
      const day = dayOfField(movement.transaction_date);
      let at = from;
      while (at <= open && !(day >= periods[at]!.start && day <= periods[at]!.end)) at++;
      if (at > open) continue;
      const into = sums[at - from]!;
      into.quantity += sign * Number(movement.quantity ?? 0);
      into.value += sign * Number(movement[side.valueField] ?? 0);
      into.cost += sign * Number(movement.cost_value ?? 0);
    }
  }
  const at = (index: number): Sums => (index >= from && index <= open ? sums[index - from]! : blank());
  const shown = open < 0 ? [] : periods.slice(first, open + 1);
  return {
    ...side.totals(at(open), at(open - 1)),
    periods: shown.map((period, i) => side.period(period, at(first + i))),
  };
}

const sourceAreaIds = new Map<string, number | undefined>();

function sourceAreaIdOf(side: Side): number | undefined {
  if (!sourceAreaIds.has(side.sourceArea)) {
    const member = loadCatalog()
      .members('source_area_types')
      .find((m) => m.value === side.sourceArea);
    sourceAreaIds.set(side.sourceArea, member?.id);
  }
  return sourceAreaIds.get(side.sourceArea);
}

const MOVEMENTS = 'product_transaction_views';

/**
 * The fields stock.json's figures take custom filtering on, besides `no_of_periods`: each narrows the movements
 * summed. Analysis codes 6 to 20 are Sage 200 Professional's; the contract's movements lack them, so a filter naming
 * one is refused (mock-server/resources/custom-filter.ts).
 */
const FILTER_FIELDS: readonly string[] = [
  'warehouse_name',
  'source_area_reference',
  ...Array.from({ length: 20 }, (_, i) => `analysis_code_${i + 1}`),
];

function figuresView(side: Side): DerivedView {
  return {
    aged: false,
    build(sources: ViewSources): SageRecord[] {
      const window = periodWindow(sources, undefined);
      const byProduct = new Map<number, SageRecord[]>();
      for (const movement of sources.all(MOVEMENTS)) {
        const productId = Number(movement.product_id);
        const own = byProduct.get(productId);
        if (own) own.push(movement);
        else byProduct.set(productId, [movement]);
      }
      return sources.all('products').map((product) => {
        const id = Number(product.id);
        return withProductKey(figuresOf(side, window, byProduct.get(id) ?? []), id);
      });
    },
    customFilter: {
      narrows: MOVEMENTS,
      fields: FILTER_FIELDS,
      periods: 'no_of_periods',
      one(sources, id, filter) {
        if (!sources.get('products', id)) return undefined;
        const movements = sources.lookup(MOVEMENTS, 'product_id', id).filter(filter.keeps);
        return withProductKey(figuresOf(side, periodWindow(sources, filter.periods), movements), id);
      },
    },
  };
}

/** The two figures views, by the collection their contract entries name. */
export const productFiguresViews: Readonly<Record<string, DerivedView>> = {
  product_sales_figures: figuresView(SALES),
  product_purchase_figures: figuresView(PURCHASES),
};
