/**
 * Realistic UK data for the seed: towns whose postcodes and counties agree, Ofcom's drama telephone numbers, VAT
 * numbers and IBANs with valid check digits, British names and a British product catalogue. Draws that stand in
 * for the company's random stream keep its count of draws, so the trading drawn after them (the ledger) is unchanged.
 */
import type { Faker } from '@faker-js/faker';
import type { Rng } from '../random.ts';
import {
  CUSTOMER_TRADES,
  ESTATES,
  FEMALE_FIRST_NAMES,
  MALE_FIRST_NAMES,
  PLACE_WORDS,
  STREETS,
  SUPPLIER_TRADES,
  SURNAMES,
} from './names.ts';
import { type Locality, overseasCountry } from './overseas.ts';
import { INWARD_LETTERS, UK_TOWNS, type UkTown } from './towns.ts';

export { dashedSortCode, UK_BANKS, type UkBankAccount, ukBankAccount, ukIban } from './iban.ts';
export { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES } from './names.ts';
export { type Locality, overseasCountry } from './overseas.ts';
export { DRAMA_RANGES, type DramaNumber, dialled, dramaNumber, MOBILE, NO_AREA } from './phones.ts';
export { type CatalogueProduct, catalogueOf } from './products.ts';
export { DRAMA_TOWNS, INWARD_LETTERS, UK_TOWNS, type UkTown } from './towns.ts';
export { gbVatDigits, VAT_COUNTRIES, vatNumber } from './vat.ts';

/** A UK locality and the drama dialling code of its town, where Ofcom reserves one there. */
export interface UkLocality extends Locality {
  dialling: string | undefined;
}

/**
 * A UK town, county and postcode from five draws of `rng` (the town, its district, the sector digit and the unit's
 * two letters): the postcode's district is one of the town's, so postcode, town and county agree.
 */
export function ukLocality(rng: Rng, towns: readonly UkTown[] = UK_TOWNS): UkLocality {
  const town = rng.pick(towns);
  const district = rng.pick(town.districts);
  const postcode = `${district} ${rng.int(1, 9)}${rng.chars(INWARD_LETTERS, 2)}`;
  return { city: town.town, county: town.county, postcode, dialling: town.dialling };
}

/** An overseas locality in its country's format from five random digits (`./overseas.ts`). */
export function overseasLocality(countryCode: string, digits: string): Locality {
  return overseasCountry(countryCode).locality(digits);
}

/** A British street address's first line: a house on a street, or a unit on an estate (for a business). */
export function ukStreetLine(faker: Faker): string {
  return faker.number.int(3) === 0
    ? `Unit ${faker.number.int({ min: 1, max: 40 })}, ${faker.helpers.arrayElement(ESTATES)}`
    : `${faker.number.int({ min: 1, max: 180 })} ${faker.helpers.arrayElement(STREETS)}`;
}

/** An overseas address's first line in its country's order (`Keizersgracht 123`, `12 rue Victor Hugo`). */
export function overseasStreetLine(faker: Faker, countryCode: string): string {
  const country = overseasCountry(countryCode);
  return country.line(faker.number.int({ min: 1, max: 240 }), faker.helpers.arrayElement(country.streets));
}

/** A person's full name from British first names and surnames. */
export function britishPersonName(faker: Faker): string {
  const first = faker.helpers.arrayElement(faker.datatype.boolean() ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  return `${first} ${faker.helpers.arrayElement(SURNAMES)}`;
}

/** A British business name before its legal form: a surname or a place and a trade, a partnership, a family firm. */
export function britishBusinessName(faker: Faker, trades: readonly string[]): string {
  const trade = faker.helpers.arrayElement(trades);
  const surname = faker.helpers.arrayElement(SURNAMES);
  switch (faker.number.int(3)) {
    case 0:
      return `${surname} ${trade}`;
    case 1:
      return `${surname} & ${faker.helpers.arrayElement(SURNAMES.filter((s) => s !== surname))}`;
    case 2:
      return `${faker.helpers.arrayElement(PLACE_WORDS)} ${trade}`;
    default:
      return `${surname} & Sons`;
  }
}

/** An overseas business's name in its country's style, with its legal form (`Müller Bürotechnik GmbH`). */
export function overseasBusinessName(faker: Faker, countryCode: string): string {
  const country = overseasCountry(countryCode);
  const surname = faker.helpers.arrayElement(country.surnames);
  return `${surname[0]?.toUpperCase() ?? ''}${surname.slice(1)} ${faker.helpers.arrayElement(country.trades)} ${faker.helpers.arrayElement(country.forms)}`;
}

/** The trades a customer, or a supplier of a category, names itself after. */
export function tradesOf(kind: 'customer' | 'supplier', category: string | undefined): readonly string[] {
  return kind === 'customer' ? CUSTOMER_TRADES : (SUPPLIER_TRADES[category ?? ''] ?? CUSTOMER_TRADES);
}
