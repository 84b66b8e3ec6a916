/**
 * The medium world looks like a UK business's books (issue 14): every VAT number, IBAN and sort code, postcode,
 * town and county, and telephone number in it is checked, with a library where a well-kept one exists (jsvat,
 * ibantools, postcode, libphonenumber-js) and by a stated rule where none does. No failure is allowed.
 */
import { isValidBIC, isValidIBAN } from 'ibantools';
import { checkVAT, countries } from 'jsvat';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { isValid as isValidPostcode, toOutcode } from 'postcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../mock-server/seed/build.ts';
import { UK_TOWNS } from '../../mock-server/seed/uk/index.ts';
import type { CompanyWorld, SageRecord } from '../../mock-server/world/model.ts';

/** Ofcom's drama numbers, written out here apart from the seed's table: each range's first number, 1,000 long. */
const OFCOM_DRAMA_RANGES = [
  '02079460000',
  '01134960000',
  '01144960000',
  '01154960000',
  '01164960000',
  '01174960000',
  '01184960000',
  '01214960000',
  '01314960000',
  '01414960000',
  '01514960000',
  '01614960000',
  '01914980000',
  '02920180000',
  '01632960000',
  '07700900000',
];
/**
 * The drama ranges libphonenumber-js holds as unallocated (the one with no area, Nottingham's and the mobile one), so
 * calls invalid: there Ofcom's list alone rules. It takes every other range for a valid UK fixed line.
 */
const UNALLOCATED = ['01632', '0115496', '07700'];

/** The first two digits of the sort codes of the banks a seeded BIC may name (the banks' published ranges). */
const SORT_CODES_BY_BIC: Readonly<Record<string, string>> = {
  NWBKGB2L: '60',
  BUKBGB22: '20',
  LOYDGB2L: '30',
  HBUKGB4B: '40',
  ABBYGB2L: '09',
  RBOSGB2L: '83',
};

/** Overseas postcode formats: Eircode, Dutch `1234 AB` (never SA, SD or SS), five digits elsewhere. */
const OVERSEAS_POSTCODES: Readonly<Record<string, RegExp>> = {
  Ireland: /^(?:[AC-FHKNPRTV-Y]\d{2}|D6W) [0-9AC-FHKNPRTV-Y]{4}$/,
  Netherlands: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/,
  France: /^\d{5}$/,
  Germany: /^\d{5}$/,
  'United States': /^\d{5}$/,
};
const VAT_COUNTRY: Readonly<Record<string, string>> = {
  'United Kingdom': 'GB',
  Ireland: 'IE',
  Netherlands: 'NL',
  France: 'FR',
  Germany: 'DE',
};

interface Found {
  where: string;
  record: SageRecord;
  key: string;
  value: string;
}

/** Every object in a company's records, with a path naming it, the company's details first. */
function* objects(company: CompanyWorld): Generator<[string, SageRecord]> {
  function* walk(where: string, value: unknown): Generator<[string, SageRecord]> {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) yield* walk(`${where}[${i}]`, item);
    } else if (value !== null && typeof value === 'object') {
      yield [where, value as SageRecord];
      for (const [key, item] of Object.entries(value))
        if (typeof item === 'object') yield* walk(`${where}.${key}`, item);
    }
  }
  const prefix = `company ${company.company_id}`;
  yield* walk(`${prefix} company_details`, company.company_details);
  for (const [name, records] of Object.entries(company.collections))
    yield* walk(`${prefix} ${name}`, records);
}

/** The non-empty string fields whose names match, in every record of the world. */
function fields(all: readonly [string, SageRecord][], match: (key: string) => boolean): Found[] {
  const found: Found[] = [];
  for (const [where, record] of all)
    for (const [key, value] of Object.entries(record))
      if (match(key) && typeof value === 'string' && value.trim() !== '')
        found.push({ where, record, key, value });
  return found;
}

const digits = (text: string): string => text.replace(/\D/g, '');

/** A UK number written whole or split, as national digits: `+44 0161 496 0123` and `01614960123` alike. */
function nationalDigits(text: string): string {
  const d = digits(text.replace(/^\+44\s*/, ''));
  return d.startsWith('0') ? d : `0${d}`;
}

