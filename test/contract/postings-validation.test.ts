/**
 * What the posting endpoints refuse, and that a refusal changes nothing: the contract's schema, every referenced
 * record, open periods, analysis lines that add up, positive amounts; trial sites (403 on every posting path of the
 * contract) and a role without the Sales Ledger (403); malformed, mistyped and oversized bodies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { TRIAL_WRITE_MESSAGE } from '../../mock-server/resources/write-guards.ts';
import { USERS } from '../support/sandbox.ts';
import {
  expectContractValid,
  type Poster,
  posterFor,
  postingSandbox,
  type Refs,
  refsOf,
} from './postings-support.ts';

const DATE = '2026-11-20';

/** The posting paths of the contract: every POST whose 200 answers Sage's `urn` schema, plus the transfer. */
const POSTING_PATHS = Object.entries(loadContract().paths)
  .filter(([, item]) => {
    const ref = (item.post?.responses['200'] as { content?: Record<string, { schema?: { $ref?: string } }> })
      ?.content?.['application/json']?.schema?.$ref;
    return ref === '#/components/schemas/Urn' || ref === '#/components/schemas/BankTransfer';
  })
  .map(([path]) => path);

const invoice = (r: Refs, extra: Record<string, unknown> = {}) => ({
  customer_id: r.customers[0]!.id,
  transaction_date: DATE,
  document_goods_value: 100,
  document_tax_value: 20,
  tax_analysis_items: [{ id: r.taxCode(1).id, goods_amount: 100, tax_amount: 20 }],
  nominal_analysis_items: [{ code: '4000', value: 100 }],
  ...extra,
});

const receipt = (r: Refs, extra: Record<string, unknown> = {}) => ({
  customer_id: r.customers[0]!.id,
  bank_id: r.bank('CURRENT').id,
  cheque_value: 50,
  transaction_date: DATE,
  ...extra,
});

const bankPayment = (r: Refs, line: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  bank_id: r.bank('CURRENT').id,
  transaction_date: DATE,
  nominal_analysis_items: [
    { code: '7500', goods_value: 10, tax_value: 2, tax_code_id: r.taxCode(1).id, ...line },
  ],
  ...extra,
});

