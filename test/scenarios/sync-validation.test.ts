/**
 * The sync's pure parts: the validation rules (balance sheet to the penny; document lines against the header,
 * error from a penny, warning below), Sage 200's summary-line quirk, the account-type mapping with capital and
 * reserves as Equity, the reports built from period values, and the retry arithmetic.
 */
import { describe, expect, it } from 'vitest';
import type { ListItem, Schemas } from '../../client/contract-types.ts';
import { nextDelayMs, parseRetryAfter, resolveRetryPolicy } from '../../client/retry.ts';
import { accountTypeOf } from '../../client/sync/accounts.ts';
import type { BalanceSheetReport, Invoice, LineItem } from '../../client/sync/codat-types.ts';
import { summaryLines } from '../../client/sync/documents.ts';
import { buildReports } from '../../client/sync/reports.ts';
import {
  emptyValidation,
  RULES,
  validateBalanceSheetReport,
  validateDocumentLines,
} from '../../client/sync/validate.ts';

function line(totalAmount: number, subTotal = 0, taxAmount = totalAmount - subTotal): LineItem {
  return {
    description: 'x',
    unitAmount: 0,
    quantity: 0,
    discountAmount: null,
    discountPercentage: null,
    subTotal,
    taxAmount,
    totalAmount,
    taxRateRef: undefined,
    tracking: { categoryRefs: [], isBilledTo: 'Unknown', isRebilledTo: 'Unknown' },
  };
}

function invoice(lines: LineItem[], totalAmount: number, subTotal: number): Invoice {
  return {
    id: '93454',
    invoiceNumber: '0000000126',
    customerRef: { id: 'A1D001', companyName: 'A1 Design Services' },
    issueDate: null,
    dueDate: null,
    paidOnDate: null,
    currency: 'GBP',
    currencyRate: 1,
    lineItems: lines,
    subTotal,
    totalTaxAmount: totalAmount - subTotal,
    totalAmount,
    totalDiscount: null,
    discountPercentage: null,
    amountDue: totalAmount,
    status: 'Submitted',
    note: '',
    sourceModifiedDate: undefined,
    metadata: { isDeleted: false },
  };
}

describe('document lines against the header', () => {
  it.each([
    ['lines that add up exactly', [line(139.88, 139.88), line(27.98)], 167.86, 0, 0],
    // Codat's Sage 200 example: an unrounded tax line, 27.97536 against a header rounded to 27.98.
    [
      'a sub-penny gap (27.97536 against 27.98) as a warning',
      [line(139.88, 139.88), line(27.97536)],
      167.86,
      0,
      1,
    ],
    // Codat's published bill rule: lines 69.99 against 70.00 is an error.
    ['a one-penny gap (69.99 against 70.00) as an error', [line(58.33, 58.33), line(11.66)], 70, 1, 0],
    ['a gap of pounds as an error', [line(100, 100), line(20)], 150, 1, 0],
  ])('reports %s', (_name, lines, total, errors, warnings) => {
    const result = emptyValidation();
    validateDocumentLines('invoices', invoice(lines, total, 139.88), result);
    const totalRule = (items: typeof result.errors) =>
      items.filter((item) => item.ruleId === 'sync.invoices.linesSumToTotalAmount');
    expect(totalRule(result.errors)).toHaveLength(errors);
    expect(totalRule(result.warnings)).toHaveLength(warnings);
    for (const item of [...result.errors, ...result.warnings]) {
      expect(item).toMatchObject({ itemId: '93454', validatorName: 'InvoiceValidator' });
    }
  });

  it('checks the subtotal too, naming it', () => {
    const result = emptyValidation();
    validateDocumentLines('bills', { ...invoice([line(100, 99), line(20)], 120, 100) }, result);
    expect(result.errors.map((e) => e.ruleId)).toEqual(['sync.bills.linesSumToSubTotal']);
    expect(result.errors[0]?.message).toBe(
      "A bill's lines summed (99) should be the same as SubTotal (100).",
    );
  });
});

function report(netAssets: number, equity: number): BalanceSheetReport {
  const reportLine = (value: number) => ({ accountId: null, name: 'x', value, items: [] });
  return {
    date: '2026-10-31T00:00:00',
    assets: reportLine(netAssets),
    liabilities: reportLine(0),
    equity: reportLine(equity),
    netAssets,
  };
}

