/**
 * The two POSTs that save nothing, answered from the company's records: `POST /currency_exchange_rates`
 * (financials.json: the rate between two currencies) and `POST /transaction_date_validation` (general.json: how a
 * posting on a date would be taken, by the posting engine's own rule, mock-server/ledger/dates.ts). Trial sites may
 * call them, as they may call the `*_new` templates (assumed: Sage documents no refusal, and nothing is written).
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { classifyDay, dayOfField, LedgerBooks, pence } from '../ledger/index.ts';
import { checkPosting } from '../validation/index.ts';
import { businessDate } from '../world/calendar.ts';
import type { SageRecord } from '../world/model.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

const DAY_MS = 86_400_000;

/** Rounds to `places` decimal places, half away from zero, as Sage's decimal columns do. */
const round = (value: number, places: number): number => {
  const scale = 10 ** places;
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale + 0;
};

/** Whether a currency's rate may be changed on a transaction of this kind (`exchange_rate_amendability_type`). */
function amendable(currency: SageRecord, cash: boolean): boolean {
  if (currency.is_base_currency === true) return false;
  switch (currency.exchange_rate_amendability_type) {
    case 'ExchangeRateAmendabilityAll':
      return true;
    case 'ExchangeRateAmendabilityCashPostingsOnly':
      return cash;
    default:
      return false;
  }
}

export function registerEnquiryRoutes({ api, deps, gate }: ApiRoutes): void {
  const catalog = loadCatalog();
  const today = () => Math.floor(deps.clock.now() / DAY_MS);

  api.post('/currency_exchange_rates', gate(catalog.pathModules('/currency_exchange_rates')), async (c) => {
    const body = checkPosting('CurrencyExchangeRateRequest', await readJsonObject(c));
    const currencies = c.get('company').table('currencies');
    const currencyOf = (field: 'currency_from_id' | 'currency_to_id'): SageRecord => {
      const currency = currencies.get(body[field]);
      if (!currency) throw badRequest(`The ${field} ${body[field]} is not the id of a currency.`);
      return currency;
    };
    const from = currencyOf('currency_from_id');
    const to = currencyOf('currency_to_id');
    const day =
      body.transaction_date === undefined || body.transaction_date === null
        ? today()
        : dayOfField(body.transaction_date, 'transaction_date');
    const fromValue =
      body.currency_from_value === undefined ? 100 : pence(body.currency_from_value, 'currency_from_value');
    const transactionType = body.currency_transaction_type ?? 'CurrencyTransactionNonCash';
    const cash = transactionType === 'CurrencyTransactionCash';
    // Each currency's rate on the day: its period's where it keeps period rates, else its single rate.
    const books = new LedgerBooks(c.get('company'));
    const onPeriods = (currency: SageRecord): boolean =>
      currency.is_base_currency !== true && currency.exchange_rate_type !== 'ExchangeRateSingle';
    const fromRate = books.currencyRate(from, day);
    const toRate = books.currencyRate(to, day);
    const rate = round(toRate.rate / fromRate.rate, 6);
    const answer = {
      currency_from_id: Number(from.id),
      currency_from_rate: fromRate.rate,
      currency_from_value: fromValue / 100,
      currency_from_is_amendable: amendable(from, cash),
      currency_from_no_periods: !onPeriods(from),
      // On period rates with no period rate for the day: the single rate answers, as an expired rate (assumed).
      currency_from_is_expired: onPeriods(from) && !fromRate.periodRate,
      currency_to_id: Number(to.id),
      currency_to_rate: toRate.rate,
      currency_to_value: round((fromValue / 100) * rate, 2),
      currency_to_is_amendable: amendable(to, cash),
      currency_to_no_periods: !onPeriods(to),
      currency_to_is_expired: onPeriods(to) && !toRate.periodRate,
      exchange_rate_type: body.exchange_rate_type ?? String(to.exchange_rate_type ?? 'ExchangeRateSingle'),
      currency_transaction_type: transactionType,
      transaction_date: businessDate(day),
      exchange_rate: rate,
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });

  api.post(
    '/transaction_date_validation',
    gate(catalog.pathModules('/transaction_date_validation')),
    async (c) => {
      const body = checkPosting('TransactionDateValidationRequest', await readJsonObject(c));
      const now = today();
      const day = body.date === undefined || body.date === null ? now : dayOfField(body.date, 'date');
      // Every ledger posts under the same rule, so ledger_type (checked against /ledger_types) changes nothing.
      const verdict = classifyDay(day, now, new LedgerBooks(c.get('company')), 'transaction_date');
      return c.body(JSON.stringify(verdict), 200, JSON_TYPE);
    },
  );
}
