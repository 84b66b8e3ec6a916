/**
 * The trading group's euro business (mock-server/seed/README.md, "The trading group"): one company keeps its euro and
 * dollar rates per accounting period (`exchange_rate_type` `ExchangeRatePeriod`, `currency_period_rates`), banks in
 * euros on an account of its own (EURO on 1220), and buys from suppliers in the EU and the US in their currencies.
 * Every document is posted at the rate of its date's period; a payment at a rate other than its invoice's leaves the
 * difference on the exchange gain/loss account (7906) by a journal on the creditors control account, and the euro
 * bank is revalued at each month end at the next period's rate, the difference again to 7906. The documents join the
 * company's trading before it is posted, so every balance and view is derived from them as from the rest.
 */
import type { Faker } from '@faker-js/faker';
import {
  type AccountingPeriod,
  businessDate,
  type Calendar,
  dayOf,
  dayStartMs,
  instant,
  WORLD_DATES,
  workingDayOnOrAfter,
} from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { BANK_TRANSACTION_TYPES } from './posting.ts';
import type { Rng } from './random.ts';
import type { Bank, Currency, NominalAccount, ReferenceData, Sequencer } from './reference-data.ts';
import { buildTraders, type Trader } from './traders.ts';
import { allocate, blankDoc, type Doc, type DocKind, totals } from './trading.ts';

/** The euro bank account's code, its nominal account and that account's name. */
export const EURO_BANK = { code: 'EURO', description: 'Euro Current Account', reference: '1220' } as const;
/** The chart's exchange gain/loss account (the banks' `exchange_diff_nominal_reference`). */
const EXCHANGE_DIFFERENCE = '7906';
/** Most a rate moves from one month to the next, as a fraction. */
const MONTHLY_MOVE = 0.02;
/** Foreign suppliers to open: buildTraders opens its first three in the UK, so these come after them. */
const SUPPLIER_DRAFTS = 11;

/** Rates per currency id and accounting period id (units per pound), and the lookup postings use. */
export interface PeriodRates {
  records: SageRecord[];
  /** The rate of a currency on a day: its period's rate, else its single rate. */
  rateOn(currency: Currency, day: number): number;
}

