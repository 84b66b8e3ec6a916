/**
 * Memos on accounts, posted transactions, nominal codes and products (`/customer_memos`, `/supplier_memos`,
 * `/sales_posted_transaction_memos`, ...): the notes a UK finance team keeps, written from the ledger they describe
 * (credit control calls on overdue invoices, stops on accounts on hold, queries on purchase invoices).
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import {
  dayOfDate,
  daysBefore,
  ledgerEndDay,
  money,
  type NotesSeedInput,
  stampOn,
  type Writer,
} from './note-context.ts';

const INVOICE = 'TradingAccountEntryTypeInvoice';
const CREDIT_NOTE = 'TradingAccountEntryTypeCreditNote';

const CUSTOMER_NOTES: readonly string[] = [
  'Goods-in closes at 3pm; deliveries after that are refused and come back at our cost.',
  'Our invoices must quote their purchase order number or their accounts team will not pay them.',
  'Send invoices and statements to the accounts inbox only, not with the goods.',
  'Annual price review agreed at the account meeting: 3% increase from 1 April.',
  'Prefers a monthly statement by email on the first working day.',
  'Site has no forklift: pallets must be split to 25 kg cartons.',
  'New buyer from this month; old contact has left the business.',
  'Pays on the last Friday of the month by BACS; remittance follows by email.',
];

const SUPPLIER_NOTES: readonly string[] = [
  'Minimum order value £250 for free carriage; below that £12.50 is added.',
  'Account manager changed this quarter; new contact sends price lists each January.',
  'Supplier asks for remittance advices by email to their credit control team.',
  'Lead time 10 working days from order; rush orders attract a 15% surcharge.',
  'Annual price increase of 4% notified, effective 1 March.',
  'Statements arrive monthly; reconcile before the payment run.',
];

const PRODUCT_NOTES: readonly string[] = [
  'Supplier lead time 10 working days; keep two weeks of cover.',
  'Manufacturer discontinuing this line at the end of the year: sell through remaining stock.',
  'Fragile: despatch double-boxed only.',
  'Check batch labels on receipt; two short-dated deliveries last quarter.',
  'Price held until the next catalogue; do not discount below Trade.',
  'Customers often order this with its matching fittings: offer them at entry.',
];

/** Memos on the chart's well-known accounts, by nominal reference. */
const NOMINAL_NOTES: readonly [string, string][] = [
  ['1200', 'Reconciled to the bank statement monthly; unpresented cheques reviewed at each month end.'],
  ['1100', 'Debtors control: agree to the aged debtors report before the month end is closed.'],
  ['2100', 'Creditors control: agree to the aged creditors report and the supplier statements monthly.'],
  [
    '2202',
    'VAT returns filed quarterly under Making Tax Digital; payment due one month and seven days after the quarter.',
  ],
  [
    '9999',
    'Suspense must be cleared to nil at every month end; investigate any balance with the posting user.',
  ],
  ['7100', 'Rent invoiced quarterly in advance; lease break clause due next year.'],
  ['3200', 'Retained profit: moved at year end only, never posted to directly.'],
];

const CHASE_OUTCOMES: readonly string[] = [
  'promised payment by BACS within 7 days',
  'invoice not received: copy sent by email',
  'awaiting sign-off from their finance director',
  'disputes the delivery charge; referred to sales',
  'paying in their next payment run on Friday',
  'no answer; left a voicemail and sent a reminder letter',
];

const PURCHASE_QUERIES: readonly string[] = [
  'Price differs from the purchase order; query raised with the supplier.',
  'Approved for payment by the budget holder.',
  'Part of the delivery damaged; credit note requested for the difference.',
  'Duplicate of an emailed copy; only this one entered.',
];

function memo(collection: string, write: Writer, day: number, note: string): SageRecord {
  const created = stampOn(write.rng, day);
  const r = blankRecord(collection, created);
  r.id = write.nextId();
  r.note = note;
  r.is_active = true;
  r.created_by = write.rng.pick(write.userNames);
  return r;
}

function overdueDays(transaction: SageRecord): number {
  const due = dayOfDate(transaction.due_date);
  return due === undefined ? 0 : ledgerEndDay() - due;
}

/** Customer memos: a stop on each account on hold, a credit control call on some overdue accounts, house notes. */
function customerMemos(
  input: NotesSeedInput,
  write: Writer,
  overdue: Map<number, SageRecord[]>,
): SageRecord[] {
  const out: SageRecord[] = [];
  for (const customer of input.customers) {
    const id = customer.id as number;
    const opened = dayOfDate(customer.account_opened) ?? ledgerEndDay() - 365;
    const late = overdue.get(id) ?? [];
    if (customer.on_hold === true) {
      const r = memo('customer_memos', write, daysBefore(write.rng, 10), '');
      r.customer_id = id;
      r.note = `Account on stop: ${late.length} invoice${late.length === 1 ? '' : 's'} overdue, balance £${money(customer.balance)}. Release orders only on payment or the finance director's approval.`;
      out.push(r);
    }
    if (late.length > 0 && write.rng.chance(0.5)) {
      const oldest = late[0]!;
      const r = memo('customer_memos', write, daysBefore(write.rng, 20), '');
      r.customer_id = id;
      r.note = `Called their accounts team about invoice ${String(oldest.reference)} (£${money(oldest.document_outstanding_value)}, ${overdueDays(oldest)} days overdue): ${write.rng.pick(CHASE_OUTCOMES)}.`;
      out.push(r);
    }
    if (write.rng.chance(0.2)) {
      const day = opened + write.rng.int(1, Math.max(1, ledgerEndDay() - opened));
      const r = memo('customer_memos', write, Math.min(day, ledgerEndDay()), write.rng.pick(CUSTOMER_NOTES));
      r.customer_id = id;
      // Some older notes were superseded and made inactive rather than deleted.
      r.is_active = write.rng.chance(0.8);
      out.push(r);
    }
  }
  return out;
}

