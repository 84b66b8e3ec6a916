/**
 * `/customer_views` and `/supplier_views`: each account with what Sage joins to it (currency, tax code, price band,
 * discount groups, credit bureau and position, default contact, main address), projected at read time from the
 * account and those records, so an edit to any of them shows up at once.
 */
import { loadCatalog } from '../../contracts/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import {
  baseOutstanding,
  idOf,
  objectOf,
  PURCHASES,
  pence,
  pounds,
  SALES,
  type TraderLedger,
  text,
} from './ledgers.ts';
import { RowMemo } from './memo.ts';
import type { DerivedView, ViewSources } from './model.ts';

/** The id of an enum member (`AccountStatusActive` is 0), from the enumeration list the contract declares. */
function memberId(list: string, value: JsonValue | undefined): number | null {
  const member = loadCatalog()
    .members(list)
    .find((m) => m.value === value);
  return member ? member.id : null;
}

function memberDescription(list: string, value: string): string {
  return (
    loadCatalog()
      .members(list)
      .find((m) => m.value === value)?.description ?? ''
  );
}

/** A record of another collection by the id a field holds, or undefined. */
const linked = (
  sources: ViewSources,
  collection: string,
  id: JsonValue | undefined,
): SageRecord | undefined => (typeof id === 'number' ? sources.get(collection, id) : undefined);

interface AccountActivity {
  lastTransactionDate: string;
  /** Pence: what the account's transactions leave in the control account, in base currency. */
  baseBalance: number;
}

function activityOf(transactions: readonly SageRecord[], accountKey: string): Map<number, AccountActivity> {
  const activity = new Map<number, AccountActivity>();
  for (const t of transactions) {
    const id = Number(t[accountKey]);
    let own = activity.get(id);
    if (!own) {
      own = { lastTransactionDate: '', baseBalance: 0 };
      activity.set(id, own);
    }
    const date = text(t.transaction_date);
    if (date > own.lastTransactionDate) own.lastTransactionDate = date;
    own.baseBalance += baseOutstanding(t);
  }
  return activity;
}

