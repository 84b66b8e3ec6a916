/**
 * Writes to the settings Sage's files let a client change: `PUT /system_settings/{Id}` (general.json),
 * `PUT /sales_ledger_settings/{Id}` (sales.json) and `PUT /purchase_ledger_settings/{Id}` (purchases.json). Each
 * company has one record of each (mock-server/seed/settings.ts); there is no create or delete. The validator
 * checks types, enum members and read-only fields; a ledger's default tax code must exist.
 */

import { loadCatalog } from '../../contracts/index.ts';
import { blankRecord } from '../world/fields.ts';
import { stampRecord, withDefaults } from './records.ts';
import { put, requireReference, type WritableResource } from './writable.ts';

function settingsResource(collection: string, taxCode: boolean): WritableResource {
  const definition = loadCatalog().resource(collection);
  return {
    definition,
    create: false,
    update: true,
    remove: false,
    // Never called, as there is no create: a company's settings exist from the seed on.
    start(ctx) {
      return withDefaults(blankRecord(collection, ctx.now), ctx.schema(definition.schema));
    },
    prepare(record, previous, ctx) {
      if (taxCode) requireReference(ctx, record, 'default_tax_code_id', 'tax_codes', 'tax code');
      return () => {
        stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(collection, record)] };
      };
    },
  };
}

export const settingsResources: readonly WritableResource[] = [
  settingsResource('system_settings', false),
  settingsResource('sales_ledger_settings', true),
  settingsResource('purchase_ledger_settings', true),
];
