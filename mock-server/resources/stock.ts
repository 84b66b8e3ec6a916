/**
 * Writes to stock records (Sage's stock.json): products and warehouses. A product's `code` and a warehouse's `name`
 * are unique; stock holdings and statuses stay as the server derives them; neither can be deleted while an order
 * line uses it (nor a product that holds stock or has stock movements, nor a warehouse that holds stock items).
 */

import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { TableName } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import {
  productDeleteChanges,
  productNameChanges,
  requireNoHoldings,
  warehouseNameChanges,
} from './stock-names.ts';
import { companyDefaults } from './traders.ts';
import {
  put,
  requireReference,
  requireUnique,
  type WritableResource,
  type WriteContext,
} from './writable.ts';

function onOrderLines(ctx: WriteContext, field: 'product_id' | 'warehouse_id', id: number): boolean {
  const tables: TableName[] = ['sop_order_lines', 'pop_order_lines'];
  return tables.some((table) => (ctx.company.table(table).lookup(field, id) ?? []).length > 0);
}

export const productResource: WritableResource = {
  definition: loadCatalog().resource('products'),
  create: true,
  update: true,
  remove: true,
  start(ctx) {
    const record = withDefaults(blankRecord('products', ctx.now), ctx.schema('Product'));
    record.tax_code_id = companyDefaults(ctx).standardRate?.id ?? null;
    record.allow_sales_order = true;
    return record;
  },
  prepare(record, previous, ctx) {
    requireUnique(ctx, record, 'products', 'code', 'product');
    requireReference(ctx, record, 'product_group_id', 'product_groups', 'product group');
    requireReference(ctx, record, 'tax_code_id', 'tax_codes', 'tax code');
    requireReference(ctx, record, 'country_of_origin_id', 'country_codes', 'country code');
    requireReference(ctx, record, 'stock_nominal_code_id', 'nominal_codes', 'nominal code');
    requireReference(ctx, record, 'revenue_nominal_code_id', 'nominal_codes', 'nominal code');
    return () => {
      stampRecord(record, previous, ctx.schema('Product'), ctx.now, () => ctx.company.reserveId());
      // The status record shares the product's id (as seeded).
      record.status = { ...(record.status as SageRecord), id: record.id ?? 0 };
      const written = previous ? productNameChanges(ctx, previous, record) : [];
      return { record, changes: [put('products', record), ...written] };
    };
  },
  prepareDelete(record, ctx) {
    const name = `The product '${String(record.code)}'`;
    if (onOrderLines(ctx, 'product_id', record.id as number)) {
      throw badRequest(`${name} cannot be deleted because order lines use it.`);
    }
    const holding = record.holding as SageRecord | undefined;
    if (typeof holding?.quantity_in_stock === 'number' && holding.quantity_in_stock !== 0) {
      throw badRequest(`${name} cannot be deleted because it holds stock.`);
    }
    return productDeleteChanges(ctx, record);
  },
};

const warehouses: WritableResource = {
  definition: loadCatalog().resource('warehouses'),
  create: true,
  update: true,
  remove: true,
  start(ctx) {
    return withDefaults(blankRecord('warehouses', ctx.now), ctx.schema('Warehouse'));
  },
  prepare(record, previous, ctx) {
    requireUnique(ctx, record, 'warehouses', 'name', 'warehouse');
    requireReference(ctx, record, 'country_code_id', 'country_codes', 'country code');
    return () => {
      stampRecord(record, previous, ctx.schema('Warehouse'), ctx.now, () => ctx.company.reserveId());
      const written = previous ? warehouseNameChanges(ctx, previous, record) : [];
      return { record, changes: [put('warehouses', record), ...written] };
    };
  },
  prepareDelete(record, ctx) {
    if (onOrderLines(ctx, 'warehouse_id', record.id as number)) {
      throw badRequest(
        `The warehouse '${String(record.name)}' cannot be deleted because order lines use it.`,
      );
    }
    requireNoHoldings(ctx, record);
    return [];
  },
};

export const stockResources: readonly WritableResource[] = [productResource, warehouses];
