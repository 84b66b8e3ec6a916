/**
 * One settings record per company for each of Sage's settings endpoints (`/system_settings`,
 * `/sales_ledger_settings`, ...), built from the company's own records so that every setting agrees with them:
 * the standard-rate tax code as the default, the current financial year's end, a real default bank, nominal
 * accounts of the chart and the numbering the trading left off at. No randomness: built last, it changes nothing
 * but `next_id`.
 */
import { businessDate, type Calendar } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { ReferenceData } from './reference-data.ts';
import type { Doc } from './trading.ts';

/** The settings collections this module seeds (the contract describes them). */
export type SettingsCollection =
  | 'system_settings'
  | 'sales_ledger_settings'
  | 'purchase_ledger_settings'
  | 'cash_book_settings'
  | 'nominal_ledger_settings'
  | 'stock_settings'
  | 'sop_settings'
  | 'pop_settings'
  | 'price_book_settings';

export interface SettingsSeedInput {
  ref: ReferenceData;
  calendar: Calendar;
  /** The company's trading documents, for the numbers Sage would hand out next. */
  docs: readonly Doc[];
  /** The URN the next posting takes (the posting engine's counter as the seed leaves it). */
  nextUrn: number;
  warehouses: readonly SageRecord[];
  setupStamp: string;
  nextId: () => number;
}

/** Sage 200's standard-rate VAT code (mock-server/seed/reference-data.ts TAX_CODES). */
const STANDARD_RATE_CODE = 1;
/** Customers and suppliers are seeded on 30 days (mock-server/seed/traders.ts). */
const TERMS_DAYS = 30;
/** Months of fully allocated history kept, matching `company_details.years_accounts_held_for` (2). */
const MONTHS_KEPT = 24;

/** One more than the highest number among the references of `kind` documents (`CN000012` counts as 12). */
function nextNumber(docs: readonly Doc[], kind: Doc['kind']): number {
  let highest = 0;
  for (const doc of docs) {
    if (doc.kind !== kind) continue;
    const digits = /\d+$/.exec(doc.reference)?.[0];
    if (digits !== undefined) highest = Math.max(highest, Number(digits));
  }
  return highest + 1;
}

function systemSettings(input: SettingsSeedInput): SageRecord {
  const { calendar, docs, setupStamp, nextId } = input;
  const current = calendar.years.find((year) => year.yearRelative === 0);
  if (!current) throw new Error('settings: the calendar has no current financial year');
  // VAT quarters are the financial year's calendar quarters; the first return closed the first one.
  const firstQuarter = calendar.periods[2];
  if (!firstQuarter) throw new Error('settings: the calendar has no first VAT quarter');
  const r = blankRecord('system_settings', setupStamp);
  r.id = nextId();
  r.next_urn = String(input.nextUrn);
  r.next_invoice_number = nextNumber(docs, 'SI');
  r.next_credit_note_number = nextNumber(docs, 'SC');
  r.next_journal_entry_number = docs.filter((doc) => doc.kind === 'NJ').length + 1;
  // Invoices and credit notes are numbered apart (`0000005123`, `CN000012`: mock-server/seed/trading.ts).
  r.invoice_credit_note_same_numbers = false;
  r.first_vat_return_date_defined = true;
  r.first_vat_return_date = businessDate(firstQuarter.endDay);
  r.number_open_periods = 2;
  r.update_nominal_online = true;
  // The chart splits wages by department and rent by cost centre (reference-data.ts CHART).
  r.use_cost_centre_breakdown = true;
  r.use_segmented_address = true;
  r.accounting_period_validation_type = 'Unacceptable';
  r.financial_year_end_date = businessDate(current.endDay);
  // The domestic reverse charge applies from £5,000 (HMRC VAT Notice 735).
  r.reverse_charge_minimum_value = 5000;
  const validation = r.transaction_date_validation as SageRecord;
  validation.id = nextId();
  validation.transaction_date_validation_type = 'Period';
  validation.pre_days_normal = 30;
  validation.post_days_normal = 30;
  validation.pre_days_acceptable = 90;
  validation.post_days_acceptable = 90;
  validation.previous_year_classification = 'Acceptable';
  validation.future_year_classification = 'Unacceptable';
  validation.closed_period_classification = 'Unacceptable';
  validation.future_period_classification = 'Acceptable';
  return r;
}

/** What the sales and purchase ledgers share. */
function ledgerSettings(
  collection: 'sales_ledger_settings' | 'purchase_ledger_settings',
  input: SettingsSeedInput,
): SageRecord {
  const r = blankRecord(collection, input.setupStamp);
  r.id = input.nextId();
  r.keep_transactions_for = MONTHS_KEPT;
  r.maximum_enquiry_transactions_to_display = 1000;
  r.show_outstanding_transactions = true;
  r.default_tax_code_id = input.ref.taxCode(STANDARD_RATE_CODE).id;
  r.default_terms_agreed = true;
  r.no_of_reporting_periods = 4;
  r.default_payment_terms_basis = 'PaymentDueFromDocumentDate';
  r.default_payment_terms_days = TERMS_DAYS;
  r.use_account_periods_as_trading_periods = true;
  r.revalue_foreign_entries = true;
  return r;
}

