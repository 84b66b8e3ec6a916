/**
 * The cash and allocation writes of issue 13 on a full company, rule by rule with their wording: sales allocations
 * settle what transactions leave outstanding (and refuse, changing nothing, what is larger than that, lines that do not
 * net to zero, another customer's transactions, queried ones, dates outside the open periods); PUT on a posted
 * transaction changes its query flag and nothing else; currency exchange rates come from the currencies' rates; and
 * /transaction_date_validation says of every date what the postings then do with it.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { TRIAL_WRITE_MESSAGE } from '../../mock-server/resources/write-guards.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { api, USERS } from '../support/sandbox.ts';
import {
  expectContractValid,
  type Poster,
  pence,
  posterFor,
  postingSandbox,
  type Refs,
  readAll,
  refsOf,
} from './postings-support.ts';

const DATE = '2026-10-20';

let app: SandboxApp;
let poster: Poster;
let refs: Refs;

beforeAll(async () => {
  app = postingSandbox(['full', 'trial']);
  poster = await posterFor(app, USERS.full);
  refs = refsOf(poster.company());
});

async function send(method: string, path: string, body: unknown, who: Poster = poster) {
  const response = await app.request(api(path), {
    method,
    headers: { ...who.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Posts and answers the posted sales or purchase transaction the URN finds. */
