/**
 * The price book's product prices (`/product_price_views`): one price per product in each price band, the prices
 * the seeded orders and quotes were charged at. Product codes, names, units, band names and currencies are not kept
 * here: the contract's `x-sandbox-lookup` reads them from their records whenever the list is read.
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { Product, ReferenceData } from './reference-data.ts';

/** To the penny, as the seeded order lines round (`orders.ts`). */
const pounds = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;

export interface PriceBookInput {
  products: readonly Product[];
  priceBands: readonly SageRecord[];
  ref: ReferenceData;
  stamp: string;
  nextId: () => number;
}

/**
 * Standard is each product's selling price; Trade uses the standard price (the seeded documents charge trade
 * customers no less); an export band holds the price converted at its currency's rate, as overseas orders are priced.
 */
export function buildProductPrices(input: PriceBookInput): SageRecord[] {
  const rates = new Map(
    ['GBP', 'EUR', 'USD'].map((iso) => [input.ref.currency(iso).id, input.ref.currency(iso).rate]),
  );
  const records: SageRecord[] = [];
  for (const product of input.products) {
    for (const band of input.priceBands) {
      const rate = rates.get(band.currency_id as number) ?? 1;
      const r = blankRecord('product_price_views', input.stamp);
      r.product_price_id = input.nextId();
      r.product_id = product.id;
      r.price_band_id = band.id as number;
      r.product_price_use_standard = band.is_standard_band !== true && rate === 1;
      r.product_price_price = pounds((product.price / 100) * rate);
      records.push(r);
    }
  }
  return records;
}
