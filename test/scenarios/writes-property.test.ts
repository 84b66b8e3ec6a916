/**
 * Property (issue 13): random sequences of writes from every family (postings and refunds, despatch confirmations,
 * memos, contact channels, a product's cross-sell links), with a trial user's attempts mixed in, keep the books and
 * the stock whole after each step, read back through the API (test/contract/books-support.ts): the trial balance is
 * zero in every period, each trader's balance is what its transactions leave outstanding, the aged and transaction
 * views agree with the postings, bins sum to holdings and holdings to products; and a trial user's attempt answers
 * 403 and changes nothing in the trial company.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyWorld, SageRecord } from '../../mock-server/world/model.ts';
import { expectBooksWhole, expectStockAgrees } from '../contract/books-support.ts';
import { command as posting, requestOf as postingRequest } from '../contract/posting-commands.ts';
import {
  expectContractValid,
  type Poster,
  posterFor,
  postingSandbox,
  type Refs,
  refsOf,
} from '../contract/postings-support.ts';
import { api, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

const command = fc.oneof(
  { arbitrary: posting.map((cmd) => ({ kind: 'posting' as const, cmd })), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('/sales_payments' as const, '/purchase_receipts' as const),
      account: fc.nat(),
      value: fc.integer({ min: 1, max: 200_000 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('despatch' as const), pick: fc.nat(), part: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('memo' as const), account: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('email' as const), contact: fc.nat(), isDefault: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('cross-sell' as const), product: fc.nat() }), weight: 1 },
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

interface Sent {
  path: string;
  method: 'POST' | 'PUT' | 'DELETE';
  body: unknown;
}

/** Everything a write may change, as it stands in the store. */
const snapshot = (company: CompanyWorld): string =>
  JSON.stringify([company.collections, company.nominal_entries.length]);

async function send(app: SandboxApp, poster: Poster, sent: Sent) {
  const response = await app.request(api(sent.path), {
    method: sent.method,
    headers: { ...poster.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(sent.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The write a command stands for in `company` now; undefined when the company offers nothing for it. */
async function requestOf(cmd: Command, poster: Poster, refs: Refs): Promise<Sent | undefined> {
  const c = poster.company().collections;
  switch (cmd.kind) {
    case 'posting': {
      const { path, body } = postingRequest(cmd.cmd, refs);
      return { path, method: 'POST', body };
    }
    case '/sales_payments':
    case '/purchase_receipts': {
      const sales = cmd.kind === '/sales_payments';
      const accounts = sales ? refs.customers : refs.suppliers;
      return {
        path: cmd.kind,
        method: 'POST',
        body: {
          [sales ? 'customer_id' : 'supplier_id']: accounts[cmd.account % accounts.length]!.id,
          bank_id: refs.bank('CURRENT').id,
          cheque_value: cmd.value / 100,
          reference: 'REFUND',
        },
      };
    }
    case 'despatch': {
      // A row of the despatch list, posted back whole or for one unit of its first line.
      const rows = await poster.json<Row[]>('/sop_confirm_despatch');
      const row = rows[cmd.pick % Math.max(rows.length, 1)];
      if (!row) return undefined;
      const first = (row.items as Row[])[0]!;
      const body = cmd.part
        ? { sop_order_return_id: row.sop_order_return_id, items: [{ id: first.id, quantity: 1 }] }
        : row;
      return { path: '/sop_confirm_despatch', method: 'POST', body };
    }
    case 'memo': {
      const customer = refs.customers[cmd.account % refs.customers.length]!;
      return {
        path: '/customer_memos',
        method: 'POST',
        body: { customer_id: customer.id, note: 'Call first' },
      };
    }
    case 'email': {
      const contacts = c.customer_contacts ?? [];
      const contact = contacts[cmd.contact % Math.max(contacts.length, 1)];
      if (!contact) return undefined;
      return {
        path: `/customer_contacts/${String(contact.id)}/customer_emails`,
        method: 'POST',
        body: { email: `accounts${cmd.contact % 97}@example.test`, is_default: cmd.isDefault },
      };
    }
    case 'cross-sell': {
      const products = c.products ?? [];
      const product = products[cmd.product % products.length]!;
      const linked = new Set(
        (c.cross_sell_products ?? [])
          .filter((l) => l.product_id === product.id)
          .map((l) => l.cross_sell_product_id),
      );
      const free = products.find((p) => p.id !== product.id && !linked.has(p.id));
      if (!free) return undefined;
      return {
        path: '/cross_sell_products',
        method: 'POST',
        body: { product_id: product.id, cross_sell_product_id: free.id },
      };
    }
    default: {
      const never: never = cmd;
      throw new Error(`no request for ${JSON.stringify(never)}`);
    }
  }
}

/** Every contact's default email row equals its `default_email`, and it has at most one default. */
function expectDefaultEmails(company: CompanyWorld): void {
  const rows = company.collections.customer_emails ?? [];
  for (const contact of company.collections.customer_contacts ?? []) {
    const own = rows.filter((r: SageRecord) => r.customer_contact_id === contact.id);
    const defaults = own.filter((r) => r.is_default === true);
    expect(defaults.length, `contact ${String(contact.id)}`).toBe(own.length === 0 ? 0 : 1);
    expect(contact.default_email ?? '').toBe(defaults[0]?.email ?? '');
  }
}

describe('random sequences of writes from every family keep the books and the stock whole', () => {
  it('on a full company, after every step; a trial user changes nothing', async () => {
    const written = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(command, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }),
        async (steps) => {
          const app = postingSandbox(['full', 'trial']);
          const full = await posterFor(app, USERS.full);
          const trial = await posterFor(app, USERS.trial);
          const refs = refsOf(full.company());
          const trialRefs = refsOf(trial.company());
          for (const [cmd, user] of steps) {
            if (user === 0) {
              const sent = await requestOf(cmd, trial, trialRefs);
              if (!sent) continue;
              const before = snapshot(trial.company());
              const response = await send(app, trial, sent);
              expect(response.status, `${sent.method} ${sent.path} as a trial user`).toBe(403);
              expect(snapshot(trial.company()), `${sent.path} changed the trial company`).toBe(before);
              continue;
            }
            const sent = await requestOf(cmd, full, refs);
            if (!sent) continue;
            const response = await send(app, full, sent);
            const shown = `${sent.method} ${sent.path} ${JSON.stringify(sent.body)}: ${JSON.stringify(response.body)}`;
            expect(response.status, shown).toBe(200);
            written.add(cmd.kind);
            expectContractValid(
              sent.method.toLowerCase(),
              sent.path.replace(/\/\d+\//, '/{CustomerContactId}/'),
              200,
              response.body,
            );
            await expectBooksWhole(full);
            await expectStockAgrees(full);
            expectDefaultEmails(full.company());
          }
        },
      ),
      { numRuns: 15, seed: 13 },
    );
    // The runs reached every family (a fixed seed, so this cannot pass by luck one day and fail the next).
    expect([...written].sort()).toEqual(
      ['/purchase_receipts', '/sales_payments', 'cross-sell', 'despatch', 'email', 'memo', 'posting'].sort(),
    );
    // Every step reads both ledgers, their views and the stock back through the API.
  }, 240_000);
});
