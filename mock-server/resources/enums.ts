/**
 * Sage enum fields and the numeric values `$filter` accepts for them (`document_status eq '2'` or the name in
 * quotes, https://developer.sage.com/200/guides/query-parameters). Sage publishes the names but not the numbers:
 * the numbers here are assumed (declaration order) and listed in the README's fidelity table.
 */
const ordinal = (...names: string[]): Readonly<Record<string, number>> =>
  Object.fromEntries(names.map((name, i) => [name, i]));

const traderTransactionType = ordinal(
  'TradingAccountEntryTypeInvoice',
  'TradingAccountEntryTypeCreditNote',
  'TradingAccountEntryTypePurchasePaymentSalesReceipt',
  'TradingAccountEntryTypePurchaseReceiptSalesPayment',
  'TradingAccountEntryTypeDiscount',
  'TradingAccountEntryTypeJournalDebit',
  'TradingAccountEntryTypeJournalCredit',
);

/** Enum values by field name; a field listed here filters by enum name or number. */
export const ENUM_FIELDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  trader_transaction_type: traderTransactionType,
  account_status_type: ordinal('AccountStatusActive', 'AccountStatusHidden'),
  nominal_code_account_status_type: ordinal('AccountStatusActive', 'AccountStatusHidden'),
  account_report_type: ordinal('ProfitLoss', 'BalanceSheet'),
  account_report_category_type: ordinal(
    'NominalReportingCategoryTypeAsset',
    'NominalReportingCategoryTypeLiability',
    'NominalReportingCategoryTypeIncome',
    'NominalReportingCategoryTypeExpense',
  ),
};
