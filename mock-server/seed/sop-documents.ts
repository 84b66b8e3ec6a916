/**
 * The sales documents besides orders: quotations (`sop_quotes`, their lines kept in `sop_quote_lines`), pro formas
 * (`sop_proformas`, `sop_proforma_lines`) and returns (`sop_returns`, `sop_return_lines`), the last three kept for
 * the line views alone (`x-sandbox-collections`). Returns are the documents behind posted credit notes: each is
 * rebuilt from one credit note of the ledger (`Credit: 2 x CODE Name`), received and credited in full, so its values
 * are the credit note's to the penny.
 */
import { asOfDay, businessDate, dayOf, dayStartMs, instant, workingDayOnOrAfter } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { CompanyWorld, JsonValue, SageRecord } from '../world/model.ts';
import { documentNumber, priceOrderLine, totalOrder } from './orders.ts';
import type { Rng } from './random.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const round2 = (value: number): number =>
  Math.round((value + Math.sign(value) * Number.EPSILON) * 100) / 100 + 0;

/** How many quotations and pro formas each company gets besides the two it had; scaled down for the small world. */
export const SOP_DOCUMENT_VOLUMES = { quotes: 40, proformas: 15, returns: 40 } as const;

const CREDIT_LINE = /^Credit: (\d+) x (\S+) /;

interface DocumentInput {
  company: CompanyWorld;
  rng: Rng;
  nextId: () => number;
  factor: number;
}

/** A header in the shape of a quotation (Sage keeps every SOP document in one table), for `trader` on `day`. */
function header(input: DocumentInput, customer: SageRecord, day: number, documentNo: string): SageRecord {
  const created = instant(dayStartMs(day) + (9 * 60 + input.rng.int(0, 480)) * 60_000);
  const doc = blankRecord('sop_quotes', created);
  doc.id = input.nextId();
  doc.customer_id = customer.id ?? null;
  doc.customer_type = 'EnumCustomerTypeCredit';
  doc.document_no = documentNo;
  doc.document_date = businessDate(day);
  doc.document_status = 'EnumDocumentStatusLive';
  doc.currency_id = customer.currency_id ?? null;
  doc.exchange_rate = 1;
  doc.requested_delivery_date = businessDate(day + 14);
  doc.promised_delivery_date = businessDate(day + 14);
  return doc;
}

function line(
  input: DocumentInput,
  doc: SageRecord,
  key: string,
  number: number,
  product: SageRecord,
  quantity: number,
  price: number,
  taxRate: number,
): SageRecord {
  const row = blankRecord('sop_order_lines', text(doc.date_time_created));
  row.id = input.nextId();
  row[key] = doc.id ?? null;
  row.line_number = number;
  row.line_type = 'EnumLineTypeStandard';
  row.product_id = product.id ?? null;
  row.warehouse_id = input.company.collections.warehouses[0]?.id ?? null;
  row.code = product.code ?? '';
  row.description = product.name ?? '';
  row.tax_code_id = product.tax_code_id ?? null;
  row.line_quantity = quantity;
  row.stock_unit_line_quantity = quantity;
  row.selling_unit_price = price;
  row.selling_unit_multiple = 1;
  row.stock_unit_multiple = 1;
  row.cost_price = num(product.standard_cost);
  row.requested_delivery_date = doc.requested_delivery_date ?? null;
  row.promised_delivery_date = doc.promised_delivery_date ?? null;
  priceOrderLine(row, 'sop', taxRate);
  return row;
}

/** Quotations or pro formas for recent weeks, each of one to three priced product lines. */
function offers(
  input: DocumentInput,
  kind: 'quote' | 'proforma',
  count: number,
  firstNo: number,
): [SageRecord[], SageRecord[]] {
  const { company, rng } = input;
  const customers = company.collections.customers.filter((c) => c.on_hold !== true);
  const products = company.collections.products.filter((p) => p.allow_sales_order === true);
  const rates = new Map(company.collections.tax_codes.map((t) => [t.id, num(t.tax_rate)]));
  const bandPrices = new Map(
    (company.collections.product_price_views ?? []).map((p) => [
      `${String(p.product_id)}:${String(p.price_band_id)}`,
      num(p.product_price_price),
    ]),
  );
  const docs: SageRecord[] = [];
  const lines: SageRecord[] = [];
  if (customers.length === 0 || products.length === 0) return [docs, lines];
  const start = asOfDay() - 62;
  const days = Array.from({ length: count }, () => workingDayOnOrAfter(start + rng.int(0, 60))).sort(
    (a, b) => a - b,
  );
  for (const [i, day] of days.entries()) {
    const customer = rng.pick(customers);
    const doc = header(input, customer, day, documentNumber(firstNo + i));
    if (kind === 'quote') doc.quotation_expiry_date = businessDate(day + 30);
    doc.customer_document_no = `${kind === 'quote' ? 'RFQ' : 'PF'}${String(rng.int(1000, 9999))}`;
    const own = Array.from({ length: rng.int(1, 3) }, (_, n) => {
      const product = rng.pick(products);
      // Offered at the customer's price band's price, as orders are charged.
      const price =
        bandPrices.get(`${String(product.id)}:${String(customer.price_band_id)}`) ??
        round2(num(product.standard_cost) * 1.8);
      return line(
        input,
        doc,
        `sop_${kind}_id`,
        n + 1,
        product,
        rng.int(1, 30),
        price,
        rates.get(product.tax_code_id ?? 0) ?? 0,
      );
    });
    totalOrder(doc, own, 'sop');
    docs.push(doc);
    lines.push(...own);
  }
  return [docs, lines];
}

