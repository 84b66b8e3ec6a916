/** The financial statement layouts place every report category once, in the statement its report type names. */
import { describe, expect, it } from 'vitest';
import { callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('/financial_report_layout_views', () => {
  it('has a profit and loss and a balance sheet layout, each category once on its own statement', async () => {
    const caller = await callerFor(sharedWorldSandbox(), USERS.full);
    const rows = await caller.json<Row[]>('/financial_report_layout_views?$top=5000');
    const categories = await caller.json<Row[]>('/nominal_report_categories?$top=5000');
    const placed = rows.filter((r) => r.financial_report_row_line_type === 'Category');
    expect(placed.map((r) => r.nominal_account_report_category_id).sort()).toEqual(
      categories.map((c) => c.id).sort(),
    );
    for (const row of placed) {
      const category = categories.find((c) => c.id === row.nominal_account_report_category_id);
      expect(row.financial_report_layout_account_report_type).toBe(category?.account_report_type);
    }
    const layouts = new Set(rows.map((r) => r.financial_report_layout_name));
    expect([...layouts]).toEqual(['Profit and Loss', 'Balance Sheet']);
  });
});