function salesLedgerSettings(input: SettingsSeedInput): SageRecord {
  const r = ledgerSettings('sales_ledger_settings', input);
  // VAT bad debt relief can be claimed six months after the due date (HMRC VAT Notice 700/18).
  r.tax_recovery_period = 6;
  return r;
}

function purchaseLedgerSettings(input: SettingsSeedInput): SageRecord {
  const r = ledgerSettings('purchase_ledger_settings', input);
  r.electronic_bank_payments = true;
  r.max_cheque_value = 10_000;
  return r;
}

function cashBookSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('cash_book_settings', input.setupStamp);
  r.id = input.nextId();
  const current = input.ref.banks.find((bank) => bank.code === 'CURRENT') ?? input.ref.banks[0];
  r.default_bank_account_id = current?.id ?? null;
  return r;
}

function nominalLedgerSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('nominal_ledger_settings', input.setupStamp);
  r.id = input.nextId();
  r.keep_nominal_transactions = true;
  r.months_to_keep_transactions = MONTHS_KEPT;
  return r;
}

function stockSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('stock_settings', input.setupStamp);
  r.id = input.nextId();
  r.use_multiple_locations = input.warehouses.length > 1;
  // Sage's defaults (blank records start booleans false): margins on revenue, stock allocated and issued item by item.
  r.profit_percent_of_revenue = true;
  r.allocate_individual_items = true;
  r.allow_fulfilment_from_stock = true;
  // Sales post revenue only, no cost of sales (mock-server/seed/README.md), so stock does not post to the nominal.
  r.integrate_stock_management_with_nominal = false;
  r.generate_cos_for_sop = false;
  return r;
}

function sopSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('sop_settings', input.setupStamp);
  r.id = input.nextId();
  r.auto_generate_order_return_numbers = true;
  r.show_order_number_on_confirm = true;
  // The seeded orders mix standard and free-text lines (mock-server/seed/orders.ts).
  r.order_line_item_type = 'EnumOrderLineItemTypeBoth';
  r.amend_nominal_codes = true;
  r.user_logon_as_order_taker = true;
  r.revenue_nominal_account_same_as = true;
  r.allocate_stock_on_order_entry = true;
  r.update_stock_on_despatch = true;
  r.record_cancelled_order_lines = true;
  r.print_picking_lists = true;
  r.add_invoice_credit_note_to_sales_ledger = true;
  r.print_order_acknowledgements = true;
  r.print_despatch_notes = true;
  r.fully_paid_invoice_text = 'Paid in full - thank you';
  r.default_free_text_confirm_intent_type = 'ConfirmOnInvoice';
  r.default_service_labour_confirm_intent_type = 'ConfirmOnInvoice';
  r.show_frequent_items = true;
  r.show_recent_items = true;
  r.number_of_days_for_frequent_items = 90;
  r.minimum_number_of_lines_for_frequent_items = 3;
  r.number_of_days_for_recent_items = 30;
  return r;
}

function popSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('pop_settings', input.setupStamp);
  r.id = input.nextId();
  const variances = input.ref.nominal('5000');
  r.auto_gen_order_return_nos = true;
  r.show_quantity_goods_received = true;
  r.amend_nominal_codes = true;
  r.user_logon_as_order_taker = true;
  r.stock_nominal_account_same_as = true;
  r.variances_nominal_account_reference = variances.reference;
  r.variances_nominal_cost_centre = variances.costCentre;
  r.variances_nominal_department = variances.department;
  r.record_cancelled_order_lines = true;
  r.price_difference_nominal_code_id = variances.id;
  r.update_price_on_goods_receipt = true;
  r.default_free_text_confirm_intent_type = 'ConfirmOnInvoice';
  r.default_service_labour_confirm_intent_type = 'ConfirmOnInvoice';
  r.committed_includes_goods_received = true;
  return r;
}

function priceBookSettings(input: SettingsSeedInput): SageRecord {
  const r = blankRecord('price_book_settings', input.setupStamp);
  r.id = input.nextId();
  return r;
}

/** The settings records, one per collection, taking ids in a fixed order. */
export function buildSettings(input: SettingsSeedInput): Record<SettingsCollection, SageRecord[]> {
  return {
    system_settings: [systemSettings(input)],
    sales_ledger_settings: [salesLedgerSettings(input)],
    purchase_ledger_settings: [purchaseLedgerSettings(input)],
    cash_book_settings: [cashBookSettings(input)],
    nominal_ledger_settings: [nominalLedgerSettings(input)],
    stock_settings: [stockSettings(input)],
    sop_settings: [sopSettings(input)],
    pop_settings: [popSettings(input)],
    price_book_settings: [priceBookSettings(input)],
  };
}
