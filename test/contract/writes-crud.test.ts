/**
 * Create, read, update and delete of every writable resource, and the `*_new` templates, as Sage's files list the
 * verbs: POST and PUT answer 200 with the whole record, DELETE 200 with an empty body, PUT changes only the fields
 * sent, the sandbox clock stamps every change. Every answer is held to the contract by the writer helper.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { advanceClock, snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;

const first = (
  company: CompanyStore,
  table: Parameters<CompanyStore['table']>[0],
  match: (r: SageRecord) => boolean = () => true,
): SageRecord => {
  const found = company.table(table).all().find(match);
  if (!found) throw new Error(`no ${table} record to use`);
  return found;
};
/** A customer or supplier that may take orders: not on hold. */
const trader = (company: CompanyStore, table: 'customers' | 'suppliers'): SageRecord =>
  first(company, table, (r) => r.on_hold === false);
const taxCode = (company: CompanyStore, code: number): SageRecord =>
  first(company, 'tax_codes', (t) => t.code === code);

interface CrudCase {
  /** Where POST goes (a nested path for contacts). */
  create: (co: CompanyStore) => string;
  /** The collection path `/{Id}` hangs off. */
  path: string;
  body: (co: CompanyStore) => Row;
  change: Row;
  /** What the record must show after the change (fields not sent keep their values). */
  after: (created: Row) => Row;
}

