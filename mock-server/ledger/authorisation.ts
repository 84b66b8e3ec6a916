/**
 * Authorising a purchase invoice or credit note (purchases.json `PUT /purchase_authorisations/{Id}`): "reverse the
 * posting from the Unauthorised Purchases nominal account and post to the intended account". The reversal and the
 * new analysis are nominal entries under the transaction's own URN, dated on its transaction date; the transaction's
 * `nominal_analysis_items` become the new analysis, and its `purchase_transaction_authorisations` record turns
 * `Authorised`. Every value the entries move changes with them (`derivedChanges`). Nothing here changes the world:
 * the caller commits the changes.
 */
import type { Schemas } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { PostingNominal } from '../seed/posting.ts';
import type { Change } from '../store/index.ts';
import { AUTHORISED, takesAuthorisation } from '../views/purchase-authorisations.ts';
import { businessDate, instant } from '../world/calendar.ts';
import { blankItem } from '../world/fields.ts';
import type { NominalEntry, SageRecord } from '../world/model.ts';
import { dayOfDate, type LedgerBooks, postingNominal } from './books.ts';
import { derivedChanges, type PostingContext } from './engine.ts';
import { money, pence } from './fields.ts';
import { nominalOf } from './requests.ts';

/** One line of the analysis a PUT authorises the transaction to. */
export type AuthorisationLine = NonNullable<
  Schemas['PurchaseAuthorisation']['nominal_analysis_items']
>[number];

export interface Authorisation {
  changes: Change[];
  /** The transaction as authorised. */
  transaction: SageRecord;
}

const show = (amount: number): string => money(amount).toFixed(2);

/** Pence of a stored value, unsigned: the transaction's own values carry the ledger's sign. */
const unsignedPence = (value: unknown): number => Math.abs(Math.round(Number(value ?? 0) * 100));

/** The nominal code the company's Unauthorised Purchases default account names; a 400 when it has none. */
export function unauthorisedPurchasesAccount(books: LedgerBooks): PostingNominal {
  const code = books.unauthorisedPurchases();
  if (!code) throw badRequest('The company has no default nominal account for Unauthorised Purchases.');
  return postingNominal(code);
}

/**
 * The change set that authorises `transaction` to `lines`. `authorisation` is its
 * `purchase_transaction_authorisations` record, which the caller found `NotAuthorised`.
 */
export function authorisePurchase(
  books: LedgerBooks,
  transaction: SageRecord,
  authorisation: SageRecord,
  lines: readonly AuthorisationLine[],
  ctx: PostingContext,
): Authorisation {
  if (!takesAuthorisation(transaction)) {
    throw badRequest(`The purchase transaction ${String(transaction.id)} is no invoice or credit note.`);
  }
  if (lines.length === 0) throw badRequest('The field nominal_analysis_items must have at least one line.');
  const unauthorised = unauthorisedPurchasesAccount(books);
  const analysis = lines.map((line, i) => {
    const at = `nominal_analysis_items[${i}]`;
    const nominal = nominalOf(line, at, books);
    if (
      line.nominal_code_id !== undefined &&
      line.nominal_code_id !== null &&
      line.nominal_code_id !== nominal.id
    ) {
      throw badRequest(
        `The ${at}.nominal_code_id ${line.nominal_code_id} is not the nominal code its code, cost centre and department name.`,
      );
    }
    if (nominal.id === unauthorised.id) {
      throw badRequest(
        `The ${at} names the Unauthorised Purchases account ${nominal.reference}: authorise to the account intended.`,
      );
    }
    return { nominal, net: pence(line.value, `${at}.value`), narrative: line.narrative ?? '' };
  });

  const goods = unsignedPence(transaction.document_goods_value);
  const total = analysis.reduce((sum, line) => sum + line.net, 0);
  if (total !== goods) {
    throw badRequest(
      `The nominal_analysis_items values add up to ${show(total)}, not the document_goods_value ${show(goods)}.`,
    );
  }

  const day = dayOfDate(transaction.transaction_date);
  const period = books.periodOfDay(day);
  if (!period || Number(period.year_relative_to_current_year) < 0) {
    throw badRequest(
      `The transaction date ${businessDate(day).slice(0, 10)} is in a closed financial year: the authorisation cannot be posted.`,
    );
  }

  // Base currency: each line at the transaction's rate, the last taking the rounding, so the lines move exactly what
  // the Unauthorised Purchases account holds of it.
  const baseGoods = unsignedPence(transaction.base_goods_value);
  const rate = Number(transaction.exchange_rate ?? 1) || 1;
  let baseLeft = baseGoods;
  const based = analysis.map((line, i) => {
    const base = i === analysis.length - 1 ? baseLeft : rate === 1 ? line.net : Math.round(line.net / rate);
    baseLeft -= base;
    return { ...line, base };
  });

  const invoice = transaction.trader_transaction_type === 'TradingAccountEntryTypeInvoice';
  const sign = invoice ? 1 : -1;
  const urn = Number(transaction.urn);
  const supplier = books.supplier(Number(transaction.supplier_id));
  const label = `${String(supplier?.reference ?? '')} ${String(transaction.reference ?? '')}`;
  let id = books.nextNominalEntryId();
  const entry = (nominal: PostingNominal, value: number, narrative: string): NominalEntry => ({
    id: id++,
    nominal_code_id: nominal.id,
    accounting_period_id: Number(period.accounting_period_id),
    transaction_date: businessDate(day),
    value: money(value),
    source: 'PL',
    urn,
    narrative,
  });
  const entries = [
    entry(unauthorised, -sign * baseGoods, label),
    ...based
      .filter((line) => line.base !== 0)
      .map((line) => entry(line.nominal, sign * line.base, line.narrative || label)),
  ];

  const stamp = instant(ctx.now);
  const authorised: SageRecord = {
    ...transaction,
    nominal_analysis_items: based.map((line) => {
      const item = blankItem('purchase_posted_transactions', 'nominal_analysis_items');
      item.code = line.nominal.reference;
      item.cost_centre = line.nominal.costCentre;
      item.department = line.nominal.department;
      item.name = line.nominal.name;
      item.reference = transaction.reference ?? '';
      item.narrative = line.narrative;
      item.value = money(sign * line.net);
      item.base_value = money(sign * line.base);
      item.source = 'LedgerPurchase';
      return item;
    }),
    date_time_updated: stamp,
  };
  const changes: Change[] = [
    { kind: 'put', table: 'purchase_posted_transactions', record: authorised },
    {
      kind: 'put',
      table: 'purchase_transaction_authorisations',
      record: {
        ...authorisation,
        authorisation_type: AUTHORISED,
        authorised_by: ctx.userName,
        date_time_updated: stamp,
      },
    },
    { kind: 'nominal_entries', entries },
    ...derivedChanges(books, entries, [], stamp, ctx.ids),
  ];
  return { changes, transaction: authorised };
}
