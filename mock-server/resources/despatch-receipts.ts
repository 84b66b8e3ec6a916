/**
 * `PUT /sop_despatch_receipts/{Id}` (sop.json: "Update the despatch receipt tracking details"): the courier, Incoterm,
 * reason for export, consignment number, weight, pieces and notes of a despatch. Receipts are made only by a
 * despatch (despatch.ts), so there is no POST or DELETE. The `*_name` fields follow the ids, as a despatch sets them.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord } from './records.ts';
import { put, requireReference, type WritableResource } from './writable.ts';

/** Each id the receipt names, the collection it names a record of, and the name field that follows it. */
const NAMED = [
  { field: 'courier_id', collection: 'couriers', noun: 'courier', name: 'courier_name' },
  { field: 'sop_incoterm_id', collection: 'sop_incoterms', noun: 'incoterm', name: 'sop_incoterm_name' },
  {
    field: 'sop_export_reason_id',
    collection: 'sop_export_reasons',
    noun: 'export reason',
    name: 'sop_export_reason_name',
  },
] as const;

const definition = loadCatalog().resource('sop_despatch_receipts');

/** The despatch receipt's tracking details, written by PUT alone. */
export const despatchReceiptResource: WritableResource = {
  definition,
  create: false,
  update: true,
  remove: false,
  start() {
    throw new Error('SOP despatch receipts are made by a despatch, not created');
  },
  prepare(record: SageRecord, previous, ctx) {
    for (const { field, collection, noun, name } of NAMED) {
      const named = requireReference(ctx, record, field, collection, noun);
      record[name] = typeof named?.name === 'string' ? named.name : '';
    }
    // Sage is silent; a despatch cannot weigh or count less than nothing (README, Fidelity).
    for (const field of ['weight', 'pieces']) {
      if (typeof record[field] === 'number' && record[field] < 0)
        throw badRequest(`The ${field} of a SOP despatch receipt cannot be negative.`);
    }
    return () => {
      stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
      return { record, changes: [put('sop_despatch_receipts', record)] };
    };
  },
};
