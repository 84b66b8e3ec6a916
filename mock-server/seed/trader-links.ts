/**
 * Links customers and suppliers to the lists they cite (`trading-lists.ts`), from what the company knows of each
 * account: its currency, its size, how late it pays and whether it is on hold. Deterministic, no Rng.
 */
import type { SageRecord } from '../world/model.ts';
import { idOf } from './list-records.ts';
import type { Trader } from './traders.ts';
import type { CREDIT_POSITIONS, TradingLists } from './trading-lists.ts';

/** Accounts heavier than this (`Trader.weight`, 0.15 to about 6) are the company's key accounts. */
const KEY_ACCOUNT_WEIGHT = 4;

function creditPosition(trader: Trader): (typeof CREDIT_POSITIONS)[number] {
  if (trader.record.on_hold === true) return 'Stop';
  if (trader.delayDays >= 40) return 'Caution';
  if (trader.delayDays >= 10) return 'Satisfactory';
  return 'Good';
}

export function linkTraderLists(
  customers: readonly Trader[],
  suppliers: readonly Trader[],
  lists: TradingLists,
): void {
  const bureau = idOf(lists.credit_bureaus, 'is_default', true);
  const position = (trader: Trader): number => idOf(lists.credit_positions, 'name', creditPosition(trader));
  const band = (name: string): number => idOf(lists.price_bands, 'name', name);
  const group = (name: string): number => idOf(lists.customer_discount_groups, 'name', name);
  const orderDiscount = (name: string): number => idOf(lists.order_value_discounts, 'name', name);

  customers.forEach((customer, i) => {
    const r: SageRecord = customer.record;
    const iso = customer.currency.iso;
    const trade = iso === 'GBP' && i % 4 === 1;
    const key = !trade && customer.weight > KEY_ACCOUNT_WEIGHT;
    r.credit_bureau_id = bureau;
    r.credit_position_id = position(customer);
    r.price_band_id = band(iso === 'GBP' ? (trade ? 'Trade' : 'Standard') : `Export ${iso}`);
    r.customer_discount_group_id = trade ? group('TRADE') : key ? group('KEY') : null;
    r.order_value_discount_id =
      key && iso === 'GBP' ? orderDiscount('BULK GBP') : iso === 'EUR' ? orderDiscount('BULK EUR') : null;
  });

  suppliers.forEach((supplier, i) => {
    const r: SageRecord = supplier.record;
    const paysByBacs = (r.bank as SageRecord).sort_code !== '';
    r.credit_bureau_id = bureau;
    r.credit_position_id = position(supplier);
    r.payment_group_id = idOf(lists.payment_groups, 'payment_group_number', paysByBacs ? 1 : 2);
    // One supplier in ten has sold its invoices to a factor house.
    r.factor_house_id = i % 10 === 9 ? (lists.factor_houses[Math.floor(i / 10) % 2]?.id ?? null) : null;
  });
}
