/**
 * A company's live sales quotations (`/sop_quotes`): two credit customers after the ones with orders each have one,
 * priced as an order of the same products would be (`priceOrderLine`, `totalOrder` in orders.ts) and valid for 30
 * days. Quotation numbers run from 1001, apart from order numbers (assumed).
 */

import { asOfDay, businessDate, dayStartMs, instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { documentNumber, LIVE_DOCUMENT_STATUS, priceOrderLine, totalOrder } from './orders.ts';
import type { ReferenceData } from './reference-data.ts';
import type { Trader } from './traders.ts';

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * The quotations; their lines go to `lines` (`sop_quote_id` set, `id` 0: the order book numbers them last, so that
 * no record built after the quotes changes its id).
 */
export function buildSopQuotes(
  customers: readonly Trader[],
  ref: ReferenceData,
  nextId: () => number,
  lines: SageRecord[] = [],
): SageRecord[] {
  const stocked = ref.products.filter((p) => !p.service);
  return customers.slice(3, 5).map((customer, i) => {
    const day = asOfDay() - 13 + i;
    const created = instant(dayStartMs(day) + (10 * 60 + 20 * i) * 60_000);
    const quote = blankRecord('sop_quotes', created);
    quote.id = nextId();
    quote.customer_id = customer.id;
    quote.customer_type = 'EnumCustomerTypeCredit';
    quote.document_no = documentNumber(1001 + i);
    quote.document_date = businessDate(day);
    quote.quotation_expiry_date = businessDate(day + 30);
    quote.document_status = LIVE_DOCUMENT_STATUS;
    quote.currency_id = customer.currency.id;
    quote.exchange_rate = customer.currency.rate;
    quote.customer_document_no = `RFQ${String(2200 + i)}`;
    const own = [0, 1].map((n) => {
      const product = stocked[(i * 3 + n) % stocked.length] ?? ref.products[0]!;
      const line = blankRecord('sop_order_lines', created);
      line.line_type = 'EnumLineTypeStandard';
      line.line_quantity = 5 + 5 * n;
      line.selling_unit_price = round2((product.price / 100) * customer.currency.rate);
      line.id = 0;
      line.sop_quote_id = quote.id ?? null;
      line.line_number = n + 1;
      line.product_id = product.id;
      line.code = product.code;
      line.description = product.name;
      line.tax_code_id = (customer.overseas ? ref.taxCode(2) : product.taxCode).id;
      priceOrderLine(line, 'sop', customer.overseas ? 0 : product.taxCode.rate);
      return line;
    });
    totalOrder(quote, own, 'sop');
    lines.push(...own);
    return quote;
  });
}
