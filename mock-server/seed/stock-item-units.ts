/**
 * Each product's units of measure (`/lookup_stock_item_units`): a product is bought, stocked and sold in one unit,
 * Each from `/units`, and its `base_unit_id` and `stock_unit_id` name that stock item unit.
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';

export function buildStockItemUnits(
  products: readonly SageRecord[],
  units: readonly SageRecord[],
  nextId: () => number,
): SageRecord[] {
  const each = units.find((unit) => unit.each_value === true);
  if (!each) throw new Error('stock item units: the company has no Each unit');
  return products.map((product) => {
    const r = blankRecord('lookup_stock_item_units', '');
    r.id = nextId();
    r.name = each.name as string;
    r.stock_item_id = product.id as number;
    r.unit_id = each.id as number;
    product.base_unit_id = r.id;
    product.stock_unit_id = r.id;
    return r;
  });
}
