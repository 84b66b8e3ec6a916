/** The UK data generators: check digits the libraries accept, Ofcom's ranges, and the draws they take. */
import { isValidIBAN } from 'ibantools';
import { checkVAT, countries } from 'jsvat';
import { isValid as isValidPostcode, toOutcode } from 'postcode';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random.ts';
import { ibanCheckDigits } from './iban.ts';
import {
  catalogueOf,
  DRAMA_TOWNS,
  dramaNumber,
  gbVatDigits,
  overseasLocality,
  UK_TOWNS,
  ukBankAccount,
  ukLocality,
  vatNumber,
} from './index.ts';

const rng = new Rng(14);
const randomDigits = (n: number): string => rng.chars('0123456789', n);

describe('VAT numbers', () => {
  it.each(['GB', 'IE', 'FR', 'DE', 'NL'])(
    'makes %s numbers jsvat accepts from any nine digits',
    (country) => {
      for (let i = 0; i < 2_000; i++) {
        const vat = vatNumber(country, randomDigits(9));
        expect(checkVAT(vat, countries).isValid, vat).toBe(true);
        expect(vat.startsWith(country)).toBe(true);
      }
    },
  );

  it("uses HMRC's 9755 scheme for GB numbers: the weighted sum, 55 and the check digits make a multiple of 97", () => {
    for (let i = 0; i < 500; i++) {
      const vat = gbVatDigits(randomDigits(7));
      const weighted = [...vat.slice(0, 7)].reduce((sum, d, k) => sum + Number(d) * (8 - k), 0);
      expect((weighted + 55 + Number(vat.slice(7))) % 97).toBe(0);
      expect(Number(vat.slice(0, 7))).toBeGreaterThan(1_000_000);
    }
  });

  it('moves a Dutch number whose eleven-proof remainder is 10 to one with a check digit', () => {
    expect(vatNumber('NL', '000000050')).toBe('NL000000061B01');
    expect(checkVAT('NL000000061B01', countries).isValid).toBe(true);
  });

  it('gives a US account no VAT number, and refuses too few digits', () => {
    expect(vatNumber('US', '123456789')).toBe('');
    expect(() => vatNumber('GB', '12345')).toThrow(/nine|9 random digits/);
  });
});

describe('bank accounts', () => {
  it("works out ISO 13616's check digits (the standard's GB example)", () => {
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
  });

  it('makes IBANs ibantools accepts, over a sort code in the named bank’s range', () => {
    for (let i = 0; i < 2_000; i++) {
      const account = ukBankAccount(randomDigits(14));
      expect(isValidIBAN(account.iban), account.iban).toBe(true);
      expect(account.sortCode.startsWith(account.bank.sortCodePrefix)).toBe(true);
      expect(account.iban.slice(4)).toBe(
        `${account.bank.bankCode}${account.sortCode}${account.accountNumber}`,
      );
    }
  });
});

describe("Ofcom's drama numbers", () => {
  it('numbers within the area’s range, or the range with no area where the area has none', () => {
    expect(dramaNumber('0161', 7)).toEqual({ area_code: '0161', subscriber_number: '496 0007' });
    expect(dramaNumber('020', 999)).toEqual({ area_code: '020', subscriber_number: '7946 0999' });
    expect(dramaNumber('01223', 5)).toEqual({ area_code: '01632', subscriber_number: '960005' });
    expect(dramaNumber(undefined, 0)).toEqual({ area_code: '01632', subscriber_number: '960000' });
    expect(() => dramaNumber('0161', 1_000)).toThrow(/0-999/);
  });
});

describe('addresses', () => {
  it('takes five draws for a UK locality, as the postcode before it did, so later draws are unchanged', () => {
    const used = new Rng(7);
    const skipped = new Rng(7);
    ukLocality(used);
    for (let i = 0; i < 5; i++) skipped.next();
    expect(used.next()).toBe(skipped.next());
  });

  it("puts every UK postcode in one of its town's districts, the company's in a town with a drama range", () => {
    for (let i = 0; i < 2_000; i++) {
      const place = ukLocality(rng);
      const town = UK_TOWNS.find((t) => t.town === place.city)!;
      expect(isValidPostcode(place.postcode), place.postcode).toBe(true);
      expect(town.districts).toContain(toOutcode(place.postcode));
      expect(place.county).toBe(town.county);
      expect(ukLocality(rng, DRAMA_TOWNS).dialling).toBeDefined();
    }
  });

  it.each([
    ['IE', /^[AC-FHKNPRTV-Y]\d{2} [0-9AC-FHKNPRTV-Y]{4}$/],
    ['NL', /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/],
    ['FR', /^\d{5}$/],
    ['DE', /^\d{5}$/],
    ['US', /^\d{5}$/],
  ])('writes %s postcodes in the country’s format', (country, format) => {
    for (let i = 0; i < 1_000; i++)
      expect(overseasLocality(country, randomDigits(5)).postcode).toMatch(format);
  });
});

describe('the product catalogue', () => {
  it.each(['HARDWARE', 'CONSUMABLES', 'PUBLICATIONS', 'SERVICES'])(
    'offers %s enough distinct products for the large world, each name within 60 characters',
    (group) => {
      const products = catalogueOf(group);
      expect(products.length).toBeGreaterThanOrEqual(40);
      expect(new Set(products.map((p) => p.name)).size).toBe(products.length);
      for (const p of products) expect(p.name.length).toBeLessThanOrEqual(60);
    },
  );
});