/** Rule, path, body, a fragment the message must contain (the field it names). */
const REFUSALS: readonly (readonly [string, string, (r: Refs) => unknown, string])[] = [
  [
    'a required field left out',
    '/sales_invoices',
    (r) => ({ ...invoice(r), customer_id: undefined }),
    'The customer_id field is required.',
  ],
  [
    'a number sent as a string',
    '/sales_invoices',
    (r) => invoice(r, { document_goods_value: '100' }),
    "Error converting value \"100\" to type 'System.Decimal'. Path 'document_goods_value'.",
  ],
  [
    'an id that is not a whole number',
    '/purchase_invoices',
    () => ({ supplier_id: 1.5 }),
    "Error converting value 1.5 to type 'System.Int64'. Path 'supplier_id'.",
  ],
  [
    'an amount beyond .NET decimal',
    '/sales_receipts',
    (r) => receipt(r, { cheque_value: 1e308 }),
    "Error converting value 1e+308 to type 'System.Decimal'. Path 'cheque_value'.",
  ],
  [
    'a reference over its maxLength',
    '/sales_invoices',
    (r) => invoice(r, { reference: 'R'.repeat(21) }),
    'reference must be a string with a maximum length of 20',
  ],
  [
    'a nominal code over its maxLength',
    '/sales_invoices',
    (r) => invoice(r, { nominal_analysis_items: [{ code: '123456789', value: 100 }] }),
    'nominal_analysis_items[0].code',
  ],
  [
    'a required line field left out',
    '/sales_invoices',
    (r) => invoice(r, { tax_analysis_items: [{ goods_amount: 100, tax_amount: 20 }] }),
    'tax_analysis_items[0].id',
  ],
  [
    'an unknown customer',
    '/sales_invoices',
    (r) => invoice(r, { customer_id: 987654321 }),
    'customer_id 987654321',
  ],
  [
    'an unknown supplier',
    '/purchase_payments',
    (r) => ({ supplier_id: 987654321, bank_id: r.bank('CURRENT').id, cheque_value: 5 }),
    'supplier_id 987654321',
  ],
  ['an unknown bank', '/sales_receipts', (r) => receipt(r, { bank_id: 987654321 }), 'bank_id 987654321'],
  [
    'an unknown tax code',
    '/sales_invoices',
    (r) => invoice(r, { tax_analysis_items: [{ id: 987654321, goods_amount: 100, tax_amount: 20 }] }),
    'tax_analysis_items[0].id 987654321',
  ],
  [
    'an unknown nominal code',
    '/sales_invoices',
    (r) => invoice(r, { nominal_analysis_items: [{ code: '4444', value: 100 }] }),
    "nominal_analysis_items[0] code '4444'",
  ],
  [
    'a cost centre the code does not have',
    '/purchase_invoices',
    (r) => ({
      supplier_id: r.suppliers[0]!.id,
      transaction_date: DATE,
      document_goods_value: 10,
      document_tax_value: 0,
      tax_analysis_items: [{ id: r.taxCode(2).id }],
      nominal_analysis_items: [{ code: '7100', cost_centre: 'HO', value: 10 }],
    }),
    "cost centre 'HO'",
  ],
  [
    'a code split by department with none given',
    '/bank_payment',
    (r) => bankPayment(r, { code: '7000', tax_value: 0, tax_code_id: null }),
    'cost_centre and department',
  ],
  [
    'a transaction analysis code the company does not have',
    '/sales_invoices',
    (r) =>
      invoice(r, {
        nominal_analysis_items: [{ code: '4000', value: 100, transaction_analysis_code: 'PROMO' }],
      }),
    'transaction_analysis_code',
  ],
  [
    'tax analysis goods that do not add up to the goods',
    '/sales_invoices',
    (r) => invoice(r, { document_goods_value: 90, nominal_analysis_items: [{ code: '4000', value: 90 }] }),
    'goods_amount values add up to 100.00, not the document_goods_value 90.00',
  ],
  [
    'tax amounts that do not add up to the tax',
    '/sales_invoices',
    (r) => invoice(r, { document_tax_value: 25 }),
    'tax_amount values add up to 20.00, not the document_tax_value 25.00',
  ],
  [
    'nominal analysis that does not add up to the goods',
    '/sales_credit_notes',
    (r) =>
      invoice(r, {
        nominal_analysis_items: [
          { code: '4000', value: 60 },
          { code: '4010', value: 30 },
        ],
      }),
    'nominal_analysis_items values add up to 90.00, not the document_goods_value 100.00',
  ],
  [
    'a bank line whose goods and tax are not its gross',
    '/bank_payment',
    (r) => bankPayment(r, { gross_value: 11 }),
    'nominal_analysis_items[0] goods_value 10.00 plus tax_value 2.00 is not its gross_value 11.00',
  ],
  [
    'a cheque value that is not the lines’ gross',
    '/bank_receipt',
    (r) => bankPayment(r, {}, { cheque_value: 13 }),
    'gross values add up to 12.00, not the cheque_value 13.00',
  ],
  [
    'tax on a line without a tax code',
    '/bank_payment',
    (r) => bankPayment(r, { tax_code_id: null }),
    'nominal_analysis_items[0].tax_code_id',
  ],
  [
    'a bank payment without lines',
    '/bank_payment',
    (r) => ({ bank_id: r.bank('CURRENT').id, nominal_analysis_items: [] }),
    'nominal_analysis_items must have at least one line',
  ],
  [
    'a receipt of zero',
    '/sales_receipts',
    (r) => receipt(r, { cheque_value: 0 }),
    'cheque_value must be greater than zero',
  ],
  [
    'a negative payment',
    '/purchase_payments',
    (r) => ({ supplier_id: r.suppliers[0]!.id, bank_id: r.bank('CURRENT').id, cheque_value: -5 }),
    'cheque_value must not be negative',
  ],
  [
    'a negative invoice line',
    '/sales_invoices',
    (r) =>
      invoice(r, {
        nominal_analysis_items: [
          { code: '4000', value: 150 },
          { code: '4010', value: -50 },
        ],
      }),
    'nominal_analysis_items[1].value must not be negative',
  ],
  [
    'an invoice of zero',
    '/sales_invoices',
    (r) =>
      invoice(r, {
        document_goods_value: 0,
        document_tax_value: 0,
        tax_analysis_items: [{ id: r.taxCode(2).id }],
        nominal_analysis_items: [{ code: '4000' }],
      }),
    'add up to zero',
  ],
  [
    'an amount with three decimal places',
    '/sales_receipts',
    (r) => receipt(r, { cheque_value: 10.005 }),
    'cheque_value must have at most two decimal places',
  ],
  [
    'a date in the closed financial year',
    '/sales_invoices',
    (r) => invoice(r, { transaction_date: '2025-06-30' }),
    'transaction_date 2025-06-30 is in a closed financial year',
  ],
  [
    'a date outside the financial years',
    '/purchase_payments',
    (r) => ({
      supplier_id: r.suppliers[0]!.id,
      bank_id: r.bank('CURRENT').id,
      cheque_value: 5,
      transaction_date: '2040-01-01',
    }),
    "transaction_date 2040-01-01 is outside the company's financial years",
  ],
  [
    'a date that does not exist',
    '/sales_invoices',
    (r) => invoice(r, { transaction_date: '2026-02-30' }),
    "Error converting value \"2026-02-30\" to type 'System.DateTime'. Path 'transaction_date'.",
  ],
  [
    'an exchange rate other than 1 for a base-currency account',
    '/sales_invoices',
    (r) => invoice(r, { exchange_rate: 1.2 }),
    'exchange_rate must be 1',
  ],
  [
    'a transfer to the bank it comes from',
    '/bank_transfer',
    (r) => ({ bank_from_id: r.bank('CURRENT').id, bank_to_id: r.bank('CURRENT').id, payment_value: 5 }),
    'bank_to_id must be a different bank account',
  ],
  [
    'a transfer without its value',
    '/bank_transfer',
    (r) => ({ bank_from_id: r.bank('CURRENT').id, bank_to_id: r.bank('DEPOSIT').id }),
    'The payment_value field is required.',
  ],
];

