/**
 * UK bank accounts: real banks' sort-code ranges and BICs (the banks' published sort codes; the IBAN's bank code is
 * the BIC's first four letters), random account numbers, and IBANs whose check digits satisfy ISO 13616's mod-97.
 */

/** A UK bank: name, IBAN bank code, BIC, and the first two digits of its sort codes. */
export interface UkBank {
  name: string;
  bankCode: string;
  bic: string;
  sortCodePrefix: string;
}

export const UK_BANKS: readonly UkBank[] = [
  { name: 'NatWest', bankCode: 'NWBK', bic: 'NWBKGB2L', sortCodePrefix: '60' },
  { name: 'Barclays', bankCode: 'BUKB', bic: 'BUKBGB22', sortCodePrefix: '20' },
  { name: 'Lloyds Bank', bankCode: 'LOYD', bic: 'LOYDGB2L', sortCodePrefix: '30' },
  { name: 'HSBC UK', bankCode: 'HBUK', bic: 'HBUKGB4B', sortCodePrefix: '40' },
  { name: 'Santander UK', bankCode: 'ABBY', bic: 'ABBYGB2L', sortCodePrefix: '09' },
  { name: 'Royal Bank of Scotland', bankCode: 'RBOS', bic: 'RBOSGB2L', sortCodePrefix: '83' },
];

/** ISO 13616 check digits: the remainder of the rearranged IBAN mod 97 is 1. */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  let remainder = 0;
  for (const c of rearranged) {
    const value = c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : Number(c);
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

/** A UK IBAN: `GB`, check digits, the bank code, the six-digit sort code and the eight-digit account number. */
export function ukIban(bankCode: string, sortCode: string, accountNumber: string): string {
  const bban = `${bankCode}${sortCode.replaceAll('-', '')}${accountNumber}`;
  if (!/^[A-Z]{4}\d{14}$/.test(bban)) throw new Error(`ukIban: '${bban}' is not a UK BBAN`);
  return `GB${ibanCheckDigits('GB', bban)}${bban}`;
}

/** A supplier's or company's account at a real bank, from fourteen random digits. */
export interface UkBankAccount {
  bank: UkBank;
  /** Six digits, no dashes. */
  sortCode: string;
  accountNumber: string;
  iban: string;
}

/** The account fourteen random digits give: the first picks the bank, the next four its branch, the last eight the account (the sixth is spare). */
export function ukBankAccount(material: string): UkBankAccount {
  if (!/^\d{14}$/.test(material)) throw new Error(`ukBankAccount: need 14 random digits, got '${material}'`);
  const bank = UK_BANKS[Number(material[0]) % UK_BANKS.length]!;
  // Within the bank's prefix nn, the third digit is 1-9: branch codes nn-10-00 to nn-99-99.
  const sortCode = `${bank.sortCodePrefix}${1 + (Number(material[1]) % 9)}${material.slice(2, 5)}`;
  const accountNumber = material.slice(6, 14);
  return { bank, sortCode, accountNumber, iban: ukIban(bank.bankCode, sortCode, accountNumber) };
}

/** `601613` as Sage shows a bank's sort code: `60-16-13`. */
export function dashedSortCode(sortCode: string): string {
  return `${sortCode.slice(0, 2)}-${sortCode.slice(2, 4)}-${sortCode.slice(4, 6)}`;
}