const CASES: Record<string, CrudCase> = {
  customers: {
    create: () => '/customers',
    path: '/customers',
    body: () => ({
      reference: 'CRUD01',
      name: 'Crud Customer Ltd',
      main_address: { address_1: '1 High St', postcode: 'M1 1AA' },
    }),
    change: { name: 'Crud Customer Renamed', main_address: { city: 'Leeds' } },
    after: (c) => ({
      reference: 'CRUD01',
      name: 'Crud Customer Renamed',
      main_address: { ...(c.main_address as Row), city: 'Leeds', date_time_updated: expect.any(String) },
    }),
  },
  suppliers: {
    create: () => '/suppliers',
    path: '/suppliers',
    body: () => ({
      reference: 'CRUDS1',
      name: 'Crud Supplies Ltd',
      bank: { sort_code: '401122', account_number: '12345678' },
    }),
    change: { credit_limit: 2500, bank: { account_name: 'Crud Supplies' } },
    after: (c) => ({
      credit_limit: 2500,
      bank: { ...(c.bank as Row), account_name: 'Crud Supplies', date_time_updated: expect.any(String) },
    }),
  },
  customer_contacts: {
    create: (co) => `/customers/${trader(co, 'customers').id}/customer_contacts`,
    path: '/customer_contacts',
    body: () => ({ first_name: 'Ada', last_name: 'Lovelace' }),
    change: { middle_name: 'King' },
    after: () => ({
      first_name: 'Ada',
      middle_name: 'King',
      last_name: 'Lovelace',
      name: 'Ada King Lovelace',
    }),
  },
  supplier_contacts: {
    create: (co) => `/suppliers/${trader(co, 'suppliers').id}/supplier_contacts`,
    path: '/supplier_contacts',
    body: () => ({ first_name: 'Grace', last_name: 'Hopper' }),
    change: { last_name: 'Murray' },
    after: () => ({ first_name: 'Grace', last_name: 'Murray', name: 'Grace Murray' }),
  },
  customer_delivery_addresses: {
    create: () => '/customer_delivery_addresses',
    path: '/customer_delivery_addresses',
    body: (co) => ({
      customer_id: trader(co, 'customers').id,
      description: 'North depot',
      tax_code_id: taxCode(co, 1).id,
      address_country_code_id: first(co, 'country_codes', (c) => c.code === 'GB').id,
    }),
    change: { city: 'York' },
    after: () => ({ description: 'North depot', city: 'York', country: 'United Kingdom' }),
  },
  nominal_codes: {
    create: () => '/nominal_codes',
    path: '/nominal_codes',
    body: (co) => ({
      reference: '4990',
      name: 'Crud income',
      report_category_id: first(co, 'nominal_report_categories').id,
    }),
    change: { name: 'Crud income renamed' },
    after: () => ({
      reference: '4990',
      name: 'Crud income renamed',
      cost_centre_code: '',
      department_code: '',
    }),
  },
  banks: {
    create: () => '/banks',
    path: '/banks',
    body: () => ({
      code: 'CRUDBK',
      sort_code: '40-11-22',
      description: 'Crud bank',
      bank_account_nominal_reference: '1200',
    }),
    change: { description: 'Crud bank renamed' },
    after: () => ({
      code: 'CRUDBK',
      description: 'Crud bank renamed',
      bank_account_nominal_reference: '1200',
    }),
  },
  departments: {
    create: () => '/departments',
    path: '/departments',
    body: () => ({ code: 'CRD', name: 'Crud department' }),
    change: { contact_name: 'Dee Partment' },
    after: () => ({ code: 'CRD', name: 'Crud department', contact_name: 'Dee Partment' }),
  },
  cost_centres: {
    create: () => '/cost_centres',
    path: '/cost_centres',
    body: () => ({ code: 'CRC', name: 'Crud cost centre' }),
    change: { name: 'Crud centre' },
    after: () => ({ code: 'CRC', name: 'Crud centre' }),
  },
  products: {
    create: () => '/products',
    path: '/products',
    body: (co) => ({ code: 'CRUD-1', name: 'Crud widget', product_group_id: first(co, 'product_groups').id }),
    change: { description: 'A widget for tests' },
    after: () => ({ code: 'CRUD-1', name: 'Crud widget', description: 'A widget for tests' }),
  },
  warehouses: {
    create: () => '/warehouses',
    path: '/warehouses',
    body: () => ({ name: 'CRUDWH', city: 'Bolton' }),
    change: { description: 'Overflow' },
    after: () => ({ name: 'CRUDWH', city: 'Bolton', description: 'Overflow' }),
  },
  sop_orders: {
    create: () => '/sop_orders',
    path: '/sop_orders',
    body: (co) => ({
      customer_id: trader(co, 'customers').id,
      customer_document_no: 'PO-77',
      lines: [
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Consulting',
          line_quantity: 2,
          selling_unit_price: 50,
        },
      ],
    }),
    change: { customer_document_no: 'PO-78' },
    after: () => ({ customer_document_no: 'PO-78', total_net_value: 100 }),
  },
  pop_orders: {
    create: () => '/pop_orders',
    path: '/pop_orders',
    body: (co) => ({
      supplier_id: trader(co, 'suppliers').id,
      lines: [
        { line_type: 'EnumLineTypeFreeText', description: 'Paper', line_quantity: 4, unit_buying_price: 2.5 },
      ],
    }),
    change: { supplier_document_no: 'INV-9' },
    after: () => ({ supplier_document_no: 'INV-9', total_net_value: 10 }),
  },
};

/** A record as GET returns it: an order's lines are only there when expanded. */
const withoutLines = (record: Row): Row => {
  const { lines: _lines, ...rest } = record;
  return rest;
};