describe('balance sheet: net assets must equal equity, to the penny', () => {
  it.each([
    [1000, 1000, false],
    [1000.004, 1000.001, false],
    [1000.01, 1000, true],
    [26205.64, 23705.64, true],
  ])('net assets %s against equity %s: error %s', (netAssets, equity, fails) => {
    const error = validateBalanceSheetReport(report(netAssets, equity));
    expect(error !== undefined).toBe(fails);
    if (error) {
      expect(error).toMatchObject({ ...RULES.balanceSheetBalances, itemId: '2026-10-31T00:00:00' });
    }
  });

  it('states both values and the difference', () => {
    expect(validateBalanceSheetReport(report(26205.64, 23705.64))?.message).toBe(
      'Net assets (26,205.64) should be the same as equity (23,705.64) at 2026-10-31: difference 2,500.00.',
    );
  });
});

describe("Sage 200's line quirk", () => {
  const taxCodes = new Map<number, Schemas['TaxCode']>([
    [1729, { id: 1729, code: 1, name: 'Std Rate', tax_rate: 20 }],
    [1728, { id: 1728, code: 2, name: 'Zero Rated', tax_rate: 0 }],
  ]);
  const transaction = {
    document_goods_value: -150,
    tax_analysis_items: [
      { id: 1729, code: 1, name: 'Std Rate', goods_amount: -100, tax_amount: -20 },
      { id: 1728, code: 2, name: 'Zero Rated', goods_amount: -50, tax_amount: 0 },
    ],
    nominal_analysis_items: [
      { code: '7000', cost_centre: '', department: 'ADM', value: -100 },
      { code: '7100', cost_centre: 'NTH', department: '', value: -50 },
    ],
  };

  it('gives one Tax Summary line per tax code and one Goods Summary line, quantities 0, discounts null', () => {
    const lines = summaryLines(transaction, -1, taxCodes);
    expect(lines.map((l) => l.description)).toEqual([
      'Tax Summary - Std Rate',
      'Tax Summary - Zero Rated',
      'Goods Summary',
    ]);
    for (const l of lines) {
      expect(l).toMatchObject({ quantity: 0, unitAmount: 0, discountAmount: null, discountPercentage: null });
    }
    expect(lines[0]).toMatchObject({
      subTotal: 0,
      taxAmount: 20,
      totalAmount: 20,
      taxRateRef: { id: '1729', name: 'Std Rate', effectiveTaxRate: 20 },
    });
    expect(lines[2]).toMatchObject({ subTotal: 150, taxAmount: 0, totalAmount: 150, taxRateRef: undefined });
    expect(lines[2]?.tracking.categoryRefs).toEqual([
      { id: '__COST_CENTRES/NTH' },
      { id: '__DEPARTMENTS/ADM' },
    ]);
  });
});

describe('account types from report categories', () => {
  const category = (code: string, description: string, type: string): Schemas['NominalReportCategory'] => ({
    code,
    description,
    account_report_category_type: `NominalReportingCategoryType${type}`,
  });

  it.each([
    [category('101', 'Fixed Assets', 'Asset'), 'Asset'],
    [category('201', 'Creditors: amounts falling due within one year', 'Liability'), 'Liability'],
    // Sage has no Equity type: capital and reserves sit in Liability-type category 301.
    [category('301', 'Capital and Reserves', 'Liability'), 'Equity'],
    [category('302', 'Reserves', 'Liability'), 'Equity'],
    [category('1', 'Sales', 'Income'), 'Income'],
    [category('4', 'Overheads', 'Expense'), 'Expense'],
  ])('%o is %s', (input, type) => {
    expect(accountTypeOf(input)).toBe(type);
  });
});

