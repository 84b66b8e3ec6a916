/**
 * Concurrency and durability of the cash and allocation writes, as test/scenarios/concurrency.test.ts holds the other
 * writes to: on a listening sandbox with a state file, allocations racing for the same receipt settle exactly what it
 * had outstanding and refuse the rest, refunds all in flight at once each post once, and a restart from the state
 * file finds every acknowledged write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, expect, it } from 'vitest';
import { API_BASE_PATH, createSandbox, startSandbox } from '../../mock-server/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';

const INVOICES = 60;
const REFUNDS = 100;

const root = mkdtempSync(join(tmpdir(), 'sage200-cash-concurrency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('settles no more than a receipt had outstanding when allocations race, and keeps every write across a restart', async () => {
  const stateFile = join(root, 'world.state');
  const running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()), stateFile });
  const user = running.app.sandbox.store.userByEmail(USERS.full)!;
  const site = running.app.sandbox.store.site(user.site_id)!;
  const companyId = site.site.companies[0]!.company_id;
  const company = () => running.app.sandbox.store.site(user.site_id)!.companies.get(companyId)!;
  let live: string;
  try {
    const minted = await request(running.server).post('/admin/tokens').send({ user: USERS.full }).expect(200);
    const headers = {
      Authorization: `Bearer ${(minted.body as { access_token: string }).access_token}`,
      'X-Site': user.site_id,
      'X-Company': String(companyId),
    };
    const call = (method: 'get' | 'post', path: string, body?: object) => {
      const test = request(running.server)[method](`${API_BASE_PATH}${path}`).set(headers);
      return body === undefined ? test : test.send(body);
    };
    const base = company()
      .table('currencies')
      .all()
      .find((c) => c.is_base_currency === true)!;
    const customer = company()
      .table('customers')
      .all()
      .find((c) => c.currency_id === base.id)!;
    const bank = company().table('banks').all()[0]!;
    const zeroRated = company()
      .table('tax_codes')
      .all()
      .find((t) => t.code === 2)!;
    const urnOf = async (path: string, body: object): Promise<SageRecord> => {
      const posted = await call('post', path, body).expect(200);
      const urn = (posted.body as { urn: string }).urn;
      const found = await call('get', `/sales_posted_transactions?$filter=urn eq ${urn}`).expect(200);
      return (found.body as SageRecord[])[0]!;
    };
    const receipt = await urnOf('/sales_receipts', {
      customer_id: customer.id,
      bank_id: bank.id,
      cheque_value: 100,
      transaction_date: '2026-10-01',
    });
    const invoices: SageRecord[] = [];
    for (let i = 0; i < INVOICES; i++) {
      invoices.push(
        await urnOf('/sales_invoices', {
          customer_id: customer.id,
          transaction_date: '2026-10-01',
          document_goods_value: 5,
          document_tax_value: 0,
          tax_analysis_items: [{ id: zeroRated.id, goods_amount: 5, tax_amount: 0 }],
          nominal_analysis_items: [{ code: '4000', value: 5 }],
        }),
      );
    }
    const balanceBefore = (await call('get', `/customers/${String(customer.id)}`).expect(200))
      .body as SageRecord;

    const answers = await Promise.all([
      ...invoices.map((invoice) =>
        call('post', '/sales_allocations', {
          customer_id: customer.id,
          allocation_lines: [
            { posted_tran_id: invoice.id, value_to_allocate: 5 },
            { posted_tran_id: receipt.id, value_to_allocate: -5 },
          ],
        }),
      ),
      ...Array.from({ length: REFUNDS }, (_, i) =>
        call('post', '/sales_payments', {
          customer_id: customer.id,
          bank_id: bank.id,
          cheque_value: 1,
          reference: `RACE${i}`,
          transaction_date: '2026-10-02',
        }),
      ),
    ]);
    const allocations = answers.slice(0, INVOICES);
    const refunds = answers.slice(INVOICES);
    expect(allocations.filter((a) => a.status === 200)).toHaveLength(20);
    for (const refused of allocations.filter((a) => a.status !== 200)) {
      expect(refused.status).toBe(400);
      expect((refused.body as { Message: string }).Message).toMatch(
        /^The allocation_lines\[1\]\.(posted_tran_id \d+ has nothing outstanding|value_to_allocate -5\.00 is more than)/,
      );
    }
    expect(refunds.every((r) => r.status === 200)).toBe(true);
    expect(new Set(refunds.map((r) => (r.body as { urn: string }).urn)).size).toBe(REFUNDS);

    const settled = (await call('get', `/sales_posted_transactions/${String(receipt.id)}`).expect(200))
      .body as SageRecord;
    expect([settled.document_outstanding_value, settled.document_allocated_value]).toEqual([0, -100]);
    const after = (await call('get', `/customers/${String(customer.id)}`).expect(200)).body as SageRecord;
    expect(Math.round(Number(after.balance) * 100)).toBe(
      Math.round(Number(balanceBefore.balance) * 100) + REFUNDS * 100,
    );
    live = JSON.stringify([
      company().table('sales_posted_transactions').all(),
      company().table('customers').all(),
    ]);
  } finally {
    await running.stop();
  }
  const reopened = createSandbox({ stateFile });
  try {
    const again = reopened.sandbox.store.site(user.site_id)!.companies.get(companyId)!;
    expect(
      JSON.stringify([again.table('sales_posted_transactions').all(), again.table('customers').all()]),
    ).toBe(live);
  } finally {
    reopened.sandbox.close();
  }
  // Sixty postings one by one, 160 writes at once, a stop and a start from the state file.
}, 120_000);