async function posted(path: string, body: Record<string, unknown>, ledger = 'sales'): Promise<SageRecord> {
  const response = await poster.post(path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const { urn } = response.body as { urn: string };
  const [record] = await poster.json<SageRecord[]>(`/${ledger}_posted_transactions?$filter=urn eq ${urn}`);
  return record!;
}

const invoice = (customer: SageRecord, gross: number) =>
  posted('/sales_invoices', {
    customer_id: customer.id,
    transaction_date: DATE,
    document_goods_value: gross,
    document_tax_value: 0,
    tax_analysis_items: [{ id: refs.taxCode(2).id, goods_amount: gross, tax_amount: 0 }],
    nominal_analysis_items: [{ code: '4000', value: gross }],
  });

const receipt = (customer: SageRecord, value: number) =>
  posted('/sales_receipts', {
    customer_id: customer.id,
    bank_id: refs.bank('CURRENT').id,
    cheque_value: value,
    transaction_date: DATE,
  });

const transaction = (id: unknown) => poster.json<SageRecord>(`/sales_posted_transactions/${String(id)}`);

/** What a refused write must leave as it was: the sales ledger, the customers and the nominal ledger. */
const ledgerState = () => {
  const c = poster.company();
  return JSON.stringify([
    c.collections.sales_posted_transactions,
    c.collections.customers,
    c.collections.purchase_posted_transactions,
    c.nominal_entries.length,
  ]);
};

describe('POST /sales_allocations', () => {
  it('settles what an invoice and a receipt leave outstanding, and the views follow', async () => {
    const customer = refs.customers[5]!;
    const inv = await invoice(customer, 120);
    const rec = await receipt(customer, 100);
    const before = await poster.json<SageRecord>(`/customers/${String(customer.id)}`);
    const response = await send('POST', '/sales_allocations', {
      customer_id: customer.id,
      allocation_date: '2026-10-25',
      allocation_lines: [
        { posted_tran_id: inv.id, value_to_allocate: 100 },
        { posted_tran_id: rec.id, value_to_allocate: -100 },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectContractValid('post', '/sales_allocations', 200, response.body);
    expect(response.body).toEqual({
      customer_id: customer.id,
      allocation_date: '2026-10-25T00:00:00',
      allocation_lines: [
        { posted_tran_id: inv.id, value_to_allocate: 100 },
        { posted_tran_id: rec.id, value_to_allocate: -100 },
      ],
    });
    const invAfter = await transaction(inv.id);
    const recAfter = await transaction(rec.id);
    expect([invAfter.document_outstanding_value, invAfter.document_allocated_value]).toEqual([20, 100]);
    expect([recAfter.document_outstanding_value, recAfter.document_allocated_value]).toEqual([0, -100]);
    expect(invAfter.full_settlement_date).toBeNull();
    expect(recAfter.full_settlement_date).toBe('2026-10-25T00:00:00');
    expect(invAfter.allocation_history_items).toEqual([
      expect.objectContaining({ entry_date: '2026-10-25T00:00:00', allocation_value: 100 }),
    ]);
    expect(recAfter.allocation_session_items).toEqual([
      expect.objectContaining({ urn: inv.urn, value: 120, allocation_value: 100 }),
    ]);
    // The balance is the sum of what is outstanding, which the allocation did not change.
    const after = await poster.json<SageRecord>(`/customers/${String(customer.id)}`);
    expect(after.balance).toBe(before.balance);
    const views = await poster.json<SageRecord[]>(
      `/sales_transaction_views?$filter=customer_id eq ${String(customer.id)}`,
    );
    const status = (id: unknown) => views.find((v) => v.posted_customer_transaction_id === id)?.status;
    expect([status(inv.id), status(rec.id)]).toEqual(['AllocationStatusPart', 'AllocationStatusFull']);
    const aged = await poster.json<SageRecord[]>(
      `/sales_aged_debtor_detailed_views?$filter=customer_id eq ${String(customer.id)}`,
    );
    const agedIds = aged.map((row) => row.posted_customer_transaction_id);
    expect(agedIds).toContain(inv.id);
    expect(agedIds).not.toContain(rec.id);
  });

  describe('refuses, changing nothing', () => {
    let customer: SageRecord;
    let other: SageRecord;
    let inv: SageRecord;
    let rec: SageRecord;
    let othersInvoice: SageRecord;
    beforeAll(async () => {
      customer = refs.customers[6]!;
      other = refs.customers[7]!;
      inv = await invoice(customer, 120);
      rec = await receipt(customer, 150);
      othersInvoice = await invoice(other, 30);
    });
    const lines = (...pairs: [SageRecord | (() => SageRecord), number][]) =>
      pairs.map(([t, value]) => ({
        posted_tran_id: (typeof t === 'function' ? t() : t).id,
        value_to_allocate: value,
      }));

    it.each([
      [
        'an allocation larger than the invoice has outstanding',
        () => ({ lines: lines([inv, 130], [rec, -130]) }),
        `The allocation_lines[0].value_to_allocate 130.00 is more than transaction`,
      ],
      [
        'lines that do not net to zero',
        () => ({ lines: lines([inv, 50], [rec, -40]) }),
        'The allocation_lines values add up to 10.00, not 0',
      ],
      [
        "another customer's transaction",
        () => ({ lines: lines([othersInvoice, 30], [rec, -30]) }),
        'is a transaction of another customer, not of customer_id',
      ],
      [
        'a transaction named twice',
        () => ({ lines: lines([inv, 10], [inv, 10], [rec, -20]) }),
        'is named twice: give each transaction one line.',
      ],
      [
        'a value of the sign of the other side',
        () => ({ lines: lines([inv, -10], [rec, 10]) }),
        'is of the other sign from transaction',
      ],
      ['a zero value', () => ({ lines: lines([inv, 0], [rec, 0]) }), 'must not be zero.'],
      ['no lines', () => ({ lines: [] }), 'The field allocation_lines must have at least one line.'],
      [
        'a date in a closed year',
        () => ({ lines: lines([inv, 10], [rec, -10]), date: '2025-12-31' }),
        'The allocation_date 2025-12-31 is in a closed financial year',
      ],
      [
        "a date before a transaction's",
        () => ({ lines: lines([inv, 10], [rec, -10]), date: '2026-10-01' }),
        'The allocation_date 2026-10-01 is before the transaction_date 2026-10-20 of transaction',
      ],
      [
        'more than two decimal places',
        () => ({ lines: lines([inv, 10.005], [rec, -10.005]) }),
        'The field allocation_lines[0].value_to_allocate must have at most two decimal places.',
      ],
    ] as const)('%s', async (_name, make, message) => {
      const { lines: allocationLines, date } = make() as { lines: unknown[]; date?: string };
      const before = ledgerState();
      const response = await send('POST', '/sales_allocations', {
        customer_id: customer.id,
        ...(date === undefined ? {} : { allocation_date: date }),
        allocation_lines: allocationLines,
      });
      expect(response.status).toBe(400);
      expectContractValid('post', '/sales_allocations', 400, response.body);
      expect((response.body as { Message: string }).Message).toContain(message);
      expect(ledgerState()).toBe(before);
    });

    it('a queried transaction, until its query is cleared', async () => {
      const query = await send('PUT', `/sales_posted_transactions/${String(inv.id)}`, { queried: 'Q' });
      expect(query.status).toBe(200);
      const body = {
        customer_id: customer.id,
        allocation_lines: lines([inv, 10], [rec, -10]),
      };
      const before = ledgerState();
      const refused = await send('POST', '/sales_allocations', body);
      expect(refused.status).toBe(400);
      expect((refused.body as { Message: string }).Message).toBe(
        `The allocation_lines[0].posted_tran_id ${String(inv.id)} is queried: clear its query before allocating it.`,
      );
      expect(ledgerState()).toBe(before);
      expect(
        (await send('PUT', `/sales_posted_transactions/${String(inv.id)}`, { queried: '' })).status,
      ).toBe(200);
      expect((await send('POST', '/sales_allocations', body)).status).toBe(200);
    });
  });

  it('answers the trial refusal on a trial site and 403 to a role without the Sales Ledger', async () => {
    const trial = await posterFor(app, USERS.trial);
    const trialRefs = refsOf(trial.company());
    const refused = await send(
      'POST',
      '/sales_allocations',
      { customer_id: trialRefs.customers[0]!.id, allocation_lines: [] },
      trial,
    );
    expect(refused).toEqual({ status: 403, body: { Message: TRIAL_WRITE_MESSAGE } });
    const limited = await posterFor(app, USERS.limited);
    const denied = await send(
      'POST',
      '/sales_payments',
      { customer_id: 1, bank_id: 1, cheque_value: 1 },
      limited,
    );
    expect(denied.status).toBe(403);
    expectContractValid('post', '/sales_payments', 403, denied.body);
  });
});

describe('PUT /sales_posted_transactions/{Id} and /purchase_posted_transactions/{Id}', () => {
  it.each([
    ['sales', 'customer'],
    ['purchase', 'supplier'],
  ] as const)(
    'queries a %s transaction and clears the query, and its views show it',
    async (ledger, noun) => {
      const [first] = await poster.json<SageRecord[]>(`/${ledger}_posted_transactions?$top=1&$orderby=id`);
      const path = `/${ledger}_posted_transactions/${String(first!.id)}`;
      const response = await send('PUT', path, { queried: 'Q' });
      expect(response.status).toBe(200);
      expectContractValid('put', `/${ledger}_posted_transactions/{Id}`, 200, response.body);
      const updated = response.body as SageRecord;
      expect({ ...updated, queried: first!.queried, date_time_updated: first!.date_time_updated }).toEqual(
        first,
      );
      expect(updated.queried).toBe('Q');
      expect(String(updated.date_time_updated) >= String(first!.date_time_updated)).toBe(true);
      const [view] = await poster.json<SageRecord[]>(
        `/${ledger}_transaction_views?$filter=posted_${noun}_transaction_id eq ${String(first!.id)}`,
      );
      expect(view!.query).toBe('Q');
      expect((await send('PUT', path, { queried: ' ' })).status).toBe(200);
      expect((await poster.json<SageRecord>(path)).queried).toBe('');
    },
  );

  it.each([
    [{ due_date: '2027-01-31' }, 'due_date'],
    [{ reference: 'CHANGED' }, 'reference'],
    [{ document_outstanding_value: 0 }, 'document_outstanding_value'],
    [{ queried: 'QQ' }, 'queried'],
  ])('refuses %j with a 400 naming the field, changing nothing', async (body, field) => {
    const [first] = await poster.json<SageRecord[]>('/sales_posted_transactions?$top=1&$orderby=id desc');
    const before = ledgerState();
    const response = await send('PUT', `/sales_posted_transactions/${String(first!.id)}`, body);
    expect(response.status).toBe(400);
    expectContractValid('put', '/sales_posted_transactions/{Id}', 400, response.body);
    expect((response.body as { Message: string }).Message).toContain(field);
    expect(ledgerState()).toBe(before);
  });

  it('answers 404 for an unknown transaction', async () => {
    const response = await send('PUT', '/purchase_posted_transactions/987654321', { queried: 'Q' });
    expect(response).toEqual({
      status: 404,
      body: { Message: "No purchase posted transaction was found with the Id '987654321'." },
    });
  });
});

describe('POST /currency_exchange_rates', () => {
  it("divides the currency to's rate by the currency from's, and converts the value", async () => {
    const currencies = await poster.json<SageRecord[]>('/currencies');
    const base = currencies.find((c) => c.is_base_currency === true)!;
    const euro = currencies.find((c) => c.is_euro_currency === true)!;
    const response = await send('POST', '/currency_exchange_rates', {
      currency_from_id: base.id,
      currency_to_id: euro.id,
      currency_from_value: 250,
      transaction_date: '2026-11-01',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectContractValid('post', '/currency_exchange_rates', 200, response.body);
    const rate = Number(euro.core_currency_rate) / Number(base.core_currency_rate);
    expect(response.body).toMatchObject({
      currency_from_id: base.id,
      currency_to_id: euro.id,
      currency_from_rate: base.core_currency_rate,
      currency_to_rate: euro.core_currency_rate,
      exchange_rate: Math.round(rate * 1e6) / 1e6,
      currency_from_value: 250,
      currency_to_value: Math.round((250 * Math.round(rate * 1e6)) / 1e4) / 100,
      transaction_date: '2026-11-01T00:00:00',
      currency_from_is_amendable: false,
    });
    // Back again: the inverse rate.
    const back = await send('POST', '/currency_exchange_rates', {
      currency_from_id: euro.id,
      currency_to_id: base.id,
    });
    expect((back.body as SageRecord).exchange_rate).toBe(
      Math.round(1e6 / Number(euro.core_currency_rate)) / 1e6,
    );
  });

  it.each([
    [
      { currency_from_id: 987654321, currency_to_id: 0 },
      'The currency_from_id 987654321 is not the id of a currency.',
    ],
    [{ currency_from_id: null }, 'currency_from_id'],
    [{ currency_from_id: 'x', currency_to_id: 1 }, 'currency_from_id'],
    [{ exchange_rate_type: 'ExchangeRateDaily' }, 'exchange_rate_type'],
  ])('refuses %j with a 400', async (body, message) => {
    const currencies = await poster.json<SageRecord[]>('/currencies');
    const response = await send('POST', '/currency_exchange_rates', {
      currency_from_id: currencies[0]!.id,
      currency_to_id: currencies[1]!.id,
      ...body,
    });
    expect(response.status).toBe(400);
    expect((response.body as { Message: string }).Message).toContain(message);
  });

  it('answers a trial site too: it saves nothing', async () => {
    const trial = await posterFor(app, USERS.trial);
    const [from, to] = trial.company().collections.currencies;
    const response = await send(
      'POST',
      '/currency_exchange_rates',
      { currency_from_id: from!.id, currency_to_id: to!.id },
      trial,
    );
    expect(response.status).toBe(200);
  });
});

describe('POST /transaction_date_validation', () => {
  it.each([
    ['2026-03-15', 'Acceptable', 'The transaction_date 2026-03-15 is not in the current accounting period.'],
    ['2027-05-01', 'Acceptable', 'The transaction_date 2027-05-01 is in a future financial year.'],
    [
      '2025-06-30',
      'Unacceptable',
      'The transaction_date 2025-06-30 is in a closed financial year (its year end has been run); post to a period of the current or a future year.',
    ],
    [
      '2040-01-01',
      'Unacceptable',
      "The transaction_date 2040-01-01 is outside the company's financial years.",
    ],
  ])('classifies %s as %s', async (date, classification, message) => {
    const response = await send('POST', '/transaction_date_validation', { date, ledger_type: 'LedgerSales' });
    expect(response.status).toBe(200);
    expectContractValid('post', '/transaction_date_validation', 200, response.body);
    expect(response.body).toEqual({ classification, message });
  });

  it('takes today on the sandbox clock when no date is sent, Normal in the current period', async () => {
    const today = new Date(app.sandbox.clock.now()).toISOString().slice(0, 10);
    const sent = (await send('POST', '/transaction_date_validation', { date: today })).body;
    expect((await send('POST', '/transaction_date_validation', {})).body).toEqual(sent);
    // The seeded calendar ends with 2027 and the wall clock moves on: Normal while today is in the current year.
    if (today.startsWith('2026-')) expect(sent).toEqual({ classification: 'Normal', message: '' });
  });

  it('refuses an unknown ledger type', async () => {
    const refused = await send('POST', '/transaction_date_validation', { ledger_type: 'LedgerGalactic' });
    expect(refused.status).toBe(400);
    expect((refused.body as { Message: string }).Message).toContain('ledger_type');
  });

  it('says Unacceptable exactly when a posting refuses the date, with the same message', async () => {
    const first = Date.UTC(2023, 6, 1) / 86_400_000;
    const last = Date.UTC(2031, 11, 31) / 86_400_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: first, max: last }),
        fc.constantFrom('/sales_payments', '/purchase_receipts', '/sales_receipts'),
        async (day, path) => {
          const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
          const ledger = path === '/purchase_receipts' ? 'LedgerPurchase' : 'LedgerSales';
          const verdict = (await send('POST', '/transaction_date_validation', { date, ledger_type: ledger }))
            .body as { classification: string; message: string };
          const account =
            path === '/purchase_receipts'
              ? { supplier_id: refs.suppliers[0]!.id }
              : { customer_id: refs.customers[0]!.id };
          const before = ledgerState();
          const posting = await poster.post(path, {
            ...account,
            bank_id: refs.bank('PETTY').id,
            cheque_value: 1,
            transaction_date: date,
          });
          if (verdict.classification === 'Unacceptable') {
            expect(posting).toEqual({ status: 400, body: { Message: verdict.message } });
            expect(ledgerState()).toBe(before);
          } else {
            expect(posting.status, JSON.stringify(posting.body)).toBe(200);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

it('leaves no posted transaction outstanding beyond its gross value', async () => {
  for (const t of await readAll(poster, '/sales_posted_transactions')) {
    expect(Math.abs(pence(t.document_outstanding_value))).toBeLessThanOrEqual(
      Math.abs(pence(t.document_gross_value)),
    );
  }
});
