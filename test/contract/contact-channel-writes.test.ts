/**
 * Writes to a contact's channels (`/customer_emails`, `/customer_telephones`, ... and the `supplier_` twins), at
 * every nesting Sage publishes: a contact keeps one default row of each kind it holds and its `default_email` and
 * `default_telephone` repeat them; nested writes check their parents; bodies are checked with Sage's wording; trial
 * sites and roles without the ledger are refused; a refusal changes nothing. Records are found from the data.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { TRIAL_WRITE_MESSAGE } from '../../mock-server/resources/write-guards.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { advanceClock, snapshot, type Writer, writerFor } from '../support/writes.ts';

type Side = 'customer' | 'supplier';
const SIDES: readonly Side[] = ['customer', 'supplier'];
const KINDS = ['emails', 'telephones', 'mobiles', 'faxes', 'websites'] as const;
type Kind = (typeof KINDS)[number];

const byId = (a: SageRecord, b: SageRecord): number => (a.id as number) - (b.id as number);

function rowsOf(company: CompanyStore, side: Side, kind: Kind, contact: SageRecord): SageRecord[] {
  return [
    ...(company.table(`${side}_${kind}`).lookup(`${side}_contact_id`, contact.id as number) ?? []),
  ].sort(byId);
}

/** The first contact whose rows of `kind` number `count` (or at least `count`, with `atLeast`). */
function contactWith(
  company: CompanyStore,
  side: Side,
  kind: Kind,
  count: number,
  atLeast = false,
): SageRecord {
  const found = company
    .table(`${side}_contacts`)
    .all()
    .find((c) => {
      const n = rowsOf(company, side, kind, c).length;
      return atLeast ? n >= count : n === count;
    });
  if (!found) throw new Error(`no ${side} contact holds ${atLeast ? 'at least ' : ''}${count} ${kind}`);
  return found;
}

const contactOf = (company: CompanyStore, side: Side, id: unknown): SageRecord =>
  company.table(`${side}_contacts`).get(id as number)!;
const accountPath = (side: Side, contact: SageRecord): string =>
  `/${side}s/${String(contact[`${side}_id`])}/${side}_contacts/${String(contact.id)}`;

