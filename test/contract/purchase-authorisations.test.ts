/**
 * `GET` and `PUT /purchase_authorisations/{Id}` (purchases.json): the seeded invoices and credit notes above the
 * purchase ledger's authorisation threshold wait on the Unauthorised Purchases default nominal account; a PUT
 * reverses them from it onto the nominal codes it names, and the trial balance, the period values and the nominal
 * enquiry view move with it. Every refused PUT changes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import type { SageRecord, World } from '../../mock-server/world/model.ts';
import {
  api,
  type Caller,
  callerFor,
  copyOfWorld,
  smallTestWorld,
  testSandbox,
  USERS,
  userOf,
} from '../support/sandbox.ts';
import { ENQUIRY, expectEnquiryMatchesPeriodValues } from './ledger-views-support.ts';
import { expectContractValid, pence, readAll } from './postings-support.ts';

const TEMPLATE = '/purchase_authorisations/{Id}';
const INVOICE = 'TradingAccountEntryTypeInvoice';

/** Each sandbox is a copy of the small world and reading the waiting transactions takes a GET each: slow when busy. */
const SLOW = 60_000;

interface Answer {
  status: number;
  body: SageRecord;
}

async function put(app: SandboxApp, caller: Caller, id: unknown, body: unknown): Promise<Answer> {
  const response = await app.request(api(`/purchase_authorisations/${String(id)}`), {
    method: 'PUT',
    headers: { ...caller.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as SageRecord);
  expectContractValid('put', TEMPLATE, response.status, parsed);
  return { status: response.status, body: parsed ?? {} };
}

/** The company's Unauthorised Purchases account, as `/control_nominal_codes` names it, and its nominal code. */
async function unauthorisedAccount(caller: Caller): Promise<SageRecord> {
  const controls = await caller.json<SageRecord[]>('/control_nominal_codes');
  const control = controls.find((c) => c.control_nominal_code_type === 'UnauthorisedPurchase');
  expect(control, 'an Unauthorised Purchases default nominal account').toBeDefined();
  const codes = await caller.json<SageRecord[]>(
    `/nominal_codes?$filter=reference eq '${String(control!.account_number)}'`,
  );
  return codes.find((c) => c.cost_centre_code === '' && c.department_code === '')!;
}

/** The purchase invoices and credit notes waiting for authorisation, found by reading each recent one. */
async function waiting(caller: Caller): Promise<SageRecord[]> {
  const recent = await caller.json<SageRecord[]>(
    '/purchase_posted_transactions?$filter=transaction_date ge 2026-10-01T00:00:00Z&$top=5000',
  );
  const found: SageRecord[] = [];
  for (const transaction of recent) {
    const response = await caller.get(`/purchase_authorisations/${String(transaction.id)}`);
    if (response.status === 200) found.push(transaction);
    else expect(response.status).toBe(404);
  }
  return found;
}

/** Debit minus credit of the enquiry rows, pence: zero for balanced books. */
async function trialBalance(caller: Caller): Promise<number> {
  const rows = await readAll(caller, ENQUIRY);
  return rows.reduce((sum, row) => sum + pence(row.debit) - pence(row.credit), 0);
}

/** An expense code a PUT may authorise to: a profit and loss account without cost centre or department. */
async function expenseCodes(caller: Caller): Promise<SageRecord[]> {
  const codes = await caller.json<SageRecord[]>('/nominal_codes');
  return codes.filter(
    (c) => /^[5-8]/.test(String(c.reference)) && c.cost_centre_code === '' && c.department_code === '',
  );
}

/** The analysis a client sends: the value split over the codes, to the penny. */
function analysis(
  codes: readonly SageRecord[],
  valuePence: number,
  weights: readonly number[],
): SageRecord[] {
  const whole = weights.reduce((a, b) => a + b, 0);
  let left = valuePence;
  return codes.map((code, i) => {
    const share = i === codes.length - 1 ? left : Math.floor((valuePence * weights[i]!) / whole);
    left -= share;
    return {
      code: String(code.reference),
      value: share / 100,
      narrative: `Authorised to ${String(code.name)}`,
    };
  });
}

describe('purchase authorisation on the seeded world', () => {
  let app: SandboxApp;
  let caller: Caller;
  let pending: SageRecord[];
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    pending = await waiting(caller);
  }, SLOW);

  it('turns authorisation on with a threshold every waiting invoice and credit note is above', async () => {
    const [settings] = await caller.json<SageRecord[]>('/purchase_ledger_settings');
    expect(settings!.use_invoice_authorisation).toBe(true);
    const threshold = pence(settings!.authorisation_threshold_value);
    expect(threshold).toBeGreaterThan(0);
    const kinds = new Set(pending.map((t) => t.trader_transaction_type));
    expect(kinds).toEqual(new Set([INVOICE, 'TradingAccountEntryTypeCreditNote']));
    for (const transaction of pending)
      expect(Math.abs(pence(transaction.document_goods_value))).toBeGreaterThan(threshold);
  });

  it('answers each waiting transaction on the Unauthorised Purchases account, as the contract says', async () => {
    const account = await unauthorisedAccount(caller);
    const rows = await readAll(caller, `/nominal_codes/${String(account.id)}${ENQUIRY}`);
    for (const transaction of pending) {
      const response = await caller.get(`/purchase_authorisations/${String(transaction.id)}`);
      const body = (await response.json()) as SageRecord;
      expectContractValid('get', TEMPLATE, 200, body);
      expect(body).toMatchObject({
        reference: transaction.reference,
        second_reference: transaction.second_reference,
        transaction_date: transaction.transaction_date,
        supplier_id: transaction.supplier_id,
      });
      expect(typeof body.oplock).toBe('string');
      const items = body.nominal_analysis_items as SageRecord[];
      expect(items.map((i) => [i.code, i.nominal_code_id])).toEqual([[account.reference, account.id]]);
      expect(pence(items[0]!.value)).toBe(Math.abs(pence(transaction.document_goods_value)));
      // The enquiry view holds its goods value on the account, under its URN.
      const own = rows.filter((r) => r.urn === transaction.urn);
      const net = own.reduce((sum, r) => sum + pence(r.debit) - pence(r.credit), 0);
      const sign = transaction.trader_transaction_type === INVOICE ? 1 : -1;
      expect(net).toBe(sign * Math.abs(pence(transaction.base_goods_value)));
    }
  });

  it('answers 404 for a purchase transaction that needs no authorisation and for an unknown id', async () => {
    const [payment] = await caller.json<SageRecord[]>(
      "/purchase_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypePurchasePaymentSalesReceipt'&$top=1",
    );
    const [small] = await caller.json<SageRecord[]>(
      `/purchase_posted_transactions?$filter=trader_transaction_type eq '${INVOICE}' and document_goods_value lt 100&$top=1`,
    );
    for (const id of [payment!.id, small!.id, 987654321]) {
      const response = await caller.get(`/purchase_authorisations/${String(id)}`);
      expect(response.status).toBe(404);
      expectContractValid('get', TEMPLATE, 404, await response.json());
    }
  });
});

