/**
 * Customer and supplier contacts with their channels (emails, telephones, mobiles, faxes, websites) and roles: the
 * seeded rows agree with the contacts' own default fields, the nested paths (one and two levels under the contact)
 * serve the same rows as the flat lists, a contact expands its arrays, and a deleted contact takes its rows with
 * it. Ids are found from the data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { CONTACTS_PER_ACCOUNT } from '../../mock-server/seed/build.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { type Writer, writerFor } from '../support/writes.ts';

type Side = 'customer' | 'supplier';
const SIDES: readonly Side[] = ['customer', 'supplier'];
const CHANNELS = ['emails', 'telephones', 'mobiles', 'faxes', 'websites'] as const;
const ARRAYS = [...CHANNELS, 'roles'] as const;

/** The collection behind a contact's array (`emails` → `customer_emails`, `roles` → `customer_contact_roles`). */
const collectionOf = (side: Side, array: (typeof ARRAYS)[number]): string =>
  array === 'roles' ? `${side}_contact_roles` : `${side}_${array}`;
const traders = (side: Side): string => `${side}s`;
const contactsOf = (side: Side): string => `${side}_contacts`;

function rowsBy(company: CompanyStore, collection: string, field: string): Map<unknown, SageRecord[]> {
  const map = new Map<unknown, SageRecord[]>();
  for (const row of company.table(collection).all()) {
    const list = map.get(row[field]) ?? [];
    list.push(row);
    map.set(row[field], list);
  }
  return map;
}

/** A contact holding rows of each of `arrays`, and its account. */
function contactHolding(
  company: CompanyStore,
  side: Side,
  arrays: readonly (typeof ARRAYS)[number][],
): { contact: SageRecord; trader: SageRecord } {
  const key = `${side}_contact_id`;
  const holders = arrays.map((array) => rowsBy(company, collectionOf(side, array), key));
  const contact = company
    .table(contactsOf(side))
    .all()
    .find((c) => holders.every((map) => (map.get(c.id)?.length ?? 0) > 0));
  if (!contact) throw new Error(`no ${side} contact holds ${arrays.join(', ')}`);
  const trader = company.table(traders(side)).get(contact[`${side}_id`] as number);
  if (!trader) throw new Error(`the ${side} contact ${String(contact.id)} has no account`);
  return { contact, trader };
}

const ids = (rows: readonly { id?: unknown }[]): unknown[] => rows.map((row) => row.id);