describe('posting endpoints refuse what Sage refuses, changing nothing', () => {
  let app: SandboxApp;
  let full: Poster;
  let refs: Refs;
  beforeAll(async () => {
    app = postingSandbox();
    full = await posterFor(app, USERS.full);
    refs = refsOf(full.company());
  });

  /** A company as JSON: a refused request must leave every byte (records, entries, counters) as it was. */
  const snapshot = (poster: Poster = full) => JSON.stringify(poster.company());

  it('finds every posting path in the contract', () => {
    expect(POSTING_PATHS.sort()).toEqual(
      [
        '/bank_payment',
        '/bank_receipt',
        '/bank_transfer',
        '/purchase_credit_notes',
        '/purchase_invoices',
        '/purchase_payments',
        '/purchase_receipts',
        '/sales_credit_notes',
        '/sales_invoices',
        '/sales_payments',
        '/sales_receipts',
      ].sort(),
    );
  });

  it.each(REFUSALS)('refuses %s with a 400 naming the field', async (_rule, path, body, message) => {
    const before = snapshot();
    const response = await full.post(path, body(refs));
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expectContractValid('post', path, 400, response.body);
    expect((response.body as { Message: string }).Message).toContain(message);
    expect(snapshot() === before, 'the world changed').toBe(true);
  });

  it.each(POSTING_PATHS)('refuses POST %s on a trial site with 403, changing nothing', async (path) => {
    const trial = await posterFor(app, USERS.trial);
    const trialRefs = refsOf(trial.company());
    const before = snapshot(trial);
    const response = await trial.post(path, invoice(trialRefs));
    expect(response.status).toBe(403);
    expectContractValid('post', path, 403, response.body);
    expect(response.body).toEqual({ Message: TRIAL_WRITE_MESSAGE });
    expect(snapshot(trial) === before, 'the world changed').toBe(true);
  });

  it.each(['/sales_invoices', '/sales_credit_notes', '/sales_receipts'])(
    'refuses POST %s to a user whose role lacks the Sales Ledger with 403',
    async (path) => {
      const limited = await posterFor(app, USERS.limited);
      const before = snapshot(limited);
      const response = await limited.post(path, invoice(refsOf(limited.company())));
      expect(response.status).toBe(403);
      expectContractValid('post', path, 403, response.body);
      expect((response.body as { Message: string }).Message).toContain('Sales Ledger');
      expect(snapshot(limited) === before, 'the world changed').toBe(true);
    },
  );

  it('lets the same limited user post to the Purchase Ledger', async () => {
    const limited = await posterFor(app, USERS.limited);
    const limitedRefs = refsOf(limited.company());
    const response = await limited.post('/purchase_payments', {
      supplier_id: limitedRefs.suppliers[0]!.id,
      bank_id: limitedRefs.bank('CURRENT').id,
      cheque_value: 5,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expectContractValid('post', '/purchase_payments', 200, response.body);
  });

  it.each([
    ['malformed JSON', '{"customer_id": ', 'application/json', 400],
    ['a JSON array', '[]', 'application/json', 400],
    ['the wrong content type', 'customer_id=1', 'application/x-www-form-urlencoded', 415],
    ['a body over 1 MiB', JSON.stringify({ reference: 'x'.repeat(1024 * 1024) }), 'application/json', 413],
  ])('refuses %s, changing nothing', async (_name, text, type, status) => {
    const before = snapshot();
    const response = await full.post('/sales_invoices', text, { 'Content-Type': type });
    expect(response.status).toBe(status);
    expectContractValid('post', '/sales_invoices', status, response.body);
    expect(snapshot() === before, 'the world changed').toBe(true);
  });

  it('answers an unknown posting path or verb with the gateway 404', async () => {
    const response = await full.post('/sales_invoice', invoice(refs));
    expect(response.status).toBe(404);
    const get = await full.get('/sales_invoices');
    expect(get.status).toBe(404);
  });
});