describe('contact channel writes', () => {
  let app: SandboxApp;
  let writer: Writer;
  let company: CompanyStore;
  beforeEach(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    company = writer.company;
  });

  describe.each(SIDES)('%s channels', (side) => {
    const contacts = `${side}_contacts`;

    it('creates an email under the contact and under its account, each served at every nesting', async () => {
      const contact = contactWith(company, side, 'emails', 1);
      const one = await writer.ok('POST', `/${contacts}/${String(contact.id)}/${side}_emails`, {
        email: 'orders@example.test',
      });
      const two = await writer.ok('POST', `${accountPath(side, contact)}/${side}_emails`, {
        email: 'returns@example.test',
      });
      for (const created of [one, two]) {
        expect(created).toMatchObject({ [`${side}_contact_id`]: contact.id, is_default: false });
        const id = String(created.id);
        for (const path of [
          `/${side}_emails/${id}`,
          `/${contacts}/${String(contact.id)}/${side}_emails/${id}`,
          `${accountPath(side, contact)}/${side}_emails/${id}`,
        ])
          expect(await writer.ok('GET', path)).toEqual(created);
      }
      const listed = await writer.ok<SageRecord[]>('GET', `${accountPath(side, contact)}/${side}_emails`);
      expect(listed.map((row) => row.email)).toEqual(
        expect.arrayContaining(['orders@example.test', 'returns@example.test']),
      );
    });

    it("makes a new default email the contact's default_email and unsets the old default", async () => {
      const contact = contactWith(company, side, 'emails', 1, true);
      const [old] = rowsOf(company, side, 'emails', contact).filter((row) => row.is_default === true);
      const created = await writer.ok('POST', `/${contacts}/${String(contact.id)}/${side}_emails`, {
        email: 'new.default@example.test',
        is_default: true,
      });
      expect(created.is_default).toBe(true);
      expect(company.table(`${side}_emails`).get(old!.id as number)?.is_default).toBe(false);
      expect(contactOf(company, side, contact.id).default_email).toBe('new.default@example.test');
    });

    it('gives a contact its first row of a kind as the default, whatever is sent', async () => {
      const contact = contactWith(company, side, 'mobiles', 0);
      const created = await writer.ok('POST', `${accountPath(side, contact)}/${side}_mobiles`, {
        country_code: '+44',
        area_code: '07700',
        subscriber_number: '900123',
        is_default: false,
      });
      expect(created).toMatchObject({ is_default: true, full_number: '+44 07700 900123' });
    });

    it("moves the default with a PUT, and the contact's default_telephone with it", async () => {
      const contact = contactWith(company, side, 'telephones', 2, true);
      const rows = rowsOf(company, side, 'telephones', contact);
      const other = rows.find((row) => row.is_default !== true)!;
      const path = `/${contacts}/${String(contact.id)}/${side}_telephones/${String(other.id)}`;
      const updated = await writer.ok('PUT', path, { is_default: true, subscriber_number: '496 0999' });
      expect(updated.full_number).toBe(
        [other.country_code, other.area_code, '496 0999'].filter((part) => part !== '').join(' '),
      );
      expect(rowsOf(company, side, 'telephones', contact).filter((row) => row.is_default === true)).toEqual([
        updated,
      ]);
      expect(contactOf(company, side, contact.id).default_telephone).toBe(updated.full_number);
    });

    it('passes the default to the next row (lowest id) when it is unset; the only row stays the default', async () => {
      const contact = contactWith(company, side, 'telephones', 2, true);
      const rows = rowsOf(company, side, 'telephones', contact);
      const current = rows.find((row) => row.is_default === true)!;
      const next = rows.find((row) => row.id !== current.id)!;
      await writer.ok('PUT', `/${side}_telephones/${String(current.id)}`, { is_default: false });
      expect(company.table(`${side}_telephones`).get(next.id as number)?.is_default).toBe(true);
      expect(contactOf(company, side, contact.id).default_telephone).toBe(next.full_number);

      const single = contactWith(company, side, 'emails', 1);
      const [only] = rowsOf(company, side, 'emails', single);
      const kept = await writer.ok('PUT', `/${side}_emails/${String(only!.id)}`, { is_default: false });
      expect(kept.is_default).toBe(true);
    });

    it("deletes the default: the next row becomes the default; the last one deleted blanks the contact's field", async () => {
      const contact = contactWith(company, side, 'emails', 1);
      const [first] = rowsOf(company, side, 'emails', contact);
      const second = await writer.ok('POST', `${accountPath(side, contact)}/${side}_emails`, {
        email: 'second@example.test',
      });
      await writer.ok('DELETE', `${accountPath(side, contact)}/${side}_emails/${String(first!.id)}`);
      expect(company.table(`${side}_emails`).get(first!.id as number)).toBeUndefined();
      expect(company.table(`${side}_emails`).get(second.id as number)?.is_default).toBe(true);
      expect(contactOf(company, side, contact.id).default_email).toBe('second@example.test');

      expect(await writer.send('DELETE', `/${side}_emails/${String(second.id)}`)).toMatchObject({
        status: 200,
        body: undefined,
      });
      expect(contactOf(company, side, contact.id).default_email).toBe('');
    });

    it('keeps one default website and changes no contact field for it', async () => {
      const contact = contactWith(company, side, 'websites', 1);
      const before = contactOf(company, side, contact.id);
      const created = await writer.ok('POST', `/${contacts}/${String(contact.id)}/${side}_websites`, {
        website: 'https://shop.example.test',
        is_default: true,
      });
      expect(rowsOf(company, side, 'websites', contact).filter((row) => row.is_default === true)).toEqual([
        created,
      ]);
      expect(contactOf(company, side, contact.id)).toEqual(before);
    });

    it("moves the contact's date_time_updated when its default field changes, and not the account's", async () => {
      const contact = contactWith(company, side, 'emails', 1, true);
      const account = company.table(`${side}s`).get(contact[`${side}_id`] as number)!;
      const now = await advanceClock(app, 60);
      await writer.ok('POST', `/${contacts}/${String(contact.id)}/${side}_emails`, {
        email: 'stamped@example.test',
        is_default: true,
      });
      expect(contactOf(company, side, contact.id).date_time_updated).toBe(now);
      expect(company.table(`${side}s`).get(account.id as number)?.date_time_updated).toBe(
        account.date_time_updated,
      );

      // A row that is not the default leaves the contact as it was.
      const after = contactOf(company, side, contact.id);
      await advanceClock(app, 60);
      await writer.ok('POST', `/${contacts}/${String(contact.id)}/${side}_emails`, {
        email: 'cc@example.test',
      });
      expect(contactOf(company, side, contact.id)).toEqual(after);
    });

    it('leaves exactly one default when several defaults are created at once', async () => {
      const contact = contactWith(company, side, 'emails', 1, true);
      const path = `/${contacts}/${String(contact.id)}/${side}_emails`;
      const created = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          writer.ok('POST', path, { email: `burst${n}@example.test`, is_default: true }),
        ),
      );
      const defaults = rowsOf(company, side, 'emails', contact).filter((row) => row.is_default === true);
      expect(defaults).toHaveLength(1);
      expect(created.map((row) => row.id)).toContain(defaults[0]!.id);
      expect(contactOf(company, side, contact.id).default_email).toBe(defaults[0]!.email);
    });
  });

  describe('nested writes check their parents', () => {
    /** A refused write: its status and Sage's message, and nothing changed. */
    async function refused(method: string, path: string, body: unknown, status: number, message: string) {
      const before = snapshot(company);
      const answer = await writer.send(method, path, body);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ Message: message });
      expect(snapshot(company)).toBe(before);
    }

    it("refuses a contact that is not the account's with the contact's 404", async () => {
      const contact = contactWith(company, 'customer', 'emails', 1);
      const other = company
        .table('customers')
        .all()
        .find((c) => c.id !== contact.customer_id)!;
      const path = `/customers/${String(other.id)}/customer_contacts/${String(contact.id)}/customer_emails`;
      const message = `No customer contact was found with the Id '${String(contact.id)}'.`;
      await refused('POST', path, { email: 'a@example.test' }, 404, message);
      const [email] = rowsOf(company, 'customer', 'emails', contact);
      await refused('PUT', `${path}/${String(email!.id)}`, { email: 'a@example.test' }, 404, message);
      await refused('DELETE', `${path}/${String(email!.id)}`, undefined, 404, message);
    });

    it("refuses a row that is not the contact's with the row's 404, at both nestings", async () => {
      const holder = contactWith(company, 'supplier', 'telephones', 1, true);
      const other = company
        .table('supplier_contacts')
        .all()
        .find((c) => c.id !== holder.id && c.supplier_id === holder.supplier_id)!;
      const [row] = rowsOf(company, 'supplier', 'telephones', holder);
      const message = `No supplier telephone was found with the Id '${String(row!.id)}'.`;
      for (const base of [`/supplier_contacts/${String(other.id)}`, accountPath('supplier', other)]) {
        await refused(
          'PUT',
          `${base}/supplier_telephones/${String(row!.id)}`,
          { is_default: true },
          404,
          message,
        );
        await refused('DELETE', `${base}/supplier_telephones/${String(row!.id)}`, undefined, 404, message);
      }
    });

    it('refuses an unknown account, contact or row with the 404 naming it', async () => {
      const contact = contactWith(company, 'customer', 'emails', 1);
      await refused(
        'POST',
        `/customers/987654321/customer_contacts/${String(contact.id)}/customer_emails`,
        { email: 'a@example.test' },
        404,
        "No customer was found with the Id '987654321'.",
      );
      await refused(
        'POST',
        '/customer_contacts/987654321/customer_mobiles',
        { subscriber_number: '1' },
        404,
        "No customer contact was found with the Id '987654321'.",
      );
      await refused(
        'DELETE',
        '/customer_faxes/987654321',
        undefined,
        404,
        "No customer fax was found with the Id '987654321'.",
      );
    });
  });

  describe('bodies are checked with Sage’s wording, and a refusal changes nothing', () => {
    it.each([
      [
        'emails',
        { email: 'x'.repeat(228) },
        'The field email must be a string with a maximum length of 227.',
      ],
      [
        'websites',
        { website: 'x'.repeat(228) },
        'The field website must be a string with a maximum length of 227.',
      ],
      [
        'telephones',
        { country_code: '+444444' },
        'The field country_code must be a string with a maximum length of 5.',
      ],
      [
        'mobiles',
        { area_code: '0'.repeat(21) },
        'The field area_code must be a string with a maximum length of 20.',
      ],
      [
        'faxes',
        { subscriber_number: '1'.repeat(201) },
        'The field subscriber_number must be a string with a maximum length of 200.',
      ],
      [
        'emails',
        { is_default: 'yes' },
        `Error converting value "yes" to type 'System.Boolean'. Path 'is_default'.`,
      ],
      ['telephones', { full_number: '+44 1' }, 'The field full_number is read-only.'],
      ['emails', { customer_contact_id: 1 }, 'The field customer_contact_id is read-only.'],
    ] as const)(
      'refuses a bad customer_%s body (case %#) with 400 and Sage’s message',
      async (kind, body, message) => {
        const contact = contactWith(company, 'customer', 'emails', 1, true);
        const before = snapshot(company);
        const answer = await writer.send(
          'POST',
          `${accountPath('customer', contact)}/customer_${kind}`,
          body,
        );
        expect(answer).toMatchObject({ status: 400, body: { Message: message } });
        expect(snapshot(company)).toBe(before);
      },
    );

    it('ignores is_to_delete, which belongs to the contact’s own PUT', async () => {
      const contact = contactWith(company, 'customer', 'emails', 1, true);
      const [row] = rowsOf(company, 'customer', 'emails', contact);
      const answer = await writer.ok('PUT', `/customer_emails/${String(row!.id)}`, { is_to_delete: true });
      expect(answer.is_to_delete).toBe(false);
      expect(company.table('customer_emails').get(row!.id as number)).toBeDefined();
    });
  });

  describe('refused users', () => {
    it.each([
      ['trial', USERS.trial, 'customer', TRIAL_WRITE_MESSAGE],
      ['trial', USERS.trial, 'supplier', TRIAL_WRITE_MESSAGE],
      ['limited', USERS.limited, 'customer', 'Your Sage 200 role does not give access to the Sales Ledger.'],
    ] as const)(
      'refuses the %s user (%s) every %s channel write with 403, changing nothing',
      async (_kind, email, side, message) => {
        const other = await writerFor(app, email);
        const contact = contactWith(other.company, side, 'emails', 1, true);
        const [row] = rowsOf(other.company, side, 'emails', contact);
        const before = snapshot(other.company);
        for (const [method, path, body] of [
          ['POST', `/${side}_contacts/${String(contact.id)}/${side}_emails`, { email: 'a@example.test' }],
          ['POST', `${accountPath(side, contact)}/${side}_emails`, { email: 'a@example.test' }],
          ['PUT', `/${side}_emails/${String(row!.id)}`, { is_default: true }],
          [
            'PUT',
            `${accountPath(side, contact)}/${side}_emails/${String(row!.id)}`,
            { email: 'b@example.test' },
          ],
          ['DELETE', `/${side}_contacts/${String(contact.id)}/${side}_emails/${String(row!.id)}`, undefined],
          ['DELETE', `/${side}_emails/${String(row!.id)}`, undefined],
        ] as const) {
          const answer = await other.send(method, path, body);
          expect(answer, `${method} ${path}`).toMatchObject({ status: 403, body: { Message: message } });
        }
        expect(snapshot(other.company)).toBe(before);
      },
    );

    it('lets the limited user write supplier channels, which its role covers', async () => {
      const limited = await writerFor(app, USERS.limited);
      const contact = contactWith(limited.company, 'supplier', 'emails', 1, true);
      await limited.ok('POST', `${accountPath('supplier', contact)}/supplier_emails`, {
        email: 'a@example.test',
      });
    });
  });
});
