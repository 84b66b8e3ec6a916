/**
 * Masks personal data in recorded records by field: names of people and traders, emails, phones, addresses, VAT and
 * registration numbers, bank details. A value is replaced by one of the same shape (letters by letters, digits by
 * digits, case, spaces and punctuation kept), chosen by a hash of the value alone: the same value masks the same way
 * in every field and record, so anything matched by value still matches, and the length never exceeds the
 * original's, so every maxLength still holds. Ids are never masked.
 */
import { createHash } from 'node:crypto';

/** Fields holding personal data in any record (exact names, then patterns). */
const ALWAYS = new Set([
  'first_name',
  'middle_name',
  'last_name',
  'contact_name',
  'contact_first_name',
  'contact_middle_name',
  'contact_last_name',
  'customer_name',
  'customer_short_name',
  'supplier_name',
  'supplier_short_name',
  'supplier_account_name',
  'trader_name',
  'postal_name',
  'account_name',
  'user_name',
  'logon_name',
  'document_originator_name',
  'email',
  'email_address',
  'default_email',
  'website',
  'telephone',
  'mobile',
  'fax',
  'default_telephone',
  'subscriber_number',
  'full_number',
  'city',
  'county',
  'postcode',
  'post_code',
  'vat_number',
  'tax_number',
  'tax_registration_number',
  'eori_number',
  'duns_code',
  'sort_code',
  'non_uk_sort_code',
  'iban',
  'iban_number',
  'bic',
  'bic_number',
  'national_bank_identifier',
]);

const PATTERNS = [
  /(^|_)address_(line_)?[1-4]$/,
  /_full_address$/,
  /_(city|county|post_code|postcode|postal_name|contact)$/,
  /_email(_address)?$/,
  /_(telephone|fax|mobile)(_number|_subscriber_number)?$/,
  /^(telephone|fax)_(number|subscriber_number)$/,
  /_user_?name$/,
  /^contact_default_(email_address|telephone_number)$/,
];

/** `name`, `short_name` and `account_number` are personal only on people, traders and their bank details. */
const TRADER_COLLECTION = /customer|supplier|contact|user|trader|delivery_address|bank/;
const TRADER_ONLY = new Set(['name', 'short_name', 'account_number', 'contact']);

/** Whether `field` of a record in `collection` holds personal data. */
export function isPersonalField(collection: string, field: string): boolean {
  if (ALWAYS.has(field) || PATTERNS.some((pattern) => pattern.test(field))) return true;
  return TRADER_ONLY.has(field) && TRADER_COLLECTION.test(collection);
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** The masked form of `value`: the same for the same value, whatever the field. */
export function maskValue(value: string): string {
  if (value === '') return value;
  const at = value.indexOf('@');
  if (at > 0 && at === value.lastIndexOf('@')) return `${maskValue(value.slice(0, at))}@example.test`;
  let stream = createHash('sha256').update(value).digest();
  let position = 0;
  const next = (): number => {
    if (position === stream.length) {
      stream = createHash('sha256').update(stream).digest();
      position = 0;
    }
    return stream[position++]!;
  };
  let masked = '';
  for (const char of value) {
    if (/[a-z]/.test(char)) masked += LOWER[next() % 26];
    else if (/[A-Z]/.test(char)) masked += LOWER[next() % 26]!.toUpperCase();
    else if (/[0-9]/.test(char)) masked += DIGITS[next() % 10];
    else if (/\p{L}/u.test(char)) masked += LOWER[next() % 26];
    else masked += char;
  }
  return masked;
}

/** A copy of `record` with its personal fields masked, at any depth (`main_address.postcode`, `contacts[].email`). */
export function maskRecord<T>(collection: string, record: T): T {
  const walk = (node: unknown, within: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, within));
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(node)) {
      if (typeof value === 'string' && isPersonalField(within, field)) copy[field] = maskValue(value);
      else
        copy[field] = walk(
          value,
          typeof value === 'object' && value !== null ? `${within}.${field}` : within,
        );
    }
    return copy;
  };
  return walk(record, collection) as T;
}
