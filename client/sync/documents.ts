/**
 * Invoices, credit notes, bills and bill credit notes from Sage 200's posted transactions, mapped as Codat maps
 * Sage 200 (https://docs.codat.io/integrations/accounting/sage200/sage200-limitations): the real lines are not
 * read; each document gets one `Tax Summary - <rate name>` line per tax code and one `Goods Summary` line, with
 * quantity and unit amount 0, and null discounts (Sage folds discounts into the amounts).
 */
import type { ListItem, Schemas } from '../contract-types.ts';
import type { CompanyClient } from '../sage200-client.ts';
import { currencyOf } from './accounts.ts';
import type { Bill, BillCreditNote, CreditNote, Invoice, LineItem, RecordRef } from './codat-types.ts';
import { pence } from './money.ts';
import type { Currencies } from './reference.ts';

/** Sage's trader transaction types (mock-server/seed/posting.ts TRADER_TRANSACTION_TYPES; confirmed enum names). */
export const INVOICE_TYPE = 'TradingAccountEntryTypeInvoice';
export const CREDIT_NOTE_TYPE = 'TradingAccountEntryTypeCreditNote';

type Ledger = 'sales' | 'purchase';
type TaxItem = NonNullable<Schemas['SalesPostedTransaction']['tax_analysis_items']>[number];
type NominalItem = NonNullable<Schemas['SalesPostedTransaction']['nominal_analysis_items']>[number];

/** The posted-transaction fields the mapping reads (asked for with $select, so pages stay small). */
function selectFor(ledger: Ledger): string {
  const trader = ledger === 'sales' ? 'customer' : 'supplier';
  return [
    'id',
    `${trader}_id`,
    'trader_transaction_type',
    'reference',
    'second_reference',
    'transaction_date',
    'due_date',
    ...(ledger === 'sales' ? ['full_settlement_date'] : []),
    'document_goods_value',
    'document_tax_value',
    'document_gross_value',
    'document_outstanding_value',
    'exchange_rate',
    'tax_analysis_items',
    'nominal_analysis_items',
    'date_time_updated',
    `${trader}.reference`,
    `${trader}.name`,
    `${trader}.currency_id`,
  ].join(',');
}

export interface DocumentReadOptions {
  pageSize?: number;
  updatedSince?: Date;
}

function readOptions(ledger: Ledger, type: string, options: DocumentReadOptions) {
  return {
    $filter: `trader_transaction_type eq '${type}'`,
    $select: selectFor(ledger),
    $expand: ledger === 'sales' ? 'customer' : 'supplier',
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.updatedSince === undefined ? {} : { updatedSince: options.updatedSince }),
  };
}

export function readSalesDocuments(
  company: CompanyClient,
  type: typeof INVOICE_TYPE | typeof CREDIT_NOTE_TYPE,
  options: DocumentReadOptions,
): Promise<ListItem<'/sales_posted_transactions'>[]> {
  return company.listAll('/sales_posted_transactions', readOptions('sales', type, options));
}

export function readPurchaseDocuments(
  company: CompanyClient,
  type: typeof INVOICE_TYPE | typeof CREDIT_NOTE_TYPE,
  options: DocumentReadOptions,
): Promise<ListItem<'/purchase_posted_transactions'>[]> {
  return company.listAll('/purchase_posted_transactions', readOptions('purchase', type, options));
}

/** Cost centre and department of the goods analysis, as Codat's tracking category ids (`__COST_CENTRES/01`). */
function trackingRefs(items: readonly NominalItem[] | undefined): RecordRef[] {
  const ids = new Set<string>();
  for (const item of items ?? []) {
    if (item.cost_centre) ids.add(`__COST_CENTRES/${item.cost_centre}`);
    if (item.department) ids.add(`__DEPARTMENTS/${item.department}`);
  }
  return [...ids].sort().map((id) => ({ id }));
}

/**
 * The summary lines of one document, in document sign (`sign` turns Sage's negative credit notes positive):
 * a tax line per tax code, then the goods line.
 */
export function summaryLines(
  transaction: {
    document_goods_value?: number;
    tax_analysis_items?: readonly TaxItem[];
    nominal_analysis_items?: readonly NominalItem[];
  },
  sign: 1 | -1,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
): LineItem[] {
  const lines: LineItem[] = [];
  for (const item of transaction.tax_analysis_items ?? []) {
    const tax = sign * (item.tax_amount ?? 0) + 0;
    const code = item.id === undefined ? undefined : taxCodes.get(item.id);
    const name = item.name ?? code?.name ?? '';
    lines.push({
      description: `Tax Summary - ${name}`,
      unitAmount: 0,
      quantity: 0,
      discountAmount: null,
      discountPercentage: null,
      subTotal: 0,
      taxAmount: tax,
      totalAmount: tax,
      taxRateRef: { id: String(item.id ?? ''), name, effectiveTaxRate: code?.tax_rate ?? 0 },
      tracking: { categoryRefs: [], isBilledTo: 'Unknown', isRebilledTo: 'Unknown' },
    });
  }
  const goods = sign * (transaction.document_goods_value ?? 0) + 0;
  lines.push({
    description: 'Goods Summary',
    unitAmount: 0,
    quantity: 0,
    discountAmount: null,
    discountPercentage: null,
    subTotal: goods,
    taxAmount: 0,
    totalAmount: goods,
    taxRateRef: undefined,
    tracking: {
      categoryRefs: trackingRefs(transaction.nominal_analysis_items),
      isBilledTo: 'Unknown',
      isRebilledTo: 'Unknown',
    },
  });
  return lines;
}

