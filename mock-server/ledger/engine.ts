/**
 * The posting engine: a company's current books and a validated posting in, one change list out. It builds the
 * posted transaction records with the seed's own builders (mock-server/seed/posting.ts), so a posting made through the API
 * has the seeded world's shapes and signs; the double entry; and every derived value the posting moves: account,
 * bank and nominal code balances and the `nominal_period_value_views` rows (as mock-server/seed/derive.ts defines them).
 * Nothing here changes the world: the caller commits the changes with `Store.commit`.
 */

import { nominalBalanceFields, periodValueRow } from '../seed/derive.ts';
import {
  BANK_TRANSACTION_TYPES,
  bankRecord,
  doubleEntry,
  isTraderCash,
  ledgerSource,
  type PostingDoc,
  type RecordContext,
  signOf,
  traderRecord,
} from '../seed/posting.ts';
import type { Change } from '../store/index.ts';
import { NOT_AUTHORISED } from '../views/purchase-authorisations.ts';
import { businessDate, instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, NominalEntry, SageRecord } from '../world/model.ts';
import type { LedgerBooks } from './books.ts';
import type { AccountTable, DocumentDraft, Draft } from './drafts.ts';

/** Where new ids and the URN come from: the company's counters, so no id is ever handed out twice. */
export interface IdSource {
  nextId(): number;
  nextUrn(): number;
}

export interface PostingContext {
  /** The sandbox clock, milliseconds: `date_time_created` / `date_time_updated` and `posted_date`. */
  now: number;
  /** Sage 200 user name recorded on the postings (20 characters at most). */
  userName: string;
  ids: IdSource;
}

export interface PostingResult {
  urn: number;
  changes: Change[];
  /** The endpoint's 200 body: `{ urn }` as a string (Sage's `urn` schema), or the transfer for `bank_transfer`. */
  body: SageRecord;
}

const DAY_MS = 86_400_000;

const penceOf = (value: JsonValue | undefined): number => Math.round(Number(value ?? 0) * 100);
const money = (amount: number): number => amount / 100 + 0;

