/**
 * Reads of the trader ledger views and the identities they keep with the ledger (README.md, Fidelity): shared by
 * the view tests on the seeded world and the property test over random writes.
 */
import { expect } from 'vitest';
import type { SageRecord } from '../../mock-server/world/model.ts';
import type { Caller } from '../support/sandbox.ts';
import { expectContractValid, pence, readAll } from './postings-support.ts';

export const INVOICE = 'TradingAccountEntryTypeInvoice';
export const CREDIT = 'TradingAccountEntryTypeCreditNote';
export const CASH = 'TradingAccountEntryTypePurchasePaymentSalesReceipt';

export const AGEING_TYPES = ['transactiondate', 'duedate', 'calendarmonth'] as const;

/** The buckets of an aged row, in the order Sage's schema lists them. */
const BUCKETS = ['past', 'future', 'current', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `period_${n}`)];

/** An aged row's whole value, pence, in the document currency (`doc`) or base (`base`). */
export const agedTotal = (row: SageRecord, side: 'doc' | 'base'): number =>
  BUCKETS.reduce((sum, bucket) => sum + pence(row[`${side}_${bucket}`]), 0);

export interface Ledger {
  accounts: 'customers' | 'suppliers';
  accountKey: 'customer_id' | 'supplier_id';
  noun: 'customer' | 'supplier';
  transactions: string;
  transactionViews: string;
  transactionKey: string;
  enquiryViews: string;
  agedDetailed: string;
  agedSummary: string;
  periodValues: string;
  yearValues: string;
  accountViews: string;
}

export const SALES: Ledger = {
  accounts: 'customers',
  accountKey: 'customer_id',
  noun: 'customer',
  transactions: 'sales_posted_transactions',
  transactionViews: 'sales_transaction_views',
  transactionKey: 'posted_customer_transaction_id',
  enquiryViews: 'sales_transaction_enquiry_views',
  agedDetailed: 'sales_aged_debtor_detailed_views',
  agedSummary: 'sales_aged_debtor_summary_views',
  periodValues: 'customer_period_value_views',
  yearValues: 'customer_year_value_views',
  accountViews: 'customer_views',
};

export const PURCHASES: Ledger = {
  accounts: 'suppliers',
  accountKey: 'supplier_id',
  noun: 'supplier',
  transactions: 'purchase_posted_transactions',
  transactionViews: 'purchase_transaction_views',
  transactionKey: 'posted_supplier_transaction_id',
  enquiryViews: 'purchase_transaction_enquiry_views',
  agedDetailed: 'purchase_aged_creditor_detailed_views',
  agedSummary: 'purchase_aged_creditor_summary_views',
  periodValues: 'supplier_period_value_views',
  yearValues: 'supplier_year_value_views',
  accountViews: 'supplier_views',
};

/** Every row of a list, checked against the contract. */
export async function readValid(caller: Caller, path: string, orderBy: string): Promise<SageRecord[]> {
  const rows = await readAll(caller, path, orderBy);
  expectContractValid('get', path.split('?')[0]!, 200, rows);
  return rows;
}

const sumBy = (
  rows: readonly SageRecord[],
  key: (row: SageRecord) => unknown,
  value: (row: SageRecord) => number,
): Map<unknown, number> => {
  const totals = new Map<unknown, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + value(row));
  return totals;
};

/** Of a map of totals, the entries that are not zero (a missing total and a zero one are the same). */
const nonZero = (totals: Map<unknown, number>): Map<unknown, number> =>
  new Map([...totals].filter(([, v]) => v !== 0));

/** The transaction views and the enquiry views hold one row per posted transaction, with its values. */
export async function expectTransactionViewsMatch(caller: Caller, ledger: Ledger): Promise<void> {
  const posted = await readValid(caller, `/${ledger.transactions}`, 'id');
  const views = await readValid(caller, `/${ledger.transactionViews}`, ledger.transactionKey);
  const enquiry = await readValid(caller, `/${ledger.enquiryViews}`, 'id');
  const accounts = new Map((await readAll(caller, `/${ledger.accounts}`)).map((a) => [a.id, a]));
  expect(views.map((v) => v[ledger.transactionKey])).toEqual(posted.map((t) => t.id));
  expect(enquiry.map((v) => v.id)).toEqual(posted.map((t) => t.id));
  posted.forEach((t, i) => {
    const view = views[i]!;
    const row = enquiry[i]!;
    for (const field of ['document_gross_value', 'document_outstanding_value', 'base_gross_value'] as const) {
      expect(pence(view[field]), `${field} of ${String(t.id)}`).toBe(pence(t[field]));
    }
    expect(pence(view.base_outstanding_value)).toBe(pence(t.control_value_in_base_currency));
    expect(view.transaction_type).toBe(t.trader_transaction_type);
    expect(view[ledger.accountKey]).toBe(t[ledger.accountKey]);
    expect(view[`${ledger.noun}_reference`]).toBe(accounts.get(t[ledger.accountKey] ?? null)?.reference);
    expect(pence(row.document_outstanding_value)).toBe(pence(t.document_outstanding_value));
    expect(row.trader_transaction_type).toBe(t.trader_transaction_type);
    expect(row.urn).toBe(t.urn);
  });
}

/**
 * The aged views, for every ageing type: each account's detailed rows sum to its balance (base: to what its
 * transactions leave in the control account); the summary row is the sum of the detailed ones bucket by bucket.
 */
