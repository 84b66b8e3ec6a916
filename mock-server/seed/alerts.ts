/**
 * Customer alerts, customer cards and pending emails (`/customer_alerts`, `/customer_cards`, `/pending_emails`),
 * written from the accounts they concern: stops on accounts on hold, warnings on accounts over their credit limit,
 * the cards customers paid receipts with, and the emails Sage queued for the credit controller about them.
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
import { overdueInvoices } from './notes.ts';

const RECEIPT = 'TradingAccountEntryTypePurchasePaymentSalesReceipt';

const CARD_BRANDS: readonly string[] = [
  'Visa Debit',
  'Visa',
  'Mastercard',
  'Mastercard Business',
  'American Express',
];

/** Sage's alert flags, each set for the tasks the alert is shown on. */
type AlertTask =
  | 'orders'
  | 'proformas'
  | 'quotes'
  | 'credit_notes'
  | 'price_enquiries'
  | 'invoices'
  | 'returns';

const DELIVERY_ALERTS: readonly [string, readonly AlertTask[]][] = [
  ['Deliveries by appointment only: book with goods-in 24 hours ahead.', ['orders', 'invoices']],
  [
    'Quote their purchase order number on every order and invoice.',
    ['orders', 'quotes', 'proformas', 'invoices'],
  ],
  ['Trade prices agreed to the end of the year; check before quoting.', ['quotes', 'price_enquiries']],
  ['Returns need an RMA number from the customer before they are accepted.', ['returns', 'credit_notes']],
];

function alert(
  write: Writer,
  customerId: number,
  day: number,
  text: string,
  tasks: readonly AlertTask[],
): SageRecord {
  const r = blankRecord('customer_alerts', stampOn(write.rng, day));
  r.id = write.nextId();
  r.customer_id = customerId;
  r.alert_text = text;
  r.is_active = true;
  for (const task of tasks) r[`show_alert_for_${task}`] = true;
  r.updated_by = write.rng.pick(write.userNames);
  return r;
}

function customerAlerts(input: NotesSeedInput, write: Writer): SageRecord[] {
  const out: SageRecord[] = [];
  for (const customer of input.customers) {
    const id = customer.id as number;
    const balance = Number(customer.balance ?? 0);
    const limit = Number(customer.credit_limit ?? 0);
    if (customer.on_hold === true) {
      const text = 'Account on stop: refer every order to credit control before it is accepted.';
      out.push(
        alert(write, id, daysBefore(write.rng, 10), text, ['orders', 'proformas', 'quotes', 'invoices']),
      );
    } else if (limit > 0 && balance > limit) {
      const text = `Over credit limit (£${money(limit)}): check with credit control before taking orders.`;
      out.push(alert(write, id, daysBefore(write.rng, 20), text, ['orders', 'proformas']));
    }
    if (write.rng.chance(0.06)) {
      const [text, tasks] = write.rng.pick(DELIVERY_ALERTS);
      const r = alert(write, id, daysBefore(write.rng, 300), text, tasks);
      r.is_active = write.rng.chance(0.85);
      out.push(r);
    }
  }
  return out;
}

/** A card for some customers that paid receipts, last used on their latest receipt. */
function customerCards(input: NotesSeedInput, write: Writer): SageRecord[] {
  const lastReceipt = new Map<number, number>();
  for (const t of input.sales) {
    if (t.trader_transaction_type !== RECEIPT || typeof t.customer_id !== 'number') continue;
    const day = dayOfDate(t.transaction_date);
    if (day !== undefined && day > (lastReceipt.get(t.customer_id) ?? -1))
      lastReceipt.set(t.customer_id, day);
  }
  const out: SageRecord[] = [];
  for (const customer of input.customers) {
    const id = customer.id as number;
    const last = lastReceipt.get(id);
    // Even a small company has one card customer: the first that paid a receipt.
    const chosen = write.rng.chance(0.08) || out.length === 0;
    if (last === undefined || !chosen) continue;
    const cards = write.rng.chance(0.2) ? 2 : 1;
    for (let i = 0; i < cards; i++) {
      const r = blankRecord('customer_cards', '');
      r.id = write.nextId();
      r.customer_id = id;
      r.description = `${write.rng.pick(CARD_BRANDS)} ending ${write.rng.chars('0123456789', 4)}`;
      // Only the card used for the latest receipt was used that day; the other was used some weeks before.
      r.last_used_date = `${new Date((last - i * write.rng.int(14, 60)) * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
      out.push(r);
    }
  }
  return out;
}

/** Emails Sage queued for a credit controller about the accounts on stop or overdue. */
function pendingEmails(input: NotesSeedInput, write: Writer): SageRecord[] {
  const controller = input.users[0];
  if (!controller) return [];
  const name = String(controller.name);
  const overdue = overdueInvoices(input.sales);
  const out: SageRecord[] = [];
  for (const customer of input.customers) {
    const late = overdue.get(customer.id as number) ?? [];
    if (customer.on_hold !== true || late.length === 0) continue;
    const r = blankRecord(
      'pending_emails',
      stampOn(write.rng, Math.min(ledgerEndDay(), daysBefore(write.rng, 2))),
    );
    r.id = write.nextId();
    r.email_type = 'CustomerOnHold';
    r.email_address = `${name}@${input.mailDomain}`;
    r.email_subject = `Account on stop: ${String(customer.name)} (${String(customer.reference)})`;
    r.email_body = [
      `${String(customer.name)} (${String(customer.reference)}) is on stop with a balance of £${money(customer.balance)}.`,
      `Oldest overdue invoice: ${String(late[0]!.reference)}, £${money(late[0]!.document_outstanding_value)}, due ${String(late[0]!.due_date).slice(0, 10)}.`,
    ].join('\n');
    r.user_number = controller.id as number;
    r.user_name = name;
    out.push(r);
  }
  return out;
}

/** The alert, card and pending email collections, in id order. */
export function buildAlerts(input: NotesSeedInput, write: Writer) {
  return {
    customer_alerts: customerAlerts(input, write),
    customer_cards: customerCards(input, write),
    pending_emails: pendingEmails(input, write),
  };
}