describe('PUT /purchase_authorisations/{Id}', () => {
  it.each([INVOICE, 'TradingAccountEntryTypeCreditNote'])(
    'authorises a waiting %s: reversed off the Unauthorised Purchases account onto the codes sent, books balanced',
    async (type) => {
      const app = testSandbox();
      const caller = await callerFor(app, USERS.full);
      const transaction = (await waiting(caller)).find((t) => t.trader_transaction_type === type)!;
      const account = await unauthorisedAccount(caller);
      const [materials, carriage] = await expenseCodes(caller);
      const goods = Math.abs(pence(transaction.document_goods_value));
      const supplierBefore = await caller.json<SageRecord>(`/suppliers/${String(transaction.supplier_id)}`);
      const read = await caller.json<SageRecord>(`/purchase_authorisations/${String(transaction.id)}`);
      expect(await trialBalance(caller)).toBe(0);

      const lines = analysis([materials!, carriage!], goods, [3, 1]);
      const answer = await put(app, caller, transaction.id, { ...read, nominal_analysis_items: lines });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect((answer.body.nominal_analysis_items as SageRecord[]).map((i) => [i.code, i.value])).toEqual(
        lines.map((l) => [l.code, l.value]),
      );

      // No longer waiting; a second authorisation is refused.
      expect((await caller.get(`/purchase_authorisations/${String(transaction.id)}`)).status).toBe(404);
      const again = await put(app, caller, transaction.id, { nominal_analysis_items: lines });
      expect(again.status).toBe(400);
      expect(again.body.Message).toContain('has already been authorised');

      // The transaction carries the new analysis, and its stamp moved.
      const after = await caller.json<SageRecord>(`/purchase_posted_transactions/${String(transaction.id)}`);
      const sign = type === INVOICE ? 1 : -1;
      expect((after.nominal_analysis_items as SageRecord[]).map((i) => [i.code, pence(i.value)])).toEqual(
        lines.map((l) => [l.code, sign * pence(l.value)]),
      );
      expect(after.date_time_updated).not.toBe(transaction.date_time_updated);
      expect(after.document_outstanding_value).toBe(transaction.document_outstanding_value);

      // The account moved by the value: an invoice's debit leaves it, a credit note's credit does.
      const accountAfter = await caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`);
      expect(pence(accountAfter.balance_year_to_date)).toBe(
        pence(account.balance_year_to_date) - sign * goods,
      );
      const rows = await readAll(caller, `/nominal_codes/${String(account.id)}${ENQUIRY}`);
      const own = rows.filter((r) => r.urn === transaction.urn);
      expect(own.reduce((sum, r) => sum + pence(r.debit) - pence(r.credit), 0)).toBe(0);
      expect(own.some((r) => pence(type === INVOICE ? r.credit : r.debit) === goods)).toBe(true);

      expect(await trialBalance(caller)).toBe(0);
      await expectEnquiryMatchesPeriodValues(caller);
      const supplierAfter = await caller.json<SageRecord>(`/suppliers/${String(transaction.supplier_id)}`);
      expect(supplierAfter.balance).toBe(supplierBefore.balance);
    },
    SLOW,
  );

  describe('refuses a bad body with a 400 that changes nothing', () => {
    let app: SandboxApp;
    let caller: Caller;
    let transaction: SageRecord;
    let read: SageRecord;
    let lines: SageRecord[];
    let account: SageRecord;
    beforeAll(async () => {
      app = testSandbox();
      caller = await callerFor(app, USERS.full);
      transaction = (await waiting(caller))[0]!;
      read = await caller.json<SageRecord>(`/purchase_authorisations/${String(transaction.id)}`);
      account = await unauthorisedAccount(caller);
      const [materials] = await expenseCodes(caller);
      lines = analysis([materials!], Math.abs(pence(transaction.document_goods_value)), [1]);
    }, SLOW);

    const cases: [string, () => unknown, string][] = [
      ['no nominal_analysis_items', () => ({}), 'The nominal_analysis_items field is required.'],
      ['an empty analysis', () => ({ nominal_analysis_items: [] }), 'must have at least one line'],
      [
        'values that do not add up to the goods value',
        () => ({ nominal_analysis_items: [{ ...lines[0], value: Number(lines[0]!.value) - 0.01 }] }),
        'add up to',
      ],
      [
        'an unknown nominal code',
        () => ({ nominal_analysis_items: [{ ...lines[0], code: 'ZZZZ' }] }),
        "code 'ZZZZ' is not a nominal code of this company",
      ],
      [
        'the Unauthorised Purchases account itself',
        () => ({ nominal_analysis_items: [{ ...lines[0], code: account.reference }] }),
        'names the Unauthorised Purchases account',
      ],
      [
        'a nominal_code_id other than the code',
        () => ({ nominal_analysis_items: [{ ...lines[0], nominal_code_id: account.id }] }),
        'is not the nominal code',
      ],
      [
        'a value with three decimal places',
        () => ({ nominal_analysis_items: [{ ...lines[0], value: 1.005 }] }),
        'at most two decimal places',
      ],
      ['a stale oplock', () => ({ oplock: '1', nominal_analysis_items: lines }), "The oplock '1' is not"],
      [
        'a changed read-only reference',
        () => ({ reference: 'CHANGED', nominal_analysis_items: lines }),
        'reference',
      ],
    ];

    it.each(cases)('%s', async (_, body, message) => {
      const before = await Promise.all([
        caller.json<SageRecord>(`/purchase_posted_transactions/${String(transaction.id)}`),
        caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`),
        readAll(caller, ENQUIRY),
      ]);
      const answer = await put(app, caller, transaction.id, body());
      expect(answer.status).toBe(400);
      expect(String(answer.body.Message)).toContain(message);
      const after = await Promise.all([
        caller.json<SageRecord>(`/purchase_posted_transactions/${String(transaction.id)}`),
        caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`),
        readAll(caller, ENQUIRY),
      ]);
      expect(after).toEqual(before);
      expect(await caller.json<SageRecord>(`/purchase_authorisations/${String(transaction.id)}`)).toEqual(
        read,
      );
    });

    it('answers 400 for a purchase transaction that needs no authorisation, 404 for no purchase transaction', async () => {
      const [payment] = await caller.json<SageRecord[]>(
        "/purchase_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypePurchasePaymentSalesReceipt'&$top=1",
      );
      const refused = await put(app, caller, payment!.id, { nominal_analysis_items: lines });
      expect(refused.status).toBe(400);
      expect(refused.body.Message).toContain('does not need authorisation');
      const [sale] = await caller.json<SageRecord[]>('/sales_posted_transactions?$top=1');
      expect((await put(app, caller, sale!.id, { nominal_analysis_items: lines })).status).toBe(404);
    });
  });

  it('refuses trial users and users whose role lacks the Purchase Ledger with 403', async () => {
    const world: World = copyOfWorld(smallTestWorld());
    const limited = world.users.find((u) => u.email === USERS.limited)!;
    limited.denied_modules = [...limited.denied_modules, 'purchase'];
    const app = createSandbox({ world, freezeClock: true });
    for (const email of [USERS.trial, USERS.limited]) {
      const caller = await callerFor(app, email);
      const site = app.sandbox.store.site(userOf(app, email).site_id)!;
      const [company] = [...site.companies.values()];
      const [authorisation] = company!.table('purchase_authorisations').all();
      const id = authorisation!.id;
      const answer = await put(app, caller, id, { nominal_analysis_items: [] });
      expect(answer.status, email).toBe(403);
      if (email === USERS.limited) {
        expect(answer.body.Message).toContain('Purchase Ledger');
        expect((await caller.get(`/purchase_authorisations/${String(id)}`)).status).toBe(403);
      }
    }
  });
});

describe('POST /purchase_invoices and /purchase_credit_notes with authorisation on', () => {
  async function post(app: SandboxApp, caller: Caller, path: string, body: unknown): Promise<Answer> {
    const response = await app.request(api(path), {
      method: 'POST',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as SageRecord };
  }

  it.each([
    ['/purchase_invoices', 'above the threshold', 1, undefined, true],
    ['/purchase_credit_notes', 'above the threshold', 1, undefined, true],
    ['/purchase_invoices', 'above the threshold, sent authorised', 1, true, false],
    ['/purchase_invoices', 'at the threshold', 0, undefined, false],
  ] as const)(
    '%s %s: waits for authorisation exactly when its goods value is above the threshold and it is not authorised',
    async (path, _, over, isAuthorised, waits) => {
      const app = testSandbox();
      const caller = await callerFor(app, USERS.full);
      const [settings] = await caller.json<SageRecord[]>('/purchase_ledger_settings');
      const goods = pence(settings!.authorisation_threshold_value) + over;
      const [supplier] = await caller.json<SageRecord[]>('/suppliers?$filter=on_hold eq false&$top=1');
      const [materials] = await expenseCodes(caller);
      const [standard] = await caller.json<SageRecord[]>('/tax_codes?$filter=code eq 1');
      const account = await unauthorisedAccount(caller);
      const tax = Math.round(goods * 0.2);
      const posted = await post(app, caller, path, {
        supplier_id: supplier!.id,
        document_goods_value: goods / 100,
        document_tax_value: tax / 100,
        tax_analysis_items: [{ id: standard!.id, goods_amount: goods / 100, tax_amount: tax / 100 }],
        nominal_analysis_items: [{ code: materials!.reference, value: goods / 100 }],
        ...(isAuthorised === undefined ? {} : { is_authorised: isAuthorised }),
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      const [transaction] = await caller.json<SageRecord[]>(
        `/purchase_posted_transactions?$filter=urn eq ${String(posted.body.urn)}`,
      );
      const items = transaction!.nominal_analysis_items as SageRecord[];
      expect(items.map((i) => i.code)).toEqual([waits ? account.reference : materials!.reference]);
      const read = await caller.get(`/purchase_authorisations/${String(transaction!.id)}`);
      expect(read.status).toBe(waits ? 200 : 404);
      expect(await trialBalance(caller)).toBe(0);
      if (!waits) return;
      const after = await caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`);
      const sign = path === '/purchase_invoices' ? 1 : -1;
      expect(pence(after.balance_year_to_date)).toBe(pence(account.balance_year_to_date) + sign * goods);
      const authorised = await put(app, caller, transaction!.id, {
        nominal_analysis_items: [{ code: materials!.reference, value: goods / 100 }],
      });
      expect(authorised.status, JSON.stringify(authorised.body)).toBe(200);
      const settled = await caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`);
      expect(settled.balance_year_to_date).toBe(account.balance_year_to_date);
      expect(await trialBalance(caller)).toBe(0);
    },
    SLOW,
  );
});

describe('authorisation keeps the books balanced whatever the analysis (fast-check)', () => {
  it(
    'any split over any expense codes: trial balance zero, the account moves by exactly the value',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
          fc.nat(),
          async (weights, pick) => {
            const app = testSandbox();
            const caller = await callerFor(app, USERS.full);
            const pending = await waiting(caller);
            const transaction = pending[pick % pending.length]!;
            const account = await unauthorisedAccount(caller);
            const codes = await expenseCodes(caller);
            const chosen = weights.map((_, i) => codes[(pick + i * 3) % codes.length]!);
            const goods = Math.abs(pence(transaction.document_goods_value));
            const answer = await put(app, caller, transaction.id, {
              nominal_analysis_items: analysis(chosen, goods, weights),
            });
            expect(answer.status, JSON.stringify(answer.body)).toBe(200);
            const sign = transaction.trader_transaction_type === INVOICE ? 1 : -1;
            const after = await caller.json<SageRecord>(`/nominal_codes/${String(account.id)}`);
            expect(pence(after.balance_year_to_date)).toBe(
              pence(account.balance_year_to_date) - sign * goods,
            );
            expect(await trialBalance(caller)).toBe(0);
          },
        ),
        { numRuns: 8 },
      );
    },
    4 * SLOW,
  );
});
