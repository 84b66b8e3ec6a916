/**
 * Chart of accounts, customers, suppliers and tax rates: Sage 200 records mapped to Codat's Account, Customer,
 * Supplier and TaxRate (Codat's OpenAPI models: https://github.com/codatio/codat-docs, static/oas).
 */
import type { ListItem, Schemas } from '../contract-types.ts';
import type { Account, Address, Customer, Supplier, TaxRate } from './codat-types.ts';
import type { Currencies } from './reference.ts';

/**
 * The Codat account type of a Sage report category. Sage 200 has no Equity category type: capital and reserves sit
 * in a Liability-type category. The sync maps a Liability-type category to Equity when its code is 301 (the
 * Sage 50-style "Capital and Reserves" category the seeded world uses, CAPITAL_AND_RESERVES_CATEGORY) or its
 * description says capital or reserves, so those accounts come out as Equity, as a balance sheet needs them.
 */
export function accountTypeOf(category: Schemas['NominalReportCategory'] | undefined): Account['type'] {
  const type = category?.account_report_category_type ?? '';
  if (type.endsWith('Asset')) return 'Asset';
  if (type.endsWith('Income')) return 'Income';
  if (type.endsWith('Expense')) return 'Expense';
  if (type.endsWith('Liability')) return isCapitalAndReserves(category) ? 'Equity' : 'Liability';
  return 'Unknown';
}

export function isCapitalAndReserves(category: Schemas['NominalReportCategory'] | undefined): boolean {
  return category?.code === '301' || /capital|reserve/i.test(category?.description ?? '');
}

function accountStatus(sageStatus: string | undefined): 'Active' | 'Archived' | 'Unknown' {
  if (sageStatus === 'AccountStatusActive') return 'Active';
  if (sageStatus === 'AccountStatusHidden') return 'Archived';
  return 'Unknown';
}

export function mapAccount(
  code: ListItem<'/nominal_codes'>,
  categories: ReadonlyMap<number, Schemas['NominalReportCategory']>,
  bankNominals: ReadonlySet<string>,
  baseCurrency: string,
): Account {
  const category =
    code.report_category_id === undefined ? undefined : categories.get(code.report_category_id);
  const type = accountTypeOf(category);
  const categoryName = `${type}.${category?.description ?? 'Uncategorised'}`;
  const name = code.name ?? '';
  const analysis = [code.cost_centre_code, code.department_code].filter(Boolean).join('/');
  const status = accountStatus(code.account_status_type);
  return {
    id: String(code.id),
    nominalCode: code.reference ?? '',
    name,
    description: analysis ? `${name} (${analysis})` : name,
    fullyQualifiedCategory: categoryName,
    fullyQualifiedName: `${categoryName}.${name}`,
    currency: baseCurrency,
    // Sage's sign (debit positive), for the current financial year to date.
    currentBalance: code.balance_year_to_date ?? 0,
    type,
    status,
    isBankAccount: bankNominals.has(nominalKey(code.reference, code.cost_centre_code, code.department_code)),
    sourceModifiedDate: code.date_time_updated,
    metadata: { isDeleted: status === 'Archived' },
  };
}

/** A nominal account's full key: reference, cost centre and department together identify it. */
export function nominalKey(reference?: string, costCentre?: string, department?: string): string {
  return `${reference ?? ''}/${costCentre ?? ''}/${department ?? ''}`;
}

function phoneOf(record: {
  telephone_country_code?: string;
  telephone_area_code?: string;
  telephone_subscriber_number?: string;
}): string {
  return [record.telephone_country_code, record.telephone_area_code, record.telephone_subscriber_number]
    .filter(Boolean)
    .join(' ');
}

type MainAddress = NonNullable<Schemas['Customer']['main_address']>;

function addressOf(address: MainAddress | undefined): Address[] {
  if (!address) return [];
  return [
    {
      type: 'Billing',
      line1: address.address_1 ?? '',
      line2: [address.address_2, address.address_3, address.address_4].filter(Boolean).join(', '),
      city: address.city ?? '',
      region: address.county ?? '',
      country: address.country ?? '',
      postalCode: address.postcode ?? '',
    },
  ];
}

/**
 * A Sage customer as Codat's Customer. The id is the Sage account reference, as in Codat's Sage 200 example
 * (`"A1D001"`); strings Sage leaves unset are empty, not null, as there.
 */
export function mapCustomer(customer: ListItem<'/customers'>, currencies: Currencies): Customer {
  const status = accountStatus(customer.account_status_type);
  return {
    id: customer.reference ?? String(customer.id),
    customerName: customer.name ?? '',
    contactName: customer.main_address?.contact_name ?? '',
    emailAddress: '',
    defaultCurrency: currencyOf(customer.currency_id, currencies),
    phone: phoneOf(customer),
    addresses: addressOf(customer.main_address),
    registrationNumber: '',
    taxNumber: customer.vat_number ?? '',
    status: status === 'Unknown' ? 'Unknown' : status,
    sourceModifiedDate: customer.date_time_updated,
    metadata: { isDeleted: status === 'Archived' },
  };
}

/** A Sage supplier as Codat's Supplier, with the account reference as its id (as bills' supplierRef uses). */
export function mapSupplier(supplier: ListItem<'/suppliers'>, currencies: Currencies): Supplier {
  const status = accountStatus(supplier.account_status_type);
  return {
    id: supplier.reference ?? String(supplier.id),
    supplierName: supplier.name ?? '',
    contactName: supplier.main_address?.contact_name ?? '',
    emailAddress: '',
    defaultCurrency: currencyOf(supplier.currency_id, currencies),
    phone: phoneOf(supplier),
    addresses: addressOf(supplier.main_address),
    registrationNumber: '',
    taxNumber: supplier.vat_number ?? '',
    status,
    sourceModifiedDate: supplier.date_time_updated,
    metadata: { isDeleted: status === 'Archived' },
  };
}

export function currencyOf(currencyId: number | null | undefined, currencies: Currencies): string {
  return (
    (currencyId === null || currencyId === undefined ? undefined : currencies.byId.get(currencyId)) ??
    currencies.base
  );
}

/** A Sage tax code as Codat's TaxRate: the record id as id, the Sage code number as code (as Codat's 1729 / "1"). */
export function mapTaxRate(code: ListItem<'/tax_codes'>): TaxRate {
  const rate = code.tax_rate ?? 0;
  const name = code.name ?? '';
  return {
    id: String(code.id),
    name,
    code: String(code.code ?? ''),
    effectiveTaxRate: rate,
    totalTaxRate: rate,
    components: [{ name, rate, isCompound: false }],
    status: 'Active',
    sourceModifiedDate: code.date_time_updated,
  };
}
