/**
 * Stock records that carry a product's code and group or a warehouse's name (movements, holdings, stocktakes), as
 * Sage's views join them in: a change to the product or warehouse is written through to them in the same write,
 * and a delete takes the product's empty holdings and its supplier, alternative and cross-sell rows with it.
 */
import { badRequest } from '../errors.ts';
import type { Change, TableName } from '../store/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { put, type WriteContext } from './writable.ts';

/** Puts of every record of `table` found by `field` = `id` whose `fields` differ from `values`. */
function rewrite(
  ctx: WriteContext,
  table: TableName,
  field: string,
  key: string | number,
  values: Record<string, JsonValue>,
  where: (record: SageRecord) => boolean = () => true,
): Change[] {
  const out: Change[] = [];
  for (const record of ctx.company.table(table).lookup(field, key) ?? []) {
    if (!where(record)) continue;
    if (Object.entries(values).every(([name, value]) => record[name] === value)) continue;
    out.push(put(table, { ...record, ...values }));
  }
  return out;
}

/** A product's new code, name or group, written into its movements and count sheet lines. */
export function productNameChanges(ctx: WriteContext, previous: SageRecord, record: SageRecord): Change[] {
  const same = ['code', 'name', 'product_group_id'].every((field) => previous[field] === record[field]);
  if (same) return [];
  const id = record.id as number;
  const group = ctx.company.table('product_groups').get(record.product_group_id as number);
  // Count sheet lines name their product by its bins.
  const bins = new Set((ctx.company.table('bin_holdings').lookup('product_id', id) ?? []).map((b) => b.id));
  const sheets: Change[] = ctx.company
    .table('stocktake_count_sheet_items')
    .all()
    .filter(
      (item) =>
        bins.has(item.bin_item_id) && (item.item_code !== record.code || item.item_name !== record.name),
    )
    .map((item) =>
      put('stocktake_count_sheet_items', {
        ...item,
        item_code: record.code ?? '',
        item_name: record.name ?? '',
      }),
    );
  return [
    ...rewrite(ctx, 'product_transaction_views', 'product_id', id, {
      product_code: record.code ?? '',
      product_group_id: record.product_group_id ?? null,
      product_group_code: group?.code ?? '',
    }),
    ...sheets,
  ];
}

/** A warehouse's new name, written into its holdings, movements and stocktakes. */
export function warehouseNameChanges(ctx: WriteContext, previous: SageRecord, record: SageRecord): Change[] {
  if (previous.name === record.name) return [];
  const id = record.id as number;
  const name = { warehouse_name: record.name ?? '' };
  return [
    ...rewrite(ctx, 'warehouse_holdings', 'warehouse_id', id, name),
    ...rewrite(ctx, 'stocktakes', 'warehouse_id', id, name),
    ...rewrite(ctx, 'product_transaction_views', 'warehouse_name', String(previous.name), name),
  ];
}

/** What deleting a product takes with it; a product with stock movements cannot go (Sage keeps their history). */
export function productDeleteChanges(ctx: WriteContext, record: SageRecord): Change[] {
  const id = record.id as number;
  if ((ctx.company.table('product_transaction_views').lookup('product_id', id) ?? []).length > 0) {
    throw badRequest(
      `The product '${String(record.code)}' cannot be deleted because it has stock transactions.`,
    );
  }
  const remove = (table: TableName, field: string): Change[] =>
    (ctx.company.table(table).lookup(field, id) ?? []).map((r) => ({
      kind: 'delete',
      table,
      id: r.id as number,
    }));
  const citing = (table: TableName, field: string): Change[] =>
    ctx.company
      .table(table)
      .all()
      .filter((r) => r[field] === id)
      .map((r) => ({ kind: 'delete', table, id: r.id as number }));
  const alternatives = citing('alternative_products', 'alternative_product_id');
  const crossSells = citing('cross_sell_products', 'cross_sell_product_id');
  return [
    ...remove('bin_holdings', 'product_id'),
    ...remove('warehouse_holdings', 'product_id'),
    ...remove('product_suppliers', 'product_id'),
    ...remove('alternative_products', 'product_id'),
    ...alternatives,
    ...remove('cross_sell_products', 'product_id'),
    ...crossSells,
    ...flagChanges(ctx, id, 'alternative_products', alternatives, 'has_alternative_products'),
    ...flagChanges(ctx, id, 'cross_sell_products', crossSells, 'has_cross_sell_products'),
  ];
}

/** Other products whose last alternative (or cross-sell) the delete removes: their flag goes false. */
function flagChanges(
  ctx: WriteContext,
  deleted: number,
  table: TableName,
  removed: readonly Change[],
  flag: string,
): Change[] {
  const gone = new Set(removed.map((c) => (c.kind === 'delete' ? c.id : 0)));
  const rows = ctx.company.table(table);
  const owners = new Set(
    [...gone]
      .map((id) => rows.get(id)?.product_id)
      .filter((id): id is number => typeof id === 'number' && id !== deleted),
  );
  const out: Change[] = [];
  for (const owner of owners) {
    const left = (rows.lookup('product_id', owner) ?? []).some((r) => !gone.has(r.id as number));
    const product = ctx.company.table('products').get(owner);
    if (product && !left)
      out.push(put('products', { ...product, [flag]: false, date_time_updated: ctx.now }));
  }
  return out;
}

/** A warehouse holding stock items cannot be deleted. */
export function requireNoHoldings(ctx: WriteContext, record: SageRecord): void {
  if (
    (ctx.company.table('warehouse_holdings').lookup('warehouse_id', record.id as number) ?? []).length > 0
  ) {
    throw badRequest(
      `The warehouse '${String(record.name)}' cannot be deleted because it holds stock items.`,
    );
  }
}
