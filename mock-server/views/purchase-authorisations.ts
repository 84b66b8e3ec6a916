/**
 * `/purchase_authorisations/{Id}` (purchases.json): the purchase invoices and credit notes waiting for authorisation,
 * one row per `purchase_transaction_authorisations` record still `NotAuthorised`, read by the posted transaction's
 * id, which the row holds out of its JSON. An authorised transaction, or one that never needed authorisation, has no
 * row, so its read is the 404 of an unknown id. Values are shown as the PUT takes them: unsigned, in the document's
 * currency.
 */
import type { JsonValue, SageRecord } from '../world/model.ts';
import { TRANSACTION_TYPES, text } from './ledgers.ts';
import type { DerivedView, ViewSources } from './model.ts';

/** The `authorisation_type` (`/authorisation_types`) of a transaction waiting for authorisation. */
export const NOT_AUTHORISED = 'NotAuthorised';

/** The `authorisation_type` of a transaction once authorised. */
export const AUTHORISED = 'Authorised';

/** Whether a purchase posted transaction is of a kind that takes authorisation: an invoice or a credit note. */
export function takesAuthorisation(transaction: SageRecord): boolean {
  const type = transaction.trader_transaction_type;
  return type === TRANSACTION_TYPES.invoice || type === TRANSACTION_TYPES.creditNote;
}

/**
 * Sage's `oplock`: the transaction's version, which changes whenever the transaction is written. The sandbox
 * takes it from `date_time_updated`, which every write moves (assumed form: Sage's is opaque).
 */
export function oplockOf(transaction: SageRecord): string {
  const updated = Date.parse(text(transaction.date_time_updated));
  return Number.isNaN(updated) ? '0' : String(updated);
}

/** Sage's `name` of a purchase authorisation's analysis line holds 8 characters. */
const NAME_LENGTH = 8;

const unsigned = (value: JsonValue | undefined): number => Math.abs(Number(value ?? 0)) + 0;

/** The purchase authorisation of a transaction, as `/purchase_authorisations/{Id}` answers it. */
export function purchaseAuthorisation(
  transaction: SageRecord,
  nominalCodes: readonly SageRecord[],
): SageRecord {
  const items = Array.isArray(transaction.nominal_analysis_items) ? transaction.nominal_analysis_items : [];
  const row: SageRecord = {
    reference: transaction.reference ?? '',
    second_reference: transaction.second_reference ?? '',
    transaction_date: transaction.transaction_date ?? null,
    supplier_id: transaction.supplier_id ?? null,
    oplock: oplockOf(transaction),
    nominal_analysis_items: items.map((raw) => {
      const item = (raw ?? {}) as SageRecord;
      const code = nominalCodes.find(
        (c) =>
          c.reference === item.code &&
          c.cost_centre_code === (item.cost_centre ?? '') &&
          c.department_code === (item.department ?? ''),
      );
      return {
        nominal_code_id: code?.id ?? null,
        code: item.code ?? '',
        cost_centre: item.cost_centre ?? '',
        department: item.department ?? '',
        // Sage declares 8 characters here, against 60 on the posted transaction's items.
        name: text(item.name).slice(0, NAME_LENGTH),
        narrative: item.narrative ?? '',
        value: unsigned(item.value),
        type: '',
        transaction_analysis_code: item.transaction_analysis_code ?? '',
      };
    }),
  };
  return Object.defineProperty(row, 'id', { value: transaction.id, enumerable: false });
}

export const purchaseAuthorisationViews: Readonly<Record<string, DerivedView>> = {
  purchase_authorisations: {
    aged: false,
    build(sources: ViewSources): SageRecord[] {
      const nominalCodes = sources.all('nominal_codes');
      const rows: SageRecord[] = [];
      for (const authorisation of sources.all('purchase_transaction_authorisations')) {
        if (authorisation.authorisation_type !== NOT_AUTHORISED) continue;
        const transaction = sources.get(
          'purchase_posted_transactions',
          Number(authorisation.purchase_posted_transaction_id),
        );
        if (transaction && takesAuthorisation(transaction))
          rows.push(purchaseAuthorisation(transaction, nominalCodes));
      }
      return rows;
    },
  },
};