function accountView(ledger: TraderLedger): DerivedView {
  const sales = ledger === SALES;
  const location = sales ? 'customer_location' : 'supplier_location';
  const memo = new RowMemo<SageRecord>();
  return {
    aged: false,
    build(sources) {
      const defaults = new Map<number, SageRecord>();
      for (const contact of sources.all(ledger.contacts)) {
        if (contact.is_default === true) defaults.set(Number(contact[ledger.accountKey]), contact);
      }
      const activity = activityOf(sources.all(ledger.transactions), ledger.accountKey);
      return sources.all(ledger.accounts).map((account) => {
        const currency = linked(sources, 'currencies', account.currency_id);
        const iso = linked(sources, 'currency_iso_codes', currency?.currency_iso_code_id);
        const country = linked(sources, 'country_codes', account.country_code_id);
        const tax = linked(sources, 'tax_codes', account.default_tax_code_id);
        const bureau = linked(sources, 'credit_bureaus', account.credit_bureau_id);
        const position = linked(sources, 'credit_positions', account.credit_position_id);
        const contact = defaults.get(Number(account.id));
        const address = objectOf(account, 'main_address');
        const addressCountry = linked(sources, 'country_codes', address.address_country_code_id);
        const own = activity.get(Number(account.id));
        const group = linked(sources, 'customer_discount_groups', account.customer_discount_group_id);
        const orderDiscount = linked(sources, 'order_value_discounts', account.order_value_discount_id);
        const band = linked(sources, 'price_bands', account.price_band_id);
        const factor = linked(sources, 'factor_houses', account.factor_house_id);
        const paymentGroup = linked(sources, 'payment_groups', account.payment_group_id);
        const joins = [
          ...[currency, iso, country, tax, bureau, position, contact, addressCountry],
          ...[group, orderDiscount, band, factor, paymentGroup, own?.lastTransactionDate, own?.baseBalance],
        ];
        return memo.row(account, joins, () => {
          const balance = pence(account.balance);
          const changed = text(account.date_time_updated).slice(0, 10);
          const creditLimit = pence(account.credit_limit);
          const fullAddress = [
            address.address_1,
            address.address_2,
            address.address_3,
            address.address_4,
            address.city,
            address.county,
            address.postcode,
            address.country,
          ]
            .map(text)
            .filter((part) => part !== '')
            .join(', ');
          const paymentTerms = text(account.payment_terms_basis);
          const row: SageRecord = {
            id: account.id ?? null,
            reference: text(account.reference),
            name: text(account.name),
            short_name: text(account.short_name),
            country_code_id: idOf(account.country_code_id),
            country_code: text(country?.code),
            currency_id: idOf(account.currency_id),
            currency_name: text(currency?.name),
            currency_symbol: text(currency?.symbol),
            currency_iso_code_id: idOf(currency?.currency_iso_code_id),
            currency_iso_code: text(iso?.code),
            currency_iso_code_name: text(iso?.name),
            balance: pounds(balance),
            base_balance: pounds(own?.baseBalance ?? 0),
            credit_limit: pounds(creditLimit),
            vat_number: text(account.vat_number),
            default_tax_rate_id: idOf(account.default_tax_code_id),
            default_tax_rate_code: Number(tax?.code ?? 0),
            default_tax_rate_name: text(tax?.name),
            default_tax_rate: Number(tax?.tax_rate ?? 0),
            default_order_priority: text(account.order_priority),
            default_nominal_account_number: text(account.default_nominal_code_reference),
            default_nominal_cost_centre: text(account.default_nominal_code_cost_centre),
            default_nominal_department: text(account.default_nominal_code_department),
            early_settlement_discount_percent: Number(account.early_settlement_discount_percent ?? 0),
            days_early_settlement_disc_applies: Number(account.early_settlement_discount_days ?? 0),
            payment_terms_in_days: Number(account.payment_terms_days ?? 0),
            payment_terms_id: memberId('trader_payment_terms', paymentTerms),
            payment_terms: memberDescription('trader_payment_terms', paymentTerms),
          };
          if (sales) {
            Object.assign(row, {
              discount_group_id: idOf(account.customer_discount_group_id),
              discount_group_name: text(group?.name),
              discount_group_description: text(group?.description),
              order_value_discount_id: idOf(account.order_value_discount_id),
              order_value_discount_name: text(orderDiscount?.name),
              order_value_discount_description: text(orderDiscount?.description),
              price_band_id: idOf(account.price_band_id),
              price_band_name: text(band?.name),
              price_band_description: text(band?.description),
              use_consolidated_billing: false,
              invoice_line_discount_percent: Number(account.invoice_line_discount_percent ?? 0),
              invoice_discount_percent: Number(account.invoice_discount_percent ?? 0),
            });
          }
          Object.assign(row, {
            account_is_on_hold: account.on_hold === true,
            account_status_type_id: memberId('account_status_types', account.account_status_type),
            account_status_type: text(account.account_status_type),
            account_type_id: memberId('trader_account_types', account.account_type),
            account_type: text(account.account_type),
            [sales ? 'value_of_current_orders_in_sop' : 'value_of_current_orders_in_pop']: Number(
              account[sales ? 'value_of_current_orders_in_sop' : 'value_of_current_orders_in_pop'] ?? 0,
            ),
            date_account_details_last_changed: changed === '' ? null : `${changed}T00:00:00`,
            date_of_last_transaction: own?.lastTransactionDate || null,
            ...(sales ? { date_finance_charge_last_run: account.date_finance_charge_last_run ?? null } : {}),
            trading_terms: text(account.trading_terms),
            credit_reference: text(account.credit_reference),
            credit_bureau_id: idOf(account.credit_bureau_id),
            credit_bureau_name: text(bureau?.name),
            credit_position_id: idOf(account.credit_position_id),
            credit_position_name: text(position?.name),
            ...(sales ? { average_time_to_pay: Number(account.average_time_to_pay ?? 0) } : {}),
            account_opened: account.account_opened ?? null,
            last_credit_review: account.last_credit_review ?? null,
            next_credit_review: account.next_credit_review ?? null,
            application_date: account.application_date ?? null,
            date_received: account.date_received ?? null,
            terms_agreed: account.terms_agreed === true,
            is_over_credit_limit: creditLimit !== 0 && balance > creditLimit,
            months_to_keep_transactions_for: Number(account.months_to_keep_transactions ?? 0),
          });
          if (sales) {
            Object.assign(row, {
              use_tax_code_as_default: account.use_tax_code_as_default === true,
              avg_time_to_pay_date_last_updated: null,
              duns_code: text(account.duns_code),
            });
          }
          Object.assign(row, {
            telephone_area_code: text(account.telephone_area_code),
            telephone_country_code: text(account.telephone_country_code),
            telephone_subscriber_number: text(account.telephone_subscriber_number),
            fax_area_code: text(account.fax_area_code),
            fax_country_code: text(account.fax_country_code),
            fax_subscriber_number: text(account.fax_subscriber_number),
            website: text(account.website),
          });
          if (sales) {
            Object.assign(row, {
              send_copy_statement_to_branch: false,
              statement_transmission_method_id: memberId('document_transmission_method_types', 'Post'),
              statement_transmission_method: 'Post',
              invoice_payments_status: '',
            });
          }
          Object.assign(row, {
            contact_name: text(contact?.name),
            contact_first_name: text(contact?.first_name),
            contact_middle_name: text(contact?.middle_name),
            contact_last_name: text(contact?.last_name),
            contact_default_telephone_number: text(contact?.default_telephone),
            contact_default_email_address: text(contact?.default_email),
          });
          if (!sales) {
            Object.assign(row, {
              factor_house_name: text(factor?.name),
              payment_group_description: text(paymentGroup?.description),
              sage_payments_supplier_status_type_id: null,
            });
          }
          for (let n = 1; n <= 5; n++) row[`analysis_code_${n}`] = text(account[`analysis_code_${n}`]);
          Object.assign(row, {
            [`${location}_id`]: idOf(address.id),
            [`${location}_address_line_1`]: text(address.address_1),
            [`${location}_address_line_2`]: text(address.address_2),
            [`${location}_address_line_3`]: text(address.address_3),
            [`${location}_address_line_4`]: text(address.address_4),
            [`${location}_post_code`]: text(address.postcode),
            [`${location}_city`]: text(address.city),
            [`${location}_county`]: text(address.county),
            [`${location}_country`]: text(address.country),
            [`${location}_full_address`]: fullAddress,
            [`${location}_date_time_created`]: address.date_time_created ?? null,
            [`${location}_date_time_updated`]: address.date_time_updated ?? null,
            [`${location}_country_code_id`]: idOf(account.country_code_id),
            [`${location}_country_code`]: text(country?.code),
            [`${location}_country_code_name`]: text(country?.name),
            ...(sales
              ? {
                  [`${location}_type_id`]: memberId('trader_location_types', 'MainAddress'),
                  [`${location}_type`]: 'MainAddress',
                }
              : {}),
            [`${location}_address_country_code_id`]: idOf(address.address_country_code_id),
            [`${location}_address_country_code`]: text(addressCountry?.code),
            [`${location}_address_country_code_name`]: text(addressCountry?.name),
            date_time_created: account.date_time_created ?? null,
            date_time_updated: account.date_time_updated ?? null,
          });
          return row;
        });
      });
    },
  };
}

export const accountViews: Readonly<Record<string, DerivedView>> = {
  customer_views: accountView(SALES),
  supplier_views: accountView(PURCHASES),
};