function supplierMemos(input: NotesSeedInput, write: Writer): SageRecord[] {
  const out: SageRecord[] = [];
  for (const supplier of input.suppliers) {
    const id = supplier.id as number;
    const bank = supplier.bank as SageRecord | undefined;
    if (typeof bank?.account_number === 'string' && bank.account_number !== '' && write.rng.chance(0.15)) {
      const r = memo('supplier_memos', write, daysBefore(write.rng, 300), '');
      r.supplier_id = id;
      r.note = `Bank details change request verified by a call back to the number on file before the next payment run (account ending ${bank.account_number.slice(-4)}).`;
      out.push(r);
    }
    if (write.rng.chance(0.25)) {
      const r = memo('supplier_memos', write, daysBefore(write.rng, 400), write.rng.pick(SUPPLIER_NOTES));
      r.supplier_id = id;
      r.is_active = write.rng.chance(0.85);
      out.push(r);
    }
  }
  return out;
}

/** Chasing notes on overdue sales invoices and return notes on some credit notes. */
function salesTransactionMemos(
  input: NotesSeedInput,
  write: Writer,
  overdue: Map<number, SageRecord[]>,
): SageRecord[] {
  const out: SageRecord[] = [];
  for (const invoices of overdue.values()) {
    for (const invoice of invoices) {
      if (!write.rng.chance(0.35)) continue;
      const due = dayOfDate(invoice.due_date) ?? ledgerEndDay();
      const day = Math.min(ledgerEndDay(), due + write.rng.int(3, 21));
      const r = memo('sales_posted_transaction_memos', write, day, '');
      r.posted_customer_transaction_id = invoice.id as number;
      r.note = `Chased £${money(invoice.document_outstanding_value)}: ${write.rng.pick(CHASE_OUTCOMES)}.`;
      out.push(r);
    }
  }
  for (const credit of input.sales) {
    if (credit.trader_transaction_type !== CREDIT_NOTE || !write.rng.chance(0.3)) continue;
    const day = dayOfDate(credit.transaction_date) ?? ledgerEndDay();
    const r = memo('sales_posted_transaction_memos', write, day, '');
    r.posted_customer_transaction_id = credit.id as number;
    r.note = `Credit for goods returned damaged in transit; returns note RN${write.rng.int(10_000, 99_999)} signed by the carrier.`;
    out.push(r);
  }
  return out;
}

function purchaseTransactionMemos(input: NotesSeedInput, write: Writer): SageRecord[] {
  const out: SageRecord[] = [];
  for (const invoice of input.purchases) {
    if (invoice.trader_transaction_type !== INVOICE || !write.rng.chance(0.06)) continue;
    const day = dayOfDate(invoice.transaction_date) ?? ledgerEndDay();
    const r = memo('purchase_posted_transaction_memos', write, day, write.rng.pick(PURCHASE_QUERIES));
    r.posted_supplier_transaction_id = invoice.id as number;
    out.push(r);
  }
  return out;
}

function nominalCodeMemos(input: NotesSeedInput, write: Writer): SageRecord[] {
  const out: SageRecord[] = [];
  for (const [reference, note] of NOMINAL_NOTES) {
    const code = input.nominalCodes.find(
      (c) => c.reference === reference && c.cost_centre_code === '' && c.department_code === '',
    );
    if (!code) continue;
    const r = memo('nominal_code_memos', write, daysBefore(write.rng, 600), note);
    r.nominal_code_id = code.id as number;
    out.push(r);
  }
  return out;
}

function productMemos(input: NotesSeedInput, write: Writer): SageRecord[] {
  const out: SageRecord[] = [];
  for (const product of input.products) {
    if (!write.rng.chance(0.3) && out.length > 0) continue;
    const r = memo('product_memos', write, daysBefore(write.rng, 500), write.rng.pick(PRODUCT_NOTES));
    r.product_id = product.id as number;
    out.push(r);
  }
  return out;
}

/** Unpaid invoices past their due date at the ledger's end, by customer, oldest first. */
export function overdueInvoices(sales: readonly SageRecord[]): Map<number, SageRecord[]> {
  const byCustomer = new Map<number, SageRecord[]>();
  for (const t of sales) {
    if (t.trader_transaction_type !== INVOICE || Number(t.document_outstanding_value) <= 0) continue;
    if (overdueDays(t) <= 0 || typeof t.customer_id !== 'number') continue;
    const list = byCustomer.get(t.customer_id) ?? [];
    list.push(t);
    byCustomer.set(t.customer_id, list);
  }
  for (const list of byCustomer.values())
    list.sort((a, b) => String(a.due_date).localeCompare(String(b.due_date)));
  return byCustomer;
}

/** The memo collections, in id order. */
export function buildMemos(input: NotesSeedInput, write: Writer) {
  const overdue = overdueInvoices(input.sales);
  return {
    customer_memos: customerMemos(input, write, overdue),
    supplier_memos: supplierMemos(input, write),
    sales_posted_transaction_memos: salesTransactionMemos(input, write, overdue),
    purchase_posted_transaction_memos: purchaseTransactionMemos(input, write),
    nominal_code_memos: nominalCodeMemos(input, write),
    product_memos: productMemos(input, write),
  };
}