function phoneFailure(number: string): string | undefined {
  const n = nationalDigits(number);
  const inRange = OFCOM_DRAMA_RANGES.some(
    (first) => n.length === first.length && n.slice(0, -3) === first.slice(0, -3),
  );
  if (!inRange) return "not one of Ofcom's drama numbers";
  if (!UNALLOCATED.some((prefix) => n.startsWith(prefix)) && !isValidPhoneNumber(n, 'GB'))
    return 'not a valid UK number (libphonenumber-js)';
  return undefined;
}

describe("the medium world's UK data", () => {
  let all: [string, SageRecord][] = [];
  let companies: CompanyWorld[] = [];

  beforeAll(() => {
    const world = buildWorld({ seed: 200, scale: 'medium' });
    companies = world.sites.flatMap((site) => site.companies);
    all = companies.flatMap((company) => [...objects(company)]);
  }, 120_000);

  it('gives every VAT number valid check digits for its country (jsvat), and EORI numbers their VAT number', () => {
    const vat = fields(all, (key) => key === 'vat_number' || key === 'tax_registration_number');
    // The companies, and most of their 1,500 customers and suppliers.
    expect(vat.length).toBeGreaterThan(1_000);
    const failures: string[] = [];
    for (const { where, record, key, value } of vat) {
      const compact = value.replace(/\s/g, '');
      const country = typeof record.country_code_id === 'number' ? undefined : 'GB';
      const ownCountry =
        country ??
        VAT_COUNTRY[String((record.main_address as SageRecord | undefined)?.country ?? 'United Kingdom')];
      const result = checkVAT(compact, countries);
      if (!result.isValid) failures.push(`${where}.${key} ${value}: invalid`);
      else if (ownCountry !== undefined && !compact.startsWith(ownCountry))
        failures.push(`${where}.${key} ${value}: not a ${ownCountry} number`);
    }
    for (const company of companies) {
      const details = company.company_details;
      const vatDigits = digits(String(details.tax_registration_number));
      if (details.eori_number !== `GB${vatDigits}000`)
        failures.push(`company ${company.company_id}: EORI ${String(details.eori_number)}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives every IBAN a valid mod-97 (ibantools) that agrees with its sort code, account number and BIC', () => {
    const ibans = fields(all, (key) => key === 'iban' || key === 'iban_number');
    const sortCodes = fields(all, (key) => key === 'sort_code');
    // Two banks per company and the UK suppliers' bank details.
    expect(ibans.length).toBeGreaterThan(300);
    expect(sortCodes.length).toBe(ibans.length);
    const failures: string[] = [];
    for (const { where, record, value } of sortCodes) {
      const iban = String(record.iban ?? record.iban_number ?? '');
      const bic = String(record.bic ?? record.bic_number ?? '');
      const account = String(record.account_no ?? record.account_number ?? '');
      const sortCode = digits(value);
      if (!isValidIBAN(iban)) failures.push(`${where}: IBAN ${iban} fails mod-97`);
      if (!isValidBIC(bic)) failures.push(`${where}: BIC ${bic} is not valid`);
      if (!/^\d{6}$/.test(sortCode) || !/^\d{8}$/.test(account))
        failures.push(`${where}: sort code ${value} / account ${account} are not 6 and 8 digits`);
      if (iban !== '' && (iban.slice(4, 8) !== bic.slice(0, 4) || iban.slice(8) !== `${sortCode}${account}`))
        failures.push(`${where}: IBAN ${iban} disagrees with ${bic} ${value} ${account}`);
      if (SORT_CODES_BY_BIC[bic] !== sortCode.slice(0, 2))
        failures.push(`${where}: sort code ${value} is outside ${bic}'s range`);
    }
    expect(failures).toEqual([]);
  });

  it('gives every address a real postcode format whose district lies in its town and county', () => {
    const postcodes = fields(all, (key) => key === 'postcode');
    expect(postcodes.length).toBeGreaterThan(1_500);
    const failures: string[] = [];
    let overseas = 0;
    for (const { where, record, value } of postcodes) {
      const country =
        typeof record.country === 'string' && record.country !== '' ? record.country : 'United Kingdom';
      const place = `${where}: ${String(record.city)}, ${String(record.county)} ${value} (${country})`;
      if (country !== 'United Kingdom') {
        overseas++;
        const format = OVERSEAS_POSTCODES[country];
        if (format === undefined || !format.test(value)) failures.push(`${place}: not the country's format`);
        continue;
      }
      if (!isValidPostcode(value)) {
        failures.push(`${place}: not a UK postcode`);
        continue;
      }
      const town = UK_TOWNS.find((t) => t.town === record.city);
      if (town === undefined) failures.push(`${place}: not a post town of the dataset`);
      else if (!town.districts.includes(toOutcode(value) ?? ''))
        failures.push(`${place}: district not in the town`);
      else if (record.county !== undefined && record.county !== '' && record.county !== town.county)
        failures.push(`${place}: the town is in ${town.county}`);
    }
    expect(overseas).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it("takes every telephone, mobile and fax number from Ofcom's drama numbers", () => {
    const phoneKey = /phone|fax|mobile|full_number/;
    const whole = fields(
      all,
      (key) => phoneKey.test(key) && !/_(country_code|area_code|subscriber_number)$/.test(key),
    );
    const split = fields(all, (key) => key.endsWith('subscriber_number'));
    // The accounts, their tens of thousands of contacts' channels, the warehouses and the companies.
    expect(whole.length + split.length).toBeGreaterThan(50_000);
    const failures: string[] = [];
    for (const { where, key, value } of whole) {
      const why = phoneFailure(value);
      if (why) failures.push(`${where}.${key} ${value}: ${why}`);
    }
    for (const { where, record, key, value } of split) {
      const prefix = key.slice(0, -'subscriber_number'.length);
      const area = String(record[`${prefix}area_code`] ?? '');
      const why = phoneFailure(`${area}${value}`);
      if (why) failures.push(`${where}.${key} ${area} ${value}: ${why}`);
      const countryCode = String(record[`${prefix}country_code`] ?? '');
      if (countryCode !== '' && countryCode !== '+44') failures.push(`${where}: country code ${countryCode}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('keeps every email address and website on the reserved .test domain', () => {
    const addresses = fields(
      all,
      (key) => key === 'email' || key === 'default_email' || key === 'email_address',
    );
    const sites = fields(all, (key) => key === 'website');
    expect(addresses.length).toBeGreaterThan(10_000);
    const failures = [
      ...addresses.filter((f) => !/^[^@\s]+@[a-z0-9.-]+\.test$/.test(f.value)),
      // The credit bureaus, couriers and factor houses are real firms, shown with their own sites.
      ...sites.filter(
        (f) =>
          !/^https:\/\/www\.[a-z0-9.-]+\.test$/.test(f.value) &&
          !/credit_bureaus|couriers|factor_houses/.test(f.where),
      ),
    ].map((f) => `${f.where}.${f.key} ${f.value}`);
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('names products in British English and UK accounts with a UK legal form', () => {
    const failures: string[] = [];
    for (const company of companies) {
      for (const product of company.collections.products ?? [])
        for (const text of [product.name, product.description])
          if (/\b(color|center|gray|aluminum|catalog|organization|license|program)\b/i.test(String(text)))
            failures.push(`${String(product.code)}: ${String(text)}`);
      for (const account of [
        ...(company.collections.customers ?? []),
        ...(company.collections.suppliers ?? []),
      ]) {
        const uk = (account.main_address as SageRecord).country === 'United Kingdom';
        if (uk && !/ (Ltd|Limited|plc|& Co|LLP)$/.test(String(account.name)))
          failures.push(String(account.name));
      }
    }
    expect(failures).toEqual([]);
  });

  it('posts money in whole pence, as Sage rounds it', () => {
    const failures = companies.flatMap((company) =>
      company.nominal_entries
        .filter((entry) => Math.abs(entry.value * 100 - Math.round(entry.value * 100)) > 1e-6)
        .map((entry) => `company ${company.company_id}: ${entry.value}`),
    );
    expect(failures).toEqual([]);
  });
});
