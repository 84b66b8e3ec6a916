import { describe, expect, it } from 'vitest';
import { loadContract } from './contract.ts';
import { createResponseValidator } from './response-validator.ts';

const { validateResponse, matchPath } = createResponseValidator(loadContract());

const taxCode = {
  id: 2,
  code: 1,
  name: 'Std Rate',
  tax_rate: 20,
  terms: 'Standard rate',
  is_notional_acquisition_tax: false,
  date_time_created: '2025-02-28T09:54:24.36Z',
  date_time_updated: '2025-02-28T09:54:24.36Z',
};

const customer = {
  id: 27825,
  reference: 'A1D001',
  name: 'A1 Design Services',
  balance: 1250.5,
  on_hold: false,
  currency_id: 1,
  country_code_id: null,
  account_opened: '2024-01-31T00:00:00',
  main_address: { address_1: '1 High Street', city: 'Newcastle', postcode: 'NE1 1AA' },
};

function errorsOf(result: ReturnType<typeof validateResponse>): string {
  return result.ok ? '' : result.errors;
}

describe('validateResponse', () => {
  it('accepts a record that follows the contract', () => {
    expect(validateResponse('GET', '/tax_codes/{Id}', 200, taxCode)).toEqual({ ok: true });
  });

  it.each([
    ['a wrong type', { ...taxCode, code: '1' }, 'body/code must be integer'],
    ['a missing required field', { id: 2, code: 1 }, "must have required property 'name'"],
    [
      'a string over maxLength',
      { ...taxCode, name: 'x'.repeat(61) },
      'body/name must NOT have more than 60 characters',
    ],
    ['null in a non-nullable field', { ...taxCode, name: null }, 'body/name must be string'],
    [
      'a malformed date-time',
      { ...taxCode, date_time_updated: '28/02/2025' },
      'body/date_time_updated must match format',
    ],
    [
      'an instant without its UTC offset',
      { ...taxCode, date_time_updated: '2025-02-28T09:54:24.36' },
      'body/date_time_updated must match format "date-time"',
    ],
  ])('rejects %s and names the field', (_case, body, message) => {
    expect(errorsOf(validateResponse('get', '/tax_codes/{Id}', 200, body))).toContain(message);
  });

  it.each([
    [
      'a missing field of its required list',
      { id: 1, name: 'No Reference Ltd' },
      "required property 'reference'",
    ],
    ['a wrong type in its fields schema', { ...customer, balance: 'lots' }, 'body/balance must be number'],
  ])('holds a record built on a fields schema (Customer) to both: rejects %s', (_case, body, message) => {
    expect(errorsOf(validateResponse('GET', '/customers/{Id}', 200, body))).toContain(message);
  });

  it('accepts a list of records, nulls where the contract allows them, and offset-less business dates', () => {
    expect(validateResponse('GET', '/customers', 200, [customer, { reference: 'B', name: 'B Ltd' }])).toEqual(
      {
        ok: true,
      },
    );
  });

  it.each([
    ['with an offset', '2024-01-31T00:00:00Z', 'must match pattern'],
    ['that is no date', '2024-02-30T00:00:00', 'must match format "date-time-local"'],
    ['without a time', '2024-01-31', 'must match pattern'],
  ])('rejects a business date %s', (_case, date, message) => {
    const errors = errorsOf(
      validateResponse('GET', '/customers/{Id}', 200, { ...customer, account_opened: date }),
    );
    expect(errors).toContain(`body/account_opened ${message}`);
  });

  it('reports the index of the bad record in a list', () => {
    const errors = errorsOf(
      validateResponse('GET', '/customers', 200, [customer, { ...customer, reference: 'TOOLONG01' }]),
    );
    expect(errors).toContain('body/1/reference must NOT have more than 8 characters');
    expect(errors).not.toContain('oneOf');
  });

  it('checks an expanded navigation property against its own schema', () => {
    const expanded = { ...customer, currency: { id: 1, symbol: '£', name: 'Pound Sterling' } };
    expect(validateResponse('GET', '/customers/{Id}', 200, expanded)).toEqual({ ok: true });
    const broken = { ...customer, currency: { id: 1, symbol: '£' } };
    expect(errorsOf(validateResponse('GET', '/customers/{Id}', 200, broken))).toContain(
      "body/currency must have required property 'name'",
    );
  });

  it('accepts a $count answer as a bare non-negative integer only', () => {
    expect(validateResponse('GET', '/customers', 200, 42)).toEqual({ ok: true });
    expect(validateResponse('GET', '/customers', 200, -1).ok).toBe(false);
    expect(validateResponse('GET', '/customers', 200, { count: 42 }).ok).toBe(false);
  });

  it('requires an empty body for the gateway 401', () => {
    expect(validateResponse('GET', '/customers', 401, undefined)).toEqual({ ok: true });
    expect(validateResponse('GET', '/customers', 401, '')).toEqual({ ok: true });
    expect(errorsOf(validateResponse('GET', '/customers', 401, { message: 'Unauthorized' }))).toContain(
      'declared without a body',
    );
  });

  it('tells the application error shape from the gateway one', () => {
    expect(validateResponse('GET', '/customers/{Id}', 404, { Message: 'Customer not found' })).toEqual({
      ok: true,
    });
    expect(
      validateResponse('GET', '/customers/{Id}', 429, { statusCode: 429, message: 'Rate limit' }),
    ).toEqual({
      ok: true,
    });
    expect(
      errorsOf(validateResponse('GET', '/customers/{Id}', 404, { statusCode: 404, message: 'x' })),
    ).toContain("must have required property 'Message'");
  });

  it('rejects a status or a path the contract does not declare', () => {
    expect(errorsOf(validateResponse('GET', '/customers', 500, { Message: 'boom' }))).toContain(
      'status 500 is not declared',
    );
    expect(errorsOf(validateResponse('GET', '/tax_codes', 403, { Message: 'no' }))).toContain(
      'status 403 is not declared',
    );
    expect(errorsOf(validateResponse('POST', '/tax_codes', 200, customer))).toContain('not in the contract');
  });
});

describe('matchPath', () => {
  it.each([
    ['GET', '/customers', '/customers'],
    ['GET', '/customers/42', '/customers/{Id}'],
    ['get', '/uk/sage200/accounts/v1/customers/42?$select=id,name', '/customers/{Id}'],
    ['GET', '/customers/42/sales_posted_transactions', '/customers/{customerId}/sales_posted_transactions'],
    ['GET', '/banks/7/bank_posted_transactions/', '/banks/{bankId}/bank_posted_transactions'],
    ['GET', '/licence', '/licence'],
  ])('%s %s falls under %s', (method, path, template) => {
    expect(matchPath(method, path)).toBe(template);
  });

  it.each([
    ['GET', '/customer'],
    ['GET', '/licence/1'],
    ['POST', '/tax_codes'],
    ['GET', '/customers//sales_posted_transactions'],
  ])('%s %s matches nothing', (method, path) => {
    expect(matchPath(method, path)).toBeUndefined();
  });
});
