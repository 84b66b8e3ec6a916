/**
 * `POST /customer_price_enquiry` (sales.json): a customer's price for a product and quantity, read from the price
 * book the API serves (`/product_price_views` in the band `/customer_price_bands` links the customer to) and the
 * customer's sales orders. Saves nothing. See the operation's description in contracts/sage200.openapi.yaml.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { CompanyStore } from '../store/index.ts';
import { checkPosting } from '../validation/index.ts';
import type { SageRecord } from '../world/model.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

/** The most previous prices Sage answers ("the last five prices"). */
const PREVIOUS_PRICES = 5;

/** To `places` decimal places, half away from zero. */
const round = (value: number, places: number): number => {
  const scale = 10 ** places;
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale + 0;
};

/** The records of `collection` whose `field` is `value`, through its index when it has one. */
export function rowsWhere(
  company: CompanyStore,
  collection: string,
  field: string,
  value: number,
): readonly SageRecord[] {
  const table = company.table(collection);
  return table.lookup(field, value) ?? table.all().filter((r) => r[field] === value);
}

/** The record `id` of `collection`, or the 400 naming the field that gave it. */
export function named(
  company: CompanyStore,
  collection: string,
  id: number,
  noun: string,
  field: string,
): SageRecord {
  const found = company.table(collection).get(id);
  if (!found) throw badRequest(`No ${noun} was found with the Id '${id}' given in ${field}.`);
  return found;
}

/**
 * A product's unit price in a price band, in the band's currency: the band's row, or the standard band's where the
 * row uses the standard price. Undefined when the price book has no row for the product.
 */
export function bandPrice(company: CompanyStore, productId: number, bandId: number): number | undefined {
  const rows = rowsWhere(company, 'product_price_views', 'product_id', productId);
  const row = rows.find((r) => r.price_band_id === bandId);
  if (!row) return undefined;
  if (row.product_price_use_standard !== true) return Number(row.product_price_price);
  const bands = company.table('price_bands');
  const standard = rows.find((r) => bands.get(Number(r.price_band_id))?.is_standard_band === true);
  return Number((standard ?? row).product_price_price);
}

/** A customer's price for a product, in the customer's currency (Sage converts a band priced in another). */
export function customerUnitPrice(company: CompanyStore, customer: SageRecord, productId: number): number {
  const bandId = Number(customer.price_band_id);
  const band = company.table('price_bands').get(bandId);
  const price = bandPrice(company, productId, bandId) ?? 0;
  const currencies = company.table('currencies');
  const rateOf = (id: unknown) => Number(currencies.get(Number(id))?.core_currency_rate) || 1;
  const bandCurrency = band?.currency_id ?? customer.currency_id;
  if (bandCurrency === customer.currency_id) return round(price, 2);
  return round((price / rateOf(bandCurrency)) * rateOf(customer.currency_id), 2);
}

/** The customer's sales order lines for the product, newest order first (drafts are not orders yet). */
function previousPrices(company: CompanyStore, customerId: number, productId: number) {
  const orders = company.table('sop_orders');
  return rowsWhere(company, 'sop_order_lines', 'product_id', productId)
    .map((line) => ({ line, order: orders.get(Number(line.sop_order_id)) }))
    .filter(
      (x): x is { line: SageRecord; order: SageRecord } =>
        x.order !== undefined && x.order.customer_id === customerId && x.order.is_draft !== true,
    )
    .sort(
      (a, b) =>
        String(b.order.document_date).localeCompare(String(a.order.document_date)) ||
        Number(b.order.id) - Number(a.order.id) ||
        Number(b.line.id) - Number(a.line.id),
    )
    .slice(0, PREVIOUS_PRICES)
    .map(({ line, order }) => ({
      sop_document_no: String(order.document_no ?? ''),
      sop_document_date: (order.document_date as string | null) ?? null,
      quantity: Number(line.line_quantity) || 0,
      discounted_unit_price: Number(line.discounted_unit_price) || 0,
    }));
}

export function registerPriceEnquiryRoutes({ api, gate }: ApiRoutes): void {
  const catalog = loadCatalog();
  api.post('/customer_price_enquiry', gate(catalog.pathModules('/customer_price_enquiry')), async (c) => {
    const body = checkPosting('CustomerPriceEnquiryRequest', await readJsonObject(c));
    const company = c.get('company');
    const customer = named(company, 'customers', body.customer_id, 'customer', 'customer_id');
    const product = named(company, 'products', body.product_id, 'product', 'product_id');
    const quantity = body.quantity ?? 1;
    if (quantity < 0) throw badRequest('The quantity cannot be negative.');
    // Products are sold and priced in their stock unit only: the companies keep no other units per product.
    const unitId = Number(product.stock_unit_id);
    for (const field of ['selling_unit_id', 'pricing_unit_id'] as const) {
      const given = body[field];
      if (given !== undefined && given !== null && given !== unitId)
        throw badRequest(`The ${field} ${given} is not a unit of the product ${String(product.code)}.`);
    }
    const unit = String(company.table('lookup_stock_item_units').get(unitId)?.name ?? '');
    const currency = company.table('currencies').get(Number(customer.currency_id));
    const group = company.table('product_groups').get(Number(product.product_group_id));
    const unitPrice = customerUnitPrice(company, customer, Number(product.id));
    const total = round(unitPrice * quantity, 2);
    const include = body.include_previous_prices === true;
    const answer = {
      customer_id: Number(customer.id),
      product_id: Number(product.id),
      product_type: String(group?.product_type ?? ''),
      selling_unit_id: unitId,
      selling_unit: unit,
      selling_unit_multiple: 1,
      pricing_unit_id: unitId,
      pricing_unit: unit,
      pricing_unit_multiple: 1,
      quantity,
      currency_id: Number(customer.currency_id),
      currency_name: String(currency?.name ?? ''),
      currency_symbol: String(currency?.symbol ?? ''),
      unit_price: unitPrice,
      // No discount rates are kept (README, Fidelity), so the discounted price is the price.
      discounted_unit_price: unitPrice,
      total_price_before_discount: total,
      total_discount: 0,
      total_discounted_price: total,
      include_previous_prices: include,
      previous_prices: include ? previousPrices(company, Number(customer.id), Number(product.id)) : [],
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}