describe('create, read, update and delete', () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
  });

  it.each(Object.entries(CASES))(
    '%s: POST creates, GET reads, PUT changes only what is sent, DELETE removes',
    async (_name, c) => {
      const co = writer.company;
      const created = await writer.ok('POST', c.create(co), c.body(co));
      expect(created.id).toEqual(expect.any(Number));
      expect(created.id).toBeGreaterThan(0);
      expect(created).toMatchObject(c.body(co));
      const path = `${c.path}/${created.id}`;
      expect(await writer.ok('GET', path)).toEqual(withoutLines(created));

      const updated = await writer.ok('PUT', path, c.change);
      expect(updated).toMatchObject(c.after(created));
      expect(updated.id).toBe(created.id);
      expect(updated.date_time_created).toBe(created.date_time_created);
      expect(await writer.ok('GET', path)).toEqual(withoutLines(updated));

      const removed = await writer.send('DELETE', path);
      expect(removed.status).toBe(200);
      expect(removed.body).toBeUndefined();
      expect((await writer.send('GET', path)).status).toBe(404);
    },
  );

  it('gives each new record a fresh id that is never reused', async () => {
    const a = await writer.ok('POST', '/warehouses', { name: 'IDS-A' });
    await writer.ok('DELETE', `/warehouses/${a.id}`);
    const b = await writer.ok('POST', '/warehouses', { name: 'IDS-B' });
    expect(b.id).toBeGreaterThan(a.id as number);
  });

  it('merges a PUT of a nested object field by field and keeps every field not sent', async () => {
    const customer = trader(writer.company, 'customers');
    const before = customer.main_address as Row;
    const after = await writer.ok('PUT', `/customers/${customer.id}`, {
      main_address: { address_2: 'Unit 4' },
    });
    expect(after).toMatchObject({ ...withoutStamps(customer), date_time_updated: expect.any(String) });
    expect(after.main_address).toEqual({
      ...before,
      address_2: 'Unit 4',
      date_time_updated: expect.any(String),
    });
    expect(after.balance).toBe(customer.balance);
  });

  it('accepts a record read with GET and sent back whole, read-only fields included', async () => {
    const supplier = trader(writer.company, 'suppliers');
    const read = await writer.ok('GET', `/suppliers/${supplier.id}`);
    const after = await writer.ok('PUT', `/suppliers/${supplier.id}`, { ...read, name: 'Round Trip Ltd' });
    expect(after).toMatchObject({ ...withoutStamps(read), name: 'Round Trip Ltd' });
  });

  it('reads, updates and deletes a contact through its customer too', async () => {
    const customer = trader(writer.company, 'customers');
    const base = `/customers/${customer.id}/customer_contacts`;
    const contact = await writer.ok('POST', base, { first_name: 'Nested', last_name: 'Contact' });
    expect(contact.customer_id).toBe(customer.id);
    const list = await writer.ok<Row[]>('GET', base);
    expect(list.map((r) => r.id)).toContain(contact.id);
    expect(await writer.ok('GET', `${base}/${contact.id}`)).toEqual(contact);
    expect(await writer.ok('PUT', `${base}/${contact.id}`, { last_name: 'Changed' })).toMatchObject({
      name: 'Nested Changed',
    });
    const other = first(writer.company, 'customers', (r) => r.id !== customer.id);
    expect((await writer.send('GET', `/customers/${other.id}/customer_contacts/${contact.id}`)).status).toBe(
      404,
    );
    expect((await writer.send('DELETE', `${base}/${contact.id}`)).status).toBe(200);
    expect((await writer.send('GET', `/customer_contacts/${contact.id}`)).status).toBe(404);
  });

  it('makes an account first contact its default contact, and passes the default on when it is deleted', async () => {
    const supplier = await writer.ok('POST', '/suppliers', { reference: 'CONTS1', name: 'Contacts Ltd' });
    const base = `/suppliers/${supplier.id}/supplier_contacts`;
    const one = await writer.ok('POST', base, { first_name: 'One' });
    const two = await writer.ok('POST', base, { first_name: 'Two' });
    expect([one.is_default, two.is_default]).toEqual([true, false]);
    await writer.ok('DELETE', `${base}/${one.id}`);
    expect((await writer.ok('GET', `${base}/${two.id}`)).is_default).toBe(true);
  });

  it('updates several departments at once with PUT on the collection', async () => {
    const [a, b] = writer.company
      .table('departments')
      .all()
      .filter((d) => d.code !== '');
    const answer = await writer.ok<Row[]>('PUT', '/departments', [
      { id: a!.id, contact_name: 'Bulk A' },
      { id: b!.id, contact_name: 'Bulk B' },
    ]);
    expect(answer.map((d) => [d.id, d.contact_name])).toEqual([
      [a!.id, 'Bulk A'],
      [b!.id, 'Bulk B'],
    ]);
  });

  it('creates, changes and deletes a customer delivery address, keeping one default per customer', async () => {
    const customer = trader(writer.company, 'customers');
    const tax = taxCode(writer.company, 1).id;
    const a = await writer.ok('POST', '/customer_delivery_addresses', {
      customer_id: customer.id,
      description: 'A',
      tax_code_id: tax,
      is_default: true,
    });
    const b = await writer.ok('POST', '/customer_delivery_addresses', {
      customer_id: customer.id,
      description: 'B',
      tax_code_id: tax,
      is_default: true,
    });
    expect((await writer.ok('GET', `/customer_delivery_addresses/${a.id}`)).is_default).toBe(false);
    const mine = await writer.ok<Row[]>('GET', `/customers/${customer.id}/customer_delivery_addresses`);
    expect(mine.filter((r) => r.is_default).map((r) => r.id)).toEqual([b.id]);
  });
});

