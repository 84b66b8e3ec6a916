/**
 * Every request the client sends validates against the contract's parameter and body schemas: a fetch wrapper
 * checks each one (path and method in the contract, required headers and path parameters present and valid,
 * only declared query options, each within its schema, the bearer token, the JSON body against the requestBody
 * schema) while the client runs a full sync for every kind of user and makes the writes it offers. The checker
 * itself is shown to catch requests that break the contract.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sync } from '../../client/index.ts';
import {
  contractCheckingFetch,
  createRequestValidator,
  type RequestCheck,
} from '../../client/request-validator.ts';
import { fakeTiming, inProcessClient, inProcessFetch } from '../../client/testing.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';

const API = 'http://127.0.0.1:3200/uk/sage200/accounts/v1';
const validator = createRequestValidator();

async function checkedClient(app: SandboxApp, email: string, checks: RequestCheck[]) {
  return inProcessClient(app, email, {
    fetch: contractCheckingFetch(inProcessFetch(app), { validator, onCheck: (c) => checks.push(c) }),
    timing: fakeTiming(),
  });
}

function failures(checks: readonly RequestCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => `${c.method} ${c.path}\n  ${c.errors.join('\n  ')}`);
}

describe('every request the client sends is one the contract allows', () => {
  let app: SandboxApp;
  const checks: RequestCheck[] = [];

  beforeAll(() => {
    app = testSandbox();
  });

  it.each(Object.entries(USERS))('a full sync as the %s user', async (_kind, email) => {
    const before = checks.length;
    const client = await checkedClient(app, email, checks);
    const company = await client.findCompany();
    await sync(client, company, { pageSize: 50 });
    const sent = checks.slice(before).filter((c) => c.template !== undefined);
    expect(sent.length).toBeGreaterThan(10);
    expect(failures(sent)).toEqual([]);
  });

  it('the writes: create, read back, update and delete a customer', async () => {
    const before = checks.length;
    const client = await checkedClient(app, USERS.full, checks);
    const company = client.company(await client.findCompany());
    const created = await company.create('/customers', { reference: 'CONTR01', name: 'Contract Check Ltd' });
    await company.get('/customers/{Id}', created.id!, { $select: 'id,name,reference' });
    // A PUT's body is CustomerFields: only what changes, nothing required.
    const updated = await company.update('/customers/{Id}', created.id!, { name: 'Contract Check Two Ltd' });
    expect(updated).toMatchObject({ reference: 'CONTR01', name: 'Contract Check Two Ltd' });
    await company.delete('/customers/{Id}', created.id!);
    const sent = checks.slice(before).filter((c) => c.template !== undefined);
    expect(sent.map((c) => `${c.method} ${c.template}`)).toEqual([
      'GET /sites',
      'POST /customers',
      'GET /customers/{Id}',
      'PUT /customers/{Id}',
      'DELETE /customers/{Id}',
    ]);
    expect(failures(sent)).toEqual([]);
  });

  it('covered the paths a sync reads', () => {
    const templates = new Set(checks.map((c) => c.template));
    for (const template of [
      '/sites',
      '/nominal_codes',
      '/nominal_report_categories',
      '/banks',
      '/currencies',
      '/tax_codes',
      '/customers',
      '/suppliers',
      '/sales_posted_transactions',
      '/purchase_posted_transactions',
      '/nominal_period_value_views',
    ]) {
      expect(templates, template).toContain(template);
    }
  });
});

describe('the request checker catches requests that break the contract', () => {
  const headers = {
    Authorization: 'Bearer abc',
    'X-Site': '0ee888de-3ebb-4482-8602-c8a1d607d80d',
    'X-Company': '4',
  };
  const request = (path: string, init: RequestInit = {}) =>
    new Request(`${API}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string>) },
    });

  it.each([
    ['a well-formed list request', request('/customers?$orderby=id&$top=500&$skip=0'), []],
    ['$top above 5000', request('/customers?$top=6000'), ['query.$top must be <= 5000']],
    [
      '$skip that is not a number',
      request('/customers?$orderby=id&$skip=ten'),
      ['query.$skip must be integer'],
    ],
    [
      'an undeclared query option',
      request('/customers?$format=json'),
      ['query option $format is not declared for GET /customers'],
    ],
    [
      'an option the path does not take',
      request('/sites?$top=1'),
      ['query option $top is not declared for GET /sites'],
    ],
    [
      'no X-Site',
      new Request(`${API}/customers`, { headers: { Authorization: 'Bearer abc', 'X-Company': '4' } }),
      ['required header parameter X-Site is missing'],
    ],
    [
      'an X-Company that is not an integer',
      request('/customers', { headers: { 'X-Company': 'four' } }),
      ['header.X-Company must be integer'],
    ],
    ['no bearer token', new Request(`${API}/sites`), ['the Authorization header is not a Bearer token']],
    ['a path id that is not a number', request('/customers/abc'), ['path.Id must be integer']],
    [
      'a path the contract lacks',
      request('/sales_orders_archive'),
      ['GET /sales_orders_archive is not in the contract'],
    ],
    [
      'a body of the wrong shape',
      request('/customers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reference: 12, name: 'X' }),
      }),
      ['body/reference must be string'],
    ],
    [
      'a create without a required field',
      request('/customers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'X' }),
      }),
      ["body must have required property 'reference'"],
    ],
    [
      'an update with only the field it changes',
      request('/customers/7', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'X' }),
      }),
      [],
    ],
    [
      'an update of a field with a value of the wrong type',
      request('/customers/7', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ credit_limit: 'lots' }),
      }),
      ['body/credit_limit must be number'],
    ],
    [
      'a change of several departments without their ids',
      request('/departments', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([{ name: 'Sales' }]),
      }),
      ["body/0 must have required property 'id'"],
    ],
    [
      'a create without its body',
      request('/customers', { method: 'POST' }),
      ['POST /customers requires a JSON body'],
    ],
    ['a body on a read', request('/customers', { method: 'GET' }), []],
  ])('%s', async (_name, req, expected) => {
    const check = await validator.validateRequest(req);
    expect(check.errors).toEqual(expected);
    expect(check.ok).toBe(expected.length === 0);
  });

  it('leaves requests outside the API (Sage ID) unchecked', async () => {
    const check = await validator.validateRequest(
      new Request('http://127.0.0.1:3200/id/oauth/token', { method: 'POST' }),
    );
    expect(check).toMatchObject({ ok: true, template: undefined });
  });

  it('refuses to send a request that breaks the contract when strict', async () => {
    let sent = 0;
    const fetch = contractCheckingFetch(
      async () => {
        sent += 1;
        return new Response('[]');
      },
      { validator, strict: true },
    );
    await expect(fetch(request('/customers?$top=6000'))).rejects.toThrow('breaks the contract');
    expect(sent).toBe(0);
  });
});
