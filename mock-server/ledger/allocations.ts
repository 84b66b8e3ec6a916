/**
 * `POST /sales_allocations` (sales.json): posted sales transactions of one customer allocated against each other.
 * Each line's `value_to_allocate` is signed as its transaction is on the account (positive to an invoice or a sales
 * payment, negative from a receipt or a credit note) and the lines add up to 0, so the customer's balance and the
 * ledger do not move: only what each transaction leaves outstanding, its allocation history and sessions, and its
 * full settlement date. The first problem is a 400 naming the line; a refused allocation changes nothing.
 */
import type { Schemas } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change } from '../store/index.ts';
import { checkPosting } from '../validation/index.ts';
import { businessDate, instant } from '../world/calendar.ts';
import { blankItem } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { dayOfDate, type LedgerBooks } from './books.ts';
import { money } from './fields.ts';
import { postingDay, type RequestContext } from './requests.ts';

const TABLE = 'sales_posted_transactions';

/** What an allocation needs besides its body: the clock, the user and fresh ids for its history entries. */
export interface AllocationContext extends RequestContext {
  now: number;
  userName: string;
  nextId(): number;
}

export interface AllocationResult {
  changes: Change[];
  /** Sage's 200 body: the allocation, its date filled in. */
  body: Schemas['SalesAllocation'];
}

const pence = (value: unknown): number => Math.round(Number(value ?? 0) * 100);
const show = (amount: number): string => money(amount).toFixed(2);

/** Signed pence of a `decimal 2dp` value; 400 when it has more than two decimal places. */
function signedPence(value: number, field: string): number {
  const result = Math.round(value * 100);
  if (result / 100 !== value || !Number.isFinite(value)) {
    throw badRequest(`The field ${field} must have at most two decimal places.`);
  }
  return result + 0;
}

interface Line {
  transaction: SageRecord;
  /** Pence, signed as the transaction. */
  amount: number;
}

/** Checks an allocation against the books and returns the changes that make it. */
export function allocate(raw: unknown, books: LedgerBooks, ctx: AllocationContext): AllocationResult {
  const body = checkPosting('SalesAllocation', raw);
  if (body.allocation_lines.length === 0) {
    throw badRequest('The field allocation_lines must have at least one line.');
  }
  const customer = books.customer(body.customer_id);
  if (!customer) throw badRequest(`The customer_id ${body.customer_id} is not the id of a customer.`);
  const currency = books.currency(customer.currency_id);
  if (currency !== undefined && currency.is_base_currency !== true) {
    throw badRequest(
      `The customer_id ${body.customer_id} is an account in a foreign currency; the sandbox allocates on base-currency accounts only.`,
    );
  }
  const day = postingDay(body.allocation_date, 'allocation_date', books, ctx);
  const seen = new Set<number>();
  const lines: Line[] = body.allocation_lines.map((line, i) => {
    const at = `allocation_lines[${i}]`;
    const id = line.posted_tran_id;
    const transaction = books.company.table(TABLE).get(id);
    if (!transaction)
      throw badRequest(`The ${at}.posted_tran_id ${id} is not the id of a sales posted transaction.`);
    if (transaction.customer_id !== customer.id) {
      throw badRequest(
        `The ${at}.posted_tran_id ${id} is a transaction of another customer, not of customer_id ${body.customer_id}.`,
      );
    }
    if (seen.has(id))
      throw badRequest(`The ${at}.posted_tran_id ${id} is named twice: give each transaction one line.`);
    seen.add(id);
    if (typeof transaction.queried === 'string' && transaction.queried !== '') {
      throw badRequest(`The ${at}.posted_tran_id ${id} is queried: clear its query before allocating it.`);
    }
    const amount = signedPence(line.value_to_allocate, `${at}.value_to_allocate`);
    if (amount === 0) throw badRequest(`The field ${at}.value_to_allocate must not be zero.`);
    const outstanding = pence(transaction.document_outstanding_value);
    if (outstanding === 0)
      throw badRequest(`The ${at}.posted_tran_id ${id} has nothing outstanding to allocate.`);
    if (Math.sign(amount) !== Math.sign(outstanding)) {
      throw badRequest(
        `The ${at}.value_to_allocate ${show(amount)} is of the other sign from transaction ${id}, whose outstanding value is ${show(outstanding)}: allocate to a debit with a positive value and from a credit with a negative one.`,
      );
    }
    if (Math.abs(amount) > Math.abs(outstanding)) {
      throw badRequest(
        `The ${at}.value_to_allocate ${show(amount)} is more than transaction ${id} has outstanding (${show(outstanding)}).`,
      );
    }
    const transactionDay = dayOfDate(transaction.transaction_date);
    if (day < transactionDay) {
      throw badRequest(
        `The allocation_date ${businessDate(day).slice(0, 10)} is before the transaction_date ${businessDate(transactionDay).slice(0, 10)} of transaction ${id}.`,
      );
    }
    return { transaction, amount };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  if (total !== 0) {
    throw badRequest(
      `The allocation_lines values add up to ${show(total)}, not 0: what is allocated to transactions must equal what is allocated from them.`,
    );
  }

  const stamp = instant(ctx.now);
  const date = businessDate(day);
  const changes: Change[] = lines.map(({ transaction, amount }) => {
    const allocated = pence(transaction.document_allocated_value) + amount;
    const outstanding = pence(transaction.document_outstanding_value) - amount;
    const entry = blankItem(TABLE, 'allocation_history_items', stamp);
    entry.id = ctx.nextId();
    entry.entry_date = date;
    entry.allocation_value = money(amount);
    entry.nominal_updated = true;
    entry.exchange_rate = transaction.exchange_rate ?? 1;
    const sessions = lines
      .filter((other) => other.transaction !== transaction)
      .map((other) => {
        const item = blankItem(TABLE, 'allocation_session_items');
        item.user_name = ctx.userName;
        item.ledger_type = 'LedgerSales';
        item.urn = other.transaction.urn ?? 0;
        item.allocation_date = date;
        item.trader_transaction_type = other.transaction.trader_transaction_type ?? '';
        item.reference = other.transaction.reference ?? '';
        item.value = other.transaction.document_gross_value ?? 0;
        item.allocation_value = money(other.amount);
        return item;
      });
    const history = Array.isArray(transaction.allocation_history_items)
      ? transaction.allocation_history_items
      : [];
    const session = Array.isArray(transaction.allocation_session_items)
      ? transaction.allocation_session_items
      : [];
    // Base-currency accounts only: the base values are the document's.
    const record: SageRecord = {
      ...transaction,
      document_allocated_value: money(allocated),
      document_outstanding_value: money(outstanding),
      base_allocated_value: money(allocated),
      control_value_in_base_currency: money(outstanding),
      full_settlement_date: outstanding === 0 ? date : null,
      allocation_history_items: [...history, entry],
      allocation_session_items: [...session, ...sessions],
      date_time_updated: stamp,
    };
    return { kind: 'put', table: TABLE, record };
  });
  return {
    changes,
    body: {
      customer_id: body.customer_id,
      allocation_date: date,
      allocation_lines: body.allocation_lines.map((line) => ({
        posted_tran_id: line.posted_tran_id,
        value_to_allocate: line.value_to_allocate,
      })),
    },
  };
}
