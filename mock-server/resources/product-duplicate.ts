/**
 * `POST /products_duplicate` (Sage's stock.json `DuplicateProduct`, "Returns a duplicate product using the product
 * options specified"): a new product under `new_code`, with the source's writable fields and, as the flags ask, its
 * warehouse holdings and their stocking levels, suppliers, alternative and cross-sell items and memos. The copy
 * holds no stock, has nothing on order or allocated, and has no movements. See docs/writes.md.
 */
import { loadCatalog, type SchemaObject } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, TableName } from '../store/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { stampRecord } from './records.ts';
import { productResource } from './stock.ts';
import { put, type WriteContext, type WriteResult } from './writable.ts';

/** Stock figures a copied holding, bin or supplier row starts again from: nothing held, ordered or allocated. */
const FIGURE = /^(quantity_|confirmed_qty_|unconfirmed_qty_|free_stock_|order_(quantity|value)_|last_order_)/;
const LEVELS = ['reorder_level', 'minimum_level', 'maximum_level'];

/** `row` with its figures back to zero (a date to null), `levels` too unless they are kept. */
function cleared(row: SageRecord, keepLevels: boolean): SageRecord {
  const out: SageRecord = { ...row };
  for (const [field, value] of Object.entries(row)) {
    const figure = FIGURE.test(field) || (!keepLevels && LEVELS.includes(field));
    if (!figure) continue;
    out[field] = typeof value === 'number' ? 0 : value === null || typeof value === 'string' ? null : value;
  }
  if (Object.hasOwn(out, 'last_stocktake')) out.last_stocktake = null;
  return out;
}

/** The product's writable fields from `source` (read-only ones are the server's: totals, status, averages). */
function writableCopy(start: SageRecord, source: SageRecord, schema: SchemaObject): SageRecord {
  const out: SageRecord = { ...start };
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    if (property.readOnly === true || property['x-sage-expandable'] === true) continue;
    if (field === 'id' || !Object.hasOwn(source, field)) continue;
    out[field] = structuredClone(source[field]) as JsonValue;
  }
  return out;
}

export function duplicateProduct(flags: Record<string, unknown>, ctx: WriteContext): WriteResult {
  const newCode = typeof flags.new_code === 'string' ? flags.new_code.trim() : '';
  if (newCode === '') throw badRequest('The new_code field is required.');
  const sourceId = flags.source_id as number;
  const source = ctx.company.table('products').get(sourceId);
  if (!source) throw badRequest(`No product was found with the Id '${sourceId}' given in source_id.`);
  const schema = ctx.schema('Product');
  const start = productResource.start(ctx, {}, undefined);
  const record = writableCopy(start, source, schema);
  record.code = newCode;
  if (typeof flags.new_name === 'string' && flags.new_name !== '') record.name = flags.new_name;

  const wanted = (flag: string): boolean => flags[flag] === true;
  const levels = wanted('location_stocking_levels');
  const rowsOf = (table: TableName) => ctx.company.table(table).lookup('product_id', sourceId) ?? [];
  const holdings = wanted('locations') || levels ? rowsOf('warehouse_holdings') : [];
  const suppliers = wanted('suppliers') ? rowsOf('product_suppliers') : [];
  const alternatives = wanted('alternative_items') ? rowsOf('alternative_products') : [];
  const crossSells = wanted('cross_selling_items') ? rowsOf('cross_sell_products') : [];
  const memos = wanted('memos') ? rowsOf('product_memos') : [];
  record.has_alternative_products = alternatives.length > 0;
  record.has_cross_sell_products = crossSells.length > 0;
  record.has_preferred_supplier = suppliers.some((s) => s.is_preferred === true);

  // The product's own checks (unique code, references) run before any id is reserved.
  const step = productResource.prepare(record, undefined, ctx, {});
  const result = step();
  const productId = result.record.id as number;
  const changes: Change[] = [...result.changes];
  const reserve = () => ctx.company.reserveId();
  const copy = (table: TableName, row: SageRecord, extra: SageRecord = {}): SageRecord => {
    const schemaName = loadCatalog().resource(table).schema;
    const stamped = stampRecord(
      { ...row, id: 0, product_id: productId, ...extra },
      undefined,
      ctx.schema(schemaName),
      ctx.now,
      reserve,
    );
    changes.push(put(table, stamped));
    return stamped;
  };
  for (const holding of holdings) {
    const copied = copy('warehouse_holdings', cleared(holding, levels));
    const bins = ctx.company.table('bin_holdings').lookup('warehouse_holding_id', holding.id as number) ?? [];
    for (const bin of bins)
      copy('bin_holdings', cleared(bin, levels), { warehouse_holding_id: copied.id ?? 0 });
  }
  for (const row of suppliers) copy('product_suppliers', cleared(row, true));
  for (const row of alternatives) copy('alternative_products', row);
  for (const row of crossSells) copy('cross_sell_products', row);
  for (const row of memos) copy('product_memos', row);
  return { record: result.record, changes };
}
