/**
 * Each nominal code's financial years (`$expand=financial_years` on `/nominal_codes`), as a user keys them: one
 * record per code and financial year, with a budget per accounting period. Profit and loss accounts have a simple
 * budget for the last closed year, the current year and the next, near the previous year's actual and rounded to
 * £100 (one in five revised since first set); balance sheet accounts and later years have none. Each period's budget
 * is also its `nominal_period_value_views` row's `nominal_period_value_budget_value`. The balances the
 * records show are read from the ledger when served (mock-server/store/nominal-financial-years.ts), never seeded.
 */
import { blankItem, blankRecord } from '../world/fields.ts';
import type { CompanyWorld, SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';

const COLLECTION = 'nominal_code_financial_years';
const ROUND_TO = 10_000;

const money = (pence: number): number => pence / 100 + 0;
const roundBudget = (pence: number): number => Math.round(pence / ROUND_TO) * ROUND_TO;

/** Pence of a budget spread evenly over `periods`, the last period taking what rounding leaves. */
function spread(total: number, periods: number): number[] {
  const each = Math.round(total / periods);
  return Array.from({ length: periods }, (_, i) => (i === periods - 1 ? total - each * (periods - 1) : each));
}

interface Year {
  id: number;
  relative: number;
  periods: SageRecord[];
}

/** The company's financial years, earliest first, each with its periods in order. */
function yearsOf(company: CompanyWorld): Year[] {
  const years = new Map<number, Year>();
  for (const period of company.collections.financial_year_period_views) {
    const id = Number(period.financial_year_id);
    const year = years.get(id) ?? { id, relative: Number(period.year_relative_to_current_year), periods: [] };
    year.periods.push(period);
    years.set(id, year);
  }
  for (const year of years.values())
    year.periods.sort((a, b) => Number(a.period_number) - Number(b.period_number));
  return [...years.values()].sort((a, b) => a.relative - b.relative);
}

export function buildNominalBudgets(company: CompanyWorld, rng: Rng, nextId: () => number): SageRecord[] {
  const { nominal_codes, nominal_report_categories, nominal_period_value_views } = company.collections;
  const stamp = String(company.company_details.date_time_created ?? '');
  const profitAndLoss = new Set(
    nominal_report_categories.filter((c) => c.account_report_type === 'ProfitLoss').map((c) => c.id),
  );
  // Each code's actual per financial year, pence.
  const actuals = new Map<string, number>();
  for (const row of nominal_period_value_views) {
    const key = `${String(row.nominal_code_id)}/${String(row.financial_year_id)}`;
    actuals.set(
      key,
      (actuals.get(key) ?? 0) + Math.round(Number(row.nominal_period_value_actual_value) * 100),
    );
  }
  // The period value rows show the same budgets, period by period.
  const periodRows = new Map<string, SageRecord>();
  for (const row of nominal_period_value_views) {
    periodRows.set(`${String(row.nominal_code_id)}/${String(row.accounting_period_id)}`, row);
  }
  const years = yearsOf(company);
  const records: SageRecord[] = [];
  for (const code of nominal_codes) {
    const budgeted = profitAndLoss.has(code.report_category_id ?? null);
    let previous = 0;
    for (const year of years) {
      const actual = actuals.get(`${String(code.id)}/${year.id}`) ?? 0;
      // The last closed year was budgeted near its own outcome; later years near the year before.
      const base = year.relative < 0 ? actual : previous;
      const budget =
        budgeted && year.relative >= -1 && year.relative <= 1
          ? roundBudget(base * (0.95 + rng.next() * 0.15))
          : 0;
      const original =
        budget !== 0 && rng.chance(0.2) ? roundBudget(budget * (0.9 + rng.next() * 0.1)) : budget;
      previous = year.relative < 0 ? actual : budget;
      const record = blankRecord(COLLECTION, stamp);
      record.id = nextId();
      record.nominal_code_id = code.id ?? null;
      record.financial_year_id = year.id;
      record.year_relative_to_current_year = year.relative;
      record.budget_type = budget === 0 ? 'NominalBudgetTypeNone' : 'NominalBudgetTypeSimple';
      record.original_budget_value = money(original);
      record.budget_value = money(budget);
      const budgets = spread(budget, year.periods.length);
      const originals = spread(original, year.periods.length);
      record.period_balances = year.periods.map((period, i) => {
        const item = blankItem(COLLECTION, 'period_balances', stamp);
        item.id = nextId();
        item.nominal_account_year_value_id = record.id ?? null;
        item.accounting_period_id = period.accounting_period_id ?? null;
        item.period_number = period.period_number ?? 0;
        item.original_budget_value = money(originals[i] ?? 0);
        item.budget_value = money(budgets[i] ?? 0);
        const row = periodRows.get(`${String(code.id)}/${String(period.accounting_period_id)}`);
        if (row) row.nominal_period_value_budget_value = item.budget_value;
        return item;
      });
      records.push(record);
    }
  }
  return records;
}
