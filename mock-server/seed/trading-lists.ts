/**
 * The lists a company's customers, suppliers and orders cite: credit bureaus and positions, the price book's
 * bands and discounts, supplier payment groups, factor houses, couriers and the sales order lists. Values are the
 * kind a UK company keys in; currencies and banks are the company's own (`reference-data.ts`).
 */
import { loadCatalog } from '../../contracts/index.ts';
import type { SageRecord } from '../world/model.ts';
import type { ListBuilder } from './list-records.ts';
import type { Bank, ReferenceData } from './reference-data.ts';

export interface TradingLists {
  credit_bureaus: SageRecord[];
  credit_positions: SageRecord[];
  price_bands: SageRecord[];
  customer_discount_groups: SageRecord[];
  order_value_discounts: SageRecord[];
  payment_groups: SageRecord[];
  factor_houses: SageRecord[];
  couriers: SageRecord[];
  sop_incoterms: SageRecord[];
  sop_export_reasons: SageRecord[];
  sop_payment_methods: SageRecord[];
}

/** name, website, checking URL; the first is the company's default. */
const CREDIT_BUREAUS: readonly [string, string, string][] = [
  ['Experian', 'https://www.experian.co.uk', 'https://www.experian.co.uk/business/credit-reports'],
  ['Equifax', 'https://www.equifax.co.uk', 'https://www.equifax.co.uk/business/credit-reports'],
  ['TransUnion', 'https://www.transunion.co.uk', 'https://www.transunion.co.uk/business/credit-checks'],
  ['Creditsafe', 'https://www.creditsafe.com/gb/en.html', 'https://app.creditsafe.com'],
  ['Dun & Bradstreet', 'https://www.dnb.co.uk', 'https://www.dnb.co.uk/products/finance-credit-risk.html'],
];

/** Credit positions, best first; the first is the default. */
export const CREDIT_POSITIONS = ['Good', 'Satisfactory', 'Caution', 'Stop'] as const;

/** name, description, currency, standard band; one band per currency the company trades in. */
const PRICE_BANDS: readonly [string, string, string, boolean][] = [
  ['Standard', 'Standard selling prices', 'GBP', true],
  ['Trade', 'Trade prices for resellers', 'GBP', false],
  ['Export EUR', 'Export prices in euros', 'EUR', false],
  ['Export USD', 'Export prices in US dollars', 'USD', false],
];

const DISCOUNT_GROUPS: readonly [string, string][] = [
  ['RETAIL', 'Retail customers'],
  ['TRADE', 'Trade customers and resellers'],
  ['KEY', 'Key accounts'],
];

const ORDER_VALUE_DISCOUNTS: readonly [string, string, string][] = [
  ['BULK GBP', 'Orders over £1,000: 2.5% off', 'GBP'],
  ['BULK EUR', 'Orders over €1,200: 2.5% off', 'EUR'],
];

/** number, payment type, how it pays; both groups pay from the current account. */
const PAYMENT_GROUPS: readonly [number, string, string][] = [
  [1, 'PaymentTypeRemittanceEmail', 'BACS'],
  [2, 'PaymentTypeRemittanceCheque', 'Cheque'],
];

/** name, reference, address line 1, city, postcode, telephone (Ofcom's drama numbers, ./uk/phones.ts), website. */
const FACTOR_HOUSES: readonly [string, string, string, string, string, string, string][] = [
  [
    'Close Brothers Invoice Finance',
    'CLOSEBROS',
    '10 Crown Place',
    'London',
    'EC2A 4FT',
    '020 7946 0310',
    'https://www.closebrothers.com',
  ],
  [
    'Bibby Financial Services',
    'BIBBY',
    '3rd Floor, Walker House, Exchange Flags',
    'Liverpool',
    'L2 3YL',
    '0151 496 0800',
    'https://www.bibbyfinancialservices.com',
  ],
];

/** name, website, tracking page; DPD is the default. */
const COURIERS: readonly [string, string, string, boolean][] = [
  ['Royal Mail', 'https://www.royalmail.com', 'https://www.royalmail.com/track-your-item', false],
  ['Parcelforce Worldwide', 'https://www.parcelforce.com', 'https://www.parcelforce.com/track-trace', false],
  ['DPD', 'https://www.dpd.co.uk', 'https://track.dpd.co.uk', true],
  ['DHL', 'https://www.dhl.com/gb-en', 'https://www.dhl.com/gb-en/home/tracking.html', false],
  ['UPS', 'https://www.ups.com/gb/en', 'https://www.ups.com/track', false],
];

