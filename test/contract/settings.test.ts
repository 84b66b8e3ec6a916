/**
 * The settings endpoints (`/system_settings`, `/sales_ledger_settings`, ...): one record per company that agrees
 * with the company's own records, OData on the lists, and the three PUTs Sage's files list, which change only the
 * fields sent, refuse read-only fields and non-members of an enum with the validator's message, and are refused
 * on trial sites. Every answer is held to the contract by the writer helper.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;

/** Every settings resource the contract describes. */
const SETTINGS = loadCatalog()
  .resources.filter((r) => r.path.endsWith('_settings'))
  .map((r) => r.path);

describe('settings', () => {
  let app: SandboxApp;
  let full: Writer;
  const one = async (path: string): Promise<Row> => {
    const rows = await full.ok<Row[]>('GET', path);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  beforeAll(async () => {
    app = testSandbox();
    full = await writerFor(app, USERS.full);
  });

  it.each(SETTINGS)('/%s holds one record, also served at /{Id}', async (path) => {
    const record = await one(`/${path}`);
    expect(await full.ok('GET', `/${path}/${String(record.id)}`)).toEqual(record);
  });

  it("defaults each ledger to the company's standard-rate tax code", async () => {
    const [standard] = await full.ok<Row[]>('GET', '/tax_codes?$filter=code eq 1');
    expect(standard).toMatchObject({ name: 'Std Rate', tax_rate: 20 });
    for (const path of ['/sales_ledger_settings', '/purchase_ledger_settings']) {
      expect((await one(path)).default_tax_code_id).toBe(standard!.id);
    }
    const expanded = await full.ok<Row[]>('GET', '/sales_ledger_settings?$expand=default_tax_code');
    expect(expanded[0]!.default_tax_code).toEqual(standard);
  });

  it("ends the financial year where the calendar's current year ends", async () => {
    const periods = await full.ok<Row[]>(
      'GET',
      '/financial_year_period_views?$filter=year_relative_to_current_year eq 0&$top=1',
    );
    expect((await one('/system_settings')).financial_year_end_date).toBe(periods[0]!.financial_year_end_date);
  });

  it('names a real default bank and a nominal account of the chart', async () => {
    const { default_bank_account_id } = await one('/cash_book_settings');
    const bank = await full.ok('GET', `/banks/${String(default_bank_account_id)}`);
    expect(bank.code).toBe('CURRENT');
    const pop = await one('/pop_settings');
    const nominal = await full.ok('GET', `/nominal_codes/${String(pop.price_difference_nominal_code_id)}`);
    expect(nominal.reference).toBe(pop.variances_nominal_account_reference);
  });

  it('keeps to one location while the company has one warehouse', async () => {
    const warehouses = await full.ok<Row[]>('GET', '/warehouses');
    expect((await one('/stock_settings')).use_multiple_locations).toBe(warehouses.length > 1);
  });

  it('answers $select on a settings list', async () => {
    const rows = await full.ok<Row[]>('GET', '/sales_ledger_settings?$select=id,statement_terms');
    expect(rows).toEqual([{ id: expect.any(Number), statement_terms: 'StatementTermsAllTransactions' }]);
  });

  it('PUT changes only the fields sent and keeps the change', async () => {
    const before = await one('/sales_ledger_settings');
    const path = `/sales_ledger_settings/${String(before.id)}`;
    const answer = await full.ok('PUT', path, {
      default_payment_terms_days: 45,
      statement_terms: 'StatementTermsOutstandingTransactions',
    });
    expect(answer).toMatchObject({
      ...before,
      default_payment_terms_days: 45,
      statement_terms: 'StatementTermsOutstandingTransactions',
      date_time_updated: expect.any(String),
    });
    expect(await full.ok('GET', path)).toEqual(answer);

    const system = await one('/system_settings');
    const changed = await full.ok('PUT', `/system_settings/${String(system.id)}`, {
      number_open_periods: 3,
      transaction_date_validation: { future_year_classification: 'Acceptable' },
    });
    expect(changed.number_open_periods).toBe(3);
    expect(changed.transaction_date_validation).toMatchObject({
      ...(system.transaction_date_validation as Row),
      future_year_classification: 'Acceptable',
      date_time_updated: expect.any(String),
    });
  });

  it.each([
    [
      'a read-only field',
      '/system_settings',
      { financial_year_end_date: '2030-12-31T00:00:00' },
      'The field financial_year_end_date is read-only.',
    ],
    [
      'a value its enumeration lacks',
      '/purchase_ledger_settings',
      { default_payment_terms_basis: 'PaymentDueWhenever' },
      "The value 'PaymentDueWhenever' is not valid for default_payment_terms_basis. Valid values: PaymentDueFromDocumentDate, PaymentDueFromCalendarMonth.",
    ],
    [
      'an unknown default tax code',
      '/sales_ledger_settings',
      { default_tax_code_id: 987654321 },
      "No tax code was found with the Id '987654321' given in default_tax_code_id.",
    ],
  ])('PUT refuses %s with a 400 and changes nothing', async (_what, path, body, message) => {
    const record = await one(path);
    const before = snapshot(full.company);
    const answer = await full.send('PUT', `${path}/${String(record.id)}`, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ Message: message });
    expect(snapshot(full.company)).toBe(before);
  });

  it('refuses every settings PUT on a trial site, changing nothing', async () => {
    const trial = await writerFor(app, USERS.trial);
    for (const path of ['/system_settings', '/sales_ledger_settings', '/purchase_ledger_settings']) {
      const [record] = await trial.ok<Row[]>('GET', path);
      const before = snapshot(trial.company);
      const answer = await trial.send('PUT', `${path}/${String(record!.id)}`, { next_account_number: 7 });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        Message:
          'This is a trial account. Trial accounts cannot create or update records through the Sage 200 API.',
      });
      expect(snapshot(trial.company)).toBe(before);
    }
  });
});