export async function expectAgedBalancesMatch(caller: Caller, ledger: Ledger): Promise<void> {
  const accounts = await readAll(caller, `/${ledger.accounts}`);
  const posted = await readAll(caller, `/${ledger.transactions}`);
  const baseBalances = nonZero(
    sumBy(
      posted,
      (t) => t[ledger.accountKey],
      (t) => pence(t.control_value_in_base_currency),
    ),
  );
  const balances = nonZero(
    new Map(accounts.map((a) => [a.id as unknown, pence(a.balance)] as [unknown, number])),
  );
  for (const ageing of AGEING_TYPES) {
    const query = `?$ageingdatetype=${ageing}`;
    const detailed = await readValid(caller, `/${ledger.agedDetailed}${query}`, ledger.transactionKey);
    const summary = await readValid(caller, `/${ledger.agedSummary}${query}`, ledger.accountKey);
    const docTotals = sumBy(
      detailed,
      (r) => r[ledger.accountKey],
      (r) => agedTotal(r, 'doc'),
    );
    expect(nonZero(docTotals), `${ageing}: aged balances against account balances`).toEqual(balances);
    expect(
      nonZero(
        sumBy(
          detailed,
          (r) => r[ledger.accountKey],
          (r) => agedTotal(r, 'base'),
        ),
      ),
      `${ageing}: base aged balances against the control account`,
    ).toEqual(baseBalances);
    for (const row of summary) {
      const own = detailed.filter((r) => r[ledger.accountKey] === row[ledger.accountKey]);
      expect(row[ledger.transactionKey]).toBeNull();
      for (const field of Object.keys(row).filter((f) => /^(doc|base)_/.test(f))) {
        expect(pence(row[field]), `${ageing} ${field} of ${String(row[ledger.accountKey])}`).toBe(
          own.reduce((s, r) => s + pence(r[field]), 0),
        );
      }
    }
    expect(new Set(summary.map((r) => r[ledger.accountKey]))).toEqual(
      new Set(detailed.map((r) => r[ledger.accountKey])),
    );
  }
}

/**
 * The period and year value views: each account's invoice, credit note and cash totals per period and per year
 * are its posted transactions' goods (cash: gross) values, unsigned, summed by transaction date.
 */
export async function expectPeriodValuesMatch(caller: Caller, ledger: Ledger): Promise<void> {
  const posted = await readAll(caller, `/${ledger.transactions}`);
  const periods = await readAll(caller, '/financial_year_period_views', 'accounting_period_id');
  const periodOf = (date: unknown) =>
    periods.find(
      (p) => String(p.period_start_date) <= String(date) && String(date) <= String(p.period_end_date),
    );
  const kinds = [
    ['invoice_value', INVOICE, 'document_goods_value'],
    ['credit_note_value', CREDIT, 'document_goods_value'],
    ['cash_value', CASH, 'document_gross_value'],
  ] as const;
  const periodRows = await readValid(caller, `/${ledger.periodValues}`, `${ledger.noun}_period_value_id`);
  const yearRows = await readValid(caller, `/${ledger.yearValues}`, `${ledger.noun}_year_value_id`);
  for (const [name, type, field] of kinds) {
    const ofType = posted.filter((t) => t.trader_transaction_type === type);
    const expectedByPeriod = nonZero(
      sumBy(
        ofType.filter((t) => Number(periodOf(t.transaction_date)?.year_relative_to_current_year) <= 0),
        (t) =>
          `${String(t[ledger.accountKey])}/${String(periodOf(t.transaction_date)?.accounting_period_id)}`,
        (t) => Math.abs(pence(t[field])),
      ),
    );
    const servedByPeriod = nonZero(
      sumBy(
        periodRows,
        (r) => `${String(r[ledger.accountKey])}/${String(r[`${ledger.noun}_analysis_period_id`])}`,
        (r) => pence(r[`period_value_total_${name}_to_date`]),
      ),
    );
    expect(servedByPeriod, `${ledger.periodValues} ${name}`).toEqual(expectedByPeriod);
    const expectedByYear = nonZero(
      sumBy(
        ofType,
        (t) => `${String(t[ledger.accountKey])}/${String(periodOf(t.transaction_date)?.financial_year_id)}`,
        (t) => Math.abs(pence(t[field])),
      ),
    );
    const servedByYear = nonZero(
      sumBy(
        yearRows,
        (r) => `${String(r[ledger.accountKey])}/${String(r.financial_year_id)}`,
        (r) => pence(r[`year_value_total_${name}_to_date`]),
      ),
    );
    expect(servedByYear, `${ledger.yearValues} ${name}`).toEqual(expectedByYear);
  }
}

/** The account views carry each account's balance and its base balance as the aged views age them. */
export async function expectAccountViewsMatch(caller: Caller, ledger: Ledger): Promise<void> {
  const accounts = await readAll(caller, `/${ledger.accounts}`);
  const views = await readValid(caller, `/${ledger.accountViews}`, 'id');
  const detailed = await readAll(caller, `/${ledger.agedDetailed}`, ledger.transactionKey);
  const baseBalances = sumBy(
    detailed,
    (r) => r[ledger.accountKey],
    (r) => agedTotal(r, 'base'),
  );
  expect(views.map((v) => v.id)).toEqual(accounts.map((a) => a.id));
  accounts.forEach((account, i) => {
    const view = views[i]!;
    expect(view.reference).toBe(account.reference);
    expect(pence(view.balance), `balance of ${String(account.reference)}`).toBe(pence(account.balance));
    expect(pence(view.base_balance), `base balance of ${String(account.reference)}`).toBe(
      baseBalances.get(account.id) ?? 0,
    );
  });
}

/** Every identity of the trader ledger views, on both ledgers. */
export async function expectTraderViewsAgree(caller: Caller): Promise<void> {
  for (const ledger of [SALES, PURCHASES]) {
    await expectTransactionViewsMatch(caller, ledger);
    await expectAgedBalancesMatch(caller, ledger);
    await expectPeriodValuesMatch(caller, ledger);
    await expectAccountViewsMatch(caller, ledger);
  }
}
