/**
 * Writes to warehouse and bin holdings (Sage's stock.json): where a product is held and in which bins. Only their
 * levels, names and priorities are written; quantities start at zero and only stock movements and order lines
 * change them (resources/stock-levels.ts). A product is held in a warehouse once, and a new holding starts in the
 * warehouse's first bin, or in "Unspecified", the bin Sage creates in every warehouse, when no product is binned
 * there yet. A holding or bin with stock or allocations, or one order lines use, is not deleted (assumed: Sage's
 * desktop refuses the same).
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import { put, requireReference, type WritableResource, type WriteContext } from './writable.ts';

/** Sage's name for the bin every warehouse starts with. */
export const UNSPECIFIED_BIN = 'Unspecified';

/** Figures that hold a holding or bin in place, and how a refusal says so. */
const STOCK_FIGURES: readonly [string, string][] = [
  ['quantity_in_stock', 'it holds stock'],
  ['quantity_allocated', 'stock is allocated from it'],
  ['quantity_on_order', 'stock is on order for it'],
];

function unchanged(
  record: SageRecord,
  previous: SageRecord | undefined,
  fields: readonly string[],
  noun: string,
) {
  for (const field of fields) {
    if (previous && record[field] !== previous[field]) {
      throw badRequest(`The ${field} of a ${noun} cannot be changed.`);
    }
  }
}

/** Why a record cannot go yet (stock, allocations, stock on order), or undefined. */
function inUse(record: SageRecord): string | undefined {
  return STOCK_FIGURES.find(([field]) => typeof record[field] === 'number' && record[field] !== 0)?.[1];
}

/** The bins of a warehouse, by priority: those its holdings use (the bin names live on the bin holdings). */
function binsOf(ctx: WriteContext, warehouseId: number): string[] {
  const bins = new Map<string, number>();
  for (const holding of ctx.company.table('warehouse_holdings').lookup('warehouse_id', warehouseId) ?? []) {
    for (const bin of ctx.company
      .table('bin_holdings')
      .lookup('warehouse_holding_id', holding.id as number) ?? []) {
      const priority = bin.allocation_priority as number;
      bins.set(bin.name as string, Math.min(priority, bins.get(bin.name as string) ?? priority));
    }
  }
  return [...bins].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

const warehouseHoldings: WritableResource = {
  definition: loadCatalog().resource('warehouse_holdings'),
  create: true,
  update: true,
  remove: true,
  ignored: ['is_to_delete', 'warehouse_name'],
  start(ctx) {
    return withDefaults(blankRecord('warehouse_holdings', ctx.now), ctx.schema('WarehouseHolding'));
  },
  prepare(record, previous, ctx) {
    unchanged(record, previous, ['product_id', 'warehouse_id'], 'warehouse holding');
    const product = requireReference(ctx, record, 'product_id', 'products', 'product');
    const warehouse = requireReference(ctx, record, 'warehouse_id', 'warehouses', 'warehouse');
    if (!product || !warehouse) throw badRequest('The product_id and warehouse_id fields are required.');
    record.warehouse_name = warehouse.name ?? '';
    const twin = (
      ctx.company.table('warehouse_holdings').lookup('product_id', product.id as number) ?? []
    ).find((other) => other.id !== record.id && other.warehouse_id === warehouse.id);
    if (twin) {
      throw badRequest(
        `The product '${String(product.code)}' is already held in the warehouse '${String(warehouse.name)}'.`,
      );
    }
    for (const [low, high] of [
      ['minimum_level', 'maximum_level'],
      ['reorder_level', 'maximum_level'],
    ] as const) {
      const min = record[low] as number;
      const max = record[high] as number;
      if (max !== 0 && min > max) throw badRequest(`The ${low} cannot be more than the ${high}.`);
    }
    return () => {
      stampRecord(record, previous, ctx.schema('WarehouseHolding'), ctx.now, () => ctx.company.reserveId());
      const changes: Change[] = [put('warehouse_holdings', record)];
      if (!previous) {
        const bin = withDefaults(blankRecord('bin_holdings', ctx.now), ctx.schema('BinHolding'));
        bin.warehouse_holding_id = record.id as number;
        bin.product_id = product.id as number;
        bin.name = binsOf(ctx, warehouse.id as number)[0] ?? UNSPECIFIED_BIN;
        bin.allocation_priority = 1;
        stampRecord(bin, undefined, ctx.schema('BinHolding'), ctx.now, () => ctx.company.reserveId());
        changes.push(put('bin_holdings', bin));
      }
      return { record, changes };
    };
  },
  prepareDelete(record, ctx) {
    const figure = inUse(record);
    const name = `The holding of product ${String(record.product_id)} in the warehouse '${String(record.warehouse_name)}'`;
    if (figure) throw badRequest(`${name} cannot be deleted because ${figure}.`);
    const lines = (['sop_order_lines', 'pop_order_lines'] as const).some((table) =>
      (ctx.company.table(table).lookup('product_id', record.product_id as number) ?? []).some(
        (line) => line.warehouse_id === record.warehouse_id,
      ),
    );
    if (lines) throw badRequest(`${name} cannot be deleted because order lines use it.`);
    return (ctx.company.table('bin_holdings').lookup('warehouse_holding_id', record.id as number) ?? []).map(
      (bin) => ({ kind: 'delete', table: 'bin_holdings', id: bin.id as number }),
    );
  },
};

const binHoldings: WritableResource = {
  definition: loadCatalog().resource('bin_holdings'),
  create: true,
  update: true,
  remove: true,
  ignored: ['is_to_delete'],
  start(ctx) {
    return withDefaults(blankRecord('bin_holdings', ctx.now), ctx.schema('BinHolding'));
  },
  prepare(record, previous, ctx) {
    unchanged(record, previous, ['product_id', 'warehouse_holding_id'], 'bin holding');
    const holding = requireReference(
      ctx,
      record,
      'warehouse_holding_id',
      'warehouse_holdings',
      'warehouse holding',
    );
    if (!holding) throw badRequest('The warehouse_holding_id field is required.');
    if (record.product_id !== holding.product_id) {
      throw badRequest(
        `The product_id '${String(record.product_id)}' is not the product of the warehouse holding '${String(holding.id)}'.`,
      );
    }
    const name = typeof record.name === 'string' ? record.name.trim() : '';
    if (name === '') throw badRequest('The name field is required.');
    const twin = (
      ctx.company.table('bin_holdings').lookup('warehouse_holding_id', holding.id as number) ?? []
    ).find((other) => other.id !== record.id && String(other.name).toLowerCase() === name.toLowerCase());
    if (twin) {
      throw badRequest(
        `The product is already held in the bin '${name}' of the warehouse '${String(holding.warehouse_name)}'.`,
      );
    }
    record.name = name;
    return () => {
      stampRecord(record, previous, ctx.schema('BinHolding'), ctx.now, () => ctx.company.reserveId());
      return { record, changes: [put('bin_holdings', record)] };
    };
  },
  prepareDelete(record, ctx) {
    const figure = inUse(record);
    const name = `The bin holding '${String(record.name)}'`;
    if (figure) throw badRequest(`${name} cannot be deleted because ${figure}.`);
    const bins =
      ctx.company
        .table('bin_holdings')
        .lookup('warehouse_holding_id', record.warehouse_holding_id as number) ?? [];
    if (bins.length <= 1) {
      throw badRequest(`${name} cannot be deleted because it is the warehouse holding's only bin.`);
    }
    return [];
  },
};

export const holdingResources: readonly WritableResource[] = [warehouseHoldings, binHoldings];
