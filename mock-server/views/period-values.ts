/**
 * `/customer_period_value_views`, `/customer_year_value_views` and the supplier pair: each account's invoice,
 * credit note and cash totals per accounting period and per financial year, summed from its posted transactions by
 * transaction date. Sage keeps these on the account's period value records as it posts; here they are the same
 * sums taken at read time. Period rows cover the past and current years (Sage's five future years hold nothing
 * until they open); year rows cover every year of the calendar.
 */
import { dayOf } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { PURCHASES, pence, pounds, SALES, TRANSACTION_TYPES, type TraderLedger, text } from './ledgers.ts';
import { RowMemo } from './memo.ts';
import type { DerivedView, ViewSources } from './model.ts';

type Totals = {
  invoice: number;
  creditNote: number;
  cash: number;
  baseInvoice: number;
  baseCreditNote: number;
  baseCash: number;
  updated: string;
};

const blankTotals = (): Totals => ({
  invoice: 0,
  creditNote: 0,
  cash: 0,
  baseInvoice: 0,
  baseCreditNote: 0,
  baseCash: 0,
  updated: '',
});

/** Adds a transaction to a total: invoices and credit notes by goods value, cash by gross, each unsigned. */
function add(totals: Totals, t: SageRecord): void {
  const type = t.trader_transaction_type;
  const goods = Math.abs(pence(t.document_goods_value));
  const baseGoods = Math.abs(pence(t.base_goods_value));
  if (type === TRANSACTION_TYPES.invoice) {
    totals.invoice += goods;
    totals.baseInvoice += baseGoods;
  } else if (type === TRANSACTION_TYPES.creditNote) {
    totals.creditNote += goods;
    totals.baseCreditNote += baseGoods;
  } else if (type === TRANSACTION_TYPES.payment) {
    totals.cash += Math.abs(pence(t.document_gross_value));
    totals.baseCash += Math.abs(pence(t.base_gross_value));
  } else return;
  const stamp = text(t.date_time_updated);
  if (stamp > totals.updated) totals.updated = stamp;
}

interface Period {
  readonly id: number;
  readonly index: number;
  readonly row: SageRecord;
  readonly start: number;
  readonly end: number;
}

const dayOfField = (value: JsonValue | undefined): number =>
  typeof value === 'string' ? dayOf(value.slice(0, 10)) : Number.NaN;

function periodsOf(sources: ViewSources): Period[] {
  return sources
    .all('financial_year_period_views')
    .map((row, index) => ({
      id: Number(row.accounting_period_id),
      index,
      row,
      start: dayOfField(row.period_start_date),
      end: dayOfField(row.period_end_date),
    }))
    .sort((a, b) => a.start - b.start);
}

/** Totals per key (a period's or a year's id) of one account's posted transactions. */
function totalsBy(
  transactions: readonly SageRecord[],
  keyOf: (day: number) => number | undefined,
): Map<number, Totals> {
  const byKey = new Map<number, Totals>();
  for (const t of transactions) {
    const key = keyOf(dayOfField(t.transaction_date));
    if (key === undefined) continue;
    let totals = byKey.get(key);
    if (!totals) {
      totals = blankTotals();
      byKey.set(key, totals);
    }
    add(totals, t);
  }
  return byKey;
}

/** The period holding a day, by binary search over the sorted periods. */
function periodFinder(periods: readonly Period[]): (day: number) => Period | undefined {
  return (day) => {
    let low = 0;
    let high = periods.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const period = periods[mid]!;
      if (day < period.start) high = mid - 1;
      else if (day > period.end) low = mid + 1;
      else return period;
    }
    return undefined;
  };
}

function accountFields(ledger: TraderLedger, account: SageRecord): SageRecord {
  const prefix = ledger.noun;
  const fields: SageRecord = {
    [ledger.accountKey]: account.id ?? null,
    [`${prefix}_reference`]: text(account.reference),
    [`${prefix}_name`]: text(account.name),
  };
  for (let n = 1; n <= 5; n++) fields[`${prefix}_analysis_code_${n}`] = text(account[`analysis_code_${n}`]);
  return fields;
}

