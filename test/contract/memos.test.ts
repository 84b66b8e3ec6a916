/**
 * Memos, alerts, cards and pending emails: each cites a record that exists, is listed under its parent (nested path
 * and `$expand`), and says what the ledger shows (stops on accounts on hold, cards last used on a receipt).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

const ALL = '$orderby=id&$top=5000';

/** Child list, its parent list, the child's field naming the parent, the parent's array of them, a nested path. */
const FAMILIES: readonly (readonly [string, string, string, string | undefined, boolean])[] = [
  ['customer_memos', 'customers', 'customer_id', 'memos', true],
  ['customer_alerts', 'customers', 'customer_id', 'alerts', true],
  ['customer_cards', 'customers', 'customer_id', 'cards', true],
  ['supplier_memos', 'suppliers', 'supplier_id', 'memos', true],
  [
    'sales_posted_transaction_memos',
    'sales_posted_transactions',
    'posted_customer_transaction_id',
    undefined,
    true,
  ],
  [
    'purchase_posted_transaction_memos',
    'purchase_posted_transactions',
    'posted_supplier_transaction_id',
    undefined,
    true,
  ],
  ['nominal_code_memos', 'nominal_codes', 'nominal_code_id', 'memos', false],
  ['product_memos', 'products', 'product_id', 'memos', false],
];

describe('memos, alerts and cards', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it.each(FAMILIES)('every one of /%s cites a record of /%s', async (child, parent, field) => {
    const rows = await caller.json<Row[]>(`/${child}?${ALL}`);
    expect(rows.length).toBeGreaterThan(0);
    const parents = new Set((await caller.json<Row[]>(`/${parent}?$select=id&$top=5000`)).map((p) => p.id));
    for (const row of rows) expect(parents.has(row[field]), `${child} ${String(row.id)}`).toBe(true);
  });

  it.each(FAMILIES)(
    '/%s of one parent are its nested list and its expanded array',
    async (child, parent, field, array, nested) => {
      const rows = await caller.json<Row[]>(`/${child}?${ALL}`);
      const owner = rows[0]?.[field];
      const own = rows.filter((row) => row[field] === owner);
      if (nested)
        expect(await caller.json<Row[]>(`/${parent}/${String(owner)}/${child}?${ALL}`)).toEqual(own);
      if (array !== undefined) {
        const expanded = await caller.json<Row>(`/${parent}/${String(owner)}?$expand=${array}`);
        expect(expanded[array]).toEqual(own);
      }
    },
  );

  it.each([
    ['customers', 'customer_memos'],
    ['customers', 'customer_alerts'],
    ['customers', 'customer_cards'],
    ['suppliers', 'supplier_memos'],
    ['sales_posted_transactions', 'sales_posted_transaction_memos'],
    ['purchase_posted_transactions', 'purchase_posted_transaction_memos'],
  ])('/%s/{id}/%s answers 404 naming an unknown parent', async (parent, child) => {
    const response = await caller.get(`/${parent}/999999999/${child}`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as Row).Message).toMatch(/999999999/);
  });

  it('puts an active stop alert, shown on orders and invoices, on every account on hold', async () => {
    const held = await caller.json<Row[]>('/customers?$filter=on_hold eq true&$select=id&$top=5000');
    expect(held.length).toBeGreaterThan(0);
    for (const { id } of held) {
      const alerts = await caller.json<Row[]>(`/customers/${String(id)}/customer_alerts`);
      const stop = alerts.find((a) => String(a.alert_text).startsWith('Account on stop'));
      expect(stop, `customer ${String(id)}`).toMatchObject({
        is_active: true,
        show_alert_for_orders: true,
        show_alert_for_invoices: true,
      });
    }
  });

  it('dates each card on or before its customer latest receipt, the newest card on that day', async () => {
    const cards = await caller.json<Row[]>(`/customer_cards?${ALL}`);
    for (const customerId of new Set(cards.map((c) => c.customer_id))) {
      const receipts = await caller.json<Row[]>(
        `/sales_posted_transactions?$filter=customer_id eq ${String(customerId)} and trader_transaction_type eq 'TradingAccountEntryTypePurchasePaymentSalesReceipt'&$orderby=transaction_date desc&$top=1`,
      );
      const latest = String(receipts[0]?.transaction_date);
      const used = cards.filter((c) => c.customer_id === customerId).map((c) => String(c.last_used_date));
      expect(used[0]).toBe(latest);
      for (const day of used) expect(day <= latest).toBe(true);
    }
  });

  it('writes chasing memos only on invoices that are unpaid', async () => {
    const memos = await caller.json<Row[]>(`/sales_posted_transaction_memos?${ALL}`);
    const chases = memos.filter((m) => String(m.note).startsWith('Chased'));
    expect(chases.length).toBeGreaterThan(0);
    for (const memo of chases) {
      const invoice = await caller.json<Row>(
        `/sales_posted_transactions/${String(memo.posted_customer_transaction_id)}`,
      );
      expect(invoice.trader_transaction_type).toBe('TradingAccountEntryTypeInvoice');
      expect(Number(invoice.document_outstanding_value)).toBeGreaterThan(0);
    }
  });

  it('queues pending emails for a user of the company about accounts on hold', async () => {
    const emails = await caller.json<Row[]>(`/pending_emails?${ALL}`);
    expect(emails.length).toBeGreaterThan(0);
    const users = new Map((await caller.json<Row[]>('/users')).map((u) => [u.id, u.name]));
    for (const email of emails) {
      expect(users.get(email.user_number)).toBe(email.user_name);
      const reference = /\(([A-Z0-9]+)\)$/.exec(String(email.email_subject))?.[1];
      const [customer] = await caller.json<Row[]>(`/customers?$filter=reference eq '${String(reference)}'`);
      expect(customer?.on_hold).toBe(true);
    }
  });

  it('keeps memos of the sales ledger from a role without it', async () => {
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/customer_memos')).status).toBe(403);
    expect((await limited.get('/sales_posted_transaction_memos')).status).toBe(403);
    expect((await limited.get('/supplier_memos')).status).toBe(200);
  });
});