describe('contact channels and roles', () => {
  let app: SandboxApp;
  let writer: Writer;
  let company: CompanyStore;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    company = writer.company;
  });

  it('seeds tens of contacts per account in the medium world', () => {
    expect(CONTACTS_PER_ACCOUNT.medium[0]).toBeGreaterThanOrEqual(10);
  });

  describe.each(SIDES)('%s contacts', (side) => {
    const key = `${side}_contact_id`;

    it("gives every account contacts within its scale's range, exactly one of them the default", () => {
      const [min, max] = CONTACTS_PER_ACCOUNT.small;
      const byTrader = rowsBy(company, contactsOf(side), `${side}_id`);
      for (const trader of company.table(traders(side)).all()) {
        const contacts = byTrader.get(trader.id) ?? [];
        expect(contacts.length).toBeGreaterThanOrEqual(min);
        expect(contacts.length).toBeLessThanOrEqual(max);
        expect(contacts.filter((c) => c.is_default === true)).toHaveLength(1);
      }
    });

    it("agrees with each contact's default_email and default_telephone, one default row per kind held", () => {
      const rows = Object.fromEntries(
        CHANNELS.map((array) => [array, rowsBy(company, collectionOf(side, array), key)]),
      );
      for (const contact of company.table(contactsOf(side)).all()) {
        for (const array of CHANNELS) {
          const held = rows[array]?.get(contact.id) ?? [];
          if (held.length > 0)
            expect(
              held.filter((row) => row.is_default === true),
              array,
            ).toHaveLength(1);
        }
        const email = rows.emails?.get(contact.id)?.find((row) => row.is_default === true);
        const telephone = rows.telephones?.get(contact.id)?.find((row) => row.is_default === true);
        expect(contact.default_email).toBe(email?.email ?? '');
        expect(contact.default_telephone).toBe(telephone?.full_number ?? '');
      }
    });

    it('gives each account one preferred contact for every role its contacts hold, of roles its kind may use', () => {
      const usable = new Set(
        company
          .table('trader_contact_roles')
          .all()
          .filter((role) => role[`use_for_${side}_accounts`] === true)
          .map((role) => role.id),
      );
      const contacts = new Map(
        company
          .table(contactsOf(side))
          .all()
          .map((c) => [c.id, c]),
      );
      const preferred = new Map<string, number>();
      for (const row of company.table(collectionOf(side, 'roles')).all()) {
        expect(usable.has(row.trader_contact_role_id)).toBe(true);
        const account = contacts.get(row[key])?.[`${side}_id`];
        const slot = `${String(account)}/${String(row.trader_contact_role_id)}`;
        preferred.set(
          slot,
          (preferred.get(slot) ?? 0) + (row.is_preferred_contact_for_role === true ? 1 : 0),
        );
      }
      expect(preferred.size).toBeGreaterThan(0);
      expect([...preferred.values()].every((count) => count === 1)).toBe(true);
    });

    it.each(ARRAYS)(
      'serves a contact’s %s alike at the flat, nested and doubly nested paths',
      async (array) => {
        const { contact, trader } = contactHolding(company, side, [array]);
        const collection = collectionOf(side, array);
        const flat = await writer.ok<SageRecord[]>(
          'GET',
          `/${collection}?$filter=${key} eq ${String(contact.id)}`,
        );
        expect(flat.length, `${collection} of ${String(contact.id)}`).toBeGreaterThan(0);
        const nested = `/${contactsOf(side)}/${String(contact.id)}/${collection}`;
        expect(await writer.ok('GET', nested)).toEqual(flat);
        if (array !== 'roles') {
          const doubly = `/${traders(side)}/${String(trader.id)}${nested}`;
          expect(await writer.ok('GET', doubly)).toEqual(flat);
          expect(await writer.ok('GET', `${doubly}/${String(flat[0]?.id)}`)).toEqual(flat[0]);
          expect(await writer.ok('GET', `${nested}/${String(flat[0]?.id)}`)).toEqual(flat[0]);
        }
        expect(await writer.ok('GET', `/${collection}/${String(flat[0]?.id)}`)).toEqual(flat[0]);
        const expanded = await writer.ok<SageRecord>(
          'GET',
          `/${contactsOf(side)}/${String(contact.id)}?$expand=${array}`,
        );
        expect(expanded[array]).toEqual(flat);
      },
    );

    it('expands an account’s contacts, the same records as its nested contact list', async () => {
      const { trader } = contactHolding(company, side, ['emails']);
      const base = `/${traders(side)}/${String(trader.id)}`;
      const expanded = await writer.ok<SageRecord>('GET', `${base}?$expand=contacts`);
      const listed = await writer.ok<SageRecord[]>('GET', `${base}/${contactsOf(side)}`);
      expect(listed.length).toBeGreaterThan(1);
      expect(expanded.contacts).toEqual(listed);
    });

    it('expands a contact’s salutation', async () => {
      const contact = company
        .table(contactsOf(side))
        .all()
        .find((c) => typeof c.salutation_id === 'number');
      if (!contact) throw new Error(`no ${side} contact has a salutation`);
      const expanded = await writer.ok<SageRecord>(
        'GET',
        `/${contactsOf(side)}/${String(contact.id)}?$expand=salutation`,
      );
      expect(expanded.salutation).toEqual(
        await writer.ok('GET', `/salutations/${String(contact.salutation_id)}`),
      );
    });

    it('expands a channel’s contact', async () => {
      const { contact } = contactHolding(company, side, ['emails']);
      const [email] = await writer.ok<SageRecord[]>(
        'GET',
        `/${side}_emails?$filter=${key} eq ${String(contact.id)}&$expand=${side}_contact`,
      );
      expect(email?.[`${side}_contact`]).toEqual(
        await writer.ok('GET', `/${contactsOf(side)}/${String(contact.id)}`),
      );
    });

    it('answers 404 with the documented body for a parent that does not exist or a child not under it', async () => {
      const { contact, trader } = contactHolding(company, side, ['emails']);
      const other = company
        .table(contactsOf(side))
        .all()
        .find((c) => c[`${side}_id`] !== trader.id);
      const otherTrader = company
        .table(traders(side))
        .all()
        .find((t) => t.id !== trader.id);
      const [email] = await writer.ok<SageRecord[]>(
        'GET',
        `/${contactsOf(side)}/${String(contact.id)}/${side}_emails`,
      );
      const emailId = String(email?.id);
      const cases: [string, string][] = [
        [
          `/${contactsOf(side)}/987654321/${side}_emails`,
          `No ${side} contact was found with the Id '987654321'.`,
        ],
        [
          `/${contactsOf(side)}/987654321/${side}_contact_roles`,
          `No ${side} contact was found with the Id '987654321'.`,
        ],
        [
          `/${contactsOf(side)}/${String(other?.id)}/${side}_emails/${emailId}`,
          `No ${side} email was found with the Id '${emailId}'.`,
        ],
        [
          `/${traders(side)}/987654321/${contactsOf(side)}/${String(contact.id)}/${side}_emails`,
          `No ${side} was found with the Id '987654321'.`,
        ],
        [
          `/${traders(side)}/${String(otherTrader?.id)}/${contactsOf(side)}/${String(contact.id)}/${side}_emails/${emailId}`,
          `No ${side} contact was found with the Id '${String(contact.id)}'.`,
        ],
        [
          `/${traders(side)}/${String(trader.id)}/${contactsOf(side)}/${String(contact.id)}/${side}_faxes/${emailId}`,
          `No ${side} fax was found with the Id '${emailId}'.`,
        ],
      ];
      for (const [path, message] of cases) {
        const answer = await writer.send('GET', path);
        expect(answer.status, path).toBe(404);
        expect(answer.body, path).toEqual({ Message: message });
      }
    });

    it('deletes a contact’s channels and roles with it, and passes its role preferences to the next holder', async () => {
      const byContact = rowsBy(company, collectionOf(side, 'roles'), key);
      const contacts = company.table(contactsOf(side)).all();
      // A contact preferred for a role that another contact of the same account also holds.
      const victim = contacts.find((c) =>
        (byContact.get(c.id) ?? []).some(
          (row) =>
            row.is_preferred_contact_for_role === true &&
            contacts.some(
              (o) =>
                o.id !== c.id &&
                o[`${side}_id`] === c[`${side}_id`] &&
                (byContact.get(o.id) ?? []).some(
                  (r) => r.trader_contact_role_id === row.trader_contact_role_id,
                ),
            ),
        ),
      );
      if (!victim) throw new Error(`no ${side} contact shares a preferred role`);
      const held = Object.fromEntries(
        ARRAYS.map((array) => [
          array,
          ids(company.table(collectionOf(side, array)).lookup(key, victim.id as number) ?? []),
        ]),
      );
      await writer.ok('DELETE', `/${contactsOf(side)}/${String(victim.id)}`);
      for (const array of ARRAYS) {
        for (const id of held[array] ?? []) {
          expect((await writer.send('GET', `/${collectionOf(side, array)}/${String(id)}`)).status).toBe(404);
        }
      }
      const remaining = company
        .table(contactsOf(side))
        .all()
        .filter((c) => c[`${side}_id`] === victim[`${side}_id`]);
      const roles = remaining.flatMap(
        (c) => company.table(collectionOf(side, 'roles')).lookup(key, c.id as number) ?? [],
      );
      const held1 = new Set(roles.map((row) => row.trader_contact_role_id));
      for (const role of held1) {
        expect(
          roles.filter((r) => r.trader_contact_role_id === role && r.is_preferred_contact_for_role === true),
        ).toHaveLength(1);
      }
    });
  });
});