function valueFields(scope: 'period' | 'year', totals: Totals): SageRecord {
  return {
    [`${scope}_value_total_invoice_value_to_date`]: pounds(totals.invoice),
    [`${scope}_value_total_credit_note_value_to_date`]: pounds(totals.creditNote),
    [`${scope}_value_total_cash_value_to_date`]: pounds(totals.cash),
    // The posted transactions carry no cost of sales, so no profit can be derived from them.
    [`${scope}_value_total_profit_value_to_date`]: 0,
    [`${scope}_value_total_invoice_value_to_date_in_base`]: pounds(totals.baseInvoice),
    [`${scope}_value_total_cred_note_value_to_date_in_base`]: pounds(totals.baseCreditNote),
    [`${scope}_value_total_cash_value_to_date_in_base`]: pounds(totals.baseCash),
    [`${scope}_value_total_profit_value_to_date_in_base`]: 0,
    [`${scope}_value_exchange_rate_gain_or_loss`]: 0,
    [`${scope}_value_total_finance_charges_applied`]: 0,
  };
}

/** When a row last changed: its latest transaction's update, or the account's creation. */
const updatedOf = (totals: Totals, account: SageRecord): JsonValue =>
  totals.updated !== '' ? totals.updated : (account.date_time_created ?? null);

/**
 * Each account's rows, made again only for an account whose record, transactions or calendar changed since the
 * last time (a posting touches one account's rows, not every account's).
 */
function perAccount(
  ledger: TraderLedger,
  sources: ViewSources,
  memo: RowMemo<SageRecord[]>,
  make: (account: SageRecord, transactions: readonly SageRecord[]) => SageRecord[],
): SageRecord[] {
  const calendar = sources.all('financial_year_period_views');
  const rows: SageRecord[] = [];
  for (const account of sources.all(ledger.accounts)) {
    const transactions = sources.lookup(ledger.transactions, ledger.accountKey, Number(account.id));
    for (const row of memo.row(account, [...calendar, ...transactions], () => make(account, transactions))) {
      rows.push(row);
    }
  }
  return rows;
}

function periodValueView(ledger: TraderLedger): DerivedView {
  const memo = new RowMemo<SageRecord[]>();
  return {
    aged: false,
    build(sources) {
      const periods = periodsOf(sources);
      const find = periodFinder(periods);
      const open = periods.filter((p) => Number(p.row.year_relative_to_current_year) <= 0);
      return perAccount(ledger, sources, memo, (account, transactions) => {
        const accountId = Number(account.id);
        const totals = totalsBy(transactions, (day) => find(day)?.id);
        const common = accountFields(ledger, account);
        return open.map((period) => {
          const values = totals.get(period.id) ?? blankTotals();
          const year = String(period.row.financial_year_start_date ?? '').slice(0, 4);
          return {
            ...common,
            [`${ledger.noun}_period_value_id`]: accountId * 1000 + period.index,
            ...valueFields('period', values),
            [`${ledger.noun}_analysis_period_id`]: period.id,
            analysis_period_reference: `${year}/${String(period.row.period_number).padStart(2, '0')}`,
            analysis_period_start_date: period.row.period_start_date ?? null,
            analysis_period_end_date: period.row.period_end_date ?? null,
            period_value_date_time_updated: updatedOf(values, account),
          };
        });
      });
    },
  };
}

function yearValueView(ledger: TraderLedger): DerivedView {
  const memo = new RowMemo<SageRecord[]>();
  return {
    aged: false,
    build(sources) {
      const periods = periodsOf(sources);
      const find = periodFinder(periods);
      const years = new Map<number, SageRecord>();
      for (const { row } of periods) years.set(Number(row.financial_year_id), row);
      return perAccount(ledger, sources, memo, (account, transactions) => {
        const accountId = Number(account.id);
        const totals = totalsBy(transactions, (day) => {
          const year = find(day)?.row.financial_year_id;
          return typeof year === 'number' ? year : undefined;
        });
        const common = accountFields(ledger, account);
        return [...years].map(([yearId, year], index) => {
          const values = totals.get(yearId) ?? blankTotals();
          return {
            ...common,
            [`${ledger.noun}_year_value_id`]: accountId * 100 + index,
            ...valueFields('year', values),
            financial_year_id: yearId,
            financial_year_start_date: year.financial_year_start_date ?? null,
            financial_year_end_date: year.financial_year_end_date ?? null,
            year_relative_to_current_year: Number(year.year_relative_to_current_year),
            number_of_periods_in_year: Number(year.number_of_periods_in_year),
            year_value_date_time_updated: updatedOf(values, account),
          };
        });
      });
    },
  };
}

export const periodValueViews: Readonly<Record<string, DerivedView>> = {
  customer_period_value_views: periodValueView(SALES),
  customer_year_value_views: yearValueView(SALES),
  supplier_period_value_views: periodValueView(PURCHASES),
  supplier_year_value_views: yearValueView(PURCHASES),
};
