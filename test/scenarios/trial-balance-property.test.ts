/**
 * Property: after any sequence of valid postings (random endpoints, accounts, banks, nominal codes, tax codes,
 * amounts in pence and dates in open periods) the books still add up, read through the API as an integrator reads
 * them. The trial balance is zero in every period (on the sandbox company it stays off by exactly
 * SANDBOX_IMBALANCE), customer and supplier balances equal their control accounts, bank balances equal their
 * nominal codes, nominal code balances equal their period values, and every answer matches the contract.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SANDBOX_IMBALANCE } from '../../mock-server/seed/index.ts';
import { trialBalance } from '../../mock-server/world/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import {
  expectContractValid,
  type Poster,
  pence,
  posterFor,
  postingSandbox,
  type Refs,
  readAll,
  refsOf,
} from '../contract/postings-support.ts';
import { USERS } from '../support/sandbox.ts';

type NominalKey = readonly [reference: string, costCentre: string, department: string];

const SALES_ACCOUNTS: readonly NominalKey[] = [
  ['4000', '', ''],
  ['4010', '', ''],
  ['4900', '', ''],
];
const COST_ACCOUNTS: readonly NominalKey[] = [
  ['5000', '', ''],
  ['5100', '', ''],
  ['7000', '', 'ADM'],
  ['7000', '', 'PRD'],
  ['7100', 'NTH', ''],
  ['7100', 'STH', ''],
  ['7500', '', ''],
];
const BANKS = ['CURRENT', 'DEPOSIT', 'PETTY'] as const;
/** Tax codes by Sage code: Exempt, Std Rate (20%), Zero Rated. */
const TAX_CODES = [0, 1, 2] as const;
const RATES: Readonly<Record<(typeof TAX_CODES)[number], number>> = { 0: 0, 1: 20, 2: 0 };

const DAY_MS = 86_400_000;
/** Open periods: the current year 2026 and the next, 2027. */
const FIRST_OPEN_DAY = Date.UTC(2026, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2027, 11, 31) / DAY_MS;

const amount = fc.integer({ min: 1, max: 2_000_000 });
const date = fc
  .integer({ min: FIRST_OPEN_DAY, max: LAST_DAY })
  .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
const line = (accounts: readonly NominalKey[]) =>
  fc.record({ account: fc.constantFrom(...accounts), tax: fc.constantFrom(...TAX_CODES), goods: amount });

