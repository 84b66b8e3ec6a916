/**
 * `$expand` of every navigation property the contract declares, on every list that has one: each related record
 * (or each child, for an array) is the one its foreign key names, every link the seeded world holds resolves, and
 * the answer validates against the contract. Inline objects (`main_address`) expand to themselves, nested paths
 * (`contacts/salutation`) expand inside each child, and `$select` reaches into what was expanded, as Sage's
 * query-parameters guide shows. The cases come from the contract's catalog, so a navigation property is covered as
 * soon as it is declared.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createResponseValidator, loadCatalog, loadContract } from '../../contracts/index.ts';
import { loadSageDigest } from '../../contracts/scripts/sage-digest-format.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import {
  type Caller,
  callerFor,
  companyHeaders,
  sharedWorldSandbox,
  testSandbox,
  USERS,
} from '../support/sandbox.ts';
import { writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;

const catalog = loadCatalog();
const validator = createResponseValidator(loadContract());
const lists = catalog.resources.filter((resource) => resource.list && !resource.enumeration);
const related = lists.flatMap((resource) =>
  Object.entries(resource.expand).map(([name, target]) => [resource.path, name, target] as const),
);
const inline = lists.flatMap((resource) =>
  Object.keys(resource.embedded).map((name) => [resource.path, name] as const),
);

/** Navigation properties the seeded world leaves empty on every record, each with the reason. */
const EMPTY_IN_THE_SEED: Record<string, string> = {
  'customer_contacts.salutation': 'contacts are seeded without a salutation',
  'supplier_contacts.salutation': 'contacts are seeded without a salutation',
  'sop_orders.payment_method': 'no seeded order is paid with the order',
  'sop_settings.cash_order_account': 'the seeded settings name no cash account',
  'sop_settings.prospect_quote_account': 'the seeded settings name no prospect account',
};

/**
 * Arrays of another resource that Sage declares and the contract cannot link by a foreign key: a settings record
 * lists every record of a company list, which no field of those records names; a stocktake criteria template
 * selects product groups, which name no template.
 */
const UNLINKED_ARRAYS: Record<string, string> = {
  'purchase_ledger_settings.payment_groups': 'every payment group of the company',
  'nominal_ledger_settings.budget_profiles': 'every budget profile of the company',
  'stock_settings.internal_areas': 'every internal area of the company',
  'stocktake_criteria_templates.product_groups': 'the product groups the template counts',
};

/** Each served resource's Sage schema (`customer`) with its file, and the resource serving each Sage schema. */
function sageSchemas(): { path: string; file: string; sage: string }[] {
  const doc = loadContract();
  return lists.flatMap((resource) => {
    const declared = doc.components.schemas[resource.schema];
    const base = declared?.allOf?.[0]?.$ref?.split('/').pop();
    const fields = base === undefined ? declared : doc.components.schemas[base];
    const sage = fields?.['x-sage-schema'];
    const file = fields?.['x-sage-file'];
    return typeof sage === 'string' && typeof file === 'string' ? [{ path: resource.path, file, sage }] : [];
  });
}

/** The full user's company, whose records the answers are checked against. */
function company(app: SandboxApp): CompanyStore {
  const headers = companyHeaders(app, USERS.full);
  const found = app.sandbox.store.site(headers['X-Site']!)?.companies.get(Number(headers['X-Company']));
  if (!found) throw new Error('the full user has no company');
  return found;
}

function valid(template: string, body: unknown): void {
  const result = validator.validateResponse('get', template, 200, body);
  if (!result.ok) throw new Error(`GET ${template} does not match the contract: ${result.errors}`);
}

async function applicationError(caller: Caller, path: string): Promise<string> {
  const response = await caller.get(path);
  expect(response.status, path).toBe(400);
  const body = (await response.json()) as { Message: string };
  expect(Object.keys(body)).toEqual(['Message']);
  return body.Message;
}

