/**
 * `POST /sop_orders_duplicate`, `/sop_quotes_duplicate` and `/pop_orders_duplicate` (Sage's sop.json and pop.json:
 * "creates a draft sales order which needs to be either confirmed as a live order by using the PUT sop_orders
 * endpoint with the field 'is_editing' set to false, or discarded using the DELETE sop_orders endpoint"), and
 * `POST /products_duplicate` (stock.json, product-duplicate.ts). A draft is kept in its own tables
 * (`sop_order_drafts`, ...), so no list, view, stock figure or account value sees it until it is confirmed.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { type RecordWrite, writeValidator } from '../validation/index.ts';
import type { SageRecord } from '../world/model.ts';
import { type DocumentKind, type OrderShape, SHAPES } from './order-shapes.ts';
import { prepareDocument, startDocument } from './orders.ts';
import { duplicateProduct } from './product-duplicate.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import type { WriteContext } from './writable.ts';
import { writeContexts } from './write-context.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

interface Duplicate {
  path: string;
  flags: string;
  shape: OrderShape;
  /** Where `source_id` may point, in order: a quotation may be copied from a quotation or a sales order. */
  sources: readonly OrderShape[];
}

const DUPLICATES: readonly Duplicate[] = (
  [
    ['sop', 'SopOrderDuplicateFlags', ['sop']],
    ['quote', 'SopQuoteDuplicateFlags', ['quote', 'sop']],
    ['pop', 'PopOrderDuplicateFlags', ['pop']],
  ] as const
).map(([kind, flags, sources]) => ({
  path: `${SHAPES[kind].orders}_duplicate`,
  flags,
  shape: SHAPES[kind],
  sources: sources.map((s: DocumentKind) => SHAPES[s]),
}));

/** Header fields a duplicate keeps from its source; the rest are the new account's defaults. */
const HEADER_COPIED = /^(analysis_code_\d+|spare_(text|number|date|bool)_\d+|customer_document_no)$/;
/** Line fields a duplicate keeps, with the price field of its side; discounts only with `prices_and_discounts`. */
const LINE_COPIED = [
  'line_type',
  'code',
  'description',
  'line_quantity',
  'requested_delivery_date',
  'promised_delivery_date',
  'analysis_code_1',
  'analysis_code_2',
  'analysis_code_3',
  'analysis_code_4',
  'analysis_code_5',
];
const LINE_DISCOUNTS = ['discount_percent_specified', 'unit_discount_percent', 'unit_discount_value'];

const numberOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The source document and its lines, or the 400 naming `source_id`. */
function sourceOf(duplicate: Duplicate, id: number, ctx: WriteContext) {
  for (const shape of duplicate.sources) {
    const record = ctx.company.table(shape.orders).get(id);
    if (!record) continue;
    const lines = [...(ctx.company.table(shape.lines).lookup(shape.orderKey, id) ?? [])].sort(
      (a, b) => numberOf(a.line_number) - numberOf(b.line_number),
    );
    return { record, lines };
  }
  const nouns = duplicate.sources.map((s) => s.noun).join(' or ');
  throw badRequest(`No ${nouns} was found with the Id '${id}' given in source_id.`);
}

/** The warehouse a product is held in first (the lowest holding id), for a source line that names none. */
function homeWarehouse(ctx: WriteContext, productId: number): number | undefined {
  const holdings = ctx.company.table('warehouse_holdings').lookup('product_id', productId) ?? [];
  const first = [...holdings].sort((a, b) => numberOf(a.id) - numberOf(b.id))[0];
  return typeof first?.warehouse_id === 'number' ? first.warehouse_id : undefined;
}

/**
 * The draft's lines as a write's body would send them: the source's, priced as the flags say. A standard line of a
 * seeded quotation names no warehouse; its copy takes the product's first holding's.
 */
function lineBodies(
  ctx: WriteContext,
  lines: readonly SageRecord[],
  shape: OrderShape,
  keepDiscounts: boolean,
) {
  const priceField = shape.kind === 'sop' ? 'selling_unit_price' : 'unit_buying_price';
  const copied = [...LINE_COPIED, priceField, ...(keepDiscounts ? LINE_DISCOUNTS : [])];
  return lines.map((line) => {
    const item: Record<string, unknown> = {};
    for (const field of copied) if (Object.hasOwn(line, field)) item[field] = line[field];
    // Free text, charge and comment lines carry product and warehouse 0: send none.
    if (numberOf(line.product_id) !== 0) item.product_id = line.product_id;
    if (numberOf(line.warehouse_id) !== 0) item.warehouse_id = line.warehouse_id;
    else if (line.line_type === 'EnumLineTypeStandard' && typeof line.product_id === 'number') {
      const warehouse = homeWarehouse(ctx, line.product_id);
      if (warehouse !== undefined) item.warehouse_id = warehouse;
    }
    return item;
  });
}

export function registerDuplicateRoutes({ api, deps, gate }: ApiRoutes): void {
  const context = writeContexts(deps);
  const checked: RecordWrite = { mode: 'create', current: {} };
  const trial = rejectTrialWrites();

  for (const duplicate of DUPLICATES) {
    const { shape } = duplicate;
    const path = `/${duplicate.path}`;
    api.post(path, gate(loadCatalog().pathModules(path)), trial, async (c) => {
      const flags = await readJsonObject(c);
      writeValidator().checkRecord(duplicate.flags, flags, checked);
      const ctx = context(c);
      const source = sourceOf(duplicate, flags.source_id as number, ctx);
      const record = startDocument(shape, ctx, { [shape.traderKey]: flags[shape.traderKey] });
      const keep = flags.prices_and_discounts === true;
      for (const [field, value] of Object.entries(source.record)) {
        if (HEADER_COPIED.test(field) && Object.hasOwn(record, field)) record[field] = value;
      }
      if (keep) record.document_discount_percent = source.record.document_discount_percent ?? 0;
      const body = { lines: lineBodies(ctx, source.lines, shape, keep) };
      const step = prepareDocument(shape, record, undefined, ctx, body, { from: 'new', to: 'draft' });
      const result = step();
      await deps.store().commit(ctx.company, result.changes);
      return c.body(JSON.stringify(result.response ?? result.record), 200, JSON_TYPE);
    });
  }

  const products = '/products_duplicate';
  api.post(products, gate(loadCatalog().pathModules(products)), trial, async (c) => {
    const flags = await readJsonObject(c);
    writeValidator().checkRecord('ProductDuplicateFlags', flags, checked);
    const ctx = context(c);
    const result = duplicateProduct(flags, ctx);
    await deps.store().commit(ctx.company, result.changes);
    return c.body(JSON.stringify(result.record), 200, JSON_TYPE);
  });
}
