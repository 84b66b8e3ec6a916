/**
 * The company's two financial statement layouts (`/financial_report_layout_views`): profit and loss and balance
 * sheet, each a heading, one row per report category of that statement (income and liabilities on the credit
 * side) and a total, in the order the chart's categories are kept.
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';

interface LayoutInput {
  nominal_report_categories: readonly SageRecord[];
  nextId: () => number;
}

const LAYOUTS = [
  { type: 'ProfitLoss', name: 'Profit and Loss', total: 'Net Profit/(Loss)' },
  { type: 'BalanceSheet', name: 'Balance Sheet', total: 'Net Assets' },
] as const;

const CREDIT_SIDE = new Set(['NominalReportingCategoryTypeIncome', 'NominalReportingCategoryTypeLiability']);

export function buildReportLayouts(input: LayoutInput): SageRecord[] {
  const rows: SageRecord[] = [];
  for (const layout of LAYOUTS) {
    const layoutId = input.nextId();
    const row = (lineType: string, title: string, category?: SageRecord): void => {
      const r = blankRecord('financial_report_layout_views', '');
      r.financial_report_layout_id = layoutId;
      r.financial_report_layout_account_report_type = layout.type;
      r.financial_report_layout_name = layout.name;
      r.financial_report_row_id = input.nextId();
      r.financial_report_row_line_type = lineType;
      r.financial_report_row_report_row =
        (rows.filter((x) => x.financial_report_layout_id === layoutId).length + 1) * 10;
      r.financial_report_row_title = title;
      const credit = category !== undefined && CREDIT_SIDE.has(String(category.account_report_category_type));
      r.financial_report_row_layout_position_type = credit ? 'Right' : 'Left';
      r.financial_report_row_layout_debit_or_credit_type = credit ? 'Credit' : 'Debit';
      if (category) {
        r.financial_report_row_subtotal_group = 1;
        r.nominal_account_report_category_id = category.id as number;
        r.nominal_account_report_category_code = String(category.code);
        r.nominal_account_report_category_description = String(category.description).slice(0, 60);
      }
      rows.push(r);
    };
    row('Heading', layout.name);
    for (const category of input.nominal_report_categories) {
      if (category.account_report_type === layout.type)
        row('Category', String(category.description), category);
    }
    row('Total', layout.total);
  }
  return rows;
}
