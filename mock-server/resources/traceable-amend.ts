/**
 * The batch and serial number questions of stock.json: `POST /traceable_items_assign_traceable_items` answers a
 * product's traceable items that have no number yet, `POST /traceable_items_amend_traceable_items` those it has in
 * stock, bin by bin, from the traceable stock views (mock-server/views/traceable-items.ts). They change nothing.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { CompanyStore } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import { traceableBalances, type ViewSources } from '../views/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;
const SERIAL = 'EnumTraceableTypeSerial';

/** The company's records as the views read them. */
export function sourcesOf(company: CompanyStore): ViewSources {
  return {
    all: (collection) => company.table(collection).all(),
    get: (collection, id) => company.table(collection).get(id),
    lookup: (collection, field, value) => {
      const table = company.table(collection);
      return table.lookup(field, value) ?? table.all().filter((r) => r[field] === value);
    },
  };
}

/** The product a body names, or a 400. */
export function productOf(company: CompanyStore, body: Record<string, unknown>): SageRecord {
  const product = company.table('products').get(num(body.product_id));
  if (!product)
    throw badRequest(`No product was found with the Id '${String(body.product_id)}' given in product_id.`);
  return product;
}

/** One item's row: where it is, how much, and what it came in with. */
export function itemRow(
  company: CompanyStore,
  item: SageRecord,
  at: { warehouseName: string | null; binName: string | null; quantity: number; allocated: number },
): Record<string, JsonValue> {
  const serial = item.traceable_type === SERIAL;
  const receipt = company.table('product_transaction_views').get(num(item.product_transaction_view_id));
  return {
    identification_no: text(item.identification_no),
    quantity: at.quantity,
    available_quantity: qty(at.quantity - at.allocated),
    additional_reference: text(item.additional_reference),
    sell_by_date: item.sell_by_date ?? null,
    use_by_date: item.use_by_date ?? null,
    warehouse_name: at.warehouseName,
    bin_name: at.binName,
    supplier_reference: text(item.supplier_reference),
    receipt_date: serial ? (item.receipt_date ?? null) : (receipt?.transaction_date ?? null),
    // The seed writes a purchase receipt's order number as its movement's second reference.
    purchase_order_no: receipt?.transaction_type === 'GoodsIn' ? text(receipt.second_reference) : '',
    activity_date: receipt?.transaction_date ?? null,
    is_allocated: at.allocated > 0,
    traceable_item_id: item.id ?? null,
    split_batch_items: [],
  };
}

/**
 * The product's numbered items in stock, one row per bin, oldest item first, as the amend question answers them;
 * `only` narrows them to some items.
 */
export function amendableRows(
  company: CompanyStore,
  product: SageRecord,
  only?: ReadonlySet<number>,
): Record<string, JsonValue>[] {
  return traceableBalances(sourcesOf(company))
    .flatMap((row) => {
      const item = company.table('traceable_items').get(num(row.traceable_item_id));
      if (!item || item.product_id !== product.id || text(item.identification_no) === '') return [];
      if (only && !only.has(num(item.id))) return [];
      return [{ row, item }];
    })
    .sort((a, b) => num(a.row.traceable_item_id) - num(b.row.traceable_item_id))
    .map(({ row, item }) =>
      itemRow(company, item, {
        warehouseName: text(
          company.table('warehouse_holdings').get(num(row.warehouse_holding_id))?.warehouse_name,
        ),
        binName: text(row.bin_name),
        quantity: num(row.quantity),
        allocated: num(row.allocated_quantity),
      }),
    );
}

export function registerTraceableAmendRoutes({ api, gate }: ApiRoutes): void {
  // Questions, not writes: trial sites may ask them.
  const assign = '/traceable_items_assign_traceable_items';
  api.post(assign, gate(loadCatalog().pathModules(assign)), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('TraceableItemsAssignTraceableItemsRequest', body);
    const company = c.get('company');
    const product = productOf(company, body);
    const unnumbered = (company.table('traceable_items').lookup('product_id', num(product.id)) ?? []).filter(
      (item) => text(item.identification_no) === '',
    );
    const answer = {
      product_id: num(product.id),
      issue_status: 'EnumTraceableIssueStatusAll',
      traceable_adjustment_items: unnumbered.map((item) =>
        itemRow(company, item, { warehouseName: null, binName: null, quantity: 0, allocated: 0 }),
      ),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });

  const amend = '/traceable_items_amend_traceable_items';
  api.post(amend, gate(loadCatalog().pathModules(amend)), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('TraceableItemsAmendTraceableItemsRequest', body);
    const company = c.get('company');
    const product = productOf(company, body);
    const answer = {
      product_id: num(product.id),
      issue_status: 'EnumTraceableIssueStatusNotIssued',
      traceable_adjustment_items: amendableRows(company, product),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