describe('$expand on every list', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('declares every array Sage gives a served resource whose items a served resource holds', () => {
    const digest = loadSageDigest();
    const schemas = sageSchemas();
    const served = new Set(schemas.map(({ sage }) => sage));
    const missing: string[] = [];
    for (const { path, file, sage } of schemas) {
      const properties = digest.get(file)?.schemas.get(sage)?.properties ?? {};
      for (const [name, property] of Object.entries(properties)) {
        const items = property.items?.$ref?.split('/').pop();
        if (property.type !== 'array' || items === undefined || !served.has(items)) continue;
        if (property['x-sage-professional-only'] === true || UNLINKED_ARRAYS[`${path}.${name}`]) continue;
        if (!catalog.resource(path).expand[name]?.many) missing.push(`${path}.${name} (${items})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers the navigation properties Sage documents on /customers', () => {
    const customers = catalog.resource('customers');
    for (const name of ['contacts', 'default_tax_code', 'country_code', 'currency'])
      expect(customers.expand).toHaveProperty(name);
    expect(customers.embedded).toHaveProperty('main_address');
  });

  it.each(related)(
    '/%s?$expand=%s gives each record the records its link names',
    async (path, name, target) => {
      const rows = await caller.json<Row[]>(`/${path}?$top=5000&$expand=${name}`);
      valid(`/${path}`, rows);
      const others = company(app).table(target.collection).all() as readonly Row[];
      const byId = new Map(others.map((record) => [record.id, record]));
      let filled = 0;
      for (const row of rows) {
        if (target.many) {
          const children = others.filter((child) => child[target.foreignKey] === row.id);
          expect(row[name], `${path} ${String(row.id)}`).toEqual(children);
          if (children.length > 0) filled++;
          continue;
        }
        const link = row[target.foreignKey];
        if (link === null || link === undefined || link === 0) {
          expect(row).not.toHaveProperty(name);
          continue;
        }
        const where = `${path} ${String(row.id)}: ${target.foreignKey} ${String(link)}`;
        expect(byId.has(link), `${where} names a record of /${target.resource}`).toBe(true);
        expect(row[name], where).toEqual(byId.get(link));
        filled++;
      }
      const key = `${path}.${name}`;
      if (EMPTY_IN_THE_SEED[key] === undefined)
        expect(filled, `${key} is filled somewhere`).toBeGreaterThan(0);
    },
  );

  it.each(inline)(
    '/%s?$expand=%s answers what the list answers: the object is inline already',
    async (path, name) => {
      const plain = await (await caller.get(`/${path}?$top=50`)).text();
      const expanded = await (await caller.get(`/${path}?$top=50&$expand=${name}`)).text();
      expect(expanded).toBe(plain);
    },
  );

  it('serves Sage’s documented examples on /customers: contacts, default_tax_code, main_address, country_code, currency', async () => {
    const [first] = await caller.json<Row[]>('/customers?$orderby=id&$top=1');
    const expand = 'contacts,default_tax_code,main_address,country_code,currency';
    const rows = await caller.json<Row[]>(`/customers?$orderby=id&$top=1&$expand=${expand}`);
    valid('/customers', rows);
    const [customer] = rows;
    expect(customer).toMatchObject({ main_address: first!.main_address });
    expect(customer).toHaveProperty('contacts');
    expect((customer!.currency as Row).id).toBe(first!.currency_id);
    expect((customer!.default_tax_code as Row).id).toBe(first!.default_tax_code_id);
    const one = await caller.json<Row>(`/customers/${String(first!.id)}?$expand=${expand}`);
    expect(one).toEqual(customer);
  });

  it('expands a path inside each child: lines/product and customer/currency on sales orders', async () => {
    const rows = await caller.json<Row[]>(
      '/sop_orders?$orderby=id&$top=50&$expand=lines/product,customer/currency',
    );
    valid('/sop_orders', rows);
    const store = company(app);
    let products = 0;
    for (const row of rows) {
      const customer = row.customer as Row;
      expect(customer.id).toBe(row.customer_id);
      expect(customer.currency).toEqual(store.table('currencies').get(customer.currency_id as number));
      for (const line of row.lines as Row[]) {
        expect(line.sop_order_id).toBe(row.id);
        if (line.product_id === null) continue;
        expect(line.product).toEqual(store.table('products').get(line.product_id as number));
        products++;
      }
    }
    expect(products).toBeGreaterThan(0);
  });

  it('expands inside an inline object: main_address/address_country_code', async () => {
    const rows = await caller.json<Row[]>(
      '/customers?$orderby=id&$top=50&$expand=main_address/address_country_code',
    );
    valid('/customers', rows);
    let filled = 0;
    for (const row of rows) {
      const address = row.main_address as Row;
      if (address.address_country_code_id === null) {
        expect(address).not.toHaveProperty('address_country_code');
        continue;
      }
      expect((address.address_country_code as Row).id).toBe(address.address_country_code_id);
      filled++;
    }
    expect(filled).toBeGreaterThan(0);
  });

  it('combines $select with $expand as Sage documents: customer.id, customer.name on a sales order', async () => {
    const [order] = await caller.json<Row[]>('/sop_orders?$orderby=id&$top=1');
    const one = await caller.json<Row>(
      `/sop_orders/${String(order!.id)}?$expand=customer&$select=id,document_no,customer.id,customer.name`,
    );
    const customer = await caller.json<Row>(`/customers/${String(order!.customer_id)}`);
    expect(one).toEqual({
      id: order!.id,
      document_no: order!.document_no,
      customer: { id: customer.id, name: customer.name },
    });
    const selected = await caller.json<Row[]>(
      '/customers?$orderby=id&$top=3&$expand=contacts&$select=id,contacts.first_name,main_address.postcode',
    );
    const lines = await caller.json<Row[]>(
      '/sop_orders?$orderby=id&$top=5&$expand=lines/product&$select=id,lines.product,lines.product_id',
    );
    for (const row of lines) {
      for (const line of row.lines as Row[]) {
        expect(Object.keys(line).sort()).toEqual(
          line.product_id === null ? ['product_id'] : ['product', 'product_id'],
        );
        if (line.product_id !== null) expect((line.product as Row).id).toBe(line.product_id);
      }
    }
    for (const row of selected) {
      expect(Object.keys(row)).toEqual(['id', 'main_address', 'contacts']);
      expect(Object.keys(row.main_address as Row)).toEqual(['postcode']);
      for (const contact of row.contacts as Row[]) expect(Object.keys(contact)).toEqual(['first_name']);
    }
  });

  it.each([
    ['/customers?$expand=nope', "names 'nope', but type 'Customer' cannot expand 'nope' (expandable: "],
    ['/customers?$expand=contacts/nope', "type 'CustomerContact' cannot expand 'nope'"],
    ['/customers?$expand=contacts($select=name)', 'expand options are not supported'],
    ['/customers?$expand=currency,,contacts', 'empty item'],
    ['/customers?$select=contacts.name', "'contacts' must be expanded too; add $expand=contacts"],
    ['/customers/1?$expand=nope', "cannot expand 'nope'"],
  ])('answers %s with 400 and the message naming the problem', async (path, fragment) => {
    expect(await applicationError(caller, path)).toContain(fragment);
  });
});

describe('$expand after writes', () => {
  it('shows a contact added, changed and deleted through its customer, and a customer re-pointed to another currency', async () => {
    const app = testSandbox();
    const writer = await writerFor(app, USERS.full);
    const [customer] = await writer.ok<Row[]>('GET', '/customers?$orderby=id&$top=1');
    const expanded = async (): Promise<Row> =>
      writer.ok<Row>('GET', `/customers/${String(customer!.id)}?$expand=contacts,currency`);
    const before = ((await expanded()).contacts as Row[]).length;
    const base = `/customers/${String(customer!.id)}/customer_contacts`;
    const contact = await writer.ok('POST', base, { first_name: 'Expand', last_name: 'Afterwards' });
    expect(((await expanded()).contacts as Row[]).map((c) => c.id)).toContain(contact.id);
    await writer.ok('PUT', `${base}/${String(contact.id)}`, { last_name: 'Changed' });
    const changed = ((await expanded()).contacts as Row[]).find((c) => c.id === contact.id);
    expect(changed?.name).toBe('Expand Changed');
    expect((await writer.send('DELETE', `${base}/${String(contact.id)}`)).status).toBe(200);
    expect(((await expanded()).contacts as Row[]).length).toBe(before);

    const currencies = await writer.ok<Row[]>('GET', '/currencies');
    const other = currencies.find((c) => c.id !== customer!.currency_id);
    if (other === undefined) throw new Error('the company has one currency');
    await writer.ok('PUT', `/customers/${String(customer!.id)}`, { currency_id: other.id });
    expect(((await expanded()).currency as Row).id).toBe(other.id);
  });
});
