/**
 * Property: any sequence of the cash and allocation writes (sales payments and purchase receipts, sales allocations
 * valid and flawed, query flags set and cleared, postings on dates the date validation has just classified), mixed
 * with every existing posting, keeps the books whole after each step. Read through the API: the trial balance is
 * zero in every period, each customer's and supplier's balance is the sum of what its transactions leave
 * outstanding, the transaction, enquiry and aged views agree with the posted transactions; and a refused write
 * changed nothing at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyWorld, SageRecord } from '../../mock-server/world/model.ts';
import { expectBooksWhole } from '../contract/books-support.ts';
import { command as posting, requestOf as postingRequest } from '../contract/posting-commands.ts';
import {
  expectContractValid,
  type Poster,
  pence,
  posterFor,
  postingSandbox,
  type Refs,
  refsOf,
} from '../contract/postings-support.ts';
import { api, USERS } from '../support/sandbox.ts';

const DAY_MS = 86_400_000;
const FIRST_OPEN_DAY = Date.UTC(2026, 0, 1) / DAY_MS;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (value: unknown): number => Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`) / DAY_MS;

const FLAWS = ['none', 'over', 'unbalanced', 'other customer', 'sign'] as const;

const command = fc.oneof(
  { arbitrary: posting.map((cmd) => ({ kind: 'posting' as const, cmd })), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('/sales_payments' as const, '/purchase_receipts' as const),
      account: fc.nat(),
      bank: fc.constantFrom('CURRENT', 'DEPOSIT', 'PETTY'),
      day: fc.integer({ min: FIRST_OPEN_DAY, max: Date.UTC(2027, 11, 31) / DAY_MS }),
      value: fc.integer({ min: 1, max: 500_000 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('allocation' as const),
      account: fc.nat(),
      debit: fc.nat(),
      credit: fc.nat(),
      percent: fc.integer({ min: 1, max: 100 }),
      flaw: fc.constantFrom(...FLAWS, 'none', 'none'),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      sales: fc.boolean(),
      pick: fc.nat(),
      flag: fc.constantFrom('Q', '', 'bad'),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('dated' as const),
      sales: fc.boolean(),
      day: fc.integer({ min: Date.UTC(2024, 0, 1) / DAY_MS, max: Date.UTC(2029, 11, 31) / DAY_MS }),
    }),
    weight: 1,
  },
);

type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

interface Sent {
  path: string;
  method: string;
  body: unknown;
  /** What the step must answer: 200, or a 400 whose message holds this text (blank: any 400). */
  expect: { status: 200 } | { status: 400; message: string };
}

/** Everything a write may change, as it stands in the store. */
const snapshot = (company: CompanyWorld): string =>
  JSON.stringify([company.collections, company.nominal_entries.length]);

const outstandingOf = (t: SageRecord): number => pence(t.document_outstanding_value);
const queried = (t: SageRecord): boolean => typeof t.queried === 'string' && t.queried !== '';

/** The allocation a command stands for, chosen among the transactions outstanding now; undefined when none fits. */
function allocationOf(
  cmd: Extract<Command, { kind: 'allocation' }>,
  company: CompanyWorld,
  refs: Refs,
): Sent | undefined {
  const transactions = company.collections.sales_posted_transactions;
  const byCustomer = refs.customers
    .map((customer) => {
      const own = transactions.filter((t) => t.customer_id === customer.id);
      return {
        customer,
        debits: own.filter((t) => outstandingOf(t) > 0),
        credits: own.filter((t) => outstandingOf(t) < 0),
      };
    })
    .filter((c) => c.debits.length > 0 && c.credits.length > 0);
  if (byCustomer.length === 0) return undefined;
  const { customer, debits, credits } = byCustomer[cmd.account % byCustomer.length]!;
  const debit = debits[cmd.debit % debits.length]!;
  const credit = credits[cmd.credit % credits.length]!;
  const most = Math.min(outstandingOf(debit), -outstandingOf(credit));
  const amount = Math.max(1, Math.round((most * cmd.percent) / 100));
  let lines: [SageRecord, number][] = [
    [debit, amount],
    [credit, -amount],
  ];
  let message = '';
  switch (cmd.flaw) {
    case 'none':
      break;
    case 'over':
      lines = [
        [debit, most + 1],
        [credit, -(most + 1)],
      ];
      message = 'has outstanding';
      break;
    case 'unbalanced':
      lines = [
        [debit, amount],
        [credit, -(amount === 1 ? 2 : amount - 1)],
      ];
      message = 'not 0';
      break;
    case 'other customer': {
      const stranger = transactions.find((t) => t.customer_id !== customer.id && outstandingOf(t) > 0);
      if (!stranger) return undefined;
      lines = [
        [stranger, amount],
        [credit, -amount],
      ];
      message = 'is a transaction of another customer';
      break;
    }
    case 'sign':
      lines = [
        [debit, -amount],
        [credit, amount],
      ];
      message = 'is of the other sign';
      break;
    default: {
      const never: never = cmd.flaw;
      throw new Error(`no flaw ${String(never)}`);
    }
  }
  const latest = Math.max(FIRST_OPEN_DAY, ...lines.map(([t]) => dayOf(t.transaction_date)));
  const blocked = lines.some(([t]) => queried(t));
  return {
    path: '/sales_allocations',
    method: 'POST',
    body: {
      customer_id: customer.id,
      allocation_date: dateOf(latest),
      allocation_lines: lines.map(([t, value]) => ({ posted_tran_id: t.id, value_to_allocate: value / 100 })),
    },
    expect:
      cmd.flaw === 'none' && !blocked ? { status: 200 } : { status: 400, message: blocked ? '' : message },
  };
}

