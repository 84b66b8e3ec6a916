/**
 * Validation like Sage's: the first problem found is a 400 `{ "Message" }` naming the field (schema types,
 * required fields, maxLength, known enums, read-only fields), referenced ids must exist, unique keys stay unique,
 * and accounts with transactions, postings or orders cannot be deleted. Malformed bodies are 400, other media
 * types 415 and bodies over 1 MiB 413. A refused request changes nothing: the company serialises to the same bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { MAX_BODY_BYTES } from '../../mock-server/resources/write-guards.ts';
import type { CompanyStore, TableName } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

const UNKNOWN = 987_654_321;

function pick(
  co: CompanyStore,
  table: TableName,
  match: (r: SageRecord) => boolean = () => true,
): SageRecord {
  const found = co.table(table).all().find(match);
  if (!found) throw new Error(`no ${table} record matches`);
  return found;
}
const id = (co: CompanyStore, table: TableName, match?: (r: SageRecord) => boolean): number =>
  pick(co, table, match).id as number;
const hasRows = (co: CompanyStore, table: TableName, field: string, value: unknown): boolean =>
  (co.table(table).lookup(field, value as number) ?? []).length > 0;
const customer = (co: CompanyStore): number => id(co, 'customers', (c) => c.on_hold === false);
const supplier = (co: CompanyStore): number => id(co, 'suppliers');
const standardRate = (co: CompanyStore): number => id(co, 'tax_codes', (t) => t.code === 1);
const nominal = (co: CompanyStore, reference: string): SageRecord =>
  pick(co, 'nominal_codes', (n) => n.reference === reference && n.cost_centre_code === '');
const freeText = {
  line_type: 'EnumLineTypeFreeText',
  description: 'Work',
  line_quantity: 1,
  selling_unit_price: 1,
};

interface Refusal {
  method: 'POST' | 'PUT' | 'DELETE';
  path: (co: CompanyStore) => string;
  body?: (co: CompanyStore) => unknown;
  message: string | RegExp;
}

const SCHEMA: Record<string, Refusal> = {
  'a string over its maxLength': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'TOOLONGREF', name: 'Long Ltd' }),
    message: 'The field reference must be a string with a maximum length of 8.',
  },
  'a nested string over its maxLength': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V1', name: 'Nested Ltd', main_address: { postcode: 'POSTCODE-TOO-LONG' } }),
    message: 'The field main_address.postcode must be a string with a maximum length of 10.',
  },
  'a missing required field': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ name: 'No Reference Ltd' }),
    message: 'The reference field is required.',
  },
  'a blank required field': {
    method: 'POST',
    path: () => '/suppliers',
    body: () => ({ reference: '   ', name: 'Blank Ltd' }),
    message: 'The reference field is required.',
  },
  'a required field of a department': {
    method: 'POST',
    path: () => '/departments',
    body: () => ({ name: 'No code' }),
    message: 'The code field is required.',
  },
  'text where a decimal belongs': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V2', name: 'Typed Ltd', credit_limit: 'lots' }),
    message: `Error converting value "lots" to type 'System.Decimal'. Path 'credit_limit'.`,
  },
  'a decimal beyond .NET decimal': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V8', name: 'Huge Ltd', credit_limit: 1e308 }),
    message: `Error converting value 1e+308 to type 'System.Decimal'. Path 'credit_limit'.`,
  },
  'an int16 out of range': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V3', name: 'Range Ltd', payment_terms_days: 40_000 }),
    message: `Error converting value 40000 to type 'System.Int16'. Path 'payment_terms_days'.`,
  },
  'a string where a boolean belongs': {
    method: 'POST',
    path: () => '/suppliers',
    body: () => ({ reference: 'V4', name: 'Bool Ltd', on_hold: 'yes' }),
    message: `Error converting value "yes" to type 'System.Boolean'. Path 'on_hold'.`,
  },
  'null for a field that cannot be null': {
    method: 'POST',
    path: () => '/warehouses',
    body: () => ({ name: null }),
    message: `Error converting value {null} to type 'System.String'. Path 'name'.`,
  },
  'a date that is no date': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V5', name: 'Date Ltd', account_opened: '31/12/2026' }),
    message: `Error converting value "31/12/2026" to type 'System.DateTime'. Path 'account_opened'.`,
  },
  'an unknown enum name': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V6', name: 'Enum Ltd', account_status_type: 'AccountStatusDormant' }),
    message: /^The value 'AccountStatusDormant' is not valid for account_status_type\./,
  },
  'an unknown line type, named by its place in lines': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => ({
      customer_id: customer(co),
      lines: [freeText, { ...freeText, line_type: 'EnumLineTypeBogus' }],
    }),
    message: /^The value 'EnumLineTypeBogus' is not valid for lines\[1\]\.line_type\./,
  },
  'a standard line without its product': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => ({
      customer_id: customer(co),
      lines: [{ line_type: 'EnumLineTypeStandard', warehouse_id: id(co, 'warehouses'), line_quantity: 1 }],
    }),
    message: 'The lines[0].product_id field is required.',
  },
  'a read-only field on create': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'V7', name: 'Rich Ltd', balance: 100 }),
    message: 'The field balance is read-only.',
  },
  'a read-only field changed on update': {
    method: 'PUT',
    path: (co) => `/nominal_codes/${id(co, 'nominal_codes')}`,
    body: () => ({ balance_year_to_date: 1_000_000 }),
    message: 'The field balance_year_to_date is read-only.',
  },
  'a department code changed after create': {
    method: 'PUT',
    path: (co) => `/departments/${id(co, 'departments', (d) => d.code !== '')}`,
    body: () => ({ code: 'ZZZ' }),
    message: 'The field code is read-only.',
  },
  'a nested read-only field': {
    method: 'PUT',
    path: (co) => `/customers/${customer(co)}`,
    body: () => ({ main_address: { country: 'Atlantis' } }),
    message: 'The field main_address.country is read-only.',
  },
  'a body line id that is not a line of the order': {
    method: 'PUT',
    path: (co) => `/sop_orders/${id(co, 'sop_orders')}`,
    body: () => ({ lines: [{ id: UNKNOWN, line_quantity: 2 }] }),
    message: `No sales order line was found with the Id '${UNKNOWN}' given in lines[0].id.`,
  },
  'an inline item id the record does not have': {
    method: 'PUT',
    path: (co) => `/banks/${id(co, 'banks')}`,
    body: () => ({ emails: [{ id: UNKNOWN, email: 'x@y.test' }] }),
    message: `No item was found with the Id '${UNKNOWN}' given in emails[0].id.`,
  },
};

const REFERENCES: Record<string, Refusal> = {
  currency_id: {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'R1', name: 'R Ltd', currency_id: UNKNOWN }),
    message: `No currency was found with the Id '${UNKNOWN}' given in currency_id.`,
  },
  default_tax_code_id: {
    method: 'POST',
    path: () => '/suppliers',
    body: () => ({ reference: 'R2', name: 'R Ltd', default_tax_code_id: UNKNOWN }),
    message: `No tax code was found with the Id '${UNKNOWN}' given in default_tax_code_id.`,
  },
  country_code_id: {
    method: 'PUT',
    path: (co) => `/customers/${customer(co)}`,
    body: () => ({ country_code_id: UNKNOWN }),
    message: `No country code was found with the Id '${UNKNOWN}' given in country_code_id.`,
  },
  'main_address.address_country_code_id': {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'R3', name: 'R Ltd', main_address: { address_country_code_id: UNKNOWN } }),
    message: `No country code was found with the Id '${UNKNOWN}' given in main_address.address_country_code_id.`,
  },
  default_nominal_code_reference: {
    method: 'POST',
    path: () => '/customers',
    body: () => ({ reference: 'R4', name: 'R Ltd', default_nominal_code_reference: '0999' }),
    message:
      "No nominal code was found with the reference '0999', cost centre '' and department '' given in default_nominal_code_reference.",
  },
  report_category_id: {
    method: 'POST',
    path: () => '/nominal_codes',
    body: () => ({ reference: '4991', report_category_id: UNKNOWN }),
    message: `No nominal report category was found with the Id '${UNKNOWN}' given in report_category_id.`,
  },
  cost_centre_id: {
    method: 'POST',
    path: () => '/nominal_codes',
    body: (co) => ({
      reference: '4992',
      report_category_id: id(co, 'nominal_report_categories'),
      cost_centre_id: UNKNOWN,
    }),
    message: `No cost centre was found with the Id '${UNKNOWN}' given in cost_centre_id.`,
  },
  bank_account_nominal_reference: {
    method: 'POST',
    path: () => '/banks',
    body: () => ({ code: 'RB1', sort_code: '000000', bank_account_nominal_reference: '0998' }),
    message:
      "No nominal code was found with the reference '0998', cost centre '' and department '' given in bank_account_nominal_reference.",
  },
  account_currency_id: {
    method: 'POST',
    path: () => '/banks',
    body: () => ({ code: 'RB2', sort_code: '000000', account_currency_id: UNKNOWN }),
    message: `No currency was found with the Id '${UNKNOWN}' given in account_currency_id.`,
  },
  product_group_id: {
    method: 'POST',
    path: () => '/products',
    body: () => ({ code: 'RP1', name: 'R', product_group_id: UNKNOWN }),
    message: `No product group was found with the Id '${UNKNOWN}' given in product_group_id.`,
  },
  'product tax_code_id': {
    method: 'PUT',
    path: (co) => `/products/${id(co, 'products')}`,
    body: () => ({ tax_code_id: UNKNOWN }),
    message: `No tax code was found with the Id '${UNKNOWN}' given in tax_code_id.`,
  },
  'delivery address customer_id': {
    method: 'POST',
    path: () => '/customer_delivery_addresses',
    body: (co) => ({ customer_id: UNKNOWN, description: 'X', tax_code_id: standardRate(co) }),
    message: `No customer was found with the Id '${UNKNOWN}' given in customer_id.`,
  },
  'delivery address tax_code_id': {
    method: 'POST',
    path: () => '/customer_delivery_addresses',
    body: (co) => ({ customer_id: customer(co), description: 'X', tax_code_id: UNKNOWN }),
    message: `No tax code was found with the Id '${UNKNOWN}' given in tax_code_id.`,
  },
  'sales order customer_id': {
    method: 'POST',
    path: () => '/sop_orders',
    body: () => ({ customer_id: UNKNOWN }),
    message: `No customer was found with the Id '${UNKNOWN}' given in customer_id.`,
  },
  'purchase order supplier_id': {
    method: 'POST',
    path: () => '/pop_orders',
    body: () => ({ supplier_id: UNKNOWN }),
    message: `No supplier was found with the Id '${UNKNOWN}' given in supplier_id.`,
  },
  'order line product_id': {
    method: 'POST',
    path: () => '/pop_orders',
    body: (co) => ({
      supplier_id: supplier(co),
      lines: [
        {
          line_type: 'EnumLineTypeStandard',
          product_id: UNKNOWN,
          warehouse_id: id(co, 'warehouses'),
          line_quantity: 1,
        },
      ],
    }),
    message: `No product was found with the Id '${UNKNOWN}' given in lines[0].product_id.`,
  },
  'order line warehouse_id': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => ({
      customer_id: customer(co),
      lines: [
        {
          line_type: 'EnumLineTypeStandard',
          product_id: id(co, 'products'),
          warehouse_id: UNKNOWN,
          line_quantity: 1,
        },
      ],
    }),
    message: `No warehouse was found with the Id '${UNKNOWN}' given in lines[0].warehouse_id.`,
  },
  'order line nominal_reference': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => ({ customer_id: customer(co), lines: [{ ...freeText, nominal_reference: '0997' }] }),
    message:
      "No nominal code was found with the reference '0997', cost centre '' and department '' given in lines[0].nominal_reference.",
  },
  'a delivery address of another customer': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => {
      const address = pick(co, 'customer_delivery_addresses');
      const other = id(co, 'customers', (c) => c.on_hold === false && c.id !== address.customer_id);
      return { customer_id: other, customer_delivery_address_id: address.id };
    },
    message:
      /^The customer delivery address '\d+' given in customer_delivery_address_id belongs to another customer\.$/,
  },
};

const UNIQUE: Record<string, Refusal> = {
  'customer reference (in any case)': {
    method: 'POST',
    path: () => '/customers',
    body: (co) => ({ reference: String(pick(co, 'customers').reference).toLowerCase(), name: 'Twin Ltd' }),
    message: /^The reference '[a-z0-9]+' is already used by another customer\.$/,
  },
  'supplier reference': {
    method: 'PUT',
    path: (co) => `/suppliers/${co.table('suppliers').all()[1]?.id}`,
    body: (co) => ({ reference: pick(co, 'suppliers').reference }),
    message: /^The reference '\w+' is already used by another supplier\.$/,
  },
  'nominal code reference, cost centre and department': {
    method: 'POST',
    path: () => '/nominal_codes',
    body: (co) => ({ reference: '1200', report_category_id: id(co, 'nominal_report_categories') }),
    message: "The nominal code '1200' with cost centre '' and department '' already exists.",
  },
  'bank code': {
    method: 'POST',
    path: () => '/banks',
    body: (co) => ({ code: pick(co, 'banks').code, sort_code: '000000' }),
    message: /^The code '\w+' is already used by another bank account\.$/,
  },
  'department code': {
    method: 'POST',
    path: () => '/departments',
    body: (co) => ({ code: pick(co, 'departments', (d) => d.code !== '').code }),
    message: /^The code '\w+' is already used by another department\.$/,
  },
  'cost centre code': {
    method: 'POST',
    path: () => '/cost_centres',
    body: (co) => ({ code: pick(co, 'cost_centres', (d) => d.code !== '').code }),
    message: /^The code '\w+' is already used by another cost centre\.$/,
  },
  'product code': {
    method: 'POST',
    path: () => '/products',
    body: (co) => ({
      code: pick(co, 'products').code,
      name: 'Twin',
      product_group_id: id(co, 'product_groups'),
    }),
    message: /^The code '.+' is already used by another product\.$/,
  },
  'warehouse name': {
    method: 'POST',
    path: () => '/warehouses',
    body: () => ({ name: 'home' }),
    message: "The name 'home' is already used by another warehouse.",
  },
};

const RULES: Record<string, Refusal> = {
  'deleting a customer with transactions': {
    method: 'DELETE',
    path: (co) =>
      `/customers/${id(co, 'customers', (c) => hasRows(co, 'sales_posted_transactions', 'customer_id', c.id))}`,
    message: /^The customer '\w+' cannot be deleted because it has transactions\.$/,
  },
  'deleting a supplier with transactions': {
    method: 'DELETE',
    path: (co) =>
      `/suppliers/${id(co, 'suppliers', (s) => hasRows(co, 'purchase_posted_transactions', 'supplier_id', s.id))}`,
    message: /^The supplier '\w+' cannot be deleted because it has transactions\.$/,
  },
  'deleting a nominal code with postings': {
    method: 'DELETE',
    path: (co) => `/nominal_codes/${nominal(co, '1200').id}`,
    message: "The nominal code '1200' cannot be deleted because it has postings.",
  },
  'deleting a bank account with transactions': {
    method: 'DELETE',
    path: (co) =>
      `/banks/${id(co, 'banks', (b) => hasRows(co, 'bank_posted_transactions', 'bank_id', b.id))}`,
    message: /^The bank account '\w+' cannot be deleted because it has transactions\.$/,
  },
  'deleting a cost centre that nominal codes use': {
    method: 'DELETE',
    path: (co) => `/cost_centres/${id(co, 'cost_centres', (c) => c.code === '')}`,
    message: "The cost centre '' cannot be deleted because nominal codes use it.",
  },
  'deleting a department that nominal codes use': {
    method: 'DELETE',
    path: (co) => `/departments/${id(co, 'departments', (c) => c.code === '')}`,
    message: "The department '' cannot be deleted because nominal codes use it.",
  },
  'deleting a product on order lines': {
    method: 'DELETE',
    path: (co) => `/products/${pick(co, 'sop_order_lines').product_id}`,
    message: /^The product '.+' cannot be deleted because order lines use it\.$/,
  },
  'deleting a warehouse on order lines': {
    method: 'DELETE',
    path: (co) => `/warehouses/${id(co, 'warehouses', (w) => w.name === 'HOME')}`,
    message: "The warehouse 'HOME' cannot be deleted because order lines use it.",
  },
  "changing a customer's currency once it has transactions": {
    method: 'PUT',
    path: (co) =>
      `/customers/${id(co, 'customers', (c) => hasRows(co, 'sales_posted_transactions', 'customer_id', c.id))}`,
    body: (co) => ({ currency_id: id(co, 'currencies', (c) => c.is_base_currency === false) }),
    message: 'The currency_id of a customer with transactions cannot be changed.',
  },
  "changing a nominal code's reference once it has postings": {
    method: 'PUT',
    path: (co) => `/nominal_codes/${nominal(co, '1200').id}`,
    body: () => ({ reference: '1299' }),
    message:
      "The reference, cost centre and department of nominal code '1200' cannot be changed because it has postings.",
  },
  'a sales order for a customer on hold': {
    method: 'POST',
    path: () => '/sop_orders',
    body: (co) => ({ customer_id: id(co, 'customers', (c) => c.on_hold === true) }),
    message: /^The customer '\w+' is on hold; set override_on_hold to take the order\.$/,
  },
  'moving an order to another customer': {
    method: 'PUT',
    path: (co) => `/sop_orders/${id(co, 'sop_orders')}`,
    body: (co) => ({
      customer_id: id(
        co,
        'customers',
        (c) => c.id !== pick(co, 'sop_orders').customer_id && c.on_hold === false,
      ),
    }),
    message: 'The customer_id of an order cannot be changed.',
  },
};

describe('a refused write answers 400 naming the problem and changes nothing', () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
  });

  const check = async (refusal: Refusal): Promise<void> => {
    const co = writer.company;
    const path = refusal.path(co);
    const body = refusal.body?.(co);
    const before = snapshot(co);
    const answer = await writer.send(refusal.method, path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    const message = (answer.body as { Message: string }).Message;
    if (typeof refusal.message === 'string') expect(message).toBe(refusal.message);
    else expect(message).toMatch(refusal.message);
    expect(snapshot(co) === before, 'the company changed').toBe(true);
  };

  it.each(Object.entries(SCHEMA))('refuses %s', async (_name, refusal) => check(refusal));
  it.each(Object.entries(REFERENCES))('refuses an unknown %s', async (_name, refusal) => check(refusal));
  it.each(Object.entries(UNIQUE))('refuses a duplicate %s', async (_name, refusal) => check(refusal));
  it.each(Object.entries(RULES))('refuses %s', async (_name, refusal) => check(refusal));

  it('refuses deleting a customer with sales orders, and a nominal code a bank account uses', async () => {
    const co = writer.company;
    const created = await writer.ok('POST', '/customers', { reference: 'ORDERS1', name: 'Orders Only Ltd' });
    await writer.ok('POST', '/sop_orders', { customer_id: created.id });
    await check({
      method: 'DELETE',
      path: () => `/customers/${created.id}`,
      message: "The customer 'ORDERS1' cannot be deleted because it has sales orders.",
    });
    const account = await writer.ok('POST', '/nominal_codes', {
      reference: '1299',
      name: 'Spare bank',
      report_category_id: nominal(co, '1200').report_category_id,
    });
    await writer.ok('POST', '/banks', {
      code: 'SPARE',
      sort_code: '000000',
      bank_account_nominal_reference: '1299',
    });
    await check({
      method: 'DELETE',
      path: () => `/nominal_codes/${account.id}`,
      message: "The nominal code '1299' cannot be deleted because a bank account uses it.",
    });
  });

  it('reports the first problem of a body with several', async () => {
    await check({
      method: 'POST',
      path: () => '/customers',
      body: () => ({ name: 'X'.repeat(61), reference: 'TOOLONGREF' }),
      message: 'The field reference must be a string with a maximum length of 8.',
    });
  });

  it('answers 404 for an unknown id, and the gateway 404 for a verb Sage does not offer', async () => {
    const co = writer.company;
    expect((await writer.send('PUT', `/customers/${UNKNOWN}`, { name: 'Ghost' })).status).toBe(404);
    expect((await writer.send('DELETE', `/warehouses/${UNKNOWN}`)).status).toBe(404);
    const before = snapshot(co);
    const verb = await writer.send('DELETE', `/tax_codes/${id(co, 'tax_codes')}`);
    expect(verb.status).toBe(404);
    expect(verb.body).toEqual({ statusCode: 404, message: 'Resource not found' });
    expect((await writer.send('POST', '/customer_contacts', { first_name: 'Top level' })).status).toBe(404);
    expect(snapshot(co)).toBe(before);
  });
});

describe('bodies that are not JSON objects', () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
  });

  const BODIES: [string, number, string | undefined, Record<string, string>, RegExp][] = [
    ['malformed JSON', 400, '{"reference": "X1", ', {}, /^The request body is not valid JSON/],
    [
      'a JSON array',
      400,
      '[{"reference":"X1"}]',
      {},
      /^The request body must be a JSON object, not an array\.$/,
    ],
    ['an empty body', 400, '', {}, /^The request body is empty\.$/],
    [
      'text/plain',
      415,
      '{"reference":"X1","name":"X"}',
      { 'Content-Type': 'text/plain' },
      /media type 'text\/plain'/,
    ],
    ['no Content-Type', 415, undefined, {}, /media type '\(none\)'/],
    [
      'a body over 1 MiB',
      413,
      JSON.stringify({ reference: 'X1', name: 'x'.repeat(MAX_BODY_BYTES) }),
      {},
      /larger than 1048576 bytes/,
    ],
  ];

  it.each(BODIES)('answers %s to POST /customers with %i', async (_name, status, body, headers, message) => {
    const before = snapshot(writer.company);
    const answer = await writer.send('POST', '/customers', body, headers);
    expect(answer.status).toBe(status);
    expect((answer.body as { Message: string }).Message).toMatch(message);
    expect(snapshot(writer.company)).toBe(before);
  });

  it('answers 400 to a bulk PUT whose body is not an array, and changes none of a batch with one bad item', async () => {
    const before = snapshot(writer.company);
    expect((await writer.send('PUT', '/cost_centres', { id: 1 })).status).toBe(400);
    const [a] = writer.company
      .table('cost_centres')
      .all()
      .filter((c) => c.code !== '');
    const answer = await writer.send('PUT', '/cost_centres', [
      { id: a!.id, name: 'Fine' },
      { id: a!.id, name: 'N'.repeat(61) },
    ]);
    expect(answer.status).toBe(400);
    expect((answer.body as { Message: string }).Message).toBe(
      'The field name must be a string with a maximum length of 60.',
    );
    expect(snapshot(writer.company)).toBe(before);
  });
});