describe('reports from nominal period values', () => {
  const categories = new Map<number, Schemas['NominalReportCategory']>([
    [
      1,
      {
        id: 1,
        code: '104',
        description: 'Bank and Cash',
        account_report_category_type: 'NominalReportingCategoryTypeAsset',
        account_report_type: 'BalanceSheet',
      },
    ],
    [
      2,
      {
        id: 2,
        code: '301',
        description: 'Capital and Reserves',
        account_report_category_type: 'NominalReportingCategoryTypeLiability',
        account_report_type: 'BalanceSheet',
      },
    ],
    [
      3,
      {
        id: 3,
        code: '1',
        description: 'Sales',
        account_report_category_type: 'NominalReportingCategoryTypeIncome',
        account_report_type: 'ProfitLoss',
      },
    ],
    [
      4,
      {
        id: 4,
        code: '3',
        description: 'Direct Costs',
        account_report_category_type: 'NominalReportingCategoryTypeExpense',
        account_report_type: 'ProfitLoss',
      },
    ],
  ]);
  const row = (
    nominal: number,
    category: number,
    period: number,
    month: string,
    value: number,
  ): ListItem<'/nominal_period_value_views'> => ({
    nominal_code_id: nominal,
    nominal_code_report_category_id: category,
    nominal_code_reference: String(nominal),
    nominal_code_name: `Account ${nominal}`,
    nominal_period_value_actual_value: value,
    accounting_period_id: period,
    accounting_period_start_date: `${month}-01T00:00:00`,
    accounting_period_end_date: `${month}-28T00:00:00`,
    financial_year_start_date: `${month.slice(0, 4)}-01-01T00:00:00`,
  });
  const rows = [
    // December 2025: capital 1000 in the bank; sales 500 banked; costs 200 paid.
    row(10, 1, 1, '2025-12', 1000 + 500 - 200),
    row(20, 2, 1, '2025-12', -1000),
    row(30, 3, 1, '2025-12', -500),
    row(40, 4, 1, '2025-12', 200),
    // January 2026 (a new financial year): sales 100 banked.
    row(10, 1, 2, '2026-01', 100),
    row(30, 3, 2, '2026-01', -100),
    // February 2026 starts after asOf, so it is left out.
    row(30, 3, 3, '2026-02', -999),
    row(10, 1, 3, '2026-02', 999),
  ];

  it('cumulates balances, splits profit into retained and current year, and lists the latest month first', () => {
    const { balanceSheet, profitAndLoss } = buildReports(rows, categories, {
      asOf: new Date('2026-01-15T00:00:00Z'),
      months: 24,
      currency: 'GBP',
    });
    expect(balanceSheet.reports.map((r) => r.date)).toEqual(['2026-01-28T00:00:00', '2025-12-28T00:00:00']);
    const [january, december] = balanceSheet.reports;
    expect(december).toMatchObject({ netAssets: 1300, assets: { value: 1300 }, equity: { value: 1300 } });
    expect(january?.equity.items.map((i) => [i.name, i.value])).toEqual([
      ['Capital and Reserves', 1000],
      ['Retained Earnings', 300],
      ['Current Year Earnings', 100],
    ]);
    expect(january?.netAssets).toBe(1400);
    expect(profitAndLoss.reports.map((r) => [r.fromDate.slice(0, 7), r.grossProfit, r.netProfit])).toEqual([
      ['2026-01', 100, 100],
      ['2025-12', 300, 300],
    ]);
    expect(profitAndLoss.reports[1]?.costOfSales.value).toBe(200);
  });

  it('keeps only the most recent months asked for', () => {
    const { balanceSheet } = buildReports(rows, categories, {
      asOf: new Date('2026-12-31T00:00:00Z'),
      months: 1,
      currency: 'GBP',
    });
    expect(balanceSheet.reports.map((r) => r.date)).toEqual(['2026-02-28T00:00:00']);
    expect(balanceSheet.earliestAvailableMonth).toBe('2025-12-01T00:00:00');
  });
});

describe('retry arithmetic', () => {
  const policy = resolveRetryPolicy({
    maxAttempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 2000,
    maxTotalMs: 10_000,
  });
  const at = (now: number, random = 0.5) => ({ now: () => now, random: () => random });

  it.each([
    ['2', 2000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['soon', undefined],
    [null, undefined],
  ])('reads Retry-After %j as %s ms', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('2015-10-21T07:28:00Z'))).toBe(ms);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3].map((attempt) => nextDelayMs(attempt, undefined, 0, policy, at(0, 0.999)))).toEqual([
      499, 999, 1998,
    ]);
    expect(nextDelayMs(1, undefined, 0, policy, at(0, 0))).toBe(0);
  });

  it('waits at least Retry-After, plus a little jitter', () => {
    expect(nextDelayMs(1, 2000, 0, policy, at(0, 0.5))).toBe(2125);
  });

  it('stops when the attempts are used up or the wait would end past the time budget', () => {
    expect(nextDelayMs(4, undefined, 0, policy, at(0))).toBeUndefined();
    expect(nextDelayMs(1, 120_000, 0, policy, at(0))).toBeUndefined();
    expect(nextDelayMs(2, 1000, 0, policy, at(9500))).toBeUndefined();
  });

  it('refuses a policy that cannot work', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
  });
});
