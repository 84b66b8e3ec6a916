/**
 * The `lookup_*` lists are views: each record is projected from its source record when read (an enum becomes its
 * member's id, `post_code` comes from the main address), so a write to the source shows in the lookup at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('lookup views', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('project every customer, with the status as its id in /account_status_types and the main postcode', async () => {
    const customers = await caller.json<Row[]>('/customers?$orderby=id&$top=5000');
    const lookups = await caller.json<Row[]>('/lookup_customers?$orderby=id&$top=5000');
    const statuses = await caller.json<Row[]>('/account_status_types');
    const idOf = new Map(statuses.map((s) => [s.value, s.id]));
    expect(lookups.map((l) => l.id)).toEqual(customers.map((c) => c.id));
    for (const [i, customer] of customers.entries()) {
      expect(lookups[i]).toEqual({
        id: customer.id,
        reference: customer.reference,
        name: customer.name,
        short_name: customer.short_name,
        account_status_type_id: idOf.get(customer.account_status_type),
        post_code: (customer.main_address as Row).postcode,
      });
    }
  });

  it('show a change to the source at once', async () => {
    const [first] = await caller.json<Row[]>('/customers?$orderby=id&$top=1');
    const updated = await app.request(api(`/customers/${String(first?.id)}`), {
      method: 'PUT',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed Trading Ltd', account_status_type: 'AccountStatusHidden' }),
    });
    expect(updated.status).toBe(200);
    const [lookup] = await caller.json<Row[]>(`/lookup_customers?$filter=id eq ${String(first?.id)}`);
    expect(lookup?.name).toBe('Renamed Trading Ltd');
    expect(lookup?.account_status_type_id).toBe(1);
  });

  it('answer OData and the role check as their source does', async () => {
    const page = await caller.json<Row[]>(
      '/lookup_suppliers?$orderby=reference desc&$top=2&$skip=1&$select=reference',
    );
    expect(page).toHaveLength(2);
    expect(Object.keys(page[0] ?? {})).toEqual(['reference']);
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/lookup_customers')).status).toBe(403);
    expect((await limited.get('/lookup_suppliers')).status).toBe(200);
  });

  it('project sales quotations, which cite real customers and are valid beyond their date', async () => {
    const quotes = await caller.json<Row[]>('/sop_quotes?$orderby=id');
    const lookups = await caller.json<Row[]>('/lookup_sop_quotes?$orderby=id');
    expect(quotes.length).toBeGreaterThan(0);
    expect(lookups).toEqual(
      quotes.map((q) => ({
        id: q.id,
        document_no: q.document_no,
        customer_id: q.customer_id,
        customer_document_no: q.customer_document_no,
        document_status_id: 0,
      })),
    );
    for (const quote of quotes) {
      expect((await caller.get(`/customers/${String(quote.customer_id)}`)).status).toBe(200);
      expect(String(quote.quotation_expiry_date) > String(quote.document_date)).toBe(true);
      expect(quote.total_gross_value).toBeCloseTo(
        Number(quote.total_net_value) + Number(quote.total_tax_value),
        2,
      );
    }
  });
});
