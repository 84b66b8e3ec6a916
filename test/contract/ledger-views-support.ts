/**
 * The identities the nominal and bank views keep, read through the API: the enquiry view summed by nominal code and
 * accounting period is `/nominal_period_value_views`, and each bank view is its bank, whose balance is its nominal
 * code's rows and whose posted transactions are on that code.
 */
import { expect } from 'vitest';
import type { SageRecord } from '../../mock-server/world/model.ts';
import type { Caller } from '../support/sandbox.ts';
import { pence, readAll } from './postings-support.ts';

export const ENQUIRY = '/nominal_transaction_enquiry_views';

/** Debit minus credit, pence, by `nominal code id/accounting period id`. */
function enquiryTotals(rows: readonly SageRecord[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const key = `${String(row.nominal_code_id)}/${String(row.accounting_period_id)}`;
    totals.set(key, (totals.get(key) ?? 0) + pence(row.debit) - pence(row.credit));
  }
  return totals;
}

/** The enquiry view summed by nominal code and period is exactly the period values, and no entry lies elsewhere. */
export async function expectEnquiryMatchesPeriodValues(caller: Caller): Promise<void> {
  const rows = await readAll(caller, ENQUIRY);
  const values = await readAll(caller, '/nominal_period_value_views', 'nominal_period_value_id');
  expect(rows.length).toBeGreaterThan(0);
  const totals = enquiryTotals(rows);
  for (const value of values) {
    const key = `${String(value.nominal_code_id)}/${String(value.accounting_period_id)}`;
    expect(totals.get(key) ?? 0, key).toBe(pence(value.nominal_period_value_actual_value));
    totals.delete(key);
  }
  expect([...totals.keys()], 'entries outside every period value row').toEqual([]);
}

/** Each bank view is its bank; its balance is its nominal code's rows; each bank transaction is on that code. */
export async function expectBanksAgree(caller: Caller): Promise<void> {
  const banks = await readAll(caller, '/banks');
  const views = await readAll(caller, '/bank_views');
  const codes = await readAll(caller, '/nominal_codes');
  expect(views.map((v) => v.id).sort()).toEqual(banks.map((b) => b.id).sort());
  for (const bank of banks) {
    const view = views.find((v) => v.id === bank.id)!;
    for (const field of ['code', 'description', 'balance', 'balance_in_base', 'statement_balance'] as const) {
      expect(view[field], `${String(bank.code)} ${field}`).toEqual(bank[field]);
    }
    expect(view.currency_id).toBe(bank.account_currency_id);
    const nominal = codes.find(
      (c) =>
        c.reference === bank.bank_account_nominal_reference &&
        c.cost_centre_code === bank.bank_account_nominal_cost_centre &&
        c.department_code === bank.bank_account_nominal_department,
    )!;
    const rows = await readAll(caller, `/nominal_codes/${String(nominal.id)}${ENQUIRY}`);
    const net = rows.reduce((sum, row) => sum + pence(row.debit) - pence(row.credit), 0);
    expect(net, `bank ${String(bank.code)} against its nominal code`).toBe(pence(bank.balance));
    const byUrn = new Map<number, number>();
    for (const row of rows)
      byUrn.set(Number(row.urn), (byUrn.get(Number(row.urn)) ?? 0) + pence(row.debit) - pence(row.credit));
    const transactions = await readAll(caller, `/banks/${String(bank.id)}/bank_posted_transactions`);
    for (const t of transactions) {
      const receipt = t.bank_transaction_type === 'BankAccountEntryTypeReceipt';
      expect(byUrn.get(Number(t.urn)), `bank transaction URN ${String(t.urn)}`).toBe(
        (receipt ? 1 : -1) * pence(t.cheque_value),
      );
    }
  }
}
