/**
 * `PUT /sales_posted_transactions/{Id}` and `PUT /purchase_posted_transactions/{Id}` (sales.json, purchases.json):
 * "It is possible to use this API resource to update a transaction's queried status." `queried` is the one field
 * Sage's schemas leave writable; the validator holds every other field to the value the transaction has. Posted
 * transactions are made by the posting endpoints only, and never deleted.
 */

import { loadCatalog } from '../../contracts/index.ts';
import { blankRecord } from '../world/fields.ts';
import { stampRecord } from './records.ts';
import { put, type WritableResource } from './writable.ts';

function postedTransactions(
  collection: 'sales_posted_transactions' | 'purchase_posted_transactions',
): WritableResource {
  const definition = loadCatalog().resource(collection);
  return {
    definition,
    create: false,
    update: true,
    remove: false,
    // Never called, as there is no create.
    start(ctx) {
      return blankRecord(collection, ctx.now);
    },
    prepare(record, previous, ctx) {
      // A flag of spaces is no query: Sage's one-character column holds a blank when a query is cleared.
      if (typeof record.queried === 'string' && record.queried.trim() === '') record.queried = '';
      return () => {
        stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(collection, record)] };
      };
    },
  };
}

export const postedTransactionResources: readonly WritableResource[] = [
  postedTransactions('sales_posted_transactions'),
  postedTransactions('purchase_posted_transactions'),
];
