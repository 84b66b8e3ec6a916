/**
 * Balance sheet and profit and loss per month, built from Sage 200's nominal period values (each row is one
 * account's net movement in one accounting period) and the report categories, in Codat's report shapes
 * (Codat's BalanceSheet and ProfitAndLoss models: https://github.com/codatio/client-sdk-python).
 *
 * A balance sheet at a month end is the cumulative movement of every account from the first period Sage returns:
 * Asset categories are assets (debit positive), Liability categories liabilities (credit positive), capital and
 * reserves equity, and all profit and loss to date is equity too (Retained Earnings for earlier financial years,
 * Current Year Earnings for this one). This assumes the period values start at the company's first period, as
 * they do in the sandbox (its opening balances are a journal in January 2025); for books with opening balances
 * before the earliest period returned, the reports would be off by those balances.
 */
import type { ListItem, Schemas } from '../contract-types.ts';
import { accountTypeOf } from './accounts.ts';
import type {
  BalanceSheet,
  BalanceSheetReport,
  ProfitAndLoss,
  ProfitAndLossReport,
  ReportLine,
} from './codat-types.ts';
import { pounds } from './money.ts';

type PeriodValue = ListItem<'/nominal_period_value_views'>;
type Category = Schemas['NominalReportCategory'];

interface Period {
  id: number;
  start: string;
  end: string;
  financialYearStart: string;
  rows: PeriodValue[];
}

interface AccountInfo {
  id: string;
  name: string;
  category: Category | undefined;
}

export interface ReportOptions {
  /** Months that start after this instant are left out. */
  asOf: Date;
  /** At most this many months, the most recent (Codat pulls up to 24 by default). */
  months: number;
  currency: string;
}

export interface Reports {
  balanceSheet: BalanceSheet;
  profitAndLoss: ProfitAndLoss;
}

type Section =
  | 'assets'
  | 'liabilities'
  | 'equity'
  | 'income'
  | 'otherIncome'
  | 'costOfSales'
  | 'expenses'
  | 'otherExpenses';

/**
 * Where an account goes. Sage categories carry a type (Asset, Liability, Income, Expense) but no finer P&L role,
 * so the P&L split is by category description: "other" income is otherIncome, direct costs and cost of sales are
 * costOfSales, every other expense is expenses (otherExpenses stays empty).
 */
function sectionOf(category: Category | undefined): { section: Section; sign: 1 | -1 } {
  const type = accountTypeOf(category);
  const description = category?.description ?? '';
  switch (type) {
    case 'Asset':
      return { section: 'assets', sign: 1 };
    case 'Liability':
      return { section: 'liabilities', sign: -1 };
    case 'Equity':
      return { section: 'equity', sign: -1 };
    case 'Income':
      return { section: /other/i.test(description) ? 'otherIncome' : 'income', sign: -1 };
    case 'Expense':
      return {
        section: /direct cost|cost of sales/i.test(description) ? 'costOfSales' : 'expenses',
        sign: 1,
      };
    case 'Unknown':
      return category?.account_report_type === 'BalanceSheet'
        ? { section: 'liabilities', sign: -1 }
        : { section: 'expenses', sign: 1 };
    default: {
      const unexpected: never = type;
      throw new Error(`unexpected account type ${String(unexpected)}`);
    }
  }
}

const PROFIT_AND_LOSS_SECTIONS: ReadonlySet<Section> = new Set([
  'income',
  'otherIncome',
  'costOfSales',
  'expenses',
  'otherExpenses',
]);

