/**
 * What goes with a customer or supplier contact when it is deleted: the rows its arrays hold (`emails`,
 * `telephones`, `mobiles`, `faxes`, `websites`, `roles`: the contract's many-expansions of the contact schema),
 * and, for each role it was the preferred contact for, the preference passed to the account's next contact in
 * that role, so an account keeps one preferred contact for every role its contacts hold.
 */
import type { ResourceDefinition } from '../../contracts/index.ts';
import type { Change } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import { put, type WriteContext } from './writable.ts';

/** The rows of the contact's many-expansions, by collection. */
function ownedRows(
  ctx: WriteContext,
  contact: ResourceDefinition,
  id: number,
): { collection: string; rows: readonly SageRecord[] }[] {
  return Object.values(contact.expand)
    .filter((expansion) => expansion.many === true)
    .map(({ collection, foreignKey }) => ({
      collection,
      rows: ctx.company.table(collection).lookup(foreignKey, id) ?? [],
    }));
}

/**
 * The deletes of the contacts' own rows, and the role preferences passed on to `remaining` (the account's
 * contacts that stay).
 */
export function contactRowChanges(
  ctx: WriteContext,
  contact: ResourceDefinition,
  deleted: readonly SageRecord[],
  remaining: readonly SageRecord[],
): Change[] {
  const changes: Change[] = [];
  const orphaned = new Set<unknown>();
  let rolesTable: string | undefined;
  for (const record of deleted) {
    for (const { collection, rows } of ownedRows(ctx, contact, record.id as number)) {
      for (const row of rows) {
        changes.push({ kind: 'delete', table: collection, id: row.id as number });
        if (row.is_preferred_contact_for_role === true) {
          orphaned.add(row.trader_contact_role_id);
          rolesTable = collection;
        }
      }
    }
  }
  if (rolesTable === undefined) return changes;
  const roleKey = contact.expand.roles?.foreignKey;
  for (const other of remaining) {
    const held = roleKey ? (ctx.company.table(rolesTable).lookup(roleKey, other.id as number) ?? []) : [];
    for (const row of held) {
      if (!orphaned.delete(row.trader_contact_role_id)) continue;
      changes.push(
        put(rolesTable, { ...row, is_preferred_contact_for_role: true, date_time_updated: ctx.now }),
      );
    }
  }
  return changes;
}
