/** Small reference lists the mappings look values up in: currencies (as ISO codes) and tax codes. */
import type { Schemas } from '../contract-types.ts';
import type { CompanyClient } from '../sage200-client.ts';

/**
 * ISO 4217 codes by Sage currency name. Sage 200's currency record carries a name, a symbol and a link to its ISO
 * code record (`currency_iso_code_id`), but the ISO code list is not part of the emulated API, so the names of the
 * common currencies are mapped here; any other currency keeps its Sage name.
 */
const ISO_BY_NAME: Readonly<Record<string, string>> = {
  'pound sterling': 'GBP',
  euro: 'EUR',
  'us dollar': 'USD',
  'swiss franc': 'CHF',
  'japanese yen': 'JPY',
  'canadian dollar': 'CAD',
  'australian dollar': 'AUD',
  'new zealand dollar': 'NZD',
  'swedish krona': 'SEK',
  'norwegian krone': 'NOK',
  'danish krone': 'DKK',
};

export function isoCodeOf(currency: Schemas['Currency'] | undefined): string {
  if (!currency) return 'Unknown';
  const name = currency.name ?? '';
  return ISO_BY_NAME[name.trim().toLowerCase()] ?? (name || currency.symbol || 'Unknown');
}

export interface Currencies {
  byId: ReadonlyMap<number, string>;
  /** The company's base currency: the one flagged `is_base_currency`. */
  base: string;
}

export async function loadCurrencies(company: CompanyClient): Promise<Currencies> {
  const rows = await company.listAll('/currencies');
  const byId = new Map<number, string>();
  let base = 'GBP';
  for (const row of rows) {
    if (row.id !== undefined) byId.set(row.id, isoCodeOf(row));
    if (row.is_base_currency) base = isoCodeOf(row);
  }
  return { byId, base };
}

export async function loadTaxCodes(company: CompanyClient): Promise<ReadonlyMap<number, Schemas['TaxCode']>> {
  const rows = await company.listAll('/tax_codes');
  return new Map(rows.flatMap((row) => (row.id === undefined ? [] : [[row.id, row] as const])));
}