/** Groups the period values into accounting periods in date order. */
function periodsOf(rows: readonly PeriodValue[]): Period[] {
  const periods = new Map<number, Period>();
  for (const row of rows) {
    const id = row.accounting_period_id;
    if (id === null || id === undefined) continue;
    let period = periods.get(id);
    if (!period) {
      period = {
        id,
        start: row.accounting_period_start_date ?? '',
        end: row.accounting_period_end_date ?? '',
        financialYearStart: row.financial_year_start_date ?? '',
        rows: [],
      };
      periods.set(id, period);
    }
    period.rows.push(row);
  }
  return [...periods.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function line(name: string, accountId: string | null, pennies: number, items: ReportLine[] = []): ReportLine {
  return { accountId, name, value: pounds(pennies), items };
}

/** Category lines, each with its accounts, for one section; values in pence by account id. */
function sectionLine(
  name: string,
  section: Section,
  accounts: ReadonlyMap<string, AccountInfo>,
  values: ReadonlyMap<string, number>,
  extra: ReportLine[] = [],
): ReportLine {
  const byCategory = new Map<string, { total: number; items: ReportLine[] }>();
  for (const [id, account] of accounts) {
    const { section: accountSection, sign } = sectionOf(account.category);
    if (accountSection !== section) continue;
    const value = sign * (values.get(id) ?? 0);
    const categoryName = account.category?.description ?? 'Uncategorised';
    const group = byCategory.get(categoryName) ?? { total: 0, items: [] };
    group.total += value;
    group.items.push(line(account.name, id, value));
    byCategory.set(categoryName, group);
  }
  const items = [...byCategory].map(([categoryName, group]) =>
    line(categoryName, null, group.total, group.items),
  );
  items.push(...extra);
  const total = items.reduce((sum, item) => sum + Math.round(item.value * 100), 0);
  return line(name, null, total, items);
}

/** The balance sheet and profit and loss reports, one per month, most recent first. */
export function buildReports(
  rows: readonly PeriodValue[],
  categories: ReadonlyMap<number, Category>,
  options: ReportOptions,
): Reports {
  const accounts = new Map<string, AccountInfo>();
  for (const row of rows) {
    const id = String(row.nominal_code_id);
    if (accounts.has(id)) continue;
    const analysis = [row.nominal_code_cost_centre, row.nominal_code_department].filter(Boolean).join('/');
    const name = `${row.nominal_code_reference ?? ''} ${row.nominal_code_name ?? ''}`.trim();
    const categoryId = row.nominal_code_report_category_id;
    accounts.set(id, {
      id,
      name: analysis ? `${name} (${analysis})` : name,
      category: categoryId === null || categoryId === undefined ? undefined : categories.get(categoryId),
    });
  }
  const asOf = options.asOf.toISOString().slice(0, 19);
  const periods = periodsOf(rows).filter((p) => p.start <= asOf);
  const cumulative = new Map<string, number>();
  let retained = 0;
  let currentYear = 0;
  let year = '';
  const balanceSheets: BalanceSheetReport[] = [];
  const profitAndLoss: ProfitAndLossReport[] = [];
  for (const period of periods) {
    if (period.financialYearStart !== year) {
      retained += currentYear;
      currentYear = 0;
      year = period.financialYearStart;
    }
    const movements = new Map<string, number>();
    for (const row of period.rows) {
      const id = String(row.nominal_code_id);
      const movement = Math.round((row.nominal_period_value_actual_value ?? 0) * 100);
      movements.set(id, (movements.get(id) ?? 0) + movement);
      cumulative.set(id, (cumulative.get(id) ?? 0) + movement);
      if (PROFIT_AND_LOSS_SECTIONS.has(sectionOf(accounts.get(id)?.category).section))
        currentYear -= movement;
    }
    const assets = sectionLine('Assets', 'assets', accounts, cumulative);
    const liabilities = sectionLine('Liabilities', 'liabilities', accounts, cumulative);
    const equity = sectionLine('Equity', 'equity', accounts, cumulative, [
      line('Retained Earnings', null, retained),
      line('Current Year Earnings', null, currentYear),
    ]);
    balanceSheets.push({
      date: period.end,
      assets,
      liabilities,
      equity,
      netAssets: pounds(Math.round(assets.value * 100) - Math.round(liabilities.value * 100)),
    });
    profitAndLoss.push(profitAndLossReport(period, accounts, movements));
  }
  const kept = Math.max(0, options.months);
  const earliest = periods[0]?.start ?? null;
  const latest = periods.at(-1)?.start ?? null;
  return {
    balanceSheet: {
      currency: options.currency,
      earliestAvailableMonth: earliest,
      mostRecentAvailableMonth: latest,
      reports: balanceSheets.reverse().slice(0, kept),
    },
    profitAndLoss: {
      currency: options.currency,
      reportBasis: 'Accrual',
      earliestAvailableMonth: earliest,
      mostRecentAvailableMonth: latest,
      reports: profitAndLoss.reverse().slice(0, kept),
    },
  };
}

function profitAndLossReport(
  period: Period,
  accounts: ReadonlyMap<string, AccountInfo>,
  movements: ReadonlyMap<string, number>,
): ProfitAndLossReport {
  const income = sectionLine('Income', 'income', accounts, movements);
  const costOfSales = sectionLine('Cost of Sales', 'costOfSales', accounts, movements);
  const expenses = sectionLine('Expenses', 'expenses', accounts, movements);
  const otherIncome = sectionLine('Other Income', 'otherIncome', accounts, movements);
  const otherExpenses = sectionLine('Other Expenses', 'otherExpenses', accounts, movements);
  const p = (reportLine: ReportLine) => Math.round(reportLine.value * 100);
  const grossProfit = p(income) - p(costOfSales);
  const netOperatingProfit = grossProfit - p(expenses);
  const netOtherIncome = p(otherIncome) - p(otherExpenses);
  return {
    fromDate: period.start,
    toDate: period.end,
    income,
    costOfSales,
    grossProfit: pounds(grossProfit),
    expenses,
    netOperatingProfit: pounds(netOperatingProfit),
    otherIncome,
    otherExpenses,
    netOtherIncome: pounds(netOtherIncome),
    netProfit: pounds(netOperatingProfit + netOtherIncome),
  };
}
