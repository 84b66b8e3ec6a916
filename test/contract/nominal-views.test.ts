/**
 * The nominal and bank views are read from the same ledger as the rest, live: `/nominal_transaction_enquiry_views`
 * has one row per nominal entry, and summed by nominal code and accounting period it equals
 * `/nominal_period_value_views` to the penny, on the seeded world and after a posting (test/scenarios/nominal-views-property.test.ts: after any burst);
 * `/bank_views` agree with `/banks` and with `/bank_posted_transactions`; `/nominal_code_views` agree with
 * `/nominal_codes`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { QUERY_PLAN_HEADER } from '../../mock-server/resources/query.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { api, type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { ENQUIRY, expectBanksAgree, expectEnquiryMatchesPeriodValues } from './ledger-views-support.ts';
import {
  expectContractValid,
  pence,
  posterFor,
  postingSandbox,
  readAll,
  refsOf,
} from './postings-support.ts';

describe('nominal and bank views on the seeded world', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it.each([USERS.full, USERS.sandbox])(
    'the enquiry view summed by nominal code and period equals the period values (%s)',
    async (email) => {
      await expectEnquiryMatchesPeriodValues(await callerFor(app, email));
    },
  );

  it('has one row per nominal entry, a debit or a credit, in the period and year of its date', async () => {
    const rows = await readAll(caller, ENQUIRY);
    const periods = await readAll(caller, '/financial_year_period_views', 'accounting_period_id');
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows.slice(0, 500)) {
      expect(pence(row.debit) === 0 || pence(row.credit) === 0, `row ${String(row.id)}`).toBe(true);
      const period = periods.find((p) => p.accounting_period_id === row.accounting_period_id)!;
      expect(String(row.transaction_date) >= String(period.period_start_date)).toBe(true);
      expect(String(row.transaction_date) <= String(period.period_end_date)).toBe(true);
      expect(row.period_number).toBe(period.period_number);
      expect(row.financial_year_id).toBe(period.financial_year_id);
      expect(row.year_relative_to_current_year).toBe(period.year_relative_to_current_year);
    }
  });

  it('balances every URN: the rows of one posting sum to zero', async () => {
    const rows = await readAll(caller, ENQUIRY);
    const byUrn = new Map<number, number>();
    for (const row of rows)
      byUrn.set(Number(row.urn), (byUrn.get(Number(row.urn)) ?? 0) + pence(row.debit) - pence(row.credit));
    expect([...byUrn].filter(([, net]) => net !== 0)).toEqual([]);
  });

  it('agrees with /banks and /bank_posted_transactions in /bank_views', async () => {
    await expectBanksAgree(caller);
  });

  it('projects every nominal code into /nominal_code_views, with its report category', async () => {
    const codes = await readAll(caller, '/nominal_codes');
    const views = await readAll(caller, '/nominal_code_views');
    const categories = await readAll(caller, '/nominal_report_categories');
    expect(views).toHaveLength(codes.length);
    for (const code of codes) {
      const view = views.find((v) => v.id === code.id)!;
      const category = categories.find((c) => c.id === code.report_category_id)!;
      expect(view).toMatchObject({
        reference: code.reference,
        name: code.name,
        cost_centre_code: code.cost_centre_code,
        department_code: code.department_code,
        balance_year_to_date: code.balance_year_to_date,
        brought_forward_balance: code.brought_forward_balance,
        debit_year_to_date: code.debit_balance_year_to_date,
        credit_year_to_date: code.credit_balance_year_to_date,
        report_category_id: code.report_category_id,
        report_category_code: category.code,
        report_category_description: category.description,
        report_category_report_type_id: category.account_report_type === 'ProfitLoss' ? 0 : 1,
      });
    }
  });

  it("gives /nominal_code_views the current year's budget of the nominal code's financial_years", async () => {
    const codes = await readAll(caller, '/nominal_codes?$expand=financial_years');
    const views = await readAll(caller, '/nominal_code_views');
    const types = await readAll(caller, '/nominal_budget_types');
    for (const code of codes) {
      const view = views.find((v) => v.id === code.id)!;
      const year = (code.financial_years as SageRecord[]).find((y) => y.year_relative_to_current_year === 0)!;
      expect(view).toMatchObject({
        year_value_budget_type_id: types.find((t) => t.value === year.budget_type)?.id,
        year_value_budget_value: year.budget_value,
        year_value_original_budget_value: year.original_budget_value,
      });
    }
  });

  it("gives each /nominal_period_value_views row its period's budget from the nominal code's financial_years", async () => {
    const codes = await readAll(caller, '/nominal_codes?$expand=financial_years');
    const rows = await readAll(caller, '/nominal_period_value_views', 'nominal_period_value_id');
    let budgeted = 0;
    for (const row of rows) {
      const code = codes.find((c) => c.id === row.nominal_code_id)!;
      const period = (code.financial_years as SageRecord[])
        .flatMap((year) => year.period_balances as SageRecord[])
        .find((p) => p.accounting_period_id === row.accounting_period_id);
      expect(row.nominal_period_value_budget_value).toBe(period?.budget_value ?? 0);
      if (row.nominal_period_value_budget_value !== 0) budgeted++;
    }
    expect(budgeted).toBeGreaterThan(0);
  });

  it("fills each nominal code's financial_years from the ledger: period balances, closing balances, budgets", async () => {
    const codes = await readAll(caller, '/nominal_codes?$expand=financial_years');
    const values = await readAll(caller, '/nominal_period_value_views', 'nominal_period_value_id');
    const periods = await readAll(caller, '/financial_year_period_views', 'accounting_period_id');
    const categories = await readAll(caller, '/nominal_report_categories');
    const actual = new Map(
      values.map((v) => [
        `${String(v.nominal_code_id)}/${String(v.accounting_period_id)}`,
        pence(v.nominal_period_value_actual_value),
      ]),
    );
    const years = new Set(periods.map((p) => p.financial_year_id));
    let budgeted = 0;
    for (const code of codes) {
      const financialYears = code.financial_years as SageRecord[];
      expect(new Set(financialYears.map((y) => y.financial_year_id))).toEqual(years);
      const profitAndLoss =
        categories.find((c) => c.id === code.report_category_id)?.account_report_type === 'ProfitLoss';
      for (const year of financialYears) {
        const balances = year.period_balances as SageRecord[];
        expect(balances.map((b) => b.accounting_period_id).sort()).toEqual(
          periods
            .filter((p) => p.financial_year_id === year.financial_year_id)
            .map((p) => p.accounting_period_id)
            .sort(),
        );
        let movement = 0;
        for (const balance of balances) {
          const key = `${String(code.id)}/${String(balance.accounting_period_id)}`;
          expect(pence(balance.period_balance), key).toBe(actual.get(key) ?? 0);
          movement += pence(balance.period_balance);
        }
        expect(balances.reduce((sum, b) => sum + pence(b.budget_value), 0)).toBe(pence(year.budget_value));
        if (year.budget_type !== 'NominalBudgetTypeNone') budgeted++;
        if (year.year_relative_to_current_year !== -1) continue;
        // The last closed year: a profit and loss account closes with the year's movement; any other account closes
        // with the balance the current year brings forward.
        expect(pence(year.closing_balance), `${String(code.reference)} closing`).toBe(
          profitAndLoss ? movement : pence(code.brought_forward_balance),
        );
      }
    }
    expect(budgeted).toBeGreaterThan(0);
  });

  it("orders /nominal_code_views by reference, cost centre and department, and /bank_views by code (Sage's default)", async () => {
    const codes = await caller.json<SageRecord[]>('/nominal_code_views');
    const keys = codes.map((c) => [c.reference, c.cost_centre_code, c.department_code].join('\u0000'));
    expect(keys).toEqual([...keys].sort());
    const banks = await caller.json<SageRecord[]>('/bank_views');
    expect(banks.map((b) => b.code)).toEqual(banks.map((b) => String(b.code)).sort());
  });

  it('analyses a sales invoice row with its customer, tax and nominal analysis', async () => {
    const [invoice] = await caller.json<SageRecord[]>(
      "/sales_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice'&$top=1",
    );
    const customer = await caller.json<SageRecord>(`/customers/${String(invoice?.customer_id)}`);
    const rows = await caller.json<SageRecord[]>(`${ENQUIRY}?$filter=urn eq ${String(invoice?.urn)}`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        reference: invoice?.reference,
        user_name: invoice?.user_name,
        source: 'LedgerSales',
      });
      expect(row.trade_items).toEqual([
        expect.objectContaining({
          account_number: customer.reference,
          account_name: customer.name,
          entry_type_string: 'Sales Invoice',
          gross_value: invoice?.document_gross_value,
          urn: invoice?.urn,
        }),
      ]);
      const items = (record: SageRecord | undefined, field: string, name: string) =>
        ((record?.[field] ?? []) as SageRecord[]).map((item) => item[name]);
      expect(items(row, 'tax_analysis_items', 'tax_amount')).toEqual(
        items(invoice, 'tax_analysis_items', 'tax_amount'),
      );
      expect(items(row, 'nominal_analysis_items', 'code')).toEqual(
        items(invoice, 'nominal_analysis_items', 'code'),
      );
      expect(row.bank_items).toEqual([]);
    }
  });

  it("analyses a nominal journal's row with the journal's own lines", async () => {
    const journals = await caller.json<SageRecord[]>(`${ENQUIRY}?$filter=source eq 'LedgerNominal'&$top=50`);
    expect(journals.length).toBeGreaterThan(0);
    const codes = await readAll(caller, '/nominal_codes');
    for (const row of journals) {
      const lines = await caller.json<SageRecord[]>(
        `${ENQUIRY}?$filter=urn eq ${String(row.urn)}&$orderby=id`,
      );
      expect(
        (row.nominal_analysis_items as SageRecord[]).map((item) => [item.code, pence(item.value)]),
      ).toEqual(
        lines.map((line) => [
          codes.find((c) => c.id === line.nominal_code_id)?.reference,
          pence(line.debit) - pence(line.credit),
        ]),
      );
    }
  });

  it('answers a filter on nominal_code_id or transaction_date from an index, and the nested list alike', async () => {
    const [row] = await caller.json<SageRecord[]>(`${ENQUIRY}?$top=1&$skip=100&$orderby=id`);
    const byCode = await caller.get(`${ENQUIRY}?$filter=nominal_code_id eq ${String(row?.nominal_code_id)}`);
    expect(byCode.headers.get(QUERY_PLAN_HEADER)).toMatch(/nominal_code_id/);
    const nested = await caller.json<SageRecord[]>(
      `/nominal_codes/${String(row?.nominal_code_id)}${ENQUIRY}`,
    );
    expect(nested).toEqual(await byCode.json());
    const byDate = await caller.get(
      `${ENQUIRY}?$filter=transaction_date ge 2026-03-01T00:00:00Z and transaction_date lt 2026-04-01T00:00:00Z`,
    );
    expect(byDate.headers.get(QUERY_PLAN_HEADER)).toMatch(/transaction_date/);
    const march = (await byDate.json()) as SageRecord[];
    expect(march.length).toBeGreaterThan(0);
    expect(march.every((r) => String(r.transaction_date).startsWith('2026-03'))).toBe(true);
  });

  it('answers one row by id, and 404 with the Sage body for an unknown row or nominal code', async () => {
    const [row] = await caller.json<SageRecord[]>(`${ENQUIRY}?$top=1`);
    expect(await caller.json(`${ENQUIRY}/${String(row?.id)}`)).toEqual(row);
    const missing = await caller.get(`${ENQUIRY}/999999999`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      Message: "No nominal transaction was found with the Id '999999999'.",
    });
    const noCode = await caller.get(`/nominal_codes/999999999${ENQUIRY}`);
    expect(noCode.status).toBe(404);
    expect(await noCode.json()).toEqual({ Message: "No nominal code was found with the Id '999999999'." });
  });

  it('answers 400 with the Sage body for a filter on a field the view does not have', async () => {
    const bad = await caller.get(`${ENQUIRY}?$filter=no_such_field eq 1`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('Message');
  });
});

describe('the views follow writes', () => {
  it('show a posting in every view that covers it at once', async () => {
    const app = postingSandbox(['full']);
    const poster = await posterFor(app, USERS.full);
    const refs = refsOf(poster.company());
    const bank = refs.bank('CURRENT');
    const before = await poster.json<SageRecord[]>(`/bank_views?$filter=id eq ${String(bank.id)}`);
    // Read before the posting, so the view is already built and must take the new entries as they come.
    const rowsBefore = await poster.json<number>(`${ENQUIRY}?$count=true`);
    const customer = refs.customers[0]!;
    const receipt = await poster.post('/sales_receipts', {
      customer_id: customer.id,
      bank_id: bank.id,
      cheque_value: 123.45,
      transaction_date: '2026-10-05',
      reference: 'VIEWTEST',
    });
    expect(receipt.status).toBe(200);
    const urn = Number((receipt.body as { urn: string }).urn);
    expect(await poster.json<number>(`${ENQUIRY}?$count=true`)).toBe(rowsBefore + 2);
    const rows = await poster.json<SageRecord[]>(`${ENQUIRY}?$filter=urn eq ${urn}`);
    expectContractValid('get', ENQUIRY, 200, rows);
    expect(rows.map((r) => [pence(r.debit), pence(r.credit)]).sort()).toEqual([
      [0, 12345],
      [12345, 0],
    ]);
    expect(rows[0]?.reference).toBe('VIEWTEST');
    expect(rows[0]?.bank_items).toEqual([
      expect.objectContaining({
        bank_code: 'CURRENT',
        bank_entry_type: 'Receipt',
        cheque_value: 123.45,
        urn,
      }),
    ]);
    const [after] = await poster.json<SageRecord[]>(`/bank_views?$filter=id eq ${String(bank.id)}`);
    expect(pence(after?.balance)).toBe(pence(before[0]?.balance) + 12345);
    await expectEnquiryMatchesPeriodValues(poster);
    await expectBanksAgree(poster);
  });

  it("shows a posting in the nominal code's period balance", async () => {
    const app = postingSandbox(['full']);
    const poster = await posterFor(app, USERS.full);
    const refs = refsOf(poster.company());
    const sales = refs.nominal('4000');
    const balanceIn = async (month: number): Promise<number> => {
      const [code] = await poster.json<SageRecord[]>(
        `/nominal_codes?$filter=id eq ${String(sales.id)}&$expand=financial_years`,
      );
      const years = (code?.financial_years ?? []) as SageRecord[];
      const year = years.find((y) => y.year_relative_to_current_year === 0);
      const period = ((year?.period_balances ?? []) as SageRecord[]).find((p) => p.period_number === month);
      return pence(period?.period_balance);
    };
    const before = await balanceIn(11);
    const invoice = await poster.post('/sales_invoices', {
      customer_id: refs.customers[0]!.id,
      transaction_date: '2026-11-10',
      reference: 'FYTEST',
      document_goods_value: 250,
      document_tax_value: 50,
      tax_analysis_items: [{ id: refs.taxCode(1).id, goods_amount: 250, tax_amount: 50 }],
      nominal_analysis_items: [{ code: '4000', cost_centre: '', department: '', value: 250 }],
    });
    expect(invoice.status).toBe(200);
    expect(await balanceIn(11)).toBe(before - 25000);
  });

  it('shows a renamed nominal code in /nominal_code_views', async () => {
    const app = postingSandbox(['full']);
    const poster = await posterFor(app, USERS.full);
    const code = refsOf(poster.company()).nominal('4000');
    const response = await app.request(api(`/nominal_codes/${String(code.id)}`), {
      method: 'PUT',
      headers: { ...poster.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Sales - Renamed' }),
    });
    expect(response.status).toBe(200);
    const [view] = await poster.json<SageRecord[]>(`/nominal_code_views?$filter=id eq ${String(code.id)}`);
    expect(view?.name).toBe('Sales - Renamed');
  });
});