/** Posts a validated draft against the books: the change set that creates the posting and moves every balance. */
export function postDraft(books: LedgerBooks, draft: Draft, ctx: PostingContext): PostingResult {
  const urn = ctx.ids.nextUrn();
  const stamp = instant(ctx.now);
  const postedDate = businessDate(Math.floor(ctx.now / DAY_MS));
  const controls = books.controlAccounts();
  const records: RecordContext = {
    controls,
    periodOfDay: () => {
      throw new Error('a new posting is on no reconciled statement');
    },
    nextId: () => ctx.ids.nextId(),
    baseCurrencyId: Number(books.baseCurrency().id),
    lastStatementDay: -1,
  };
  const complete = (draftDoc: DocumentDraft): PostingDoc => ({
    ...draftDoc,
    urn,
    ms: ctx.now,
    updatedMs: ctx.now,
    userName: ctx.userName,
  });
  const posted = (record: SageRecord): SageRecord => ({ ...record, posted_date: postedDate });

  const changes: Change[] = [];
  const ledgerDocs: PostingDoc[] = [];
  const accountMoves: { table: AccountTable; account: SageRecord; outstanding: number }[] = [];
  const bankMoves = new Map<number, number>();
  switch (draft.type) {
    case 'trader': {
      const doc = complete(draft.doc);
      const record = posted(traderRecord(doc, records));
      Object.assign(record, draft.fields);
      const sign = signOf(doc.kind);
      const taxItems = record.tax_analysis_items as SageRecord[];
      draft.taxDiscounts.forEach((discount, i) => {
        const item = taxItems[i];
        if (item) item.tax_discount_amount = money(sign * discount);
      });
      const table =
        draft.table === 'customers' ? 'sales_posted_transactions' : 'purchase_posted_transactions';
      changes.push({ kind: 'put', table, record });
      if (draft.awaitingAuthorisation) {
        const authorisation = blankRecord('purchase_transaction_authorisations', stamp);
        authorisation.id = ctx.ids.nextId();
        authorisation.purchase_posted_transaction_id = record.id ?? null;
        authorisation.authorisation_type = NOT_AUTHORISED;
        changes.push({ kind: 'put', table: 'purchase_transaction_authorisations', record: authorisation });
      }
      if (isTraderCash(doc.kind)) {
        const cheque = posted(bankRecord(doc, records));
        changes.push({ kind: 'put', table: 'bank_posted_transactions', record: cheque });
        moveForeignBank(bankMoves, doc, cheque);
      }
      ledgerDocs.push(doc);
      accountMoves.push({
        table: draft.table,
        account: draft.account,
        outstanding: penceOf(record.document_outstanding_value),
      });
      break;
    }
    case 'cash': {
      const doc = complete(draft.doc);
      const cheque = posted(bankRecord(doc, records));
      changes.push({ kind: 'put', table: 'bank_posted_transactions', record: cheque });
      moveForeignBank(bankMoves, doc, cheque);
      ledgerDocs.push(doc);
      break;
    }
    case 'transfer': {
      const payment = complete(draft.payment);
      const receipt = complete(draft.receipt);
      changes.push({
        kind: 'put',
        table: 'bank_posted_transactions',
        record: posted(bankRecord(payment, records)),
      });
      changes.push({
        kind: 'put',
        table: 'bank_posted_transactions',
        record: posted(bankRecord(receipt, records)),
      });
      // One double entry for the pair: Dr the receiving bank, Cr the paying bank (the payment's lines say so).
      ledgerDocs.push(payment);
      break;
    }
    default: {
      const never: never = draft;
      throw new Error(`posting: unknown draft ${JSON.stringify(never)}`);
    }
  }

  const entries = nominalEntries(books, ledgerDocs, controls);
  changes.push({ kind: 'nominal_entries', entries });
  changes.push(...derivedChanges(books, entries, accountMoves, stamp, ctx.ids, bankMoves));
  return { urn, changes, body: draft.type === 'transfer' ? draft.response : { urn: String(urn) } };
}

/** A foreign currency bank's balance moves by its cheque, in its own currency (pence, receipts positive). */
function moveForeignBank(moves: Map<number, number>, doc: PostingDoc, cheque: SageRecord): void {
  if (doc.bank?.currencyId === undefined) return;
  const value = penceOf(cheque.cheque_value);
  const signed = cheque.bank_transaction_type === BANK_TRANSACTION_TYPES.receipt ? value : -value;
  moves.set(doc.bank.id, (moves.get(doc.bank.id) ?? 0) + signed);
}

function nominalEntries(
  books: LedgerBooks,
  docs: readonly PostingDoc[],
  controls: ReturnType<LedgerBooks['controlAccounts']>,
): NominalEntry[] {
  let id = books.nextNominalEntryId();
  const entries: NominalEntry[] = [];
  for (const doc of docs) {
    const period = books.periodOfDay(doc.day);
    if (!period) throw new Error(`posting: no accounting period holds day ${doc.day}`);
    for (const line of doubleEntry(doc, controls)) {
      entries.push({
        id: id++,
        nominal_code_id: line.nominal.id,
        accounting_period_id: Number(period.accounting_period_id),
        transaction_date: businessDate(doc.day),
        value: money(line.value),
        source: ledgerSource(doc.kind),
        urn: doc.urn,
        narrative: line.narrative,
      });
    }
  }
  return entries;
}

/**
 * The records a posting's nominal entries and account movements change, as new objects (mock-server/seed/README.md,
 * "Derived, never generated"): the `nominal_period_value_views` row of each nominal code and period (created when
 * missing), each nominal code's current-year balance fields, the balance of each bank on a moved nominal code, and
 * the account balance (the sum of outstanding values) of the customer or supplier.
 */