/** Returns rebuilt from the most recent posted credit notes whose analysis names a product. */
function returns(input: DocumentInput, count: number): [SageRecord[], SageRecord[]] {
  const { company, rng } = input;
  const products = new Map(company.collections.products.map((p) => [p.code, p]));
  const credits = company.collections.sales_posted_transactions.filter((t) => {
    if (t.trader_transaction_type !== 'TradingAccountEntryTypeCreditNote') return false;
    const items = Array.isArray(t.nominal_analysis_items) ? (t.nominal_analysis_items as SageRecord[]) : [];
    return items.length === 1 && CREDIT_LINE.test(text(items[0]?.narrative));
  });
  const docs: SageRecord[] = [];
  const lines: SageRecord[] = [];
  for (const credit of credits.slice(-count)) {
    const customer = company.collections.customers.find((c) => c.id === credit.customer_id);
    const item = (credit.nominal_analysis_items as SageRecord[])[0];
    const match = CREDIT_LINE.exec(text(item?.narrative));
    const product = products.get(match?.[2] ?? '');
    if (!customer || !item || !match || !product) continue;
    const creditDay = dayOf(text(credit.transaction_date).slice(0, 10));
    const doc = header(input, customer, creditDay - rng.int(1, 5), text(credit.reference));
    doc.exchange_rate = num(credit.exchange_rate) || 1;
    doc.customer_document_no = text(credit.second_reference).slice(0, 20);
    doc.document_status = 'EnumDocumentStatusComplete';
    // The credit may be for part of the invoiced line's value: the items are returned at the credited value.
    const value = num(item.value);
    const quantity = Number(match[1]);
    const row = line(
      input,
      doc,
      'sop_return_id',
      1,
      product,
      quantity,
      Math.round((value / quantity) * 1e5) / 1e5,
      0,
    );
    row.line_total_value = value;
    row.line_tax_value = num(credit.document_tax_value);
    row.despatch_receipt_quantity = quantity;
    row.invoice_credit_quantity = quantity;
    row.despatch_receipt_status = 'EnumTradeLineStatusFully';
    row.invoice_credit_status = 'EnumTradeLineStatusFully';
    row.is_complete = true;
    totalOrder(doc, [row], 'sop');
    docs.push(doc);
    lines.push(row);
  }
  return [docs, lines];
}

/** Adds quotations, pro formas and returns to a company; numbers the seeded quotations' lines first. */
export function addSopDocuments(input: DocumentInput): void {
  const { company, nextId, factor } = input;
  const quoteLines = company.collections.sop_quote_lines ?? [];
  for (const row of quoteLines) if (row.id === 0) row.id = nextId();
  const existing = company.collections.sop_quotes ?? [];
  const lastQuote = existing.reduce((max, q) => Math.max(max, Number(q.document_no) || 0), 1000);
  const [quotes, newQuoteLines] = offers(
    input,
    'quote',
    Math.round(SOP_DOCUMENT_VOLUMES.quotes * factor),
    lastQuote + 1,
  );
  const [proformas, proformaLines] = offers(
    input,
    'proforma',
    Math.round(SOP_DOCUMENT_VOLUMES.proformas * factor),
    5001,
  );
  const [sopReturns, returnLines] = returns(input, Math.round(SOP_DOCUMENT_VOLUMES.returns * factor));
  company.collections.sop_quotes = [...existing, ...quotes];
  company.collections.sop_quote_lines = [...quoteLines, ...newQuoteLines];
  company.collections.sop_proformas = proformas;
  company.collections.sop_proforma_lines = proformaLines;
  company.collections.sop_returns = sopReturns;
  company.collections.sop_return_lines = returnLines;
}
