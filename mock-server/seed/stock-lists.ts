/**
 * The stock lists around products: their suppliers (one preferred, sometimes a second), alternative and cross-sell
 * products, stocktake criteria templates and the stocktakes taken. Each product's `has_*` flags follow these lists.
 */
import { businessDate, dayOf, monthStartDay, WORLD_DATES } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';
import type { Product } from './reference-data.ts';
import type { StockWarehouse } from './stock-movements.ts';
import type { Trader } from './traders.ts';

export interface StockListInput {
  products: readonly Product[];
  records: ReadonlyMap<number, SageRecord>;
  /** Suppliers of stock (materials), each product's preferred one first. */
  suppliersOf: (product: Product) => readonly Trader[];
  warehouses: readonly StockWarehouse[];
  stockVarianceNominalId: number | null;
  rng: Rng;
  stamp: string;
  nextId: () => number;
}

export interface StockLists {
  product_suppliers: SageRecord[];
  alternative_products: SageRecord[];
  cross_sell_products: SageRecord[];
  stocktake_criteria_templates: SageRecord[];
  stocktakes: SageRecord[];
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function buildStockLists(input: StockListInput): StockLists {
  const { rng, stamp, nextId } = input;
  const stocked = input.products.filter((p) => !p.service);
  const flag = (product: Product, field: string) => {
    const record = input.records.get(product.id);
    if (record) record[field] = true;
  };

  const product_suppliers: SageRecord[] = [];
  for (const product of stocked) {
    input.suppliersOf(product).forEach((supplier, i) => {
      const r = blankRecord('product_suppliers', stamp);
      r.id = nextId();
      r.product_id = product.id;
      r.supplier_id = supplier.id;
      r.supplier_stock_code = `${supplier.reference.slice(0, 4)}-${product.code}`.slice(0, 60);
      r.lead_time = rng.int(2, 15);
      r.lead_time_unit = 'Days';
      r.usual_order_quantity = rng.int(4, 12) * 10;
      r.minimum_order_quantity = rng.pick([1, 5, 10]);
      r.list_price = round((product.cost / 100) * (1 + rng.int(0, 10) / 100), 5);
      r.date_list_price_changed = businessDate(dayOf(WORLD_DATES.tradingStart) + rng.int(0, 300));
      r.default_pricing_source_type = 'LastBuyingPrice';
      r.landed_costs_type = 'EnumLandedCostsTypeNotApplicable';
      r.last_buying_price = product.cost / 100;
      r.is_preferred = i === 0;
      r.country_of_origin_id = supplier.country.id;
      product_suppliers.push(r);
      if (i === 0) flag(product, 'has_preferred_supplier');
    });
  }

  // Alternatives from a product's own group; cross-sells from any.
  const alternative_products: SageRecord[] = [];
  const cross_sell_products: SageRecord[] = [];
  for (const [i, product] of stocked.entries()) {
    const groupOf = (p: Product) => input.records.get(p.id)?.product_group_id;
    const sameGroup = stocked.filter((p) => p !== product && groupOf(p) === groupOf(product));
    if (sameGroup.length === 0) continue;
    if (i % 3 === 0) {
      const r = blankRecord('alternative_products', stamp);
      r.id = nextId();
      r.product_id = product.id;
      r.alternative_product_id = rng.pick(sameGroup).id;
      r.is_preferred = true;
      alternative_products.push(r);
      flag(product, 'has_alternative_products');
    }
    if (i % 4 === 1) {
      const r = blankRecord('cross_sell_products', stamp);
      r.id = nextId();
      r.product_id = product.id;
      r.cross_sell_product_id = rng.pick(stocked.filter((p) => p !== product)).id;
      cross_sell_products.push(r);
      flag(product, 'has_cross_sell_products');
    }
  }

  const template = (name: string, fields: Record<string, string | number | null>) => {
    const r = blankRecord('stocktake_criteria_templates', stamp);
    r.id = nextId();
    r.name = name;
    r.stocktake_traceable_type = 'EnumStocktakeTraceableTypeNonTraceable';
    Object.assign(r, fields);
    return r;
  };
  const stocktake_criteria_templates = [
    template('Year end - all items', { stock_value_type: 'All', quantity_from: 0, quantity_to: 99_999 }),
    template('Top 50 by value', { stock_value_type: 'Highest', stock_value_number_of_items: 50 }),
    template('Slow movers', {
      stock_value_type: 'All',
      last_sold_date: businessDate(
        monthStartDay(WORLD_DATES.currentYear, Number(WORLD_DATES.tradingEnd.slice(5, 7)) - 6),
      ),
    }),
  ];

  const stocktakes = input.warehouses.map((warehouse, i) => {
    const r = blankRecord('stocktakes', stamp);
    r.id = nextId();
    r.stocktake_name = `${warehouse.name} year end ${WORLD_DATES.firstYear}`;
    r.warehouse_id = warehouse.id;
    r.warehouse_name = warehouse.name;
    r.stocktake_date = businessDate(dayOf(`${WORLD_DATES.firstYear}-12-31`));
    r.stocktake_type = i === 0 ? 'EnumStocktakeTypeByBin' : 'EnumStocktakeTypeByStockItem';
    r.stocktake_status = 'EnumStocktakeStatusComplete';
    r.stock_variance_nominal_code_id = input.stockVarianceNominalId;
    r.nominal_narrative = 'Stocktake variance';
    return r;
  });
  return {
    product_suppliers,
    alternative_products,
    cross_sell_products,
    stocktake_criteria_templates,
    stocktakes,
  };
}

/** The search categories each product group's products are searched by (Sage's product group search values). */
const GROUP_SEARCH: Readonly<Record<string, readonly string[]>> = {
  HARDWARE: ['Brand', 'Colour', 'Material'],
  CONSUMABLES: ['Brand', 'Colour', 'Format'],
  PUBLICATIONS: ['Format'],
};

/** One row per product group and search value of the categories the group is searched by. */
export function buildGroupSearchValues(
  groups: readonly SageRecord[],
  categories: readonly SageRecord[],
  values: readonly SageRecord[],
  nextId: () => number,
): SageRecord[] {
  const rows: SageRecord[] = [];
  for (const group of groups) {
    for (const name of GROUP_SEARCH[String(group.code)] ?? []) {
      const category = categories.find((c) => c.name === name);
      if (!category) continue;
      for (const value of values) {
        if (value.search_category_id !== category.id || value.is_none_value === true) continue;
        const r = blankRecord('product_group_search_category_values', '');
        r.prod_group_search_val_id = nextId();
        r.product_group_id = group.id ?? null;
        r.search_category_id = category.id ?? null;
        r.search_category_name = category.name ?? '';
        r.search_value_id = value.id ?? null;
        r.search_value_name = value.name ?? '';
        rows.push(r);
      }
    }
  }
  return rows;
}
