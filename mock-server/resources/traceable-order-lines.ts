/**
 * A sales order line's batch and serial numbers (sop.json): `POST /sop_confirm_despatch_traceable_items` answers the
 * bins and numbers its goods can be despatched from, and `POST /sop_order_line_traceable_items` the numbers of its
 * product in its warehouse holding. Both are questions, derived from the traceable stock views
 * (mock-server/views/traceable-items.ts) and the line's allocations; they change nothing.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { CompanyStore } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import {
  binItems,
  binsOf,
  despatchableQuantity,
  type LineTraceableStock,
  lineTraceableStock,
  type ViewSources,
} from '../views/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const qty = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;
const SERIAL = 'EnumTraceableTypeSerial';

function sourcesOf(company: CompanyStore): ViewSources {
  return {
    all: (collection) => company.table(collection).all(),
    get: (collection, id) => company.table(collection).get(id),
    lookup: (collection, field, value) => {
      const table = company.table(collection);
      return table.lookup(field, value) ?? table.all().filter((r) => r[field] === value);
    },
  };
}

function lineOf(company: CompanyStore, body: Record<string, unknown>): SageRecord {
  const line = company.table('sop_order_lines').get(num(body.id));
  if (!line) throw badRequest(`No sales order line was found with the Id '${String(body.id)}' given in id.`);
  return line;
}

/** One number in one bin as the line sees it: Sage's `sop_item_traceable_adjustment_item`. */
function itemRow(
  company: CompanyStore,
  line: SageRecord,
  stock: LineTraceableStock,
): Record<string, JsonValue> {
  const { item, binItem } = stock;
  const serial = item.traceable_type === SERIAL;
  // The line's oldest allocation line still holding stock, as a despatch releases them (resources/despatch.ts).
  const allocation = (
    company.table('sop_allocation_lines').lookup('sop_order_line_id', num(line.id)) ?? []
  ).find((a) => num(a.current_allocated_quantity) > 0);
  const allocated = stock.allocatedToLine > 0;
  return {
    traceable_item_id: num(item.id),
    identification_no: text(item.identification_no),
    quantity: stock.allocatedToLine,
    is_selected: serial && allocated,
    original_quantity: stock.allocatedToLine,
    available_quantity: qty(stock.quantity - stock.allocatedElsewhere),
    allocation_quantity: stock.allocatedToLine,
    despatched_quantity: stock.despatched,
    supplier_reference: serial ? text(item.supplier_reference) : '',
    receipt_date: serial ? (item.receipt_date ?? null) : null,
    allocated_to_who_type: serial && stock.allocatedElsewhere + stock.allocatedToLine > 0 ? 'Customer' : '',
    additional_reference: text(item.additional_reference),
    sell_by_date: item.sell_by_date ?? null,
    use_by_date: item.use_by_date ?? null,
    traceable_bin_item_id: num(binItem.id),
    bin_item_id: binItem.bin_item_id ?? null,
    bin_name: stock.binName,
    sop_allocation_line_id: allocated ? (allocation?.id ?? null) : null,
    sop_allocation_line_quantity: allocated ? num(allocation?.current_allocated_quantity) : 0,
    // The sandbox keeps no record per traceable allocation; the order line is the allocation balance.
    traceable_allocation_balance_id: allocated ? num(line.id) : 0,
    is_allocated: serial && stock.allocatedElsewhere + stock.allocatedToLine > 0,
    is_selectable: stock.quantity - stock.allocatedElsewhere > 0,
  };
}

/** Whether a batch can still be sold on `day`: its sell-by and use-by dates, where set, are not before it. */
function sellable(item: SageRecord, day: string): boolean {
  return [item.sell_by_date, item.use_by_date].every(
    (date) => typeof date !== 'string' || date.slice(0, 10) >= day,
  );
}

export function registerTraceableOrderLineRoutes({ api, gate }: ApiRoutes): void {
  const despatch = '/sop_confirm_despatch_traceable_items';
  // Questions, not writes: trial sites may ask them.
  api.post(despatch, gate(loadCatalog().pathModules(despatch)), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('SopConfirmDespatchTraceableItemsRequest', body);
    const company = c.get('company');
    const line = lineOf(company, body);
    const sources = sourcesOf(company);
    const bins = binsOf(sources, line);
    const answer = {
      id: num(line.id),
      bin_items: binItems(bins, despatchableQuantity(line)).map((b) => ({
        id: num(b.id),
        available_quantity: num(b.available_quantity),
        quantity: num(b.quantity),
      })),
      traceable_adjustment_items: lineTraceableStock(sources, line)
        .filter((s) => s.quantity > 0)
        .map((s) => itemRow(company, line, s)),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });

  const orderLine = '/sop_order_line_traceable_items';
  api.post(orderLine, gate(loadCatalog().pathModules(orderLine)), async (c) => {
    const body = await readJsonObject(c);
    writeValidator().checkBody('SopOrderLineTraceableItemsRequest', body);
    const company = c.get('company');
    const line = lineOf(company, body);
    const day = typeof body.activity_date === 'string' ? body.activity_date.slice(0, 10) : undefined;
    const own = body.is_read_only === true;
    const answer = {
      id: num(line.id),
      product_id: line.product_id ?? null,
      sale_from_single_batch: false,
      is_fixed_single_batch: false,
      fixed_single_batch_traceable_item_id: null,
      traceable_adjustment_items: lineTraceableStock(sourcesOf(company), line)
        .filter((s) => (own ? s.allocatedToLine > 0 || s.despatched > 0 : true))
        .filter((s) => day === undefined || sellable(s.item, day))
        .map((s) => itemRow(company, line, s)),
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
