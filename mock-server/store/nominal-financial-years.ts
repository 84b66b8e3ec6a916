/**
 * A nominal code's `financial_years` as served: the stored records (the budgets a user keys) with the balances read
 * from the ledger, never stored. A period's `period_balance` is its `nominal_period_value_views` actual; a closed
 * year's `closing_balance` is the balance the year ended with: for a profit and loss account the year's movement,
 * for a balance sheet account everything posted to it up to the year's end, and for the retained profit account
 * (`/control_nominal_codes`) that plus every profit and loss movement up to then, as Sage's year end moves it there.
 * So the last closed year's closing balance is the current year's `brought_forward_balance`. Projected again only
 * when one of the tables it reads has changed.
 */
import type { JsonValue, SageRecord } from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';
import type { TableLayout } from './layout.ts';

type Tables = (collection: string) => CollectionTable;

const READS = [
  'nominal_period_value_views',
  'financial_year_period_views',
  'nominal_codes',
  'nominal_report_categories',
  'control_nominal_codes',
] as const;

const pence = (value: JsonValue | undefined): number => Math.round(Number(value ?? 0) * 100);
const money = (amount: number): number => amount / 100 + 0;

export class NominalFinancialYears {
  #version = -1;
  #table: CollectionTable | undefined;

  constructor(
    private readonly stored: CollectionTable,
    private readonly layout: TableLayout,
    private readonly tables: Tables,
  ) {}

  table(): CollectionTable {
    // Versions only grow, so their sum changes whenever one of them does.
    const version = READS.reduce((sum, name) => sum + this.tables(name).version, this.stored.version);
    if (this.#table && version === this.#version) return this.#table;
    const { key, indexes, rangeIndexes } = this.layout;
    // Starting at the sum, a view that joins these records sees a change whenever they are projected again.
    this.#table = new CollectionTable(this.#project(), indexes, key, rangeIndexes, version);
    this.#version = version;
    return this.#table;
  }

  #project(): SageRecord[] {
    const yearOf = new Map<JsonValue, number>();
    for (const period of this.tables('financial_year_period_views').all())
      yearOf.set(period.accounting_period_id ?? null, Number(period.year_relative_to_current_year));
    // Movement per code and period, and per code and year (by year relative to the current one), pence.
    const byPeriod = new Map<string, number>();
    const byYear = new Map<JsonValue, Map<number, number>>();
    for (const row of this.tables('nominal_period_value_views').all()) {
      const amount = pence(row.nominal_period_value_actual_value);
      const code = row.nominal_code_id ?? null;
      byPeriod.set(`${String(code)}/${String(row.accounting_period_id)}`, amount);
      const year = yearOf.get(row.accounting_period_id ?? null);
      if (year === undefined) continue;
      const years = byYear.get(code) ?? new Map<number, number>();
      years.set(year, (years.get(year) ?? 0) + amount);
      byYear.set(code, years);
    }
    const through = (code: JsonValue, year: number, inYear = false): number => {
      let total = 0;
      for (const [y, amount] of byYear.get(code) ?? []) if (inYear ? y === year : y <= year) total += amount;
      return total;
    };
    const codes = this.tables('nominal_codes');
    const categories = this.tables('nominal_report_categories');
    const profitAndLoss = codes.all().filter((code) => {
      const category = categories.get(Number(code.report_category_id));
      return category?.account_report_type === 'ProfitLoss';
    });
    const profitAndLossIds = new Set(profitAndLoss.map((code) => code.id ?? null));
    const retained = this.#retainedProfitAccount();

    return this.stored.all().map((record) => {
      const code = record.nominal_code_id ?? null;
      const year = Number(record.year_relative_to_current_year);
      let closing = 0;
      if (year < 0) {
        if (profitAndLossIds.has(code)) closing = through(code, year, true);
        else {
          closing = through(code, year);
          if (code === retained)
            for (const other of profitAndLoss) closing += through(other.id ?? null, year);
        }
      }
      const periods = Array.isArray(record.period_balances) ? (record.period_balances as SageRecord[]) : [];
      return {
        ...record,
        adjustment_after_year_end_close: 0,
        closing_balance: money(closing),
        period_balances: periods.map((period) => ({
          ...period,
          period_balance: money(byPeriod.get(`${String(code)}/${String(period.accounting_period_id)}`) ?? 0),
          adjustment_after_year_end_close: 0,
          consolidated_amount: 0,
          is_future_period: year > 0,
        })),
      };
    });
  }

  /** The id of the nominal code `/control_nominal_codes` names for retained profit, on no cost centre or department. */
  #retainedProfitAccount(): JsonValue {
    const control = this.tables('control_nominal_codes')
      .all()
      .find((c) => c.control_nominal_code_type === 'RetainedProfit');
    const account = String(control?.account_number ?? '');
    const [code] = (this.tables('nominal_codes').lookup('reference', account) ?? []).filter(
      (c) => c.cost_centre_code === '' && c.department_code === '',
    );
    return code?.id ?? null;
  }
}
