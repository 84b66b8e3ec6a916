/**
 * Sage's year end, run when the sandbox clock passes the end of a company's current financial year
 * (mock-server/seed/README.md, "Calendar"). The current year closes and the next one becomes current: every
 * `year_relative_to_current_year` drops by one (the accounting periods, their nominal period values and the nominal
 * codes' financial years); a new last year with its twelve periods is added, so five future years remain; profit and
 * loss closes to retained profit (the `/control_nominal_codes` RetainedProfit account): each profit and loss account
 * starts the new year at zero, each balance sheet account brings its balance forward, and the retained profit
 * account brings forward its own balance plus the year's profit. Like Sage, the year end posts no nominal entries,
 * so the trial balance of every period is unchanged and the brought-forward balances still sum to what was posted.
 */

import { nominalBalanceFields, periodValueRow } from '../seed/derive.ts';
import type { Change, CompanyStore, Store } from '../store/index.ts';
import { businessDate, dayOf, instant, ymd } from '../world/calendar.ts';
import { blankItem, blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';

const DAY_MS = 86_400_000;

const penceOf = (value: JsonValue | undefined): number => Math.round(Number(value ?? 0) * 100);
const dayOfDate = (value: JsonValue | undefined): number => dayOf(String(value ?? '').slice(0, 10));
const relativeOf = (record: SageRecord): number => Number(record.year_relative_to_current_year);

/** The same day one year on (29 February becomes 1 March). */
function yearOn(day: number): number {
  const date = ymd(day);
  return (
    Date.UTC(Number(date.slice(0, 4)) + 1, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS
  );
}

/** The last day of the company's current financial year, or undefined when it has none. */
export function currentYearEnd(company: CompanyStore): number | undefined {
  let end: number | undefined;
  for (const period of company.table('financial_year_period_views').all()) {
    if (relativeOf(period) !== 0) continue;
    const day = dayOfDate(period.financial_year_end_date);
    end = end === undefined ? day : Math.max(end, day);
  }
  return end;
}

/** The nominal code `/control_nominal_codes` names for retained profit, on no cost centre or department. */
function retainedProfitAccount(company: CompanyStore): SageRecord {
  const control = company
    .table('control_nominal_codes')
    .all()
    .find((c) => c.control_nominal_code_type === 'RetainedProfit');
  const reference = String(control?.account_number ?? '');
  const [code] = (company.table('nominal_codes').lookup('reference', reference) ?? []).filter(
    (c) => c.cost_centre_code === '' && c.department_code === '',
  );
  if (!code) throw new Error(`company ${company.companyId} has no retained profit account`);
  return code;
}

/** The change list of one company's year end, stamped `stamp`; new ids come from `nextId`. */
export function yearEndChanges(company: CompanyStore, stamp: string, nextId: () => number): Change[] {
  const changes: Change[] = [];
  const put = (table: Parameters<CompanyStore['table']>[0], record: SageRecord) =>
    changes.push({ kind: 'put', table, record });

  // Accounting periods: every year one nearer the past, and a new last year of the same shape as the old last one.
  const periods = company.table('financial_year_period_views').all();
  const lastRelative = Math.max(...periods.map(relativeOf));
  const lastYear = periods
    .filter((p) => relativeOf(p) === lastRelative)
    .sort((a, b) => dayOfDate(a.period_start_date) - dayOfDate(b.period_start_date));
  const first = lastYear[0];
  if (!first) throw new Error(`company ${company.companyId} has no financial years`);
  const shifted = new Map<number, SageRecord>();
  for (const period of periods) {
    const record = {
      ...period,
      year_relative_to_current_year: relativeOf(period) - 1,
      date_time_updated: stamp,
    };
    shifted.set(Number(period.accounting_period_id), record);
    put('financial_year_period_views', record);
  }
  const yearId = nextId();
  const yearStart = yearOn(dayOfDate(first.financial_year_start_date));
  const yearEnd = yearOn(yearOn(dayOfDate(first.financial_year_start_date))) - 1;
  const starts = lastYear.map((p) => yearOn(dayOfDate(p.period_start_date)));
  const newPeriods = lastYear.map((period, i) => {
    const r = blankRecord('financial_year_period_views', stamp);
    r.financial_year_id = yearId;
    r.financial_year_start_date = businessDate(yearStart);
    r.financial_year_end_date = businessDate(yearEnd);
    r.year_relative_to_current_year = lastRelative;
    r.number_of_periods_in_year = lastYear.length;
    r.accounting_period_id = nextId();
    r.period_number = period.period_number ?? i + 1;
    r.period_start_date = businessDate(starts[i]!);
    r.period_end_date = businessDate(i + 1 < starts.length ? starts[i + 1]! - 1 : yearEnd);
    put('financial_year_period_views', r);
    return r;
  });

  // Nominal period values: each row follows its period, and every code gets a row (zero when idle) in each period
  // of the new current year, as the seed gives the current year (mock-server/seed/derive.ts).
  const codes = company.table('nominal_codes').all();
  const closing = new Map<JsonValue, number>();
  const opening = new Map<JsonValue, number>();
  const present = new Set<string>();
  for (const row of company.table('nominal_period_value_views').all()) {
    const relative = relativeOf(row);
    const code = row.nominal_code_id ?? null;
    const amount = penceOf(row.nominal_period_value_actual_value);
    if (relative === 0) closing.set(code, (closing.get(code) ?? 0) + amount);
    if (relative === 1) opening.set(code, (opening.get(code) ?? 0) + amount);
    if (relative === 1) present.add(`${String(code)}/${String(row.accounting_period_id)}`);
    put('nominal_period_value_views', { ...row, year_relative_to_current_year: relative - 1 });
  }
  const newCurrent = [...shifted.values()]
    .filter((p) => relativeOf(p) === 0)
    .sort((a, b) => dayOfDate(a.period_start_date) - dayOfDate(b.period_start_date));
  for (const code of codes) {
    for (const period of newCurrent) {
      if (present.has(`${String(code.id)}/${String(period.accounting_period_id)}`)) continue;
      put('nominal_period_value_views', periodValueRow(code, period, nextId(), stamp, 0));
    }
  }

  // Balances: profit and loss to zero, its total to retained profit, the balance sheet brought forward.
  const profitAndLoss = new Set(
    company
      .table('nominal_report_categories')
      .all()
      .filter((c) => c.account_report_type === 'ProfitLoss')
      .map((c) => c.id ?? null),
  );
  const retained = retainedProfitAccount(company);
  const closingBalance = (code: SageRecord) =>
    penceOf(code.brought_forward_balance) + (closing.get(code.id ?? null) ?? 0);
  let profit = 0;
  for (const code of codes)
    if (profitAndLoss.has(code.report_category_id ?? null)) profit += closingBalance(code);
  for (const code of codes) {
    const isProfitAndLoss = profitAndLoss.has(code.report_category_id ?? null);
    let broughtForward = isProfitAndLoss ? 0 : closingBalance(code);
    if (code.id === retained.id) broughtForward += profit;
    const balance = broughtForward + (opening.get(code.id ?? null) ?? 0);
    put('nominal_codes', {
      ...code,
      ...nominalBalanceFields(broughtForward, balance),
      date_time_updated: stamp,
    });
  }

  // The nominal codes' financial years: each follows its year, and each code gets one for the new last year.
  for (const record of company.company.collections.nominal_code_financial_years ?? []) {
    put('nominal_code_financial_years', { ...record, year_relative_to_current_year: relativeOf(record) - 1 });
  }
  for (const code of codes) {
    const record = blankRecord('nominal_code_financial_years', stamp);
    record.id = nextId();
    record.nominal_code_id = code.id ?? null;
    record.financial_year_id = yearId;
    record.year_relative_to_current_year = lastRelative;
    record.budget_type = 'NominalBudgetTypeNone';
    record.period_balances = newPeriods.map((period) => {
      const item = blankItem('nominal_code_financial_years', 'period_balances', stamp);
      item.id = nextId();
      item.nominal_account_year_value_id = record.id ?? null;
      item.accounting_period_id = period.accounting_period_id ?? null;
      item.period_number = period.period_number ?? 0;
      return item;
    });
    put('nominal_code_financial_years', record);
  }

  // The company's settings name the current year's end.
  const newEnd = newCurrent.at(-1)?.financial_year_end_date ?? null;
  for (const settings of company.table('system_settings').all()) {
    put('system_settings', { ...settings, financial_year_end_date: newEnd, date_time_updated: stamp });
  }
  return changes;
}

/**
 * Watches the sandbox clock for year ends. A year end runs when the clock moves past a company's current year end
 * while the world is served (by `POST /admin/clock/advance` or by wall time), once per year passed; a world loaded
 * when the clock is already past its year (one built at an earlier as-of date) keeps its years, so what a test
 * pinned stays as it was.
 */
export class YearEndWatch {
  #from: number;
  #checked: number;

  constructor(nowMs: number) {
    this.#from = Math.floor(nowMs / DAY_MS);
    this.#checked = this.#from;
  }

  /** Watches from `nowMs` again: a new world (reset, `PUT /admin/state`). */
  restart(nowMs: number): void {
    this.#from = Math.floor(nowMs / DAY_MS);
    this.#checked = this.#from;
  }

  /** Runs every year end the clock has passed since the last look; returns how many ran. Cheap within a day. */
  catchUp(store: Store, nowMs: number): number {
    const today = Math.floor(nowMs / DAY_MS);
    if (today <= this.#checked) return 0;
    this.#checked = today;
    let ran = 0;
    for (const site of store.sites) {
      const siteStore = store.site(site.site_id);
      for (const company of siteStore?.companies.values() ?? []) {
        for (;;) {
          const end = currentYearEnd(company);
          if (end === undefined || end >= today || end < this.#from) break;
          // Stamped at the first moment of the new year, when Sage's year end would have been run.
          const stamp = instant((end + 1) * DAY_MS);
          store.commit(
            company,
            yearEndChanges(company, stamp, () => company.reserveId()),
          );
          ran++;
        }
      }
    }
    return ran;
  }
}
