/**
 * The posting endpoints on a full company: each answers its URN (or, for a transfer, the transfer), creates the
 * posted transaction records the URN finds, and moves the account, bank and nominal code balances and the period's
 * `nominal_period_value_views` rows by exactly the posted amounts. Every answer validates against the contract.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { USERS } from '../support/sandbox.ts';
import {
  expectContractValid,
  type Poster,
  pence,
  posterFor,
  postingSandbox,
  type Refs,
  readAll,
  refsOf,
} from './postings-support.ts';

/** A date in November 2026: an open period of the current financial year. */
const DATE = '2026-11-20';

type NominalKey = readonly [reference: string, costCentre: string, department: string];

interface Case {
  path: string;
  body(refs: Refs): Record<string, unknown>;
  /** The customer or supplier whose balance moves, and by how many pence. */
  account?: (refs: Refs) => { table: 'customers' | 'suppliers'; record: SageRecord; delta: number };
  /** Movement of each nominal code, pence, debit positive. */
  nominal: readonly (readonly [...NominalKey, number])[];
  banks: readonly (readonly [code: string, delta: number])[];
  /** Posted records the URN finds: collection, type field value, document gross in the record's sign. */
  records: readonly (readonly [collection: string, type: string, value: number])[];
}

const INVOICE = 'TradingAccountEntryTypeInvoice';
const CREDIT = 'TradingAccountEntryTypeCreditNote';
const CASH = 'TradingAccountEntryTypePurchasePaymentSalesReceipt';
const REFUND = 'TradingAccountEntryTypePurchaseReceiptSalesPayment';
const BANK_RECEIPT = 'BankAccountEntryTypeReceipt';
const BANK_PAYMENT = 'BankAccountEntryTypePayment';

