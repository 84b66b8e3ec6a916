/**
 * The trading group's euro company through the API (mock-server/seed/foreign-currency.ts): rates that move month by
 * month, suppliers invoiced and paid in euros and dollars at the rate of their dates, a euro bank revalued at each
 * month end, and postings to the euro bank accepted in euros and balanced in base currency.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { GROUP_USER } from '../../mock-server/seed/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { TEST_DATES } from '../support/as-of.ts';
import { groupTestSandbox } from '../support/sandbox.ts';
import { type Writer, writerFor } from '../support/writes.ts';

/** The euro company's place on the group user's first site. */
const EURO_COMPANY = 1;

const pence = (value: unknown): number => Math.round(Number(value) * 100);

interface Rate {
  exchange_rate: number;
  currency_to_rate: number;
  currency_to_no_periods: boolean;
  currency_to_is_expired: boolean;
  transaction_date: string;
}

describe('the trading group: foreign currency', () => {
  let app: SandboxApp;
  let writer: Writer;
  let base: SageRecord;
  let euro: SageRecord;
  let dollar: SageRecord;

  const list = (path: string): Promise<SageRecord[]> => writer.ok<SageRecord[]>('GET', path);
  const one = async (path: string): Promise<SageRecord> => {
    const records = await list(path);
    expect(records, path).toHaveLength(1);
    return records[0]!;
  };
  /** The rate of a currency against the base currency on a date (today when none is given). */
  const rateOf = (currency: SageRecord, date?: string): Promise<Rate> =>
    writer.ok<Rate>('POST', '/currency_exchange_rates', {
      currency_from_id: base.id,
      currency_to_id: currency.id,
      ...(date === undefined ? {} : { transaction_date: date }),
    });
  const euroBank = (): Promise<SageRecord> => one("/banks?$filter=code eq 'EURO'");

  beforeAll(async () => {
    app = groupTestSandbox();
    writer = await writerFor(app, GROUP_USER, EURO_COMPANY);
    const currencies = await list('/currencies');
    base = currencies.find((c) => c.is_base_currency === true)!;
    euro = currencies.find((c) => c.symbol === '€')!;
    dollar = currencies.find((c) => c.symbol === '$')!;
  });

  it('keeps euro and dollar rates per period, which move month by month', async () => {
    expect([euro.exchange_rate_type, dollar.exchange_rate_type]).toEqual([
      'ExchangeRatePeriod',
      'ExchangeRatePeriod',
    ]);
    const periods = (await list('/financial_year_period_views?$orderby=period_start_date')).filter(
      (p) => String(p.period_start_date) <= `${TEST_DATES.tradingEnd}T00:00:00`,
    );
    expect(periods.length).toBeGreaterThanOrEqual(12);
    for (const currency of [euro, dollar]) {
      const rates: number[] = [];
      for (const period of periods) {
        const mid = `${String(period.period_start_date).slice(0, 8)}15T00:00:00`;
        const answer = await rateOf(currency, mid);
        expect(answer).toMatchObject({ currency_to_no_periods: false, currency_to_is_expired: false });
        rates.push(answer.exchange_rate);
      }
      expect(new Set(rates).size).toBeGreaterThan(periods.length / 2);
      for (let i = 1; i < rates.length; i++) {
        expect(Math.abs(rates[i]! / rates[i - 1]! - 1)).toBeLessThanOrEqual(0.0201);
      }
    }
    // Beyond the years with period rates, the single rate answers, as expired.
    const lastYear = (await list('/financial_year_period_views?$orderby=period_start_date desc&$top=1'))[0]!;
    const late = await rateOf(euro, String(lastYear.period_start_date));
    expect(late).toMatchObject({ currency_to_is_expired: true, exchange_rate: euro.core_currency_rate });
  });

  it("posts the foreign suppliers' invoices and payments in their currency at the rate of their dates", async () => {
    for (const currency of [euro, dollar]) {
      const suppliers = await list(`/suppliers?$filter=currency_id eq ${String(currency.id)}`);
      expect(suppliers.length).toBeGreaterThan(0);
      const transactions = await list(
        `/purchase_posted_transactions?$filter=supplier_id eq ${String(suppliers[0]!.id)}&$orderby=transaction_date`,
      );
      expect(transactions.some((t) => t.trader_transaction_type === 'TradingAccountEntryTypeInvoice')).toBe(
        true,
      );
      expect(
        transactions.some(
          (t) => t.trader_transaction_type === 'TradingAccountEntryTypePurchasePaymentSalesReceipt',
        ),
      ).toBe(true);
      for (const t of transactions.slice(0, 12)) {
        const rate = await rateOf(currency, String(t.transaction_date));
        expect(t.exchange_rate, String(t.transaction_date)).toBe(rate.exchange_rate);
        expect(pence(t.base_gross_value)).toBe(
          Math.round(pence(t.document_gross_value) / rate.exchange_rate),
        );
      }
      // Paid in full: nothing left in their currency, the exchange differences journalled to 7906.
      for (const supplier of suppliers) expect(supplier.balance).toBe(0);
    }
  });

  it('revalues the euro bank at the closing rate, the difference on the exchange gain/loss account', async () => {
    const bank = await euroBank();
    expect(bank.account_currency_id).toBe(euro.id);
    expect(pence(bank.balance)).toBeGreaterThan(0);
    // The last revaluation, at the month end trading stopped, took the next period's rate.
    const nextDay = new Date(Date.parse(`${TEST_DATES.tradingEnd}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const closing = await rateOf(euro, `${nextDay}T00:00:00`);
    expect(pence(bank.balance_in_base)).toBe(Math.round(pence(bank.balance) / closing.exchange_rate));
    const nominal = await one(
      `/nominal_codes?$filter=reference eq '${String(bank.bank_account_nominal_reference)}'`,
    );
    expect(pence(nominal.balance_year_to_date)).toBe(pence(bank.balance_in_base));
    const exchange = await one("/nominal_codes?$filter=reference eq '7906'");
    const entries = await list(
      `/nominal_transaction_enquiry_views?$filter=nominal_code_id eq ${String(exchange.id)}&$top=500`,
    );
    const revaluations = entries.filter((e) => String(e.narrative).startsWith('Revaluation EURO'));
    const differences = entries.filter((e) => String(e.narrative).startsWith('Exchange difference'));
    expect(revaluations.length).toBeGreaterThan(6);
    expect(differences.length).toBeGreaterThan(6);
  });

  it("gives the euro bank's and exchange accounts' prior year and budgets from their postings", async () => {
    const bank = await euroBank();
    const [euroAccount] = await list(
      `/nominal_codes?$filter=reference eq '${String(bank.bank_account_nominal_reference)}'&$expand=financial_years`,
    );
    const [exchange] = await list("/nominal_codes?$filter=reference eq '7906'&$expand=financial_years");
    const prior = (code: SageRecord): SageRecord =>
      (code.financial_years as SageRecord[]).find((y) => y.year_relative_to_current_year === -1)!;
    const movement = async (code: SageRecord, year: SageRecord): Promise<number> => {
      const rows = await list(
        `/nominal_period_value_views?$filter=nominal_code_id eq ${String(code.id)} and financial_year_id eq ${String(year.financial_year_id)}`,
      );
      return rows.reduce((sum, row) => sum + pence(row.nominal_period_value_actual_value), 0);
    };
    // A balance sheet account opened in the first year: it closes that year with the year's movement, brought forward.
    const bankYear = prior(euroAccount!);
    expect(pence(bankYear.closing_balance)).toBe(await movement(euroAccount!, bankYear));
    expect(pence(bankYear.closing_balance)).toBe(pence(euroAccount!.brought_forward_balance));
    expect(pence(bankYear.closing_balance)).toBeGreaterThan(0);
    expect(bankYear.budget_type).toBe('NominalBudgetTypeNone');
    // Profit and loss: the prior year closes with its movement, and the current year is budgeted.
    const exchangeYear = prior(exchange!);
    expect(pence(exchangeYear.closing_balance)).toBe(await movement(exchange!, exchangeYear));
    expect(pence(exchangeYear.closing_balance)).not.toBe(0);
    const current = (exchange!.financial_years as SageRecord[]).find(
      (y) => y.year_relative_to_current_year === 0,
    )!;
    expect(current.budget_type).toBe('NominalBudgetTypeSimple');
  });

  it("accepts a payment from the euro bank in euros at today's rate, and the books stay balanced", async () => {
    const bank = await euroBank();
    const today = await rateOf(euro);
    const nominal = await one(
      `/nominal_codes?$filter=reference eq '${String(bank.bank_account_nominal_reference)}'`,
    );
    const answer = await writer.send('POST', '/bank_payment', {
      bank_id: bank.id,
      reference: 'EU-FEES',
      nominal_analysis_items: [{ code: '7900', goods_value: 250, narrative: 'Marketplace fees' }],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const urn = (answer.body as { urn: string }).urn;
    const cheque = await one(`/bank_posted_transactions?$filter=urn eq ${urn}`);
    expect(cheque).toMatchObject({
      bank_id: bank.id,
      cheque_value: 250,
      cheque_currency_id: euro.id,
      bank_cheque_to_base_currency_rate: today.exchange_rate,
    });
    const baseValue = Math.round(25_000 / today.exchange_rate);
    const after = await euroBank();
    expect(pence(after.balance) - pence(bank.balance)).toBe(-25_000);
    expect(pence(after.balance_in_base) - pence(bank.balance_in_base)).toBe(-baseValue);
    const moved = await writer.ok<SageRecord>('GET', `/nominal_codes/${String(nominal.id)}`);
    expect(pence(moved.balance_year_to_date) - pence(nominal.balance_year_to_date)).toBe(-baseValue);
    const entries = await list(`/nominal_transaction_enquiry_views?$filter=urn eq ${urn}`);
    expect(entries.length).toBe(2);
    expect(entries.reduce((sum, e) => sum + pence(e.debit) - pence(e.credit), 0)).toBe(0);
  });

  it('pays a euro supplier from the euro bank in euros, and refuses a sterling supplier', async () => {
    const bank = await euroBank();
    const [supplier] = await list(`/suppliers?$filter=currency_id eq ${String(euro.id)}&$top=1`);
    const paid = await writer.send('POST', '/purchase_payments', {
      supplier_id: supplier!.id,
      bank_id: bank.id,
      cheque_value: 120,
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const after = await euroBank();
    expect(pence(after.balance) - pence(bank.balance)).toBe(-12_000);

    const [sterling] = await list(`/suppliers?$filter=currency_id eq ${String(base.id)}&$top=1`);
    const refused = await writer.send('POST', '/purchase_payments', {
      supplier_id: sterling!.id,
      bank_id: bank.id,
      cheque_value: 120,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(
      /foreign currency bank account takes only accounts in its own currency/,
    );
    expect(pence((await euroBank()).balance)).toBe(pence(after.balance));
  });

  it("offers today's period rate in a new purchase invoice's template, as a posting dated today takes it", async () => {
    const [supplier] = await list(`/suppliers?$filter=currency_id eq ${String(euro.id)}&$top=1`);
    const template = await writer.ok<SageRecord>('POST', '/purchase_invoices_new', {
      supplier_id: supplier!.id,
    });
    expect(template.exchange_rate).toBe((await rateOf(euro)).exchange_rate);
  });

  it('refuses a transfer to or from the euro bank, which the sandbox does not convert', async () => {
    const bank = await euroBank();
    const current = await one("/banks?$filter=code eq 'CURRENT'");
    const refused = await writer.send('POST', '/bank_transfer', {
      bank_from_id: current.id,
      bank_to_id: bank.id,
      payment_value: 100,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/bank_to_id .* foreign currency/);
  });
});
