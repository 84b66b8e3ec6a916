/**
 * The aged debtor and creditor views (`/sales_aged_debtor_detailed_views`, `..._summary_views`,
 * `/sales_aged_transaction_period_views` and the purchase pair): each outstanding transaction's value put in the
 * ageing period its date falls in, counted back from today on the sandbox clock. The ageing date is the transaction
 * date or the due date, in periods of 30 days, or the transaction date in calendar months (Sage's aged balances
 * ageing types); the ledger settings' `no_of_reporting_periods` says how many periods are named before "past".
 * The transaction period view can also age as at a past period's end (`$periodnumber`), from what was outstanding
 * then.
 */
import { SageApiError } from '../errors.ts';
import { businessDate, dayOf, ymd } from '../world/calendar.ts';
import type { SageRecord } from '../world/model.ts';
import { baseOutstanding, idOf, PURCHASES, pence, pounds, SALES, type TraderLedger } from './ledgers.ts';
import type { AgeingType, DerivedView, ViewContext, ViewSources } from './model.ts';

/** Sage's views carry eight numbered periods. */
const MAX_PERIODS = 8;
const DAYS_PER_PERIOD = 30;

/** Where a value falls: dated after the ageing day (`future`), the current period, period 1 to 8, or `past`. */
type Bucket = 'future' | 'current' | number | 'past';

interface Ageing {
  readonly periods: number;
  bucket(transaction: SageRecord): Bucket;
  /** The name of period 1..periods (`30 days`, `1 month`); beyond them, blank. */
  name(period: number): string;
  /** The short name of period 1..periods (`30`, `1 mth`), as the transaction period view names it. */
  shortName(period: number): string;
  /** The latest date a bucket holds (today for the current one), for the transaction period view. */
  date(bucket: Bucket): string;
}

const monthIndex = (day: number): number => {
  const date = ymd(day);
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
};
/** The last day of the month `index` (year * 12 + month - 1). */
const monthEnd = (index: number): number =>
  Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0) / 86_400_000;

function ageingOf(type: AgeingType, today: number, periods: number): Ageing {
  const dateField = type === 'DueDate' ? 'due_date' : 'transaction_date';
  const dayOfTransaction = (t: SageRecord): number => {
    const value = t[dateField];
    return typeof value === 'string' ? dayOf(value.slice(0, 10)) : today;
  };
  const place = (age: number): Bucket =>
    age < 0 ? 'future' : age === 0 ? 'current' : age <= periods ? age : 'past';
  if (type === 'CalendarMonth') {
    const thisMonth = monthIndex(today);
    return {
      periods,
      bucket: (t) => place(thisMonth - monthIndex(dayOfTransaction(t))),
      name: (period) => (period > periods ? '' : `${period} month${period === 1 ? '' : 's'}`),
      shortName: (period) => `${period} mth${period === 1 ? '' : 's'}`,
      date: (bucket) =>
        businessDate(
          bucket === 'current'
            ? today
            : bucket === 'future'
              ? monthEnd(thisMonth) + 1
              : monthEnd(thisMonth - (bucket === 'past' ? periods + 1 : bucket)),
        ),
    };
  }
  return {
    periods,
    bucket: (t) => {
      const age = today - dayOfTransaction(t);
      return place(age < 0 ? -1 : Math.floor(age / DAYS_PER_PERIOD));
    },
    name: (period) => (period > periods ? '' : `${period * DAYS_PER_PERIOD} days`),
    shortName: (period) => String(period * DAYS_PER_PERIOD),
    date: (bucket) =>
      businessDate(
        bucket === 'current'
          ? today
          : bucket === 'future'
            ? today + 1
            : today - DAYS_PER_PERIOD * (bucket === 'past' ? periods + 1 : bucket),
      ),
  };
}

function ageingFor(ledger: TraderLedger, sources: ViewSources, context: ViewContext, asAt: number): Ageing {
  const settings = sources.all(ledger === SALES ? 'sales_ledger_settings' : 'purchase_ledger_settings')[0];
  const declared = Math.trunc(Number(settings?.no_of_reporting_periods ?? MAX_PERIODS));
  return ageingOf(context.ageing, asAt, Math.min(MAX_PERIODS, Math.max(1, declared)));
}

const dayOfDate = (value: unknown): number =>
  typeof value === 'string' ? dayOf(value.slice(0, 10)) : Number.NaN;

/**
 * The day `$periodnumber` ages as at: the end of the accounting period that many before the one holding today, or
 * today for the current period. A period the calendar does not hold is a 400.
 */
function asAtDay(sources: ViewSources, context: ViewContext): number {
  const back = context.periodsBack;
  if (back === undefined) return context.today;
  const periods = [...sources.all('financial_year_period_views')].sort(
    (a, b) => dayOfDate(a.period_start_date) - dayOfDate(b.period_start_date),
  );
  const current = periods.findIndex(
    (p) => dayOfDate(p.period_start_date) <= context.today && context.today <= dayOfDate(p.period_end_date),
  );
  const period = current < 0 ? undefined : periods[current - back];
  if (!period) {
    throw new SageApiError(
      400,
      `The query option $periodnumber names no accounting period of the company: ${back} before the current one.`,
    );
  }
  return Math.min(context.today, dayOfDate(period.period_end_date));
}

/**
 * What was outstanding of a transaction at the end of a day, pence, document and base: nothing before it was
 * posted, then its value less the allocations made by then (its allocation history).
 */
