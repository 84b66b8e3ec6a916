/**
 * VAT registration numbers with valid check digits, each made from random digits the caller draws. GB numbers use
 * HMRC's 9755 scheme (the weighted sum of the seven digits, plus 55, plus the two check digits, is a multiple of 97;
 * HMRC's VAT Notice 700/1 and its modulus checks), which HMRC issues from 1000000 upwards. EU numbers follow each
 * country's published format and check-digit rule.
 */

const digitsOf = (text: string): number[] => [...text].map(Number);

function requireDigits(material: string, length: number): void {
  if (!new RegExp(`^\\d{${length},}$`).test(material))
    throw new Error(`vat: need ${length} random digits, got '${material}'`);
}

/** A GB number (9 digits, 9755 scheme) from seven random digits; the first is made 1-9 so the number is issued. */
export function gbVatDigits(material: string): string {
  requireDigits(material, 7);
  const drawn = `${1 + (Number(material[0]) % 9)}${material.slice(1, 7)}`;
  const base = drawn === '1000000' ? '1000001' : drawn;
  const total = digitsOf(base).reduce((sum, d, i) => sum + d * (8 - i), 0);
  const check = ((-(total + 55) % 97) + 97) % 97;
  return `${base}${String(check).padStart(2, '0')}`;
}

/** Ireland: seven digits and a mod-23 check letter (`IE1234567T`). */
function irish(material: string): string {
  const base = material.slice(0, 7);
  const total = digitsOf(base).reduce((sum, d, i) => sum + d * (8 - i), 0) % 23;
  return `IE${base}${total === 0 ? 'W' : String.fromCharCode(64 + total)}`;
}

/** France: the key (12 + 3 × (SIREN mod 97)) mod 97 before a SIREN whose ninth digit is its Luhn check. */
function french(material: string): string {
  const body = material.slice(0, 8);
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  const siren = `${body}${(10 - (sum % 10)) % 10}`;
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

/** Germany: eight digits (the first not 0) and an ISO 7064 MOD 11,10 check digit. */
function german(material: string): string {
  const body = `${1 + (Number(material[0]) % 9)}${material.slice(1, 8)}`;
  let product = 10;
  for (const d of digitsOf(body)) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product === 10 ? 0 : 11 - product;
  return `DE${body}${check}`;
}

/** The Netherlands: an eleven-proof nine-digit number and the branch suffix B01. */
function dutch(material: string): string {
  const body = digitsOf(material.slice(0, 8));
  let total = body.reduce((sum, d, i) => sum + d * (9 - i), 0) % 11;
  // A remainder of 10 has no check digit: move the last weighted digit on until it has one.
  while (total === 10) {
    body[7] = (body[7]! + 1) % 10;
    total = body.reduce((sum, d, i) => sum + d * (9 - i), 0) % 11;
  }
  return `NL${body.join('')}${total}B01`;
}

const BUILDERS: Readonly<Record<string, (material: string) => string>> = {
  GB: (material) => `GB${gbVatDigits(material)}`,
  IE: irish,
  FR: french,
  DE: german,
  NL: dutch,
};

/** The VAT number of a business in `country` from nine random digits; '' where the country has no VAT. */
export function vatNumber(country: string, material: string): string {
  requireDigits(material, 9);
  return BUILDERS[country]?.(material) ?? '';
}

/** Countries whose VAT numbers `vatNumber` makes. */
export const VAT_COUNTRIES: readonly string[] = Object.keys(BUILDERS);
