import { beforeAll, describe, expect, it } from 'vitest';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = SageRecord & { id: number };

describe('OData queries through the API', () => {
  let caller: Caller;
  let customers: Row[];

  beforeAll(async () => {
    const app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
    customers = await caller.json<Row[]>('/customers?$top=5000');
  });

  it('answers a bare JSON array, 500 records by default, at most 5000', async () => {
    const transactions = await caller.json<Row[]>('/sales_posted_transactions');
    expect(Array.isArray(transactions)).toBe(true);
    const total = await caller.json<number>('/sales_posted_transactions?$count=true');
    expect(transactions.length).toBe(Math.min(500, total));
    expect(total).toBeGreaterThan(0);
  });

  it('filters with eq on a string, case-insensitively, with quotes escaped by doubling', async () => {
    const target = customers[3]!;
    const rows = await caller.json<Row[]>(
      `/customers?$filter=${encodeURIComponent(`reference eq '${String(target.reference).toLowerCase()}'`)}`,
    );
    expect(rows.map((r) => r.id)).toEqual([target.id]);
    const none = await caller.json<Row[]>(
      `/customers?$filter=${encodeURIComponent("name eq 'O''Brien & Sons'")}`,
    );
    expect(none.every((r) => r.name === "O'Brien & Sons")).toBe(true);
  });

  it('combines and/or/not with parentheses and functions', async () => {
    const filter = "(balance gt 0 and not on_hold) or startswith(reference,'A')";
    const rows = await caller.json<Row[]>(`/customers?$top=5000&$filter=${encodeURIComponent(filter)}`);
    const expected = customers.filter(
      (c) =>
        ((c.balance as number) > 0 && c.on_hold !== true) ||
        String(c.reference).toUpperCase().startsWith('A'),
    );
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('filters one customer’s transactions, the same as the nested path', async () => {
    const customer = customers.find((c) => (c.balance as number) !== 0) ?? customers[0]!;
    const viaFilter = await caller.json<Row[]>(
      `/sales_posted_transactions?$filter=customer_id eq ${customer.id}`,
    );
    const viaPath = await caller.json<Row[]>(`/customers/${customer.id}/sales_posted_transactions`);
    expect(viaFilter.length).toBeGreaterThan(0);
    expect(viaFilter.every((t) => t.customer_id === customer.id)).toBe(true);
    expect(viaPath.map((t) => t.id)).toEqual(viaFilter.map((t) => t.id));
  });

  it('filters dates with bare dates and UTC date-times, and enum fields by name or number', async () => {
    const since = await caller.json<Row[]>(
      `/sales_posted_transactions?$top=5000&$filter=${encodeURIComponent('transaction_date ge 2026-01-01 and date_time_updated gt 2025-06-01T00:00:00Z')}`,
    );
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((t) => String(t.transaction_date) >= '2026-01-01')).toBe(true);
    const byName = await caller.json<Row[]>(
      `/sales_posted_transactions?$top=5000&$filter=${encodeURIComponent("trader_transaction_type eq 'TradingAccountEntryTypeInvoice'")}`,
    );
    // The number is the member's id in Sage's own list of the enum.
    const types = await caller.json<Row[]>('/trader_transaction_types');
    const invoice = types.find((t) => t.value === 'TradingAccountEntryTypeInvoice');
    expect(invoice).toBeDefined();
    const byNumber = await caller.json<Row[]>(
      `/sales_posted_transactions?$top=5000&$filter=${encodeURIComponent(`trader_transaction_type eq '${String(invoice?.id)}'`)}`,
    );
    expect(byName.length).toBeGreaterThan(0);
    expect(byNumber.map((t) => t.id)).toEqual(byName.map((t) => t.id));
  });

  it('orders by several keys and pages with $top and $skip', async () => {
    const all = await caller.json<Row[]>('/customers?$orderby=id&$top=5000');
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => a - b));
    const page = await caller.json<Row[]>('/customers?$orderby=id&$top=7&$skip=7');
    expect(page.map((r) => r.id)).toEqual(all.slice(7, 14).map((r) => r.id));
    const byBalance = await caller.json<Row[]>('/customers?$orderby=balance desc,reference asc&$top=5000');
    for (let i = 1; i < byBalance.length; i++) {
      expect(byBalance[i - 1]!.balance as number).toBeGreaterThanOrEqual(byBalance[i]!.balance as number);
    }
  });

  it('selects fields, including fields of an expanded record', async () => {
    const [row] = await caller.json<SageRecord[]>('/customers?$top=1&$select=id,reference,name');
    expect(Object.keys(row!).sort()).toEqual(['id', 'name', 'reference']);
    const [tx] = await caller.json<SageRecord[]>(
      '/sales_posted_transactions?$top=1&$expand=customer&$select=id,reference,customer.id,customer.name',
    );
    expect(Object.keys(tx!).sort()).toEqual(['customer', 'id', 'reference']);
    expect(Object.keys(tx!.customer as object).sort()).toEqual(['id', 'name']);
  });

  it('expands navigation properties that records leave out by default', async () => {
    const [plain] = await caller.json<SageRecord[]>('/customers?$top=1');
    expect(plain).not.toHaveProperty('currency');
    const [expanded] = await caller.json<SageRecord[]>('/customers?$top=1&$expand=currency,default_tax_code');
    expect((expanded!.currency as SageRecord).id).toBe(plain!.currency_id);
    expect((expanded!.default_tax_code as SageRecord).id).toBe(plain!.default_tax_code_id);
  });

  it('counts with $count=true as a bare integer, ignoring $top', async () => {
    const count = await caller.json<number>('/customers?$count=true&$top=1');
    expect(count).toBe(customers.length);
  });

  it.each([
    ['$skip without $orderby', '/customers?$skip=10', '$orderby'],
    ['$top above 5000', '/customers?$top=5001', '5000'],
    ['a negative $top', '/customers?$top=-1', '$top'],
    ['an unknown field in $filter', `/customers?$filter=${encodeURIComponent("colour eq 'red'")}`, 'colour'],
    ['an unterminated string', `/customers?$filter=${encodeURIComponent("name eq 'abc")}`, 'string'],
    [
      'a date-time without Z',
      `/customers?$filter=${encodeURIComponent('date_time_updated gt 2025-01-01T00:00:00')}`,
      'Z',
    ],
    [
      'a dangling operator',
      `/customers?$filter=${encodeURIComponent('balance gt')}`,
      'end of the expression',
    ],
    ['a string compared with a number', `/customers?$filter=${encodeURIComponent('name eq 5')}`, 'name'],
    ['an unknown $orderby field', '/customers?$orderby=colour', 'colour'],
    ['an unknown $expand', '/customers?$expand=colour', 'colour'],
    ['an unknown $select field', '/customers?$select=colour', 'colour'],
    ['an unsupported option', '/customers?$search=abc', '$search'],
    ['a bad $count', '/customers?$count=yes', '$count'],
  ])('answers 400 with a message for %s', async (_name, path, mentions) => {
    const response = await caller.get(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { Message: string };
    expect(body.Message).toContain(mentions);
  });
});

describe('empty query options', () => {
  it('are a 400, and the contract says so: $filter, $select, $expand and $orderby need at least one character', async () => {
    const { loadContract } = await import('../../contracts/index.ts');
    const parameters = loadContract().components.parameters ?? {};
    for (const name of ['Filter', 'Select', 'Expand', 'OrderBy']) {
      expect(parameters[name]?.schema?.minLength, name).toBe(1);
    }
    const caller = await callerFor(sharedWorldSandbox(), USERS.full);
    for (const option of ['$filter', '$select', '$expand', '$orderby']) {
      expect((await caller.get(`/customers?${option}=`)).status, option).toBe(400);
    }
  });
});