const withoutStamps = (record: Row): Row => {
  const { date_time_updated: _u, main_address: _m, bank: _b, ...rest } = record;
  return rest;
};

describe('the *_new templates', () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
  });

  const base = (co: CompanyStore): SageRecord => first(co, 'currencies', (c) => c.is_base_currency === true);
  const TEMPLATES: [string, (co: CompanyStore) => Row, (co: CompanyStore) => Row][] = [
    [
      '/customers_new',
      () => ({}),
      (co) => ({
        id: 0,
        currency_id: base(co).id,
        default_tax_code_id: taxCode(co, 1).id,
        account_status_type: 'AccountStatusActive',
        default_nominal_code_reference: '4000',
      }),
    ],
    [
      '/suppliers_new',
      () => ({}),
      (co) => ({
        id: 0,
        currency_id: base(co).id,
        default_tax_code_id: taxCode(co, 1).id,
        default_nominal_code_reference: '5000',
      }),
    ],
    [
      '/nominal_codes_new',
      () => ({}),
      (co) => ({
        id: 0,
        cost_centre_id: first(co, 'cost_centres', (c) => c.code === '').id,
        cost_centre_code: '',
      }),
    ],
    [
      '/sop_orders_new',
      (co) => ({ customer_id: trader(co, 'customers').id }),
      (co) => ({
        id: 0,
        customer_id: trader(co, 'customers').id,
        currency_id: trader(co, 'customers').currency_id,
        document_status: 'EnumDocumentStatusLive',
        payment_type: 'EnumSOPOrderPaymentTypeFull',
        lines: [],
      }),
    ],
    [
      '/pop_orders_new',
      (co) => ({ supplier_id: trader(co, 'suppliers').id }),
      (co) => ({
        id: 0,
        supplier_id: trader(co, 'suppliers').id,
        document_status: 'EnumDocumentStatusLive',
        lines: [],
      }),
    ],
  ];

  it.each(TEMPLATES)(
    'POST %s answers the company defaults and saves nothing',
    async (path, request, expected) => {
      const before = snapshot(writer.company);
      const template = await writer.ok('POST', path, request(writer.company));
      expect(template).toMatchObject(expected(writer.company));
      expect(snapshot(writer.company)).toBe(before);
    },
  );

  it('accepts a customers_new template sent back to POST /customers with the required fields filled in', async () => {
    const template = await writer.ok('POST', '/customers_new', {});
    const created = await writer.ok('POST', '/customers', {
      ...template,
      reference: 'TMPL01',
      name: 'From Template Ltd',
    });
    expect(created).toMatchObject({
      reference: 'TMPL01',
      currency_id: template.currency_id,
      default_nominal_code_id: template.default_nominal_code_id,
    });
  });

  it('numbers sales orders itself: the template shows the next number and POST ignores any number sent', async () => {
    const customer = trader(writer.company, 'customers');
    const template = await writer.ok('POST', '/sop_orders_new', { customer_id: customer.id });
    const order = await writer.ok('POST', '/sop_orders', { customer_id: customer.id, document_no: 'MINE' });
    expect(order.document_no).toBe(template.document_no);
    expect(order.document_no).toMatch(/^\d{10}$/);
  });

  it('answers a customers_new POST with no body at all', async () => {
    const answer = await writer.send('POST', '/customers_new');
    expect(answer.status).toBe(200);
  });
});