type Settlement = 'unpaid' | 'partial' | 'paid';

function settlementOf(gross: number, outstanding: number): Settlement {
  if (pence(outstanding) === 0 && pence(gross) !== 0) return 'paid';
  if (pence(outstanding) === pence(gross)) return 'unpaid';
  return 'partial';
}

/** Codat's currencyRate converts to the base currency; Sage's exchange_rate is units of currency per 1 GBP. */
function currencyRateOf(exchangeRate: number | undefined): number {
  return exchangeRate ? 1 / exchangeRate : 1;
}

function common(
  transaction: ListItem<'/sales_posted_transactions'> | ListItem<'/purchase_posted_transactions'>,
  sign: 1 | -1,
  currency: string,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
) {
  return {
    id: String(transaction.id),
    issueDate: transaction.transaction_date ?? null,
    currency,
    currencyRate: currencyRateOf(transaction.exchange_rate),
    lineItems: summaryLines(transaction, sign, taxCodes),
    subTotal: sign * (transaction.document_goods_value ?? 0) + 0,
    totalTaxAmount: sign * (transaction.document_tax_value ?? 0) + 0,
    totalAmount: sign * (transaction.document_gross_value ?? 0) + 0,
    totalDiscount: null,
    discountPercentage: null,
    note: transaction.reference ?? '',
    sourceModifiedDate: transaction.date_time_updated,
    metadata: { isDeleted: false },
  };
}

export function mapInvoice(
  transaction: ListItem<'/sales_posted_transactions'>,
  currencies: Currencies,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
): Invoice {
  const customer = transaction.customer;
  const gross = transaction.document_gross_value ?? 0;
  const outstanding = transaction.document_outstanding_value ?? 0;
  const settlement = settlementOf(gross, outstanding);
  return {
    ...common(transaction, 1, currencyOf(customer?.currency_id, currencies), taxCodes),
    invoiceNumber: transaction.reference ?? '',
    customerRef: {
      id: customer?.reference ?? String(transaction.customer_id),
      companyName: customer?.name ?? '',
    },
    dueDate: transaction.due_date ?? null,
    paidOnDate: settlement === 'paid' ? (transaction.full_settlement_date ?? null) : null,
    amountDue: outstanding,
    status: settlement === 'paid' ? 'Paid' : settlement === 'partial' ? 'PartiallyPaid' : 'Submitted',
  };
}

export function mapCreditNote(
  transaction: ListItem<'/sales_posted_transactions'>,
  currencies: Currencies,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
): CreditNote {
  const customer = transaction.customer;
  const settlement = settlementOf(
    transaction.document_gross_value ?? 0,
    transaction.document_outstanding_value ?? 0,
  );
  return {
    ...common(transaction, -1, currencyOf(customer?.currency_id, currencies), taxCodes),
    creditNoteNumber: transaction.reference ?? '',
    customerRef: {
      id: customer?.reference ?? String(transaction.customer_id),
      companyName: customer?.name ?? '',
    },
    remainingCredit: -(transaction.document_outstanding_value ?? 0) + 0,
    status: settlement === 'paid' ? 'Paid' : settlement === 'partial' ? 'PartiallyPaid' : 'Submitted',
  };
}

export function mapBill(
  transaction: ListItem<'/purchase_posted_transactions'>,
  currencies: Currencies,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
): Bill {
  const supplier = transaction.supplier;
  const gross = transaction.document_gross_value ?? 0;
  const outstanding = transaction.document_outstanding_value ?? 0;
  const settlement = settlementOf(gross, outstanding);
  return {
    ...common(transaction, 1, currencyOf(supplier?.currency_id, currencies), taxCodes),
    reference: transaction.reference ?? '',
    supplierRef: {
      id: supplier?.reference ?? String(transaction.supplier_id),
      supplierName: supplier?.name ?? '',
    },
    dueDate: transaction.due_date ?? null,
    amountDue: outstanding,
    status: settlement === 'paid' ? 'Paid' : settlement === 'partial' ? 'PartiallyPaid' : 'Open',
  };
}

export function mapBillCreditNote(
  transaction: ListItem<'/purchase_posted_transactions'>,
  currencies: Currencies,
  taxCodes: ReadonlyMap<number, Schemas['TaxCode']>,
): BillCreditNote {
  const supplier = transaction.supplier;
  const settlement = settlementOf(
    transaction.document_gross_value ?? 0,
    transaction.document_outstanding_value ?? 0,
  );
  return {
    ...common(transaction, -1, currencyOf(supplier?.currency_id, currencies), taxCodes),
    billCreditNoteNumber: transaction.reference ?? '',
    supplierRef: {
      id: supplier?.reference ?? String(transaction.supplier_id),
      supplierName: supplier?.name ?? '',
    },
    remainingCredit: -(transaction.document_outstanding_value ?? 0) + 0,
    status: settlement === 'paid' ? 'Paid' : settlement === 'partial' ? 'PartiallyPaid' : 'Submitted',
  };
}
