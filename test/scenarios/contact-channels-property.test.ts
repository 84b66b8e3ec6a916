/**
 * Property: after any sequence of contact writes (creates under an account, updates that also send the contact's
 * arrays, deletes of seeded and new contacts, on either ledger) the contacts and their channels and roles still
 * agree: no channel or role row outlives its contact, each contact's `default_email` and `default_telephone` are
 * its default rows', an account with contacts has one default contact and one preferred contact for every role its
 * contacts hold, and the nested paths serve what the flat lists hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { type Writer, writerFor } from '../support/writes.ts';

type Side = 'customer' | 'supplier';
const CHANNELS = ['emails', 'telephones', 'mobiles', 'faxes', 'websites'] as const;

const side = fc.constantFrom<Side>('customer', 'supplier');
const command = fc.oneof(
  fc.record({ type: fc.constant('delete' as const), side, pick: fc.nat() }),
  fc.record({
    type: fc.constant('create' as const),
    side,
    pick: fc.nat(),
    first_name: fc.constantFrom('Ada', 'Grace', 'Alan', 'Tim'),
    last_name: fc.constantFrom('Lovelace', 'Hopper', 'Turing', 'Berners-Lee'),
  }),
  fc.record({
    type: fc.constant('update' as const),
    side,
    pick: fc.nat(),
    last_name: fc.constantFrom('Smith', 'Jones'),
    // Sent as Sage would send a changed channel; a contact's PUT ignores its arrays (channels are written through
    // their own paths) and leaves the rows alone.
    email: fc.constantFrom('changed@example.test', ''),
  }),
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const contactsOf = (s: Side): string => `${s}_contacts`;
const channelTable = (s: Side, array: (typeof CHANNELS)[number] | 'roles'): string =>
  array === 'roles' ? `${s}_contact_roles` : `${s}_${array}`;

async function run(writer: Writer, cmd: Command): Promise<void> {
  const contacts = writer.company.table(contactsOf(cmd.side)).all();
  const traders = writer.company.table(`${cmd.side}s`).all();
  switch (cmd.type) {
    case 'delete': {
      const contact = contacts[cmd.pick % contacts.length];
      if (contact) await writer.ok('DELETE', `/${contactsOf(cmd.side)}/${String(contact.id)}`);
      return;
    }
    case 'create': {
      const trader = traders[cmd.pick % traders.length]!;
      await writer.ok('POST', `/${cmd.side}s/${String(trader.id)}/${contactsOf(cmd.side)}`, {
        first_name: cmd.first_name,
        last_name: cmd.last_name,
      });
      return;
    }
    case 'update': {
      const contact = contacts[cmd.pick % contacts.length];
      if (!contact) return;
      await writer.ok('PUT', `/${contactsOf(cmd.side)}/${String(contact.id)}`, {
        last_name: cmd.last_name,
        emails: [{ email: cmd.email, is_default: true }],
      });
      return;
    }
    default: {
      const never: never = cmd;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

function grouped(company: CompanyStore, table: string, field: string): Map<unknown, SageRecord[]> {
  const map = new Map<unknown, SageRecord[]>();
  for (const row of company.table(table).all()) map.set(row[field], [...(map.get(row[field]) ?? []), row]);
  return map;
}

async function expectContactsAgree(writer: Writer, s: Side): Promise<void> {
  const { company } = writer;
  const key = `${s}_contact_id`;
  const contacts = company.table(contactsOf(s)).all();
  const ids = new Set(contacts.map((c) => c.id));
  for (const array of [...CHANNELS, 'roles'] as const) {
    const orphans = company
      .table(channelTable(s, array))
      .all()
      .filter((row) => !ids.has(row[key]));
    expect(orphans, `${array} without their contact`).toEqual([]);
  }
  const emails = grouped(company, channelTable(s, 'emails'), key);
  const telephones = grouped(company, channelTable(s, 'telephones'), key);
  for (const contact of contacts) {
    const email = emails.get(contact.id)?.find((row) => row.is_default === true);
    const telephone = telephones.get(contact.id)?.find((row) => row.is_default === true);
    expect(contact.default_email).toBe(email?.email ?? '');
    expect(contact.default_telephone).toBe(telephone?.full_number ?? '');
  }
  const roles = grouped(company, channelTable(s, 'roles'), key);
  for (const [, held] of grouped(company, contactsOf(s), `${s}_id`)) {
    expect(held.filter((c) => c.is_default === true)).toHaveLength(1);
    const preferred = new Map<unknown, number>();
    for (const row of held.flatMap((c) => roles.get(c.id) ?? [])) {
      const id = row.trader_contact_role_id;
      preferred.set(id, (preferred.get(id) ?? 0) + (row.is_preferred_contact_for_role === true ? 1 : 0));
    }
    expect([...preferred.values()].every((count) => count === 1)).toBe(true);
  }
  const holder = contacts.find((c) => (emails.get(c.id)?.length ?? 0) > 0);
  if (holder) {
    const nested = await writer.ok('GET', `/${contactsOf(s)}/${String(holder.id)}/${s}_emails`);
    expect(nested).toEqual(emails.get(holder.id));
  }
}

describe('random contact writes keep contacts, channels and roles agreeing', () => {
  it('on a full company', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const writer = await writerFor(testSandbox(), USERS.full);
        for (const cmd of commands) await run(writer, cmd);
        await expectContactsAgree(writer, 'customer');
        await expectContactsAgree(writer, 'supplier');
      }),
      { numRuns: 15 },
    );
  });
});
