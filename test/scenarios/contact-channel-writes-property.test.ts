/**
 * Property: after every step of any sequence of channel writes (creates, updates and deletes of emails, telephones,
 * mobiles, faxes and websites, on either ledger, at any nesting Sage publishes) each contact has one default row of
 * each kind it holds, its `default_email` and `default_telephone` are its default rows' values, the three nestings
 * serve the same rows, and a refused write (trial site, a role without the ledger, a parent that does not hold the
 * row, a value too long) changed nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Side = 'customer' | 'supplier';
const KINDS = ['emails', 'telephones', 'mobiles', 'faxes', 'websites'] as const;
type Kind = (typeof KINDS)[number];
/** The contact fields that repeat a default row, and the row field they repeat. */
const DEFAULT_FIELDS: Partial<Record<Kind, readonly [string, string]>> = {
  emails: ['default_email', 'email'],
  telephones: ['default_telephone', 'full_number'],
};
/** Where a write goes: the flat path (PUT and DELETE only), under the contact, or under its account and it. */
const NESTINGS = ['flat', 'contact', 'account'] as const;
type Nesting = (typeof NESTINGS)[number];
/** The first few contacts of each ledger, so that writes meet on the same contacts. */
const CONTACTS = 4;

const side = fc.constantFrom<Side>('customer', 'supplier');
const kind = fc.constantFrom(...KINDS);
const isDefault = fc.option(fc.boolean(), { nil: undefined });
const value = fc.constantFrom('ops', 'sales', 'billing', '');
const command = fc.oneof(
  fc.record({
    type: fc.constant('create' as const),
    side,
    kind,
    contact: fc.nat(CONTACTS - 1),
    nesting: fc.constantFrom<Nesting>('contact', 'account'),
    isDefault,
    value,
  }),
  fc.record({
    type: fc.constant('update' as const),
    side,
    kind,
    contact: fc.nat(CONTACTS - 1),
    row: fc.nat(),
    nesting: fc.constantFrom(...NESTINGS),
    isDefault,
    value: fc.option(value, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('delete' as const),
    side,
    kind,
    contact: fc.nat(CONTACTS - 1),
    row: fc.nat(),
    nesting: fc.constantFrom(...NESTINGS),
  }),
  fc.record({
    type: fc.constant('refused' as const),
    side,
    kind,
    contact: fc.nat(CONTACTS - 1),
    row: fc.nat(),
    how: fc.constantFrom('trial', 'limited', 'other contact', 'too long'),
  }),
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const collectionOf = (s: Side, k: Kind): string => `${s}_${k}`;
const contactKey = (s: Side): string => `${s}_contact_id`;

function contactOf(company: CompanyStore, s: Side, pick: number): SageRecord {
  const contact = company.table(`${s}_contacts`).all()[pick];
  if (!contact) throw new Error(`the company has fewer than ${CONTACTS} ${s} contacts`);
  return contact;
}

function rowsOf(company: CompanyStore, s: Side, k: Kind, contact: SageRecord): SageRecord[] {
  return [...(company.table(collectionOf(s, k)).lookup(contactKey(s), contact.id as number) ?? [])];
}

/** The path of the contact's rows (or of one row) at a nesting. */
function pathOf(s: Side, k: Kind, contact: SageRecord, nesting: Nesting, rowId?: unknown): string {
  const row = rowId === undefined ? '' : `/${String(rowId)}`;
  const under = `/${s}_contacts/${String(contact.id)}/${collectionOf(s, k)}${row}`;
  switch (nesting) {
    case 'flat':
      return `/${collectionOf(s, k)}${row}`;
    case 'contact':
      return under;
    case 'account':
      return `/${s}s/${String(contact[`${s}_id`])}${under}`;
    default: {
      const never: never = nesting;
      throw new Error(`unknown nesting ${String(never)}`);
    }
  }
}

/** A body for a row of the kind: its value field, and the default flag when the command sends one. */
function bodyOf(k: Kind, text: string | undefined, flag: boolean | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = flag === undefined ? {} : { is_default: flag };
  if (text === undefined) return body;
  if (k === 'emails') body.email = text === '' ? '' : `${text}@example.test`;
  else if (k === 'websites') body.website = text === '' ? '' : `https://${text}.example.test`;
  else
    Object.assign(body, {
      country_code: '+44',
      area_code: '0161',
      subscriber_number: text === '' ? '' : '4960000',
    });
  return body;
}

interface Writers {
  app: SandboxApp;
  full: Writer;
  trial: Writer;
  limited: Writer;
}

/** Runs one command; answers the contact it touched (in the full company). */
async function run(w: Writers, cmd: Command): Promise<SageRecord> {
  const { company } = w.full;
  const contact = contactOf(company, cmd.side, cmd.contact);
  const rows = rowsOf(company, cmd.side, cmd.kind, contact);
  const target = 'row' in cmd ? rows[cmd.row % Math.max(rows.length, 1)] : undefined;
  switch (cmd.type) {
    case 'create':
      await w.full.ok(
        'POST',
        pathOf(cmd.side, cmd.kind, contact, cmd.nesting),
        bodyOf(cmd.kind, cmd.value, cmd.isDefault),
      );
      return contact;
    case 'update':
      if (target) {
        const path = pathOf(cmd.side, cmd.kind, contact, cmd.nesting, target.id);
        await w.full.ok('PUT', path, bodyOf(cmd.kind, cmd.value, cmd.isDefault));
      }
      return contact;
    case 'delete':
      if (target) await w.full.ok('DELETE', pathOf(cmd.side, cmd.kind, contact, cmd.nesting, target.id));
      return contact;
    case 'refused':
      await refused(w, cmd, contact, target);
      return contact;
    default: {
      const never: never = cmd;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

/** A write that must be refused, with the company it was aimed at unchanged. */
async function refused(
  w: Writers,
  cmd: Extract<Command, { type: 'refused' }>,
  contact: SageRecord,
  target: SageRecord | undefined,
): Promise<void> {
  const { side: s, kind: k } = cmd;
  const attempt = async (writer: Writer, method: string, path: string, body: unknown, status: number) => {
    const before = snapshot(writer.company);
    const answer = await writer.send(method, path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(snapshot(writer.company)).toBe(before);
  };
  switch (cmd.how) {
    case 'trial': {
      const own = contactOf(w.trial.company, s, cmd.contact);
      await attempt(w.trial, 'POST', pathOf(s, k, own, 'account'), bodyOf(k, 'ops', true), 403);
      return;
    }
    case 'limited': {
      // The limited role lacks the Sales Ledger only: its supplier writes are allowed.
      if (s === 'supplier') return;
      const own = contactOf(w.limited.company, s, cmd.contact);
      await attempt(w.limited, 'POST', pathOf(s, k, own, 'contact'), bodyOf(k, 'ops', true), 403);
      return;
    }
    case 'other contact': {
      if (!target) return;
      const other = contactOf(w.full.company, s, (cmd.contact + 1) % CONTACTS);
      await attempt(w.full, 'PUT', pathOf(s, k, other, 'contact', target.id), bodyOf(k, 'ops', true), 404);
      await attempt(w.full, 'DELETE', pathOf(s, k, other, 'account', target.id), undefined, 404);
      return;
    }
    case 'too long': {
      const field = k === 'emails' ? 'email' : k === 'websites' ? 'website' : 'subscriber_number';
      const body = { is_default: true, [field]: 'x'.repeat(k === 'emails' || k === 'websites' ? 228 : 201) };
      await attempt(w.full, 'POST', pathOf(s, k, contact, 'account'), body, 400);
      return;
    }
    default: {
      const never: never = cmd.how;
      throw new Error(`unknown refusal ${String(never)}`);
    }
  }
}

/** Every contact of the company: one default row of each kind it holds, and its default fields repeat them. */
function expectDefaultsAgree(company: CompanyStore): void {
  for (const s of ['customer', 'supplier'] as const) {
    for (const contact of company.table(`${s}_contacts`).all()) {
      for (const k of KINDS) {
        const rows = rowsOf(company, s, k, contact);
        const defaults = rows.filter((row) => row.is_default === true);
        expect(defaults.length, `${s} contact ${String(contact.id)}'s default ${k}`).toBe(
          rows.length > 0 ? 1 : 0,
        );
        const repeated = DEFAULT_FIELDS[k];
        if (repeated) expect(contact[repeated[0]]).toBe(defaults[0]?.[repeated[1]] ?? '');
      }
    }
  }
}

/** The three nestings of the touched contact's rows of every kind serve what the flat list holds. */
async function expectNestingsAgree(w: Writers, s: Side, contact: SageRecord): Promise<void> {
  for (const k of KINDS) {
    const flat = await w.full.ok<SageRecord[]>(
      'GET',
      `/${collectionOf(s, k)}?$filter=${contactKey(s)}%20eq%20${String(contact.id)}&$orderby=id`,
    );
    expect(flat).toEqual(
      rowsOf(w.full.company, s, k, contact).sort((a, b) => (a.id as number) - (b.id as number)),
    );
    for (const nesting of ['contact', 'account'] as const) {
      const nested = await w.full.ok<SageRecord[]>('GET', `${pathOf(s, k, contact, nesting)}?$orderby=id`);
      expect(nested).toEqual(flat);
    }
  }
}

describe('random channel writes keep every contact and its default channels agreeing', () => {
  it('at every nesting, on both ledgers, refusals included', { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        const app = testSandbox();
        const w: Writers = {
          app,
          full: await writerFor(app, USERS.full),
          trial: await writerFor(app, USERS.trial),
          limited: await writerFor(app, USERS.limited),
        };
        for (const cmd of commands) {
          const contact = await run(w, cmd);
          expectDefaultsAgree(w.full.company);
          await expectNestingsAgree(w, cmd.side, contact);
        }
      }),
      { numRuns: 12 },
    );
  });
});