describe('sales and purchase orders with lines', () => {
  let app: SandboxApp;
  let writer: Writer;
  let co: CompanyStore;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    co = writer.company;
  });
  const stocked = (): SageRecord => first(co, 'products', (p) => p.tax_code_id === taxCode(co, 1).id);
  const home = (): SageRecord => first(co, 'warehouses');

  it('prices each line from quantity, price, discount and tax code, totals the order and fills product defaults', async () => {
    const customer = first(
      co,
      'customers',
      (c) =>
        c.on_hold === false &&
        c.currency_id === first(co, 'currencies', (x) => x.is_base_currency === true).id &&
        c.use_tax_code_as_default === false,
    );
    const product = stocked();
    const order = await writer.ok('POST', '/sop_orders', {
      customer_id: customer.id,
      lines: [
        {
          line_type: 'EnumLineTypeStandard',
          product_id: product.id,
          warehouse_id: home().id,
          line_quantity: 3,
          selling_unit_price: 10,
          unit_discount_percent: 10,
          discount_percent_specified: true,
        },
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Fitting',
          line_quantity: 1,
          selling_unit_price: 20,
          tax_code_id: taxCode(co, 2).id,
        },
        { line_type: 'EnumLineTypeComment', description: 'Deliver to the back door' },
      ],
    });
    const lines = order.lines as Row[];
    expect(lines.map((l) => [l.line_number, l.line_total_value, l.line_tax_value])).toEqual([
      [1, 27, 5.4],
      [2, 20, 0],
      [3, 0, 0],
    ]);
    expect(lines[0]).toMatchObject({
      code: product.code,
      description: product.name,
      tax_code_id: product.tax_code_id,
      sop_order_id: order.id,
      unit_discount_value: 1,
      discounted_unit_price: 9,
    });
    expect(order).toMatchObject({
      subtotal_goods_value: 47,
      total_net_value: 47,
      total_tax_value: 5.4,
      total_gross_value: 52.4,
      currency_id: customer.currency_id,
    });
    const read = await writer.ok('GET', `/sop_orders/${order.id}?$expand=lines`);
    expect(read).toEqual(order);
    expect(await writer.ok<Row[]>('GET', `/sop_orders/${order.id}/sop_order_lines`)).toEqual(lines);
    const line = lines[1]!;
    expect(await writer.ok('GET', `/sop_order_lines/${line.id}`)).toEqual(line);
    expect(await writer.ok('GET', `/sop_orders/${order.id}/sop_order_lines/${line.id}`)).toEqual(line);
  });

  it('changes a line by id, adds a line without one, removes one marked is_to_delete and keeps the rest', async () => {
    const customer = trader(co, 'customers');
    const order = await writer.ok('POST', '/sop_orders', {
      customer_id: customer.id,
      lines: [
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Keep',
          line_quantity: 1,
          selling_unit_price: 1,
          tax_code_id: taxCode(co, 2).id,
        },
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Change',
          line_quantity: 1,
          selling_unit_price: 2,
          tax_code_id: taxCode(co, 2).id,
        },
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Drop',
          line_quantity: 1,
          selling_unit_price: 4,
          tax_code_id: taxCode(co, 2).id,
        },
      ],
    });
    const [keep, change, drop] = order.lines as Row[];
    const updated = await writer.ok('PUT', `/sop_orders/${order.id}`, {
      lines: [
        { id: change!.id, line_quantity: 5 },
        { id: drop!.id, is_to_delete: true },
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'New',
          line_quantity: 1,
          selling_unit_price: 8,
          tax_code_id: taxCode(co, 2).id,
        },
      ],
    });
    const lines = updated.lines as Row[];
    expect(lines.map((l) => [l.description, l.line_number, l.line_total_value])).toEqual([
      ['Keep', 1, 1],
      ['Change', 2, 10],
      ['New', 4, 8],
    ]);
    expect(lines[0]).toEqual(keep);
    expect(updated.total_net_value).toBe(19);
    expect((await writer.send('GET', `/sop_order_lines/${drop!.id}`)).status).toBe(404);
  });

  it("keeps the account's current order value in step with its orders", async () => {
    const supplier = await writer.ok('POST', '/suppliers', { reference: 'ORDVAL', name: 'Order Value Ltd' });
    const order = await writer.ok('POST', '/pop_orders', {
      supplier_id: supplier.id,
      lines: [
        {
          line_type: 'EnumLineTypeFreeText',
          description: 'Toner',
          line_quantity: 2,
          unit_buying_price: 30,
          tax_code_id: taxCode(co, 1).id,
        },
      ],
    });
    expect(order.total_gross_value).toBe(72);
    expect((await writer.ok('GET', `/suppliers/${supplier.id}`)).value_of_current_orders_in_pop).toBe(72);
    await writer.ok('DELETE', `/pop_orders/${order.id}`);
    expect((await writer.ok('GET', `/suppliers/${supplier.id}`)).value_of_current_orders_in_pop).toBe(0);
  });

  it('takes a sales order delivery address from the customer delivery address chosen', async () => {
    const customer = trader(co, 'customers');
    const address = await writer.ok('POST', '/customer_delivery_addresses', {
      customer_id: customer.id,
      description: 'Site office',
      postal_name: 'Site Office',
      city: 'Crewe',
      tax_code_id: taxCode(co, 1).id,
    });
    const order = await writer.ok('POST', '/sop_orders', {
      customer_id: customer.id,
      customer_delivery_address_id: address.id,
    });
    expect(order.delivery_address).toMatchObject({
      postal_name: 'Site Office',
      city: 'Crewe',
      tax_code_id: taxCode(co, 1).id,
    });
  });
});