const CASES: Record<string, Case> = {
  'a sales invoice with two tax codes and two sales accounts': {
    path: '/sales_invoices',
    body: (r) => ({
      customer_id: r.customers[1]!.id,
      transaction_date: DATE,
      reference: 'INV-T1',
      document_goods_value: 150,
      document_tax_value: 20,
      tax_analysis_items: [
        { id: r.taxCode(1).id, goods_amount: 100, tax_amount: 20 },
        { id: r.taxCode(2).id, goods_amount: 50, tax_amount: 0 },
      ],
      nominal_analysis_items: [
        { code: '4000', value: 120, narrative: 'Widgets' },
        { code: '4010', value: 30 },
      ],
    }),
    account: (r) => ({ table: 'customers', record: r.customers[1]!, delta: 170_00 }),
    nominal: [
      ['1100', '', '', 170_00],
      ['4000', '', '', -120_00],
      ['4010', '', '', -30_00],
      ['2200', '', '', -20_00],
    ],
    banks: [],
    records: [['sales_posted_transactions', INVOICE, 170]],
  },
  'a sales credit note': {
    path: '/sales_credit_notes',
    body: (r) => ({
      customer_id: r.customers[1]!.id,
      transaction_date: DATE,
      document_goods_value: 40,
      document_tax_value: 8,
      tax_analysis_items: [{ id: r.taxCode(1).id, goods_amount: 40, tax_amount: 8 }],
      nominal_analysis_items: [{ code: '4000', value: 40 }],
    }),
    account: (r) => ({ table: 'customers', record: r.customers[1]!, delta: -48_00 }),
    nominal: [
      ['1100', '', '', -48_00],
      ['4000', '', '', 40_00],
      ['2200', '', '', 8_00],
    ],
    banks: [],
    records: [['sales_posted_transactions', CREDIT, -48]],
  },
  'a sales receipt, on account': {
    path: '/sales_receipts',
    body: (r) => ({
      customer_id: r.customers[2]!.id,
      bank_id: r.bank('CURRENT').id,
      cheque_value: 75.5,
      transaction_date: DATE,
    }),
    account: (r) => ({ table: 'customers', record: r.customers[2]!, delta: -75_50 }),
    nominal: [
      ['1100', '', '', -75_50],
      ['1200', '', '', 75_50],
    ],
    banks: [['CURRENT', 75_50]],
    records: [
      ['sales_posted_transactions', CASH, -75.5],
      ['bank_posted_transactions', BANK_RECEIPT, 75.5],
    ],
  },
  'a sales payment: a refund to a customer': {
    path: '/sales_payments',
    body: (r) => ({
      customer_id: r.customers[3]!.id,
      bank_id: r.bank('CURRENT').id,
      cheque_value: 40,
      transaction_date: DATE,
    }),
    account: (r) => ({ table: 'customers', record: r.customers[3]!, delta: 40_00 }),
    nominal: [
      ['1100', '', '', 40_00],
      ['1200', '', '', -40_00],
    ],
    banks: [['CURRENT', -40_00]],
    records: [
      ['sales_posted_transactions', REFUND, 40],
      ['bank_posted_transactions', BANK_PAYMENT, 40],
    ],
  },
  'a purchase invoice': {
    path: '/purchase_invoices',
    body: (r) => ({
      supplier_id: r.suppliers[0]!.id,
      transaction_date: DATE,
      document_goods_value: 200,
      document_tax_value: 40,
      tax_analysis_items: [{ id: r.taxCode(1).id, goods_amount: 200, tax_amount: 40 }],
      nominal_analysis_items: [
        { code: '7000', department: 'ADM', value: 150 },
        { code: '5000', value: 50 },
      ],
    }),
    account: (r) => ({ table: 'suppliers', record: r.suppliers[0]!, delta: 240_00 }),
    nominal: [
      ['2100', '', '', -240_00],
      ['7000', '', 'ADM', 150_00],
      ['5000', '', '', 50_00],
      ['2201', '', '', 40_00],
    ],
    banks: [],
    records: [['purchase_posted_transactions', INVOICE, 240]],
  },
  'a purchase credit note': {
    path: '/purchase_credit_notes',
    body: (r) => ({
      supplier_id: r.suppliers[0]!.id,
      transaction_date: DATE,
      document_goods_value: 20,
      document_tax_value: 4,
      tax_analysis_items: [{ id: r.taxCode(1).id, goods_amount: 20, tax_amount: 4 }],
      nominal_analysis_items: [{ code: '5000', value: 20 }],
    }),
    account: (r) => ({ table: 'suppliers', record: r.suppliers[0]!, delta: -24_00 }),
    nominal: [
      ['2100', '', '', 24_00],
      ['5000', '', '', -20_00],
      ['2201', '', '', -4_00],
    ],
    banks: [],
    records: [['purchase_posted_transactions', CREDIT, -24]],
  },
  'a purchase payment, on account': {
    path: '/purchase_payments',
    body: (r) => ({
      supplier_id: r.suppliers[1]!.id,
      bank_id: r.bank('CURRENT').id,
      cheque_value: 60,
      transaction_date: DATE,
    }),
    account: (r) => ({ table: 'suppliers', record: r.suppliers[1]!, delta: -60_00 }),
    nominal: [
      ['2100', '', '', 60_00],
      ['1200', '', '', -60_00],
    ],
    banks: [['CURRENT', -60_00]],
    records: [
      ['purchase_posted_transactions', CASH, -60],
      ['bank_posted_transactions', BANK_PAYMENT, 60],
    ],
  },
  'a purchase receipt: a refund from a supplier': {
    path: '/purchase_receipts',
    body: (r) => ({
      supplier_id: r.suppliers[2]!.id,
      bank_id: r.bank('DEPOSIT').id,
      cheque_value: 25,
      transaction_date: DATE,
    }),
    account: (r) => ({ table: 'suppliers', record: r.suppliers[2]!, delta: 25_00 }),
    nominal: [
      ['2100', '', '', -25_00],
      ['1210', '', '', 25_00],
    ],
    banks: [['DEPOSIT', 25_00]],
    records: [
      ['purchase_posted_transactions', REFUND, 25],
      ['bank_posted_transactions', BANK_RECEIPT, 25],
    ],
  },
  'a bank payment with a vatable and a non-vatable line': {
    path: '/bank_payment',
    body: (r) => ({
      bank_id: r.bank('CURRENT').id,
      transaction_date: DATE,
      reference: 'DD',
      narrative: 'Stationery and wages',
      nominal_analysis_items: [
        { code: '7500', goods_value: 10, tax_value: 2, gross_value: 12, tax_code_id: r.taxCode(1).id },
        { code: '7000', department: 'SAL', goods_value: 100 },
      ],
    }),
    nominal: [
      ['7500', '', '', 10_00],
      ['7000', '', 'SAL', 100_00],
      ['2201', '', '', 2_00],
      ['1200', '', '', -112_00],
    ],
    banks: [['CURRENT', -112_00]],
    records: [['bank_posted_transactions', BANK_PAYMENT, 112]],
  },
  'a bank receipt worked out from its gross value': {
    path: '/bank_receipt',
    body: (r) => ({
      bank_id: r.bank('DEPOSIT').id,
      transaction_date: DATE,
      nominal_analysis_items: [{ code: '4900', gross_value: 60, tax_code_id: r.taxCode(1).id }],
    }),
    nominal: [
      ['1210', '', '', 60_00],
      ['4900', '', '', -50_00],
      ['2200', '', '', -10_00],
    ],
    banks: [['DEPOSIT', 60_00]],
    records: [['bank_posted_transactions', BANK_RECEIPT, 60]],
  },
};

