/**
 * `/sales_historical_transactions` is a live view of `/sales_posted_transactions`: the transactions fully settled
 * before the current financial year (2026) began, which Sage's year end moves to history. It is read from the same
 * records as the posted list, so each historical record equals its posted one, before and after any postings.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { type Caller, callerFor, USERS } from '../support/sandbox.ts';
import {
  expectContractValid,
  type Poster,
  posterFor,
  postingSandbox,
  readAll,
  refsOf,
} from './postings-support.ts';

const YEAR_START = '2026-01-01T00:00:00';

/** The posted transactions the view must show, projected to the view's fields. */
function historicalOf(posted: readonly SageRecord[], fields: readonly string[]): SageRecord[] {
  return posted
    .filter(
      (t) =>
        t.document_outstanding_value === 0 &&
        typeof t.full_settlement_date === 'string' &&
        t.full_settlement_date < YEAR_START,
    )
    .map((t) => Object.fromEntries(fields.map((f) => [f, t[f] ?? null])));
}

async function expectIdentity(caller: Caller): Promise<SageRecord[]> {
  const history = await readAll(caller, '/sales_historical_transactions');
  const fields = Object.keys(history[0] ?? {});
  expect(fields.length).toBeGreaterThan(30);
  expect(history).toEqual(historicalOf(await readAll(caller, '/sales_posted_transactions'), fields));
  return history;
}

describe('sales historical transactions', () => {
  let app: SandboxApp;
  let poster: Poster;
  beforeAll(async () => {
    app = postingSandbox(['full']);
    poster = await posterFor(app, USERS.full);
  });

  it('are the posted transactions fully settled before 2026, field for field', async () => {
    const history = await expectIdentity(poster);
    expect(history.length).toBeGreaterThan(0);
    expect(new Set(history.map((t) => t.trader_transaction_type)).size).toBeGreaterThan(1);
    expectContractValid('get', '/sales_historical_transactions', 200, history);
  });

  it('list one customer under /customers/{id} and expand it', async () => {
    const [first] = await poster.json<SageRecord[]>('/sales_historical_transactions?$orderby=id&$top=1');
    const customerId = first?.customer_id;
    const own = await readAll(
      poster,
      `/sales_historical_transactions?$filter=customer_id eq ${String(customerId)}`,
    );
    expect(await readAll(poster, `/customers/${String(customerId)}/sales_historical_transactions`)).toEqual(
      own,
    );
    const one = await poster.json<SageRecord>(
      `/sales_historical_transactions/${String(first?.id)}?$expand=customer`,
    );
    expect((one.customer as SageRecord).id).toBe(customerId);
    expect((await poster.get('/customers/999999999/sales_historical_transactions')).status).toBe(404);
    expect((await poster.get('/sales_historical_transactions/999999999')).status).toBe(404);
  });

  it('still equal the rule on the posted list after any burst of postings, which never reach history', async () => {
    const before = await expectIdentity(poster);
    const refs = refsOf(poster.company());
    const posting = fc.record({
      path: fc.constantFrom('/sales_invoices', '/sales_receipts'),
      customer: fc.nat(),
      pence: fc.integer({ min: 1, max: 500_000 }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(posting, { minLength: 1, maxLength: 4 }), async (burst) => {
        for (const p of burst) {
          const customer = refs.customers[p.customer % refs.customers.length]!;
          const date = `2026-03-${String(p.day).padStart(2, '0')}`;
          const value = p.pence / 100;
          const body =
            p.path === '/sales_receipts'
              ? {
                  customer_id: customer.id,
                  bank_id: refs.bank('CURRENT').id,
                  cheque_value: value,
                  transaction_date: date,
                }
              : {
                  customer_id: customer.id,
                  transaction_date: date,
                  reference: 'HIST',
                  document_goods_value: value,
                  document_tax_value: 0,
                  tax_analysis_items: [{ id: refs.taxCode(2).id, goods_amount: value, tax_amount: 0 }],
                  nominal_analysis_items: [{ code: '4000', cost_centre: '', department: '', value }],
                };
          expect((await poster.post(p.path, body)).status).toBe(200);
        }
        expect(await expectIdentity(poster)).toEqual(before);
      }),
      { numRuns: 8 },
    );
  });

  it('answer 403 to a role without the Sales Ledger', async () => {
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/sales_historical_transactions')).status).toBe(403);
  });
});