describe('PUT /sop_orders_new/{Id} and /pop_orders_new/{Id}: an order worked out, not saved', () => {
  let app: SandboxApp;
  let writer: Writer;
  let co: CompanyStore;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    co = writer.company;
  });

  const KINDS = [
    ['sop_orders', 'customers', 'customer_id', 'selling_unit_price'],
    ['pop_orders', 'suppliers', 'supplier_id', 'unit_buying_price'],
  ] as const;
  const freeText = (description: string, price: number, priceField: string): Row => ({
    line_type: 'EnumLineTypeFreeText',
    description,
    line_quantity: 2,
    [priceField]: price,
    tax_code_id: taxCode(co, 1).id,
  });

  it.each(KINDS)(
    'PUT /%s_new/0 prices and totals the lines of a template sent back, with id 0 throughout, and saves nothing',
    async (orders, traders, traderKey, priceField) => {
      const account = trader(co, traders);
      const template = await writer.ok('POST', `/${orders}_new`, { [traderKey]: account.id });
      const before = snapshot(co);
      const worked = await writer.ok('PUT', `/${orders}_new/0`, {
        ...template,
        lines: [freeText('Consulting', 50, priceField)],
      });
      expect(snapshot(co)).toBe(before);
      expect(worked).toMatchObject({
        id: 0,
        [traderKey]: account.id,
        document_no: template.document_no,
        total_net_value: 100,
        total_tax_value: 20,
        total_gross_value: 120,
      });
      expect(worked.lines).toEqual([
        expect.objectContaining({ id: 0, line_number: 1, line_total_value: 100, line_tax_value: 20 }),
      ]);
      // The order a POST of the same body creates has the same values, with real ids.
      const created = await writer.ok('POST', `/${orders}`, {
        ...template,
        lines: [freeText('Consulting', 50, priceField)],
      });
      expect(created.total_gross_value).toBe(worked.total_gross_value);
      expect(created.id).not.toBe(0);
    },
  );

  it.each(KINDS)(
    'PUT /%s_new/{Id} works a change out on the stored order as its PUT would, and saves nothing',
    async (orders, traders, traderKey, priceField) => {
      const order = await writer.ok('POST', `/${orders}`, {
        [traderKey]: trader(co, traders).id,
        lines: [freeText('Keep', 10, priceField), freeText('Change', 20, priceField)],
      });
      const [keep, change] = order.lines as Row[];
      const body = { lines: [{ id: change!.id, line_quantity: 5 }, freeText('Add', 1, priceField)] };
      const before = snapshot(co);
      const worked = await writer.ok('PUT', `/${orders}_new/${order.id}`, body);
      expect(snapshot(co)).toBe(before);
      expect(await writer.ok('GET', `/${orders}/${order.id}?$expand=lines`)).toEqual(order);
      expect((worked.lines as Row[]).map((l) => [l.id, l.description, l.line_total_value])).toEqual([
        [keep!.id, 'Keep', 20],
        [change!.id, 'Change', 100],
        [0, 'Add', 2],
      ]);
      const saved = await writer.ok('PUT', `/${orders}/${order.id}`, body);
      const totals = (r: Row) => [r.total_net_value, r.total_tax_value, r.total_gross_value];
      expect(totals(worked)).toEqual(totals(saved));
      expect(totals(worked)).toEqual([122, 24.4, 146.4]);
    },
  );

  it.each([
    [
      'a new order without its account',
      '/sop_orders_new/0',
      () => ({}),
      'The customer_id field is required.',
    ],
    [
      'a stored order moved to another account',
      '/pop_orders_new/{Id}',
      () => ({ supplier_id: first(co, 'suppliers', (s) => s.id !== first(co, 'pop_orders').supplier_id).id }),
      'The supplier_id of an order cannot be changed.',
    ],
  ])('refuses %s with the 400 the write gives', async (_case, template, body, message) => {
    const before = snapshot(co);
    const path = template.replace('{Id}', String(first(co, 'pop_orders').id));
    const answer = await writer.send('PUT', path, body());
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ Message: message });
    expect(snapshot(co)).toBe(before);
  });
});

