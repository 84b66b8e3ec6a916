/**
 * Writes to a customer or supplier contact's channels: `/customer_emails`, `/customer_telephones`,
 * `/customer_mobiles`, `/customer_faxes`, `/customer_websites` and the `supplier_` twins (Sage's sales.json and
 * purchases.json: PUT and DELETE by id, and POST, PUT and DELETE under the contact, one and two levels deep).
 *
 * A contact has one default row of each kind where it has any, and its `default_email` and `default_telephone`
 * (the contact schema's `default_*` fields) are its default rows' values, as the seed makes them
 * (mock-server/seed/contact-channels.ts). So a write that moves the default writes the contact too, in the same
 * commit: a contact's first row of a kind is its default, `is_default: true` takes the default from the old row,
 * unsetting it passes it to the next row (the lowest id), and so does deleting it; the last row of a kind deleted
 * leaves the contact's field blank. The contact is stamped only when its own field changes, as any record is.
 */
import { loadCatalog, loadContract } from '../../contracts/index.ts';
import { fullNumber } from '../seed/contact-channels.ts';
import type { Change, TableName } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import { put, type WritableResource, type WriteContext } from './writable.ts';

type Side = 'customer' | 'supplier';

/** The channels' collections by kind, and the singular Sage names its fields by (`default_email`). */
const KINDS = [
  ['emails', 'email'],
  ['telephones', 'telephone'],
  ['mobiles', 'mobile'],
  ['faxes', 'fax'],
  ['websites', 'website'],
] as const;

const byId = (a: SageRecord, b: SageRecord): number => (a.id as number) - (b.id as number);

function channelResource(side: Side, plural: string, singular: string): WritableResource {
  const catalog = loadCatalog();
  const definition = catalog.resource(`${side}_${plural}`);
  const contacts = catalog.resource(`${side}_contacts`);
  const table = definition.collection as TableName;
  const contactTable = contacts.collection as TableName;
  const contactKey = `${side}_contact_id`;
  const paths = loadContract().paths;
  const declares = (path: string, verb: 'post' | 'put' | 'delete'): boolean =>
    paths[path]?.[verb] !== undefined;

  return {
    definition,
    // The flat verbs the contract declares (Sage's: PUT and DELETE by id; POST only under the contact).
    create: declares(`/${definition.path}`, 'post'),
    update: declares(`/${definition.path}/{Id}`, 'put'),
    remove: declares(`/${definition.path}/{Id}`, 'delete'),
    // `is_to_delete` belongs to the contact's own PUT, where it removes a row from the contact's array.
    ignored: ['is_to_delete'],
    start(ctx, _request, contact) {
      const record = withDefaults(blankRecord(table, ctx.now), ctx.schema(definition.schema));
      record[contactKey] = contact?.id ?? null;
      return record;
    },
    prepare(record, previous, ctx) {
      const schema = ctx.schema(definition.schema);
      const phone = schema.properties?.full_number !== undefined;
      if (phone) {
        record.full_number = fullNumber({
          country_code: String(record.country_code ?? ''),
          area_code: String(record.area_code ?? ''),
          subscriber_number: String(record.subscriber_number ?? ''),
        });
      }
      const others = siblings(ctx, record);
      const defaults = others.filter((row) => row.is_default === true);
      const changes: Change[] = [];
      let chosen: SageRecord | undefined = defaults[0];
      if (record.is_default === true) {
        changes.push(...defaults.map((row) => undefault(ctx, row)));
        chosen = record;
      } else if (defaults.length === 0) {
        const next = previous?.is_default === true ? others[0] : undefined;
        if (next) {
          // Unsetting the default passes it on; the contact's first (or only) row is its default whatever is sent.
          chosen = promote(ctx, next);
          changes.push(put(table, chosen));
        } else {
          record.is_default = true;
          chosen = record;
        }
      }
      return () => {
        stampRecord(record, previous, schema, ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(table, record), ...changes, ...contactChange(ctx, record, chosen)] };
      };
    },
    prepareDelete(record, ctx) {
      if (record.is_default !== true) return [];
      const next = siblings(ctx, record)[0];
      const promoted = next && promote(ctx, next);
      return [...(promoted ? [put(table, promoted)] : []), ...contactChange(ctx, record, promoted)];
    },
  };

  /** The contact's other rows of this kind, lowest id first. */
  function siblings(ctx: WriteContext, record: SageRecord): SageRecord[] {
    const contactId = record[contactKey];
    if (typeof contactId !== 'number') return [];
    return (ctx.company.table(table).lookup(contactKey, contactId) ?? [])
      .filter((row) => row.id !== record.id)
      .sort(byId);
  }

  function undefault(ctx: WriteContext, row: SageRecord): Change {
    return put(table, { ...row, is_default: false, date_time_updated: ctx.now });
  }

  function promote(ctx: WriteContext, row: SageRecord): SageRecord {
    return { ...row, is_default: true, date_time_updated: ctx.now };
  }

  /**
   * The put of `row`'s contact when its `default_<kind>` field (where the contact schema has one) no longer holds
   * the value of its default row `chosen` (none: blank).
   */
  function contactChange(ctx: WriteContext, row: SageRecord, chosen: SageRecord | undefined): Change[] {
    const field = `default_${singular}`;
    if (ctx.schema(contacts.schema).properties?.[field] === undefined) return [];
    const contactId = row[contactKey];
    const contact =
      typeof contactId === 'number' ? ctx.company.table(contactTable).get(contactId) : undefined;
    if (!contact) return [];
    const value = chosen?.[valueField(ctx)];
    const text = typeof value === 'string' ? value : '';
    if (contact[field] === text) return [];
    return [put(contactTable, { ...contact, [field]: text, date_time_updated: ctx.now })];
  }

  /** The field a row's value is in: a number's `full_number`, else the field named as the kind (`email`). */
  function valueField(ctx: WriteContext): string {
    return ctx.schema(definition.schema).properties?.full_number !== undefined ? 'full_number' : singular;
  }
}

/** Every channel of both ledgers' contacts. */
export const contactChannelResources: readonly WritableResource[] = (
  ['customer', 'supplier'] as const
).flatMap((side) => KINDS.map(([plural, singular]) => channelResource(side, plural, singular)));