interface Session {
  app: SandboxApp;
  poster: Poster;
}

async function send({ app, poster }: Session, sent: Pick<Sent, 'path' | 'method' | 'body'>) {
  const response = await app.request(api(sent.path), {
    method: sent.method,
    headers: { ...poster.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(sent.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The request a command stands for now; the date validation is asked first, and decides what the posting expects. */
async function requestOf(cmd: Command, session: Session, refs: Refs): Promise<Sent | undefined> {
  const company = session.poster.company();
  switch (cmd.kind) {
    case 'posting': {
      const { path, body } = postingRequest(cmd.cmd, refs);
      return { path, method: 'POST', body, expect: { status: 200 } };
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
          bank_id: refs.bank(cmd.bank).id,
          cheque_value: cmd.value / 100,
          transaction_date: dateOf(cmd.day),
          reference: 'REFUND',
        },
        expect: { status: 200 },
      };
    }
    case 'allocation':
      return allocationOf(cmd, company, refs);
    case 'query': {
      const ledger = cmd.sales ? 'sales' : 'purchase';
      const all = company.collections[`${ledger}_posted_transactions`]!;
      const target = all[cmd.pick % all.length]!;
      const path = `/${ledger}_posted_transactions/${String(target.id)}`;
      return cmd.flag === 'bad'
        ? {
            path,
            method: 'PUT',
            body: { reference: 'CHANGED!' },
            expect: { status: 400, message: 'reference' },
          }
        : { path, method: 'PUT', body: { queried: cmd.flag }, expect: { status: 200 } };
    }
    case 'dated': {
      const date = dateOf(cmd.day);
      const verdict = await send(session, {
        path: '/transaction_date_validation',
        method: 'POST',
        body: { date, ledger_type: cmd.sales ? 'LedgerSales' : 'LedgerPurchase' },
      });
      expect(verdict.status).toBe(200);
      const { classification, message } = verdict.body as { classification: string; message: string };
      return {
        path: cmd.sales ? '/sales_payments' : '/purchase_receipts',
        method: 'POST',
        body: {
          [cmd.sales ? 'customer_id' : 'supplier_id']: (cmd.sales ? refs.customers : refs.suppliers)[0]!.id,
          bank_id: refs.bank('CURRENT').id,
          cheque_value: 12.34,
          transaction_date: date,
        },
        expect: classification === 'Unacceptable' ? { status: 400, message } : { status: 200 },
      };
    }
    default: {
      const never: never = cmd;
      throw new Error(`no request for ${JSON.stringify(never)}`);
    }
  }
}

describe('random sequences of cash, allocation and query writes, mixed with postings, keep the books whole', () => {
  it('on a full company, after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const app = postingSandbox(['full']);
        const poster = await posterFor(app, USERS.full);
        const refs = refsOf(poster.company());
        for (const cmd of commands) {
          const sent = await requestOf(cmd, { app, poster }, refs);
          if (!sent) continue;
          const before = snapshot(poster.company());
          const response = await send({ app, poster }, sent);
          const shown = `${sent.method} ${sent.path} ${JSON.stringify(sent.body)}: ${JSON.stringify(response.body)}`;
          expect(response.status, shown).toBe(sent.expect.status);
          const template = sent.method === 'PUT' ? sent.path.replace(/\/\d+$/, '/{Id}') : sent.path;
          expectContractValid(sent.method.toLowerCase(), template, response.status, response.body);
          if (sent.expect.status === 400) {
            expect((response.body as { Message: string }).Message, shown).toContain(sent.expect.message);
            expect(snapshot(poster.company()), `${shown} changed the books`).toBe(before);
          }
          await expectBooksWhole(poster);
        }
      }),
      { numRuns: 6 },
    );
    // Every step reads both ledgers and their views back through the API: about 30 s on an idle 2-core machine.
  }, 180_000);
});