export function derivedChanges(
  books: LedgerBooks,
  entries: readonly NominalEntry[],
  accountMoves: readonly { table: AccountTable; account: SageRecord; outstanding: number }[],
  stamp: string,
  ids: IdSource,
  /** Pence each foreign currency bank moved by, in its own currency (its `balance`); base banks move by `entries`. */
  bankMoves: ReadonlyMap<number, number> = new Map(),
): Change[] {
  const changes: Change[] = [];
  // Movement per nominal code and period, pence; and per nominal code in the current year and over all periods.
  const byPeriod = new Map<number, Map<number, number>>();
  const currentYear = new Map<number, number>();
  const overall = new Map<number, number>();
  for (const entry of entries) {
    const amount = penceOf(entry.value);
    const periods = byPeriod.get(entry.nominal_code_id) ?? new Map<number, number>();
    periods.set(entry.accounting_period_id, (periods.get(entry.accounting_period_id) ?? 0) + amount);
    byPeriod.set(entry.nominal_code_id, periods);
    overall.set(entry.nominal_code_id, (overall.get(entry.nominal_code_id) ?? 0) + amount);
  }

  const periodRows = new Map(
    books.company
      .table('financial_year_period_views')
      .all()
      .map((p) => [Number(p.accounting_period_id), p]),
  );
  for (const [codeId, periods] of byPeriod) {
    const code = books.nominalCode(codeId);
    if (!code) throw new Error(`posting: no nominal code ${codeId}`);
    for (const [periodId, movement] of periods) {
      if (movement === 0) continue;
      const period = periodRows.get(periodId);
      if (!period) throw new Error(`posting: no accounting period ${periodId}`);
      // Balances describe the current year; future years' movements wait for their year (as derive.ts has it).
      const year = Number(period.year_relative_to_current_year);
      if (year === 0) currentYear.set(codeId, (currentYear.get(codeId) ?? 0) + movement);
      if (year < 0) throw new Error('posting: closed years take no postings');
      const row = books.periodValue(codeId, periodId);
      const record = row
        ? {
            ...row,
            nominal_period_value_actual_value: money(
              penceOf(row.nominal_period_value_actual_value) + movement,
            ),
          }
        : periodValueRow(code, period, ids.nextId(), stamp, movement);
      changes.push({ kind: 'put', table: 'nominal_period_value_views', record });
    }
  }

  for (const [codeId, movement] of currentYear) {
    if (movement === 0) continue;
    const code = books.nominalCode(codeId)!;
    const balance = nominalBalanceFields(
      penceOf(code.brought_forward_balance),
      penceOf(code.balance_year_to_date) + movement,
    );
    changes.push({
      kind: 'put',
      table: 'nominal_codes',
      record: { ...code, ...balance, date_time_updated: stamp },
    });
  }

  // A bank's balance is the cumulative balance of its nominal code; a foreign one's is in its own currency.
  for (const bank of books.banks()) {
    const nominal = books.bankNominal(bank);
    const movement = nominal ? (overall.get(Number(nominal.id)) ?? 0) : 0;
    const currency = books.currency(bank.account_currency_id);
    const own =
      currency === undefined || currency.is_base_currency === true
        ? movement
        : (bankMoves.get(Number(bank.id)) ?? 0);
    if (movement === 0 && own === 0) continue;
    changes.push({
      kind: 'put',
      table: 'banks',
      record: {
        ...bank,
        balance: money(penceOf(bank.balance) + own),
        balance_in_base: money(penceOf(bank.balance_in_base) + movement),
        date_time_updated: stamp,
      },
    });
  }

  // An account's balance is the sum of its outstanding values; posting updates it (and its status) now.
  for (const { table, account, outstanding } of accountMoves) {
    const status = account.status;
    changes.push({
      kind: 'put',
      table,
      record: {
        ...account,
        balance: money(penceOf(account.balance) + outstanding),
        ...(typeof status === 'object' && status !== null && !Array.isArray(status)
          ? { status: { ...status, date_time_updated: stamp } }
          : {}),
        date_time_updated: stamp,
      },
    });
  }
  return changes;
}
