/**
 * Random valid postings for property tests (fast-check): a command arbitrary over every posting endpoint (invoices,
 * credit notes, receipts, payments, refunds, bank payments, receipts and transfers, on seeded accounts, banks, nominal and tax
 * codes, with amounts in pence and dates in open periods), the request each stands for, and a poster that sends them.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { expectContractValid, type Poster, type Refs } from './postings-support.ts';

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
/** A date in an open period, as a posting body writes it (`2026-03-01`). */
export const openDate = fc
  .integer({ min: FIRST_OPEN_DAY, max: LAST_DAY })
  .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
const line = (accounts: readonly NominalKey[]) =>
  fc.record({ account: fc.constantFrom(...accounts), tax: fc.constantFrom(...TAX_CODES), goods: amount });

/** One random posting. */
export const command = fc.oneof(
  fc.record({
    type: fc.constantFrom('sales_invoices', 'sales_credit_notes'),
    account: fc.nat(),
    date: openDate,
    lines: fc.array(line(SALES_ACCOUNTS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constantFrom('purchase_invoices', 'purchase_credit_notes'),
    account: fc.nat(),
    date: openDate,
    lines: fc.array(line(COST_ACCOUNTS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constantFrom('sales_receipts', 'purchase_payments', 'sales_payments', 'purchase_receipts'),
    account: fc.nat(),
    bank: fc.constantFrom(...BANKS),
    date: openDate,
    value: amount,
  }),
  fc.record({
    type: fc.constantFrom('bank_payment', 'bank_receipt'),
    bank: fc.constantFrom(...BANKS),
    date: openDate,
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
    date: openDate,
    value: amount,
  }),
);

export type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const pounds = (p: number): number => p / 100;
const vat = (goods: number, code: (typeof TAX_CODES)[number] | null): number =>
  code === null ? 0 : Math.round((goods * RATES[code]) / 100);

function nominalLine([code, costCentre, department]: NominalKey): Record<string, string> {
  return { code, cost_centre: costCentre, department };
}

/** The request a command stands for, on the company `refs` describes. */
export function requestOf(cmd: Command, refs: Refs): { path: string; body: Record<string, unknown> } {
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
    case 'purchase_payments':
    case 'sales_payments':
    case 'purchase_receipts': {
      const sales = cmd.type.startsWith('sales');
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

/** Posts each command in turn; every one must answer 200 with a body that matches the contract. */
export async function postAll(poster: Poster, refs: Refs, commands: readonly Command[]): Promise<void> {
  for (const cmd of commands) {
    const { path, body } = requestOf(cmd, refs);
    const response = await poster.post(path, body);
    expect(response.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`).toBe(200);
    expectContractValid('post', path, 200, response.body);
  }
}