/** The Incoterms 2020 rules (International Chamber of Commerce). */
const INCOTERMS: readonly string[] = [
  'EXW - Ex Works',
  'FCA - Free Carrier',
  'CPT - Carriage Paid To',
  'CIP - Carriage and Insurance Paid To',
  'DAP - Delivered at Place',
  'DPU - Delivered at Place Unloaded',
  'DDP - Delivered Duty Paid',
  'FAS - Free Alongside Ship',
  'FOB - Free on Board',
  'CFR - Cost and Freight',
  'CIF - Cost, Insurance and Freight',
];

const EXPORT_REASONS: readonly string[] = [
  'Sale of goods',
  'Return of goods',
  'Commercial sample',
  'Gift',
  'Repair or warranty replacement',
];

/** name, description, bank code (`reference-data.ts`), card. */
const SOP_PAYMENT_METHODS: readonly [string, string, string, boolean][] = [
  ['BACS', 'Bank transfer (BACS or Faster Payments)', 'CURRENT', false],
  ['CARD', 'Debit or credit card', 'CURRENT', false],
  ['CHEQUE', 'Cheque', 'CURRENT', false],
  ['CASH', 'Cash', 'PETTY', false],
];

function bank(ref: ReferenceData, code: string): Bank {
  const found = ref.banks.find((b) => b.code === code);
  if (!found) throw new Error(`seed lists: no bank ${code}`);
  return found;
}

export function buildTradingLists(lists: ListBuilder, ref: ReferenceData): TradingLists {
  const bandTypes = loadCatalog().members('price_band_types');
  const universal = bandTypes.find((m) => m.value === 'Universal');
  if (!universal) throw new Error('seed lists: no Universal price band type');
  const current = bank(ref, 'CURRENT');

  return {
    credit_bureaus: lists.records('credit_bureaus', CREDIT_BUREAUS, (r, [name, website, checking]) => {
      r.name = name;
      r.website = website;
      r.checking_url = checking;
      r.is_default = name === CREDIT_BUREAUS[0]?.[0];
    }),
    credit_positions: lists.records('credit_positions', CREDIT_POSITIONS, (r, name) => {
      r.name = name;
      r.is_default = name === CREDIT_POSITIONS[0];
    }),
    price_bands: lists.records('price_bands', PRICE_BANDS, (r, [name, description, iso, standard]) => {
      r.name = name;
      r.description = description;
      r.is_standard_band = standard;
      r.currency_id = ref.currency(iso).id;
      r.price_band_type_id = universal.id;
      r.price_band_type = universal.value;
      r.is_active = true;
    }),
    customer_discount_groups: lists.records(
      'customer_discount_groups',
      DISCOUNT_GROUPS,
      (r, [name, text]) => {
        r.name = name;
        r.description = text;
      },
    ),
    order_value_discounts: lists.records(
      'order_value_discounts',
      ORDER_VALUE_DISCOUNTS,
      (r, [name, text, iso]) => {
        r.name = name;
        r.description = text;
        r.currency_id = ref.currency(iso).id;
      },
    ),
    payment_groups: lists.records('payment_groups', PAYMENT_GROUPS, (r, [number, type, how]) => {
      r.payment_group_number = number;
      r.post_to_ledger_on_payment_run = true;
      r.summarise_payments = how === 'BACS';
      r.is_supplier_payments_group = true;
      r.payment_type = type;
      r.description = `${how} payments - ${current.code}`;
    }),
    factor_houses: lists.records('factor_houses', FACTOR_HOUSES, (r, row) => {
      const [name, reference, line1, city, postcode, telephone, website] = row;
      r.name = name;
      r.reference = reference;
      const address = r.main_address as SageRecord;
      address.id = lists.nextId();
      address.address_1 = line1;
      address.city = city;
      address.postcode = postcode;
      address.country = ref.country('GB').name;
      address.telephone = telephone;
      address.website = website;
    }),
    couriers: lists.records('couriers', COURIERS, (r, [name, website, tracking, isDefault]) => {
      r.name = name;
      r.website = website;
      r.tracking_url = tracking;
      r.is_default = isDefault;
    }),
    sop_incoterms: lists.records('sop_incoterms', INCOTERMS, (r, name) => {
      r.name = name;
    }),
    sop_export_reasons: lists.records('sop_export_reasons', EXPORT_REASONS, (r, name) => {
      r.name = name;
      r.is_default = name === EXPORT_REASONS[0];
    }),
    sop_payment_methods: lists.records('sop_payment_methods', SOP_PAYMENT_METHODS, (r, row) => {
      const [name, description, bankCode, card] = row;
      const paidInto = bank(ref, bankCode);
      r.name = name;
      r.description = description;
      r.bank_account_id = paidInto.id;
      r.currency_id = paidInto.record.account_currency_id ?? null;
      r.card_processing_method = card;
    }),
  };
}
