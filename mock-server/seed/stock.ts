/**
 * A company's stock: two warehouses beside HOME, bins in each, the stock lists around products, every stock movement
 * of the trading period, and the holdings and product totals summed from those movements and the order lines.
 * Built last and from its own random stream, so no record made before it changes.
 */
import { dayOf, WORLD_DATES, ymd } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';
import type { Product, ReferenceData } from './reference-data.ts';
import { buildHoldings } from './stock-holdings.ts';
import { buildGroupSearchValues, buildStockLists } from './stock-lists.ts';
import { buildStockMovements, type StockWarehouse } from './stock-movements.ts';
import { buildCountSheets } from './stocktake-sheets.ts';
import type { Trader } from './traders.ts';
import type { Doc } from './trading.ts';
import { dialled, dramaNumber } from './uk/index.ts';

export interface StockInput {
  ref: ReferenceData;
  docs: readonly Doc[];
  suppliers: readonly Trader[];
  /** The company's warehouses so far (HOME); the new ones are appended to this array. */
  warehouses: SageRecord[];
  sopOrderLines: readonly SageRecord[];
  popOrderLines: readonly SageRecord[];
  userNames: readonly string[];
  searchCategories: readonly SageRecord[];
  searchValues: readonly SageRecord[];
  rng: Rng;
  stamp: string;
  nextId: () => number;
}

/** The warehouses added beside HOME: name, description, address; names are unique as Sage requires. */
const DEPOTS: readonly [
  name: string,
  description: string,
  address: string,
  city: string,
  county: string,
  postcode: string,
  dialling: string,
][] = [
  [
    'LEEDS',
    'Leeds distribution centre',
    'Unit 4, Thornes Park Trading Estate',
    'Leeds',
    'West Yorkshire',
    'LS11 5QA',
    '0113',
  ],
  ['BRISTOL', 'Bristol trade counter', '12 Avonmouth Way', 'Bristol', 'City of Bristol', 'BS11 9YA', '0117'],
];

/** HOME's bins, by aisle and shelf; the depots keep one bin per product, as a site not using bins does. */
const HOME_BINS = ['A1-01', 'B2-03'];
const DEPOT_BINS = ['Unspecified'];

export type StockCollections = ReturnType<typeof buildStockLists> &
  ReturnType<typeof buildHoldings> & {
    product_transaction_views: SageRecord[];
    stocktake_count_sheet_items: SageRecord[];
    product_group_search_category_values: SageRecord[];
  };

export function buildStock(input: StockInput): StockCollections {
  const { ref, rng, stamp, nextId } = input;
  const home = input.warehouses[0];
  if (typeof home?.id !== 'number') throw new Error('stock: the company has no HOME warehouse');
  const gb = ref.country('GB');
  for (const [name, description, address_1, city, county, postcode, dialling] of DEPOTS) {
    const r = blankRecord('warehouses', stamp);
    r.id = nextId();
    Object.assign(r, { name, description, address_1, city, county, postcode });
    r.postal_name = description;
    r.country = gb.name;
    r.country_code_id = gb.id;
    r.telephone_number = dialled(dramaNumber(dialling, rng.int(0, 999)));
    input.warehouses.push(r);
  }
  const warehouses: StockWarehouse[] = input.warehouses.map((w, i) => ({
    id: w.id as number,
    name: String(w.name),
    bins: i === 0 ? HOME_BINS : DEPOT_BINS,
    share: i === 0 ? 0.7 : 0.3 / (input.warehouses.length - 1),
  }));

  const materials = input.suppliers.filter((s) => s.category?.name === 'materials');
  const pool = materials.length > 0 ? materials : input.suppliers;
  const suppliersOf = (product: Product): Trader[] => {
    const index = ref.products.indexOf(product);
    const first = pool[index % pool.length];
    const second = pool[(index * 7 + 3) % pool.length];
    if (!first) return [];
    return second && second !== first && index % 3 === 0 ? [first, second] : [first];
  };
  const records = new Map(ref.collections.products.map((r) => [r.id as number, r]));
  const lists = buildStockLists({
    products: ref.products,
    records,
    suppliersOf,
    warehouses,
    stockVarianceNominalId: ref.nominal('5000').id,
    rng,
    stamp,
    nextId,
  });

  const groups = new Map<number, { id: number; code: string }>();
  const groupRecords = new Map(ref.collections.product_groups.map((g) => [g.id as number, g]));
  for (const record of ref.collections.products) {
    const group = groupRecords.get(record.product_group_id as number);
    if (group) groups.set(record.id as number, { id: group.id as number, code: String(group.code) });
  }
  const product_transaction_views = buildStockMovements({
    products: ref.products,
    groups,
    warehouses,
    docs: input.docs,
    suppliers: input.suppliers,
    supplierOf: (product) => suppliersOf(product)[0] ?? input.suppliers[0]!,
    userNames: input.userNames,
    rng,
    nextId,
  });

  const end = dayOf(WORLD_DATES.tradingEnd);
  const holdings = buildHoldings({
    products: ref.products.filter((p) => !p.service).map((p) => records.get(p.id)!),
    warehouses,
    movements: product_transaction_views,
    sopOrderLines: input.sopOrderLines,
    popOrderLines: input.popOrderLines,
    // The stock period still open is the last month traded: its period end has not been run yet.
    thisPeriod: ymd(end).slice(0, 7),
    lastPeriod: ymd(dayOf(`${ymd(end).slice(0, 7)}-01`) - 1).slice(0, 7),
    stamp,
    nextId,
  });
  const stocktake_count_sheet_items = buildCountSheets({
    stocktakes: lists.stocktakes,
    holdings: holdings.warehouse_holdings,
    bins: holdings.bin_holdings,
    movements: product_transaction_views,
    products: records,
    groups: groupRecords,
    stamp,
    nextId,
  });
  const product_group_search_category_values = buildGroupSearchValues(
    ref.collections.product_groups,
    input.searchCategories,
    input.searchValues,
    nextId,
  );
  return {
    ...lists,
    ...holdings,
    product_transaction_views,
    stocktake_count_sheet_items,
    product_group_search_category_values,
  };
}