export interface ForeignSetup {
  bank: Bank & { currencyId: number };
  rates: PeriodRates;
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/** A GB IBAN for a NatWest sort code and account number, with its ISO 13616 mod-97 check digits. */
export function gbIban(sortCode: string, accountNo: string): string {
  const bban = `NWBK${sortCode}${accountNo}`;
  const digits = `${bban}GB00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return `GB${String(98 - remainder).padStart(2, '0')}${bban}`;
}

/**
 * Adds the euro bank (and its nominal account) to the company's reference data and turns its foreign currencies to
 * period rates, a rate for every period of the past and current financial years, moving up to 2% a month.
 */
export function addForeignAccounts(
  ref: ReferenceData,
  calendar: Calendar,
  seq: Sequencer,
  rng: Rng,
): ForeignSetup {
  const current = ref.nominal('1200');
  const nominalRecord = blankRecord('nominal_codes', seq.nextStamp());
  const nominalId = seq.nextId();
  Object.assign(nominalRecord, {
    ...current.record,
    id: nominalId,
    name: 'Euro Bank Account',
    reference: EURO_BANK.reference,
    date_time_created: nominalRecord.date_time_created,
    date_time_updated: nominalRecord.date_time_updated,
  });
  const nominal: NominalAccount = {
    ...current,
    id: nominalId,
    index: ref.nominals.length,
    reference: EURO_BANK.reference,
    name: 'Euro Bank Account',
    record: nominalRecord,
  };
  ref.nominals.push(nominal);
  ref.collections.nominal_codes.push(nominalRecord);

  const euro = ref.currency('EUR');
  const template = ref.banks.find((b) => b.code === 'CURRENT')!.record;
  const stamp = seq.nextStamp();
  const bankRecord = blankRecord('banks', stamp);
  const bankId = seq.nextId();
  const accountNo = rng.chars('0123456789', 8);
  Object.assign(bankRecord, {
    ...template,
    id: bankId,
    code: EURO_BANK.code,
    description: EURO_BANK.description,
    account_name: EURO_BANK.description,
    account_no: accountNo,
    iban: gbIban(String(template.sort_code ?? '').replaceAll('-', ''), accountNo),
    overdraft_limit: 0,
    account_currency_id: euro.id,
    bank_account_nominal_reference: EURO_BANK.reference,
    bank_address: { ...(template.bank_address as SageRecord), id: seq.nextId() },
    date_time_created: stamp,
    date_time_updated: stamp,
  });
  ref.collections.banks.push(bankRecord);
  const bank = {
    id: bankId,
    code: EURO_BANK.code,
    description: EURO_BANK.description,
    nominal,
    record: bankRecord,
    currencyId: euro.id,
  };
  ref.banks.push(bank);
  return { bank, rates: periodRates(ref, calendar, seq, rng) };
}

function periodRates(ref: ReferenceData, calendar: Calendar, seq: Sequencer, rng: Rng): PeriodRates {
  const periods = calendar.periods.filter((p) => p.year.yearRelative <= 0);
  const byCurrency = new Map<number, Map<number, number>>();
  const records: SageRecord[] = [];
  const lastTraded = calendar.periodOfDay(dayOf(WORLD_DATES.tradingEnd));
  for (const currency of ref.currencies) {
    const record = ref.collections.currencies.find((c) => c.id === currency.id)!;
    if (record.is_base_currency === true) continue;
    const rates = new Map<number, number>();
    let rate = currency.rate;
    for (const period of periods) {
      rate = round4(rate * (1 + (rng.next() * 2 - 1) * MONTHLY_MOVE));
      rates.set(period.id, rate);
      const r = blankRecord('currency_period_rates', seq.nextStamp());
      r.id = seq.nextId();
      r.currency_id = currency.id;
      r.accounting_period_id = period.id;
      r.period_start_date = businessDate(period.startDay);
      r.period_end_date = businessDate(period.endDay);
      r.core_currency_rate = rate;
      records.push(r);
    }
    byCurrency.set(currency.id, rates);
    // The single rate, used where no period has a rate, is the last traded month's.
    currency.rate = rates.get(lastTraded.id)!;
    record.core_currency_rate = currency.rate;
    record.exchange_rate_type = 'ExchangeRatePeriod';
  }
  const first = periods[0]!.startDay;
  const last = periods.at(-1)!.endDay;
  return {
    records,
    rateOn(currency, day) {
      const rates = byCurrency.get(currency.id);
      if (!rates || day < first || day > last) return currency.rate;
      return rates.get(calendar.periodOfDay(day).id) ?? currency.rate;
    },
  };
}

export interface ForeignTradingInput {
  ref: ReferenceData;
  setup: ForeignSetup;
  calendar: Calendar;
  faker: Faker;
  rng: Rng;
  nextId: () => number;
  userNames: readonly string[];
  /** The documents already traded: the new ones sort after them where their instants tie. */
  firstSeq: number;
}

/**
 * The foreign suppliers (their invoices and payments in their currency), the euro bank's receipts, the exchange
 * differences on payments and the euro bank's month-end revaluations, as documents to post with the rest.
 */
export function foreignTrading(input: ForeignTradingInput): { suppliers: Trader[]; docs: Doc[] } {
  const { ref, setup, calendar, rng } = input;
  const suppliers = buildTraders(
    { count: SUPPLIER_DRAFTS, kind: 'supplier', overseasShare: 1 },
    ref,
    input.faker,
    rng,
    input.nextId,
  ).filter((s) => s.overseas);
  const zeroRated = ref.taxCode(2);
  for (const supplier of suppliers) supplier.record.default_tax_code_id = zeroRated.id;
  const creditors = ref.nominal('2100');
  const difference = ref.nominal(EXCHANGE_DIFFERENCE);
  const current = ref.banks.find((b) => b.code === 'CURRENT')!;
  const euro = ref.currency('EUR');
  const start = dayOf(WORLD_DATES.tradingStart);
  const end = dayOf(WORLD_DATES.tradingEnd);
  // Invoices stop two months before trading ends, so every one is paid (as the overseas customers' are).
  const cutoff = end - 80;
  const months = calendar.periods.filter((p) => p.startDay >= start && p.startDay <= end);

  const docs: Doc[] = [];
  let seq = input.firstSeq;
  const newDoc = (kind: DocKind, day: number, fields: Partial<Doc>, hour = rng.int(9, 17)): Doc => {
    const ms = dayStartMs(day) + hour * 3_600_000 + rng.int(0, 3_599_999);
    const doc = blankDoc(kind, day, ms, seq++, rng.pick(input.userNames), fields);
    docs.push(doc);
    return doc;
  };
  const inBase = (value: number, rate: number): number => Math.round(value / rate);

  // Euro leaving the euro bank, per month index, so the receipts can cover it.
  const euroOut = new Map<number, number>();
  const monthOf = (day: number): number => months.findIndex((p) => p.startDay <= day && day <= p.endDay);
  for (const period of months) {
    for (const supplier of suppliers) {
      if (!rng.chance(0.35)) continue;
      const day = workingDayOnOrAfter(period.startDay + rng.int(0, 27));
      if (day > cutoff || day < supplier.openedDay) continue;
      const rate = setup.rates.rateOn(supplier.currency, day);
      const invoice = newDoc('PI', day, {
        trader: supplier,
        reference: `${supplier.reference.slice(0, 3)}-${rng.int(10_000, 99_999)}`,
        secondReference: `PO${rng.int(10_000, 99_999)}`,
        rate,
        dueDay: day + supplier.termsDays,
      });
      const category = supplier.category!;
      const net = rng.int(category.minNet, category.maxNet) * 50;
      invoice.lines.push({
        nominal: category.nominal,
        taxCode: zeroRated,
        net,
        baseNet: inBase(net, rate),
        narrative: `${category.name} (import)`,
      });
      totals(invoice);

      const payDay = workingDayOnOrAfter(invoice.dueDay + rng.int(-5, 5));
      const payRate = setup.rates.rateOn(supplier.currency, payDay);
      const bank = supplier.currency.id === euro.id ? setup.bank : current;
      const payment = newDoc('PP', payDay, {
        trader: supplier,
        bank,
        reference: 'SWIFT',
        secondReference: invoice.reference,
        rate: payRate,
        goods: invoice.gross,
        gross: invoice.gross,
        baseGoods: inBase(invoice.gross, payRate),
        baseGross: inBase(invoice.gross, payRate),
      });
      allocate(invoice, payment, invoice.gross, payDay, payment.ms);
      if (bank === setup.bank) {
        const month = monthOf(payDay);
        euroOut.set(month, (euroOut.get(month) ?? 0) + invoice.gross);
      }
      // Paid at another rate than invoiced: the creditors control keeps the difference until it is journalled
      // to exchange gain/loss, on the payment's day.
      const residual = payment.baseGross - invoice.baseGross;
      if (residual !== 0) {
        newDoc('NJ', payDay, {
          reference: 'EXCHDIFF',
          description: `Exchange difference ${supplier.reference} ${invoice.reference}`,
          journal: [
            { nominal: creditors, value: -residual },
            { nominal: difference, value: residual },
          ],
        });
      }
    }
  }

  // Receipts into the euro bank at the start of each month, a little more than the month pays out.
  months.forEach((period, month) => {
    const needed = euroOut.get(month) ?? 0;
    const amount = Math.max(2_000_00, Math.round((needed * (1.1 + rng.next() * 0.3)) / 100_00) * 100_00);
    const day = workingDayOnOrAfter(period.startDay);
    const rate = setup.rates.rateOn(euro, day);
    const receipt = newDoc(
      'BR',
      day,
      {
        bank: setup.bank,
        reference: 'EU SETTLE',
        description: 'EU marketplace settlement',
        rate,
      },
      8,
    );
    receipt.lines.push({
      nominal: ref.nominal('4020'),
      taxCode: null,
      net: amount,
      baseNet: inBase(amount, rate),
      narrative: 'EU marketplace settlement',
    });
    totals(receipt);
  });

  // Month-end revaluation: the euro balance at the next period's rate, against what the bank's nominal holds.
  let euroBalance = 0;
  let baseBalance = 0;
  for (const period of months) {
    for (const doc of docs) {
      if (doc.bank !== setup.bank || doc.day < period.startDay || doc.day > period.endDay) continue;
      const sign = doc.kind === 'BR' ? 1 : -1;
      euroBalance += sign * doc.gross;
      baseBalance += sign * doc.baseGross;
    }
    const closingRate = setup.rates.rateOn(euro, period.endDay + 1);
    const revalued = inBase(euroBalance, closingRate);
    const change = revalued - baseBalance;
    if (change !== 0) {
      newDoc(
        'NJ',
        period.endDay,
        {
          reference: 'REVAL',
          description: `Revaluation ${EURO_BANK.code} ${monthLabel(period)} at ${closingRate}`,
          journal: [
            { nominal: setup.bank.nominal, value: change },
            { nominal: difference, value: -change },
          ],
        },
        18,
      );
      baseBalance = revalued;
    }
  }
  return { suppliers, docs };
}

function monthLabel(period: AccountingPeriod): string {
  return instant(dayStartMs(period.startDay)).slice(0, 7);
}

/**
 * The euro bank's balances in euros once the company is derived: `balance` and `statement_balance` are the
 * account's own currency (Sage's), `balance_in_base` the nominal account's, which derive.ts set.
 */
export function settleForeignBank(setup: ForeignSetup, bankPosted: readonly SageRecord[]): void {
  const record = setup.bank.record;
  const statementDate = String(record.statement_date ?? '');
  let balance = 0;
  let statement = 0;
  for (const posted of bankPosted) {
    if (posted.bank_id !== setup.bank.id) continue;
    const value = Math.round(Number(posted.cheque_value) * 100);
    const signed = posted.bank_transaction_type === BANK_TRANSACTION_TYPES.receipt ? value : -value;
    balance += signed;
    if (String(posted.transaction_date) <= statementDate) statement += signed;
  }
  record.balance = balance / 100 + 0;
  record.statement_balance = statement / 100 + 0;
}