async function one(poster: Poster, path: string): Promise<SageRecord> {
  const [record] = await poster.json<SageRecord[]>(path);
  if (!record) throw new Error(`nothing at ${path}`);
  return record;
}

describe('posting endpoints on a full company', () => {
  let app: SandboxApp;
  let poster: Poster;
  let refs: Refs;
  let periodId: unknown;

  beforeAll(async () => {
    app = postingSandbox(['full']);
    poster = await posterFor(app, USERS.full);
    refs = refsOf(poster.company());
    const period = await one(
      poster,
      `/financial_year_period_views?$filter=period_start_date le ${DATE} and period_end_date ge ${DATE}`,
    );
    periodId = period.accounting_period_id;
  });

  const periodValue = async (code: SageRecord): Promise<number> =>
    pence(
      (
        await one(
          poster,
          `/nominal_period_value_views?$filter=nominal_code_id eq ${code.id} and accounting_period_id eq ${periodId}`,
        )
      ).nominal_period_value_actual_value,
    );

  it.each(Object.entries(CASES))(
    'posts %s and moves every balance by exactly its amounts',
    async (_name, c) => {
      const codes = c.nominal.map(([ref, cc, dept, delta]) => ({ code: refs.nominal(ref, cc, dept), delta }));
      const account = c.account?.(refs);
      const before = {
        codes: await Promise.all(
          codes.map(async ({ code }) =>
            pence((await poster.json<SageRecord>(`/nominal_codes/${code.id}`)).balance_year_to_date),
          ),
        ),
        periods: await Promise.all(codes.map(({ code }) => periodValue(code))),
        banks: await Promise.all(
          c.banks.map(async ([code]) =>
            pence((await poster.json<SageRecord>(`/banks/${refs.bank(code).id}`)).balance),
          ),
        ),
        account: account
          ? pence((await poster.json<SageRecord>(`/${account.table}/${account.record.id}`)).balance)
          : 0,
      };
      const clockBefore = app.sandbox.clock.now();

      const response = await poster.post(c.path, c.body(refs));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expectContractValid('post', c.path, 200, response.body);
      const urn = (response.body as { urn: string }).urn;
      expect(urn).toMatch(/^\d+$/);

      for (const [collection, type, value] of c.records) {
        const found = await poster.json<SageRecord[]>(`/${collection}?$filter=urn eq ${urn}`);
        expectContractValid('get', `/${collection}`, 200, found);
        expect(found).toHaveLength(1);
        const record = found[0]!;
        expect(record.trader_transaction_type ?? record.bank_transaction_type).toBe(type);
        expect(record.document_gross_value ?? record.cheque_value).toBe(value);
        expect(record.transaction_date).toBe(`${DATE}T00:00:00`);
        const created = Date.parse(String(record.date_time_created));
        expect(created).toBeGreaterThanOrEqual(clockBefore);
        expect(created).toBeLessThanOrEqual(app.sandbox.clock.now());
      }

      const after = {
        codes: await Promise.all(
          codes.map(async ({ code }) =>
            pence((await poster.json<SageRecord>(`/nominal_codes/${code.id}`)).balance_year_to_date),
          ),
        ),
        periods: await Promise.all(codes.map(({ code }) => periodValue(code))),
        banks: await Promise.all(
          c.banks.map(async ([code]) =>
            pence((await poster.json<SageRecord>(`/banks/${refs.bank(code).id}`)).balance),
          ),
        ),
        account: account
          ? pence((await poster.json<SageRecord>(`/${account.table}/${account.record.id}`)).balance)
          : 0,
      };
      const deltas = codes.map(({ delta }) => delta);
      expect(after.codes.map((v, i) => v - before.codes[i]!)).toEqual(deltas);
      expect(after.periods.map((v, i) => v - before.periods[i]!)).toEqual(deltas);
      expect(after.banks.map((v, i) => v - before.banks[i]!)).toEqual(c.banks.map(([, delta]) => delta));
      expect(after.account - before.account).toBe(account?.delta ?? 0);
    },
  );

  it('gives a trade receipt one URN for its sales and cash book records, and the account a new date_time_updated', async () => {
    const customer = refs.customers[3]!;
    const response = await poster.post('/sales_receipts', {
      customer_id: customer.id,
      bank_id: refs.bank('CURRENT').id,
      cheque_value: 10,
    });
    expect(response.status).toBe(200);
    const urn = Number((response.body as { urn: string }).urn);
    const [sales] = await poster.json<SageRecord[]>(`/sales_posted_transactions?$filter=urn eq ${urn}`);
    const [bank] = await poster.json<SageRecord[]>(`/bank_posted_transactions?$filter=urn eq ${urn}`);
    expect(sales?.urn).toBe(urn);
    expect(bank?.urn).toBe(urn);
    expect(sales?.document_outstanding_value).toBe(-10);
    expect(sales?.document_allocated_value).toBe(0);
    const updated = await poster.json<SageRecord>(`/customers/${customer.id}`);
    expect(updated.date_time_updated).toBe(sales?.date_time_created);
    const synced = await poster.json<SageRecord[]>(
      `/customers?$filter=date_time_updated ge ${String(sales?.date_time_created)}`,
    );
    expect(synced.map((c) => c.id)).toContain(customer.id);
  });

  it('defaults the date to the sandbox clock and the analysis to the account defaults', async () => {
    const customer = refs.customers[4]!;
    const response = await poster.post('/sales_invoices', {
      customer_id: customer.id,
      document_goods_value: 10,
      document_tax_value: 2,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const urn = (response.body as { urn: string }).urn;
    const record = await one(poster, `/sales_posted_transactions?$filter=urn eq ${urn}`);
    const today = new Date(app.sandbox.clock.now()).toISOString().slice(0, 10);
    expect(record.transaction_date).toBe(`${today}T00:00:00`);
    expect(record.tax_analysis_items).toMatchObject([
      { id: customer.default_tax_code_id, goods_amount: 10, tax_amount: 2 },
    ]);
    expect(record.nominal_analysis_items).toMatchObject([
      { code: customer.default_nominal_code_reference, value: 10 },
    ]);
  });

  it('moves money between banks with a transfer, answering the transfer as Sage does', async () => {
    const [current, deposit] = [refs.bank('CURRENT'), refs.bank('DEPOSIT')];
    const balance = async (bank: SageRecord) =>
      pence((await poster.json<SageRecord>(`/banks/${bank.id}`)).balance);
    const before = [await balance(current), await balance(deposit)];
    const response = await poster.post('/bank_transfer', {
      bank_from_id: current.id,
      bank_to_id: deposit.id,
      payment_value: 300,
      reference: 'TFR-T1',
      transaction_date: DATE,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectContractValid('post', '/bank_transfer', 200, response.body);
    expect(response.body).toMatchObject({
      bank_from_id: current.id,
      bank_to_id: deposit.id,
      payment_value: 300,
      receipt_value: 300,
    });
    expect([await balance(current), await balance(deposit)]).toEqual([
      before[0]! - 300_00,
      before[1]! + 300_00,
    ]);
    const entries = await poster.json<SageRecord[]>(
      `/bank_posted_transactions?$filter=reference eq 'TFR-T1'`,
    );
    expect(entries.map((e) => [e.bank_id, e.bank_transaction_type, e.cheque_value])).toEqual([
      [current.id, BANK_PAYMENT, 300],
      [deposit.id, BANK_RECEIPT, 300],
    ]);
    expect(entries[0]?.urn).toBe(entries[1]?.urn);
  });

  it('creates the period value row of a future period, and leaves the current-year balances alone', async () => {
    const date = '2027-02-10';
    const code = refs.nominal('4010');
    const period = await one(
      poster,
      `/financial_year_period_views?$filter=period_start_date le ${date} and period_end_date ge ${date}`,
    );
    const rows = (id: unknown) =>
      poster.json<SageRecord[]>(
        `/nominal_period_value_views?$filter=nominal_code_id eq ${code.id} and accounting_period_id eq ${id}`,
      );
    expect(await rows(period.accounting_period_id)).toEqual([]);
    const before = (await poster.json<SageRecord>(`/nominal_codes/${code.id}`)).balance_year_to_date;
    const response = await poster.post('/sales_invoices', {
      customer_id: refs.customers[5]!.id,
      transaction_date: date,
      document_goods_value: 99,
      document_tax_value: 0,
      tax_analysis_items: [{ id: refs.taxCode(2).id }],
      nominal_analysis_items: [{ code: '4010' }],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const created = await rows(period.accounting_period_id);
    expectContractValid('get', '/nominal_period_value_views', 200, created);
    expect(created).toMatchObject([
      {
        nominal_code_reference: '4010',
        nominal_period_value_actual_value: -99,
        year_relative_to_current_year: 1,
      },
    ]);
    expect((await poster.json<SageRecord>(`/nominal_codes/${code.id}`)).balance_year_to_date).toBe(before);
  });

  it('posts an invoice for an account in a foreign currency at its rate, the ledger in base currency', async () => {
    const company = poster.company();
    const eur = company.collections.currencies.find((c) => c.name === 'Euro')!;
    const customer = company.collections.customers.find((c) => c.currency_id === eur.id);
    if (!customer) throw new Error('the small world has no euro customer');
    const debtors = refs.nominal('1100');
    const before = pence(
      (await poster.json<SageRecord>(`/nominal_codes/${debtors.id}`)).balance_year_to_date,
    );
    const response = await poster.post('/sales_invoices', {
      customer_id: customer.id,
      transaction_date: DATE,
      document_goods_value: 117,
      document_tax_value: 0,
      tax_analysis_items: [{ id: refs.taxCode(2).id }],
      nominal_analysis_items: [{ code: '4020' }],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const urn = (response.body as { urn: string }).urn;
    const record = await one(poster, `/sales_posted_transactions?$filter=urn eq ${urn}`);
    expect(record).toMatchObject({ document_gross_value: 117, base_gross_value: 100, exchange_rate: 1.17 });
    expect(
      pence((await poster.json<SageRecord>(`/nominal_codes/${debtors.id}`)).balance_year_to_date) - before,
    ).toBe(100_00);
  });

  it('keeps every balance read through the API consistent after the postings above', async () => {
    const values = await readAll(poster, '/nominal_period_value_views', 'nominal_period_value_id');
    const byPeriod = new Map<unknown, number>();
    for (const row of values) {
      byPeriod.set(
        row.accounting_period_id,
        (byPeriod.get(row.accounting_period_id) ?? 0) + pence(row.nominal_period_value_actual_value),
      );
    }
    for (const [period, total] of byPeriod) expect(total, `period ${String(period)}`).toBe(0);
  });
});
