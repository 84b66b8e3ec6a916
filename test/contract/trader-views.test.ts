/**
 * The trader ledger views of Sage's sales.json and purchases.json (transaction, enquiry, aged, period and year value
 * and account views), derived from the posted transactions and accounts at read time: on the seeded world they agree
 * with the ledger to the penny, a posting shows up in every view that covers it, and their query options behave.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import {
  expectContractValid,
  pence,
  posterFor,
  postingSandbox,
  readAll,
  refsOf,
} from './postings-support.ts';
import {
  AGEING_TYPES,
  agedTotal,
  expectAccountViewsMatch,
  expectAgedBalancesMatch,
  expectPeriodValuesMatch,
  expectTransactionViewsMatch,
  INVOICE,
  PURCHASES,
  SALES,
} from './trader-views-support.ts';

const DAY_MS = 86_400_000;

describe.each([
  ['the sales ledger', SALES],
  ['the purchase ledger', PURCHASES],
] as const)('on the seeded world, %s', (_name, ledger) => {
  let caller: Caller;
  beforeAll(async () => {
    caller = await callerFor(sharedWorldSandbox(), USERS.full);
  });

  it('serves one transaction view and one enquiry view per posted transaction, with its values', async () => {
    await expectTransactionViewsMatch(caller, ledger);
  });

  it("ages each account's outstanding transactions to its balance, for every ageing type", async () => {
    await expectAgedBalancesMatch(caller, ledger);
  });

  it('sums period and year values from the posted invoices, credit notes and cash', async () => {
    await expectPeriodValuesMatch(caller, ledger);
  });

  it('serves each account with its balance in the account views', async () => {
    await expectAccountViewsMatch(caller, ledger);
  });

  it("lists an account's enquiry views under it, and serves each by id", async () => {
    const posted = await readAll(caller, `/${ledger.transactions}`);
    const byAccount = new Map<unknown, SageRecord[]>();
    for (const t of posted)
      byAccount.set(t[ledger.accountKey], [...(byAccount.get(t[ledger.accountKey]) ?? []), t]);
    const busiest = [...byAccount].sort((a, b) => b[1].length - a[1].length)[0]!;
    const nested = await readAll(caller, `/${ledger.accounts}/${String(busiest[0])}/${ledger.enquiryViews}`);
    expect(nested.map((r) => r.id)).toEqual(busiest[1].map((t) => t.id));
    const one = await caller.json<SageRecord>(`/${ledger.enquiryViews}/${String(nested[0]!.id)}`);
    expect(one).toEqual(nested[0]);
    expectContractValid('get', `/${ledger.enquiryViews}/{Id}`, 200, one);
    const missing = await caller.get(`/${ledger.enquiryViews}/1`);
    expect(missing.status).toBe(404);
  });

  it('expands an enquiry view to its account', async () => {
    const path = `/${ledger.enquiryViews}?$expand=${ledger.noun}&$top=5`;
    const rows = await caller.json<SageRecord[]>(path);
    expectContractValid('get', `/${ledger.enquiryViews}`, 200, rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect((row[ledger.noun] as SageRecord).id).toBe(row[ledger.accountKey]);
    }
  });
});

describe('query options on the trader ledger views', () => {
  let caller: Caller;
  beforeAll(async () => {
    caller = await callerFor(sharedWorldSandbox(), USERS.full);
  });

  it('filters, orders, pages and counts a derived view like any list', async () => {
    const all = await readAll(caller, '/sales_transaction_views', 'posted_customer_transaction_id');
    const invoices = all.filter((r) => r.transaction_type === INVOICE);
    const count = await caller.json<number>(
      `/sales_transaction_views?$filter=transaction_type eq '${INVOICE}'&$count=true`,
    );
    expect(count).toBe(invoices.length);
    const page = await caller.json<SageRecord[]>(
      `/sales_transaction_views?$filter=transaction_type eq '${INVOICE}'&$orderby=document_gross_value desc,posted_customer_transaction_id&$top=3&$skip=1&$select=posted_customer_transaction_id,document_gross_value`,
    );
    const expected = [...invoices]
      .sort(
        (a, b) =>
          pence(b.document_gross_value) - pence(a.document_gross_value) ||
          Number(a.posted_customer_transaction_id) - Number(b.posted_customer_transaction_id),
      )
      .slice(1, 4)
      .map((r) => ({
        posted_customer_transaction_id: r.posted_customer_transaction_id,
        document_gross_value: r.document_gross_value,
      }));
    expect(page).toEqual(expected);
  });

  it.each(AGEING_TYPES)('takes $ageingdatetype=%s in any case', async (ageing) => {
    const response = await caller.get(
      `/sales_aged_debtor_summary_views?$ageingdatetype=${ageing.toUpperCase()}`,
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ['an unknown ageing type', '/sales_aged_debtor_detailed_views?$ageingdatetype=weekly', '$ageingdatetype'],
    [
      'an ageing type on a view that ages nothing',
      '/sales_transaction_views?$ageingdatetype=duedate',
      '$ageingdatetype',
    ],
    [
      'a period number that is no number',
      '/sales_aged_transaction_period_views?$periodnumber=last',
      '$periodnumber',
    ],
    [
      'a period before the calendar',
      '/sales_aged_transaction_period_views?$periodnumber=9999',
      '$periodnumber',
    ],
    [
      'a period number on a view that takes none',
      '/sales_aged_debtor_summary_views?$periodnumber=0',
      '$periodnumber',
    ],
  ])('rejects %s with 400 naming the option', async (_name, path, option) => {
    const response = await caller.get(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { Message: string };
    expect(body.Message).toContain(option);
  });

  it('names the ageing periods by the ageing type: days, or calendar months', async () => {
    const byDays = await caller.json<SageRecord[]>('/sales_aged_debtor_summary_views?$top=1');
    const byMonths = await caller.json<SageRecord[]>(
      '/sales_aged_debtor_summary_views?$top=1&$ageingdatetype=calendarmonth',
    );
    expect(byDays[0]!.aged_period_1).toBe('30 days');
    expect(byMonths[0]!.aged_period_1).toBe('1 month');
  });
});

describe('ageing follows the sandbox clock', () => {
  it('puts each outstanding value in the period its transaction date falls in, counted back from today', async () => {
    const app = sharedWorldSandbox({ freezeClock: true });
    const caller = await callerFor(app, USERS.full);
    const posted = new Map(
      (await readAll(caller, '/sales_posted_transactions')).map((t) => [t.id, t] as [unknown, SageRecord]),
    );
    const bucketOf = (row: SageRecord): string | undefined =>
      ['past', 'future', 'current', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `period_${n}`)].find(
        (bucket) => pence(row[`doc_${bucket}`]) !== 0,
      );
    const expectedBucket = (transaction: SageRecord, today: number, periods: number): string => {
      const day = Date.parse(`${String(transaction.transaction_date).slice(0, 10)}T00:00:00Z`) / DAY_MS;
      const age = Math.floor((today - day) / 30);
      if (today < day) return 'future';
      if (age === 0) return 'current';
      return age <= periods ? `period_${age}` : 'past';
    };
    const [settings] = await readAll(caller, '/sales_ledger_settings');
    const periods = Number(settings!.no_of_reporting_periods);
    for (const advanceDays of [0, 45, 400]) {
      app.sandbox.clock.advance(advanceDays * 86_400);
      const today = Math.floor(app.sandbox.clock.now() / DAY_MS);
      // A fresh token: the last one may have expired as the clock moved.
      const rows = await readAll(
        await callerFor(app, USERS.full),
        '/sales_aged_debtor_detailed_views',
        'posted_customer_transaction_id',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const transaction = posted.get(row.posted_customer_transaction_id)!;
        expect(bucketOf(row), `transaction ${String(transaction.id)}`).toBe(
          expectedBucket(transaction, today, periods),
        );
      }
    }
  });
});

describe('a posting shows up in every view that covers it', () => {
  it('adds a sales invoice to the transaction, enquiry, aged, period value and account views', async () => {
    const app = postingSandbox(['full']);
    const poster = await posterFor(app, USERS.full);
    const customer = refsOf(poster.company()).customers[3]!;
    const viewBefore = (
      await poster.json<SageRecord[]>(`/customer_views?$filter=id eq ${String(customer.id)}`)
    )[0]!;
    const november = async (): Promise<SageRecord> => {
      const rows = await poster.json<SageRecord[]>(
        `/customer_period_value_views?$filter=customer_id eq ${String(customer.id)}`,
      );
      return rows.find((r) => r.analysis_period_start_date === '2026-11-01T00:00:00')!;
    };
    const periodBefore = await november();
    // Read once before the write, so a stale cached view would show.
    await readAll(poster, '/sales_aged_debtor_detailed_views', 'posted_customer_transaction_id');

    const response = await poster.post('/sales_invoices', {
      customer_id: customer.id,
      transaction_date: '2026-11-20',
      reference: 'VIEWS-1',
      document_goods_value: 250,
      document_tax_value: 50,
      tax_analysis_items: [{ id: refsOf(poster.company()).taxCode(1).id, goods_amount: 250, tax_amount: 50 }],
      nominal_analysis_items: [{ code: '4000', value: 250 }],
    });
    expect(response.status).toBe(200);
    const urn = Number((response.body as { urn: string }).urn);

    const [view] = await poster.json<SageRecord[]>(`/sales_transaction_views?$filter=urn eq ${urn}`);
    expect(view).toMatchObject({
      customer_id: customer.id,
      document_gross_value: 300,
      document_outstanding_value: 300,
    });
    const [enquiry] = await poster.json<SageRecord[]>(
      `/customers/${String(customer.id)}/sales_transaction_enquiry_views?$filter=urn eq ${urn}`,
    );
    expect(enquiry).toMatchObject({ reference: 'VIEWS-1', allocation_status: 'AllocationStatusNone' });
    const aged = await poster.json<SageRecord[]>(
      `/sales_aged_debtor_detailed_views?$filter=posted_customer_transaction_id eq ${String(view!.posted_customer_transaction_id)}`,
    );
    expect(aged.map((row) => agedTotal(row, 'doc'))).toEqual([300_00]);
    const periodAfter = await november();
    expect(pence(periodAfter.period_value_total_invoice_value_to_date)).toBe(
      pence(periodBefore.period_value_total_invoice_value_to_date) + 250_00,
    );
    const viewAfter = (
      await poster.json<SageRecord[]>(`/customer_views?$filter=id eq ${String(customer.id)}`)
    )[0]!;
    expect(pence(viewAfter.balance)).toBe(pence(viewBefore.balance) + 300_00);
    await expectAgedBalancesMatch(poster, SALES);
  });
});

describe('retrospective ageing ($periodnumber)', () => {
  let caller: Caller;
  beforeAll(async () => {
    caller = await callerFor(sharedWorldSandbox(), USERS.full);
  });

  /** Pence per customer of a transaction period view answer. */
  const byCustomer = (rows: readonly SageRecord[]): Map<unknown, number> => {
    const totals = new Map<unknown, number>();
    for (const row of rows) {
      totals.set(row.customer_id, (totals.get(row.customer_id) ?? 0) + pence(row.base_outstanding_value));
    }
    return totals;
  };

  it('ages as at today for the current period, as the view without it does', async () => {
    const now = await readAll(caller, '/sales_aged_transaction_period_views', 'customer_id');
    const current = await readAll(
      caller,
      '/sales_aged_transaction_period_views?$periodnumber=0',
      'customer_id',
    );
    expectContractValid('get', '/sales_aged_transaction_period_views', 200, current);
    expect(byCustomer(current)).toEqual(byCustomer(now));
  });

  it("sums each base-currency customer's values as at a past period end to what it owed then", async () => {
    const periods = await readAll(caller, '/financial_year_period_views', 'accounting_period_id');
    const today = new Date().toISOString().slice(0, 10);
    const sorted = [...periods].sort((a, b) =>
      String(a.period_start_date).localeCompare(String(b.period_start_date)),
    );
    const current = sorted.findIndex(
      (p) =>
        String(p.period_start_date).slice(0, 10) <= today && today <= String(p.period_end_date).slice(0, 10),
    );
    const posted = await readAll(caller, '/sales_posted_transactions');
    const customers = await readAll(caller, '/customers');
    const currencies = await readAll(caller, '/currencies');
    const base = currencies.find((c) => c.is_base_currency === true)!.id;
    const baseCustomers = new Set(customers.filter((c) => c.currency_id === base).map((c) => c.id));
    for (const back of [3, 12]) {
      const end = String(sorted[current - back]!.period_end_date);
      const rows = await readAll(
        caller,
        `/sales_aged_transaction_period_views?$periodnumber=${back}`,
        'customer_id',
      );
      expect(rows.length).toBeGreaterThan(0);
      const owed = new Map<unknown, number>();
      for (const t of posted.filter((t) => String(t.transaction_date) <= end)) {
        owed.set(t.customer_id, (owed.get(t.customer_id) ?? 0) + pence(t.base_gross_value));
      }
      const served = byCustomer(rows);
      for (const id of baseCustomers) {
        expect(served.get(id) ?? 0, `customer ${String(id)}, ${back} periods back`).toBe(owed.get(id) ?? 0);
      }
      for (const row of rows) expect(String(row.ageing_date) <= end).toBe(true);
    }
  });
});
