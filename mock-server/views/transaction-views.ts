/**
 * `/sales_transaction_views`, `/purchase_transaction_views` and the transaction enquiry views: one row per posted
 * transaction, projected from it (and its account and currency) at read time, so a posting shows up at once.
 */
import { businessDate, dayOf } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import {
  baseOutstanding,
  idOf,
  PURCHASES,
  pence,
  pounds,
  SALES,
  type TraderLedger,
  text,
} from './ledgers.ts';
import { RowMemo } from './memo.ts';
import type { DerivedView, ViewSources } from './model.ts';

/** The transaction's allocation status (`/allocation_status_types`), from what of it is still outstanding. */
export function allocationStatus(transaction: SageRecord): string {
  const outstanding = pence(transaction.document_outstanding_value);
  if (outstanding === 0) return 'AllocationStatusFull';
  return outstanding === pence(transaction.document_gross_value)
    ? 'AllocationStatusNone'
    : 'AllocationStatusPart';
}

const money = (transaction: SageRecord, field: string): number => pounds(pence(transaction[field]));
// Records are never mutated (a change is a new record), so a view row may share the transaction's arrays.
const items = (value: JsonValue | undefined): JsonValue => value ?? [];

function transactionView(ledger: TraderLedger): DerivedView {
  const purchase = ledger === PURCHASES;
  const memo = new RowMemo<SageRecord>();
  return {
    aged: false,
    build(sources: ViewSources) {
      const currencies = new Map(sources.all('currencies').map((c) => [c.id, c]));
      return sources.all(ledger.transactions).map((t) => {
        const account = sources.get(ledger.accounts, Number(t[ledger.accountKey]));
        const currency = currencies.get(account?.currency_id ?? null);
        return memo.row(t, [account, currency], () => ({
          [ledger.transactionKey]: t.id ?? null,
          transaction_type: text(t.trader_transaction_type),
          transaction_date: t.transaction_date ?? null,
          posted_date: t.posted_date ?? null,
          due_date: t.due_date ?? null,
          discount_days: Number(t.discount_days ?? 0),
          reference: text(t.reference),
          second_reference: text(t.second_reference),
          query: text(t.queried),
          status: allocationStatus(t),
          user_name: text(t.user_name),
          ledger_type: ledger.ledgerType,
          urn: Number(t.urn ?? 0),
          exchange_rate: Number(t.exchange_rate ?? 1),
          settled_immediately: t.settled_immediately === true,
          ...(purchase ? { vat_adjustment_doc_expected: t.vat_adjustment_doc_expected === true } : {}),
          base_goods_value: money(t, 'base_goods_value'),
          base_gross_value: money(t, 'base_gross_value'),
          base_discount_value: money(t, 'base_discount_value'),
          base_tax_value: money(t, 'base_tax_value'),
          base_tax_discount_value: money(t, 'base_tax_discount_value'),
          base_allocated_value: money(t, 'base_allocated_value'),
          base_outstanding_value: pounds(baseOutstanding(t)),
          document_goods_value: money(t, 'document_goods_value'),
          document_gross_value: money(t, 'document_gross_value'),
          document_discount_value: money(t, 'document_discount_value'),
          document_tax_value: money(t, 'document_tax_value'),
          document_tax_discount_value: money(t, 'document_tax_discount_value'),
          document_allocated_value: money(t, 'document_allocated_value'),
          document_outstanding_value: money(t, 'document_outstanding_value'),
          [ledger.accountKey]: idOf(t[ledger.accountKey]),
          [`${ledger.noun}_reference`]: text(account?.reference),
          [`${ledger.noun}_name`]: text(account?.name),
          currency_name: text(currency?.name),
          currency_symbol: text(currency?.symbol),
          transaction_date_time_updated: t.date_time_updated ?? null,
        }));
      });
    },
  };
}

function enquiryView(ledger: TraderLedger): DerivedView {
  const purchase = ledger === PURCHASES;
  const memo = new RowMemo<SageRecord>();
  return {
    aged: false,
    build(sources: ViewSources) {
      return sources
        .all(ledger.transactions)
        .map((t) => memo.row(t, [], () => enquiryRow(ledger, purchase, t)));
    },
  };
}

/** A transaction's enquiry view row: the transaction itself, with its allocation and discount facts worked out. */
function enquiryRow(ledger: TraderLedger, purchase: boolean, t: SageRecord): SageRecord {
  const discountDays = Number(t.discount_days ?? 0);
  const date = t.transaction_date;
  return {
    id: t.id ?? null,
    [ledger.accountKey]: idOf(t[ledger.accountKey]),
    trader_transaction_type: text(t.trader_transaction_type),
    reference: text(t.reference),
    second_reference: text(t.second_reference),
    queried: text(t.queried),
    transaction_date: date ?? null,
    posted_date: t.posted_date ?? null,
    due_date: t.due_date ?? null,
    // Sage's enquiry view declares discount days a string.
    discount_days: String(discountDays),
    discount_due_date:
      typeof date === 'string' ? businessDate(dayOf(date.slice(0, 10)) + discountDays) : null,
    document_gross_value: money(t, 'document_gross_value'),
    document_discount_value: money(t, 'document_discount_value'),
    document_discounted_value: pounds(pence(t.document_gross_value) - pence(t.document_discount_value)),
    document_tax_discount_value: money(t, 'document_tax_discount_value'),
    document_allocated_value: money(t, 'document_allocated_value'),
    document_outstanding_value: money(t, 'document_outstanding_value'),
    allocation_status: allocationStatus(t),
    memo_note_status: '',
    exchange_rate: Number(t.exchange_rate ?? 1),
    settled_immediately: t.settled_immediately === true,
    ...(purchase ? { vat_adjustment_doc_expected: t.vat_adjustment_doc_expected === true } : {}),
    source: ledger.ledgerType,
    urn: Number(t.urn ?? 0),
    user_name: text(t.user_name),
    has_documents: false,
    allocation_history_items: items(t.allocation_history_items),
    allocation_session_items: items(t.allocation_session_items),
    bank_items: items(t.bank_items),
    nominal_analysis_items: items(t.nominal_analysis_items),
    tax_analysis_items: items(t.tax_analysis_items),
  };
}

export const transactionViews: Readonly<Record<string, DerivedView>> = {
  sales_transaction_views: transactionView(SALES),
  purchase_transaction_views: transactionView(PURCHASES),
  sales_transaction_enquiry_views: enquiryView(SALES),
  purchase_transaction_enquiry_views: enquiryView(PURCHASES),
};