const command = fc.oneof(
  fc.record({
    type: fc.constantFrom('sales_invoices', 'sales_credit_notes'),
    account: fc.nat(),
    date,
    lines: fc.array(line(SALES_ACCOUNTS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constantFrom('purchase_invoices', 'purchase_credit_notes'),
    account: fc.nat(),
    date,
    lines: fc.array(line(COST_ACCOUNTS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constantFrom('sales_receipts', 'purchase_payments'),
    account: fc.nat(),
    bank: fc.constantFrom(...BANKS),
    date,
    value: amount,
  }),
  fc.record({
    type: fc.constantFrom('bank_payment', 'bank_receipt'),
    bank: fc.constantFrom(...BANKS),
    date,
    lines: fc.array(
      fc.record({
        account: fc.constantFrom(...COST_ACCOUNTS, ...SALES_ACCOUNTS),
        tax: fc.constantFrom(null, ...TAX_CODES),
        goods: amount,
        grossOnly: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    type: fc.constant('bank_transfer'),
    banks: fc.shuffledSubarray([...BANKS], { minLength: 2, maxLength: 2 }),
    date,
    value: amount,
  }),
);

type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const pounds = (p: number): number => p / 100;
const vat = (goods: number, code: (typeof TAX_CODES)[number] | null): number =>
  code === null ? 0 : Math.round((goods * RATES[code]) / 100);

function nominalLine([code, costCentre, department]: NominalKey): Record<string, string> {
  return { code, cost_centre: costCentre, department };
}

/** The request a command stands for, on the company `refs` describes. */
function requestOf(cmd: Command, refs: Refs): { path: string; body: Record<string, unknown> } {
  switch (cmd.type) {
    case 'sales_invoices':
    case 'sales_credit_notes':
    case 'purchase_invoices':
    case 'purchase_credit_notes': {
      const sales = cmd.type.startsWith('sales');
      const accounts = sales ? refs.customers : refs.suppliers;
      const account = accounts[cmd.account % accounts.length]!;
      const byCode = new Map<number, { goods: number; tax: number }>();
      for (const l of cmd.lines) {
        const t = byCode.get(l.tax) ?? { goods: 0, tax: 0 };
        t.goods += l.goods;
        t.tax += vat(l.goods, l.tax);
        byCode.set(l.tax, t);
      }
      const goods = cmd.lines.reduce((s, l) => s + l.goods, 0);
      const tax = [...byCode.values()].reduce((s, t) => s + t.tax, 0);
      return {
        path: `/${cmd.type}`,
        body: {
          [sales ? 'customer_id' : 'supplier_id']: account.id,
          transaction_date: cmd.date,
          reference: `P${cmd.lines.length}`,
          document_goods_value: pounds(goods),
          document_tax_value: pounds(tax),
          tax_analysis_items: [...byCode].map(([code, t]) => ({
            id: refs.taxCode(code).id,
            goods_amount: pounds(t.goods),
            tax_amount: pounds(t.tax),
          })),
          nominal_analysis_items: cmd.lines.map((l) => ({
            ...nominalLine(l.account),
            value: pounds(l.goods),
          })),
        },
      };
    }
    case 'sales_receipts':
    case 'purchase_payments': {
      const sales = cmd.type === 'sales_receipts';
      const accounts = sales ? refs.customers : refs.suppliers;
      return {
        path: `/${cmd.type}`,
        body: {
          [sales ? 'customer_id' : 'supplier_id']: accounts[cmd.account % accounts.length]!.id,
          bank_id: refs.bank(cmd.bank).id,
          cheque_value: pounds(cmd.value),
          transaction_date: cmd.date,
        },
      };
    }
    case 'bank_payment':
    case 'bank_receipt':
      return {
        path: `/${cmd.type}`,
        body: {
          bank_id: refs.bank(cmd.bank).id,
          transaction_date: cmd.date,
          nominal_analysis_items: cmd.lines.map((l) => {
            const tax = vat(l.goods, l.tax);
            const taxCode = l.tax === null ? {} : { tax_code_id: refs.taxCode(l.tax).id };
            return l.grossOnly && l.tax !== null
              ? { ...nominalLine(l.account), ...taxCode, gross_value: pounds(l.goods + tax) }
              : {
                  ...nominalLine(l.account),
                  ...taxCode,
                  goods_value: pounds(l.goods),
                  tax_value: pounds(tax),
                };
          }),
        },
      };
    case 'bank_transfer':
      return {
        path: '/bank_transfer',
        body: {
          bank_from_id: refs.bank(cmd.banks[0]!).id,
          bank_to_id: refs.bank(cmd.banks[1]!).id,
          payment_value: pounds(cmd.value),
          transaction_date: cmd.date,
        },
      };
    default: {
      const never: never = cmd;
      throw new Error(`no request for ${JSON.stringify(never)}`);
    }
  }
}

const sumBy = <K>(rows: readonly SageRecord[], key: (row: SageRecord) => K): Map<K, number> => {
  const totals = new Map<K, number>();
  for (const row of rows)
    totals.set(key(row), (totals.get(key(row)) ?? 0) + pence(row.nominal_period_value_actual_value));
  return totals;
};

/** Reads the books through the API and checks every invariant an integrator's sync relies on. */
async function expectBooksAddUp(poster: Poster, imbalance: number): Promise<void> {
  const values = await readAll(poster, '/nominal_period_value_views', 'nominal_period_value_id');
  expectContractValid('get', '/nominal_period_value_views', 200, values);
  const periods = await readAll(poster, '/financial_year_period_views', 'accounting_period_id');
  const firstPeriod = [...periods].sort((a, b) =>
    String(a.period_start_date).localeCompare(String(b.period_start_date)),
  )[0];

  // The trial balance: zero in every period, but for the sandbox company's documented January 2025 fault.
  const byPeriod = sumBy(values, (row) => row.accounting_period_id);
  for (const [period, total] of byPeriod) {
    expect(total, `period ${String(period)}`).toBe(
      period === firstPeriod?.accounting_period_id ? imbalance : 0,
    );
  }
  for (const [period, total] of trialBalance(poster.company())) {
    expect(pence(total), `ledger period ${period}`).toBe(
      period === firstPeriod?.accounting_period_id ? imbalance : 0,
    );
  }

  const byCode = sumBy(values, (row) => row.nominal_code_id);
  const codes = await readAll(poster, '/nominal_codes');
  const balanceOf = (reference: string) =>
    codes.filter((c) => c.reference === reference).reduce((s, c) => s + (byCode.get(c.id) ?? 0), 0);
  const customers = await readAll(poster, '/customers');
  const suppliers = await readAll(poster, '/suppliers');
  expect(
    customers.reduce((s, c) => s + pence(c.balance), 0),
    'customers against 1100',
  ).toBe(balanceOf('1100'));
  expect(
    suppliers.reduce((s, c) => s + pence(c.balance), 0),
    'suppliers against 2100',
  ).toBe(-balanceOf('2100'));

  for (const bank of await readAll(poster, '/banks')) {
    expect(pence(bank.balance), `bank ${String(bank.code)}`).toBe(
      balanceOf(String(bank.bank_account_nominal_reference)),
    );
  }
  const currentYear = sumBy(
    values.filter((row) => row.year_relative_to_current_year === 0),
    (row) => row.nominal_code_id,
  );
  for (const code of codes) {
    expect(pence(code.balance_year_to_date), `nominal code ${String(code.reference)}`).toBe(
      pence(code.brought_forward_balance) + (currentYear.get(code.id) ?? 0),
    );
  }
}

async function postAll(poster: Poster, refs: Refs, commands: readonly Command[]): Promise<void> {
  for (const cmd of commands) {
    const { path, body } = requestOf(cmd, refs);
    const response = await poster.post(path, body);
    expect(response.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`).toBe(200);
    expectContractValid('post', path, 200, response.body);
  }
}

describe('random posting sequences keep the books adding up', () => {
  it.each([
    ['a full company', USERS.full, 'full', 0, 20],
    ['the sandbox company', USERS.sandbox, 'sandbox', pence(SANDBOX_IMBALANCE), 8],
  ] as const)('on %s', async (_name, email, kind, imbalance, numRuns) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const app = postingSandbox([kind]);
        const poster = await posterFor(app, email);
        await postAll(poster, refsOf(poster.company()), commands);
        await expectBooksAddUp(poster, imbalance);
      }),
      { numRuns },
    );
  });
});