describe('date_time_created and date_time_updated follow the sandbox clock', () => {
  it('stamps a create and each later change with the sandbox time, so date_time_updated gt finds every change', async () => {
    const app = testSandbox();
    // A month on, past every seeded stamp (tokens are minted after, so they are still valid).
    await advanceClock(app, 30 * 86_400);
    const writer = await writerFor(app, USERS.full);
    const before = app.sandbox.clock.now();
    const created = await writer.ok('POST', '/customers', { reference: 'CLOCK1', name: 'Clockwork Ltd' });
    const stamp = Date.parse(String(created.date_time_created));
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(app.sandbox.clock.now());
    expect(created.date_time_updated).toBe(created.date_time_created);
    expect(String(created.date_time_updated)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Half an hour: within the access token's hour.
    await advanceClock(app, 1800);
    const changed = await writer.ok('PUT', `/customers/${created.id}`, { name: 'Clockwork Two Ltd' });
    expect(Date.parse(String(changed.date_time_updated)) - stamp).toBeGreaterThanOrEqual(1_800_000);
    expect(changed.date_time_created).toBe(created.date_time_created);

    const since = await writer.ok<Row[]>(
      'GET',
      `/customers?$filter=date_time_updated gt ${String(created.date_time_updated)}`,
    );
    expect(since.map((r) => r.id)).toEqual([created.id]);
    const after = await writer.ok<Row[]>(
      'GET',
      `/customers?$filter=date_time_updated gt ${String(changed.date_time_updated)}`,
    );
    expect(after).toEqual([]);
  });
});
