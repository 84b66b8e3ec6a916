/** The sales and purchase ledgers side by side: the names that differ between Sage's sales.json and purchases.json. */
import type { JsonValue, SageRecord } from '../world/model.ts';

export interface TraderLedger {
  readonly accounts: 'customers' | 'suppliers';
  readonly transactions: 'sales_posted_transactions' | 'purchase_posted_transactions';
  readonly contacts: 'customer_contacts' | 'supplier_contacts';
  /** The account's id on a transaction (`customer_id`), and the prefix of the account's fields in views. */
  readonly accountKey: 'customer_id' | 'supplier_id';
  readonly noun: 'customer' | 'supplier';
  /** The transaction's id in `/sales_transaction_views` and the aged views. */
  readonly transactionKey: 'posted_customer_transaction_id' | 'posted_supplier_transaction_id';
  readonly ledgerType: 'LedgerSales' | 'LedgerPurchase';
}

export const SALES: TraderLedger = {
  accounts: 'customers',
  transactions: 'sales_posted_transactions',
  contacts: 'customer_contacts',
  accountKey: 'customer_id',
  noun: 'customer',
  transactionKey: 'posted_customer_transaction_id',
  ledgerType: 'LedgerSales',
};

export const PURCHASES: TraderLedger = {
  accounts: 'suppliers',
  transactions: 'purchase_posted_transactions',
  contacts: 'supplier_contacts',
  accountKey: 'supplier_id',
  noun: 'supplier',
  transactionKey: 'posted_supplier_transaction_id',
  ledgerType: 'LedgerPurchase',
};

/** The trader transaction types the posting builders write (mock-server/seed/posting.ts). */
export const TRANSACTION_TYPES = {
  invoice: 'TradingAccountEntryTypeInvoice',
  creditNote: 'TradingAccountEntryTypeCreditNote',
  payment: 'TradingAccountEntryTypePurchasePaymentSalesReceipt',
} as const;

/** Pence of a pounds value: views sum in whole pence, so they agree with the ledger to the penny. */
export const pence = (value: JsonValue | undefined): number => Math.round(Number(value ?? 0) * 100);

/** Pounds of a pence amount (never -0). */
export const pounds = (amount: number): number => amount / 100 + 0;

export const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

export const idOf = (value: JsonValue | undefined): number | null =>
  typeof value === 'number' ? value : null;

/** A nested object field of a record (`main_address`), or an empty one. */
export function objectOf(record: SageRecord | undefined, field: string): SageRecord {
  const value = record?.[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** The base-currency outstanding value of a posted transaction: what is left of it in the control account. */
export function baseOutstanding(transaction: SageRecord): number {
  return pence(transaction.control_value_in_base_currency);
}