function outstandingAt(t: SageRecord, day: number): { doc: number; base: number } {
  if (!(dayOfDate(t.transaction_date) <= day)) return { doc: 0, base: 0 };
  const history = Array.isArray(t.allocation_history_items) ? t.allocation_history_items : [];
  let doc = pence(t.document_gross_value);
  for (const item of history) {
    const entry = item !== null && typeof item === 'object' && !Array.isArray(item) ? item : {};
    if (dayOfDate(entry.entry_date) <= day) doc -= pence(entry.allocation_value);
  }
  const now = pence(t.document_outstanding_value);
  if (doc === now) return { doc, base: baseOutstanding(t) };
  if (doc === pence(t.document_gross_value)) return { doc, base: pence(t.base_gross_value) };
  return { doc, base: Math.round(doc / (Number(t.exchange_rate) || 1)) };
}

/** One aged row's values, pence, by bucket, in the document currency and in base. */
class AgedValues {
  readonly doc = new Map<Bucket, number>();
  readonly base = new Map<Bucket, number>();

  add(bucket: Bucket, doc: number, base: number): void {
    this.doc.set(bucket, (this.doc.get(bucket) ?? 0) + doc);
    this.base.set(bucket, (this.base.get(bucket) ?? 0) + base);
  }

  row(
    ledger: TraderLedger,
    accountId: number | null,
    transactionId: number | null,
    ageing: Ageing,
  ): SageRecord {
    const row: SageRecord = { [ledger.accountKey]: accountId, [ledger.transactionKey]: transactionId };
    for (const side of ['doc', 'base'] as const) {
      const values = this[side];
      const at = (bucket: Bucket): number => pounds(values.get(bucket) ?? 0);
      row[`${side}_past`] = at('past');
      row[`${side}_future`] = at('future');
      row[`${side}_current`] = at('current');
      for (let period = 1; period <= MAX_PERIODS; period++) row[`${side}_period_${period}`] = at(period);
    }
    for (let period = 1; period <= MAX_PERIODS; period++) row[`aged_period_${period}`] = ageing.name(period);
    return row;
  }
}

interface Outstanding {
  transaction: SageRecord;
  bucket: Bucket;
  /** Pence outstanding, in the document currency and in base. */
  doc: number;
  base: number;
}

/** The ledger's transactions outstanding now (or at the end of `asAt`) with their bucket, in storage order. */
function outstanding(
  ledger: TraderLedger,
  sources: ViewSources,
  ageing: Ageing,
  asAt?: number,
): Outstanding[] {
  const rows: Outstanding[] = [];
  for (const transaction of sources.all(ledger.transactions)) {
    const { doc, base } =
      asAt === undefined
        ? { doc: pence(transaction.document_outstanding_value), base: baseOutstanding(transaction) }
        : outstandingAt(transaction, asAt);
    if (doc !== 0 || base !== 0) rows.push({ transaction, bucket: ageing.bucket(transaction), doc, base });
  }
  return rows;
}

function detailedView(ledger: TraderLedger): DerivedView {
  return {
    aged: true,
    build(sources, context) {
      const ageing = ageingFor(ledger, sources, context, context.today);
      return outstanding(ledger, sources, ageing).map(({ transaction, bucket, doc, base }) => {
        const values = new AgedValues();
        values.add(bucket, doc, base);
        return values.row(ledger, idOf(transaction[ledger.accountKey]), idOf(transaction.id), ageing);
      });
    },
  };
}

/** Per account, its outstanding transactions' values summed bucket by bucket. */
function byAccount(
  ledger: TraderLedger,
  sources: ViewSources,
  ageing: Ageing,
  asAt?: number,
): Map<number, AgedValues> {
  const accounts = new Map<number, AgedValues>();
  for (const { transaction, bucket, doc, base } of outstanding(ledger, sources, ageing, asAt)) {
    const id = Number(transaction[ledger.accountKey]);
    let values = accounts.get(id);
    if (!values) {
      values = new AgedValues();
      accounts.set(id, values);
    }
    values.add(bucket, doc, base);
  }
  return new Map([...accounts].sort(([a], [b]) => a - b));
}

function summaryView(ledger: TraderLedger): DerivedView {
  return {
    aged: true,
    build(sources, context) {
      const ageing = ageingFor(ledger, sources, context, context.today);
      return [...byAccount(ledger, sources, ageing)].map(([id, values]) =>
        values.row(ledger, id, null, ageing),
      );
    },
  };
}

/** The period's name in at most seven characters, as Sage's schema allows (`Current`, `30`, `Older`). */
function bucketName(bucket: Bucket, ageing: Ageing): string {
  if (bucket === 'current') return 'Current';
  if (bucket === 'future') return 'Future';
  if (bucket === 'past') return 'Older';
  return ageing.shortName(bucket);
}

const transactionPeriodView: DerivedView = {
  aged: true,
  build(sources, context) {
    const asAt = asAtDay(sources, context);
    const ageing = ageingFor(SALES, sources, context, asAt);
    const rows: SageRecord[] = [];
    const retrospective = context.periodsBack === undefined ? undefined : asAt;
    for (const [id, values] of byAccount(SALES, sources, ageing, retrospective)) {
      for (const [bucket, base] of values.base) {
        if (base === 0) continue;
        rows.push({
          customer_id: id,
          base_outstanding_value: pounds(base),
          ageing_period_name: bucketName(bucket, ageing),
          ageing_date: ageing.date(bucket),
        });
      }
    }
    return rows;
  },
};

export const agedViews: Readonly<Record<string, DerivedView>> = {
  sales_aged_debtor_detailed_views: detailedView(SALES),
  sales_aged_debtor_summary_views: summaryView(SALES),
  sales_aged_transaction_period_views: transactionPeriodView,
  purchase_aged_creditor_detailed_views: detailedView(PURCHASES),
  purchase_aged_creditor_summary_views: summaryView(PURCHASES),
};
