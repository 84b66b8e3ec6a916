/**
 * The world relative to its as-of date, and Sage's year end on the sandbox clock (mock-server/seed/README.md,
 * "Calendar"): worlds built at several as-of dates balance and take postings dated today; advancing the clock past
 * the current year's end closes the year.
 */
import { describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import { buildWorld, SANDBOX_IMBALANCE, serializeWorld } from '../../mock-server/seed/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import { trialBalance, worldDates } from '../../mock-server/world/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { pence, posterFor } from '../contract/postings-support.ts';
import { USERS } from '../support/sandbox.ts';

const DAY_SECONDS = 86_400;

const today = (app: SandboxApp): string => new Date(app.sandbox.clock.now()).toISOString().slice(0, 10);

function companies(app: SandboxApp): { kind: string; company: CompanyStore }[] {
  const store = app.sandbox.store;
  return store.sites.flatMap((site) =>
    [...(store.site(site.site_id)?.companies.values() ?? [])].map((company) => ({
      kind: site.kind,
      company,
    })),
  );
}

/** Every period's debits minus credits, pence: all zero but the sandbox company's first period. */
function expectBalanced(app: SandboxApp, firstYear: number): void {
  for (const { kind, company } of companies(app)) {
    const totals = trialBalance(company.company);
    const periods = company.table('financial_year_period_views').all();
    const first = periods.find((p) => String(p.period_start_date) === `${firstYear}-01-01T00:00:00`);
    expect(first, `${kind}: January ${firstYear} is a period`).toBeDefined();
    for (const [period, total] of totals) {
      const expected = kind === 'sandbox' && period === first?.accounting_period_id ? SANDBOX_IMBALANCE : 0;
      expect(total, `${kind} company ${company.companyId}, period ${period}`).toBe(expected);
    }
  }
}

/** `year_relative_to_current_year` by calendar year of the company's financial years. */
function relativeYears(company: CompanyStore): Map<number, number> {
  const years = new Map<number, number>();
  for (const period of company.table('financial_year_period_views').all()) {
    years.set(
      Number(String(period.financial_year_start_date).slice(0, 4)),
      Number(period.year_relative_to_current_year),
    );
  }
  return years;
}

/** Posts a sales invoice dated today without naming the date, and a nominal-free receipt dated today by name. */
async function postToday(app: SandboxApp): Promise<void> {
  const poster = await posterFor(app, USERS.full);
  const [customer] = poster.company().collections.customers;
  const response = await poster.post('/sales_invoices', {
    customer_id: customer?.id,
    document_goods_value: 100,
    document_tax_value: 20,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const dated = await poster.post('/sales_invoices', {
    customer_id: customer?.id,
    transaction_date: today(app),
    document_goods_value: 10,
    document_tax_value: 2,
  });
  expect(dated.status, JSON.stringify(dated.body)).toBe(200);
  const verdict = await poster.post('/transaction_date_validation', { date: today(app) });
  expect(verdict.body).toEqual({ classification: 'Normal', message: '' });
}

describe.each([
  ['2026-11-02', 'the tests’ own date'],
  ['2027-01-15', 'January, with no trading in the current year yet'],
  ['2028-02-29', 'a leap day'],
  ['2035-06-15', 'a decade on'],
])('a world built as of %s (%s)', (asOf) => {
  const dates = worldDates(asOf);
  const app = createSandbox({ seed: 200, scale: 'small', asOf, cache: false, freezeClock: true });

  it('starts the sandbox clock on the as-of date', () => {
    expect(today(app)).toBe(asOf);
  });

  it('keeps one past year, the as-of year as the current one and five future years', () => {
    for (const { company } of companies(app)) {
      const expected = new Map(Array.from({ length: 7 }, (_, i) => [dates.firstYear + i, i - 1]));
      expect(relativeYears(company)).toEqual(expected);
    }
  });

  it('trades up to the end of the month before the as-of date and no further', () => {
    for (const { kind, company } of companies(app)) {
      if (kind === 'trial') continue;
      const days = company
        .table('sales_posted_transactions')
        .all()
        .map((t) => String(t.transaction_date).slice(0, 10))
        .sort();
      expect(days[0]! >= dates.tradingStart).toBe(true);
      expect(days.at(-1)! <= dates.tradingEnd).toBe(true);
      expect(days.at(-1)!.slice(0, 7)).toBe(dates.tradingEnd.slice(0, 7));
      for (const t of company.table('sales_posted_transactions').all())
        expect(String(t.date_time_updated) < dates.now).toBe(true);
    }
  });

  it('balances every company, the sandbox company by its designed amount', () => {
    expectBalanced(app, dates.firstYear);
  });

  it('takes postings dated today', async () => {
    await postToday(app);
    expectBalanced(app, dates.firstYear);
  });
});

describe('the same seed, scale and as-of date', () => {
  it('give the same bytes, and another as-of date other bytes', () => {
    const a = serializeWorld(buildWorld({ seed: 200, scale: 'small', asOf: '2035-06-15' }));
    const b = serializeWorld(buildWorld({ seed: 200, scale: 'small', asOf: '2035-06-15' }));
    const c = serializeWorld(buildWorld({ seed: 200, scale: 'small', asOf: '2035-06-16' }));
    expect(a === b).toBe(true);
    expect(a === c).toBe(false);
  });

  it('refuse an as-of date that is not a calendar date', () => {
    expect(() => buildWorld({ scale: 'small', asOf: '2026-02-30' })).toThrow(/as-of date/);
    expect(() => createSandbox({ scale: 'small', asOf: '02/11/2026' })).toThrow(/asOf/);
  });
});

describe('the year end on the sandbox clock', () => {
  const app = createSandbox({
    seed: 200,
    scale: 'small',
    asOf: '2026-12-30',
    cache: false,
    freezeClock: true,
  });
  const before = new Map(
    companies(app).map(({ company }) => [
      company.companyId,
      {
        codes: structuredClone(company.table('nominal_codes').all()),
        trial: trialBalance(company.company),
        entries: company.company.nominal_entries.reduce((sum, e) => sum + pence(e.value), 0),
      },
    ]),
  );

  it('runs when the clock passes the year end: the next year is current and a new last year is added', async () => {
    expect(relativeYears(companies(app)[0]!.company).get(2026)).toBe(0);
    const advanced = await app.request('/admin/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 3 * DAY_SECONDS }),
    });
    expect(advanced.status).toBe(200);
    expect(today(app)).toBe('2027-01-02');
    for (const { company } of companies(app)) {
      const expected = new Map(Array.from({ length: 8 }, (_, i) => [2025 + i, i - 2]));
      expect(relativeYears(company)).toEqual(expected);
      const newYear = company
        .table('financial_year_period_views')
        .all()
        .filter((p) => String(p.financial_year_start_date).startsWith('2032-'));
      expect(newYear.map((p) => String(p.period_end_date).slice(0, 10)).sort()).toEqual(
        Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2032, m + 1, 0)).toISOString().slice(0, 10)),
      );
      for (const row of company.table('nominal_period_value_views').all()) {
        const year = Number(String(row.financial_year_start_date).slice(0, 4));
        expect(row.year_relative_to_current_year).toBe(year - 2027);
      }
      const settings = company.table('system_settings').all()[0];
      expect(settings?.financial_year_end_date).toBe('2027-12-31T00:00:00');
    }
  });

  it('closes profit and loss to retained profit; the balance sheet brings its balances forward', () => {
    const profits: number[] = [];
    for (const { kind, company } of companies(app)) {
      const old = before.get(company.companyId)!;
      const categories = new Map(
        company
          .table('nominal_report_categories')
          .all()
          .map((c) => [c.id, c]),
      );
      const isProfitAndLoss = (code: SageRecord) =>
        categories.get(code.report_category_id as number)?.account_report_type === 'ProfitLoss';
      const retained = company
        .table('nominal_codes')
        .all()
        .find((c) => c.reference === '3200' && c.cost_centre_code === '')!;
      let profit = 0;
      for (const code of old.codes) if (isProfitAndLoss(code)) profit += pence(code.balance_year_to_date);
      let broughtForward = 0;
      for (const code of company.table('nominal_codes').all()) {
        const was = old.codes.find((c) => c.id === code.id)!;
        broughtForward += pence(code.brought_forward_balance);
        if (isProfitAndLoss(code)) expect(code.brought_forward_balance, String(code.reference)).toBe(0);
        else if (code.id === retained.id)
          expect(pence(code.brought_forward_balance)).toBe(pence(was.balance_year_to_date) + profit);
        else expect(code.brought_forward_balance, String(code.reference)).toBe(was.balance_year_to_date);
        expect(code.balance_year_to_date).toBe(code.brought_forward_balance);
      }
      // No entries are posted: the brought-forward balances sum to everything posted, the trial balance is unchanged.
      expect(broughtForward).toBe(old.entries);
      expect(old.entries).toBe(kind === 'sandbox' ? SANDBOX_IMBALANCE * 100 : 0);
      const trial = trialBalance(company.company);
      for (const [period, total] of old.trial) expect(trial.get(period)).toBe(total);
      profits.push(profit);
    }
    // The trading companies made a profit or a loss to close.
    expect(profits.filter((profit) => profit !== 0).length).toBeGreaterThanOrEqual(3);
  });

  it('takes postings dated today in the new year and refuses the closed one', async () => {
    await postToday(app);
    const poster = await posterFor(app, USERS.full);
    const [customer] = poster.company().collections.customers;
    const closed = await poster.post('/sales_invoices', {
      customer_id: customer?.id,
      transaction_date: '2026-12-15',
      document_goods_value: 10,
      document_tax_value: 2,
    });
    expect(closed.status).toBe(400);
    expect(JSON.stringify(closed.body)).toContain('closed financial year');
    const debtors = poster.company().collections.nominal_codes.find((c) => c.reference === '1100');
    const row = poster
      .company()
      .collections.nominal_period_value_views.find(
        (r) =>
          r.nominal_code_id === debtors?.id && String(r.accounting_period_start_date).startsWith('2027-01'),
      );
    expect(row?.nominal_period_value_actual_value).toBeGreaterThan(0);
  });

  it('runs once per year passed, and never for a world whose year had ended before it was loaded', async () => {
    const later = createSandbox({
      seed: 200,
      scale: 'small',
      asOf: '2026-12-30',
      cache: false,
      freezeClock: true,
    });
    await later.request('/admin/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: (365 + 3) * DAY_SECONDS }),
    });
    expect(relativeYears(companies(later)[0]!.company).get(2028)).toBe(0);
    // The same world served with the clock already past its year keeps 2026 current.
    const world = buildWorld({ seed: 200, scale: 'small', asOf: '2026-06-01' });
    const loaded = createSandbox({ world, freezeClock: true, asOf: '2027-03-01' });
    expect(relativeYears(companies(loaded)[0]!.company).get(2026)).toBe(0);
  });

  it('leaves a world handed in without asOf on its years, however far the clock moves', async () => {
    const world = buildWorld({ seed: 200, scale: 'small', asOf: '2026-12-30' });
    const handedIn = createSandbox({ world, freezeClock: true });
    await handedIn.request('/admin/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 800 * DAY_SECONDS }),
    });
    expect(relativeYears(companies(handedIn)[0]!.company).get(2026)).toBe(0);
  });
});
