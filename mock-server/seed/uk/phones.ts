/**
 * Telephone numbers from Ofcom's drama numbers: the ranges Ofcom reserves for TV and radio drama and never gives to
 * a subscriber (Ofcom, "Telephone numbers for drama purposes"). Each holds 1,000 numbers; a number here is one of
 * them, picked by `n` in 0-999.
 */

/** Ofcom's drama numbers: area code and the subscriber number's first digits, by area code. */
export const DRAMA_RANGES: Readonly<Record<string, string>> = {
  '020': '7946 0',
  '0113': '496 0',
  '0114': '496 0',
  '0115': '496 0',
  '0116': '496 0',
  '0117': '496 0',
  '0118': '496 0',
  '0121': '496 0',
  '0131': '496 0',
  '0141': '496 0',
  '0151': '496 0',
  '0161': '496 0',
  '0191': '498 0',
  '029': '2018 0',
  // No geographic area: for a town without a drama range of its own.
  '01632': '960',
  // Mobile.
  '07700': '900',
};

/** The drama area code with no geographic area. */
export const NO_AREA = '01632';
export const MOBILE = '07700';

/** A number split as Sage splits it: area code and subscriber number. */
export interface DramaNumber {
  area_code: string;
  subscriber_number: string;
}

/** The drama number `n` (0-999) of an area code, or of the no-area range where the area has none. */
export function dramaNumber(areaCode: string | undefined, n: number): DramaNumber {
  const area = areaCode !== undefined && DRAMA_RANGES[areaCode] !== undefined ? areaCode : NO_AREA;
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new Error(`dramaNumber: ${n} is not in 0-999`);
  return { area_code: area, subscriber_number: `${DRAMA_RANGES[area]}${String(n).padStart(3, '0')}` };
}

/** The number written whole (`0161 496 0123`). */
export function dialled(number: DramaNumber): string {
  return `${number.area_code} ${number.subscriber_number}`;
}
