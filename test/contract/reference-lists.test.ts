/**
 * The company reference lists (credit bureaus, price bands, control nominal codes, users...): what customers,
 * suppliers and the other lists cite exists in them, they answer OData queries as /customers does, an unknown id is
 * the application's 404, and /users holds the user /current_user describes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue, SageRecord } from '../../mock-server/world/model.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = SageRecord & { id: number };

const text = (value: JsonValue | undefined): string => String(value ?? '');

describe('company reference lists', () => {
  let caller: Caller;
  let customers: Row[];
  let suppliers: Row[];
  const all = (path: string, query = ''): Promise<Row[]> => caller.json<Row[]>(`/${path}?$top=5000${query}`);
  const ids = async (path: string): Promise<Set<JsonValue>> => new Set((await all(path)).map((r) => r.id));

  beforeAll(async () => {
    caller = await callerFor(sharedWorldSandbox(), USERS.full);
    [customers, suppliers] = await Promise.all([all('customers'), all('suppliers')]);
  });

  it.each([
    ['customers', 'credit_bureau_id', 'credit_bureaus'],
    ['customers', 'credit_position_id', 'credit_positions'],
    ['customers', 'price_band_id', 'price_bands'],
    ['customers', 'customer_discount_group_id', 'customer_discount_groups'],
    ['customers', 'order_value_discount_id', 'order_value_discounts'],
    ['suppliers', 'credit_bureau_id', 'credit_bureaus'],
    ['suppliers', 'credit_position_id', 'credit_positions'],
    ['suppliers', 'payment_group_id', 'payment_groups'],
    ['suppliers', 'factor_house_id', 'factor_houses'],
  ])('every %s.%s names a record of /%s', async (traders, field, list) => {
    const cited = (traders === 'customers' ? customers : suppliers)
      .map((r) => r[field])
      .filter((v) => v !== null);
    expect(cited.length).toBeGreaterThan(0);
    const known = await ids(list);
    for (const id of cited) expect(known.has(id ?? null), `${field} ${String(id)}`).toBe(true);
  });

  it('prices each customer in a band of its own currency', async () => {
    const bands = new Map((await all('price_bands')).map((b) => [b.id, b]));
    for (const customer of customers) {
      expect(bands.get(customer.price_band_id as number)?.currency_id).toBe(customer.currency_id);
    }
  });

  it("names the company's own nominal codes, banks, currencies and departments", async () => {
    const nominal = await all('nominal_codes');
    const references = new Map(nominal.map((n) => [n.reference, n]));
    const controls = await all('control_nominal_codes');
    expect(controls.length).toBeGreaterThan(0);
    for (const control of controls) {
      expect(references.has(control.account_number), text(control.account_number)).toBe(true);
    }
    const retained = controls.find((c) => c.control_nominal_code_type === 'RetainedProfit');
    expect(references.get(retained?.account_number)?.name).toBe('Accumulated Profit');

    const banks = await ids('banks');
    const currencies = await ids('currencies');
    for (const method of await all('sop_payment_methods')) {
      expect(banks.has(method.bank_account_id ?? null)).toBe(true);
      expect(currencies.has(method.currency_id ?? null)).toBe(true);
    }
    for (const band of await all('price_bands')) expect(currencies.has(band.currency_id ?? null)).toBe(true);

    const departments = (await all('departments')).map((d) => d.name).filter((name) => name !== 'Default');
    expect((await all('internal_areas')).map((a) => a.name)).toEqual(departments);
  });

  it('links document layouts to document types and those to contact roles, expandably', async () => {
    const types = await all('document_types', '&$expand=trader_contact_role');
    const roles = await ids('trader_contact_roles');
    for (const type of types) {
      expect(roles.has(type.trader_contact_role_id ?? null)).toBe(true);
      expect((type.trader_contact_role as SageRecord).id).toBe(type.trader_contact_role_id);
    }
    const typeIds = new Set(types.map((t) => t.id));
    for (const layout of await all('document_layouts')) {
      expect(typeIds.has(layout.sys_document_type_id as number)).toBe(true);
    }
  });

  it('answers $filter, $orderby, $top, $skip, $select and $count as /customers does', async () => {
    const query = (filter: string, order: string): string =>
      `$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent(order)}&$top=3&$skip=1&$select=id,name`;
    const byNameDesc = (a: Row, b: Row): number => text(b.name).localeCompare(text(a.name));
    const expected = (rows: Row[], keep: (r: Row) => boolean): SageRecord[] =>
      rows
        .filter(keep)
        .sort(byNameDesc)
        .slice(1, 4)
        .map((r) => ({ id: r.id, name: r.name ?? null }));
    // A page of three, so an empty answer cannot pass.
    const page = async (path: string, filter: string, keep: (r: Row) => boolean, rows: Row[]) => {
      const want = expected(rows, keep);
      expect(want).toHaveLength(3);
      expect(await caller.json(`/${path}?${query(filter, 'name desc')}`)).toEqual(want);
    };

    const units = await all('units');
    const unitFilter = 'multiple_of_base_unit eq 1 and not each_value';
    const plainUnit = (u: Row): boolean => u.multiple_of_base_unit === 1 && u.each_value !== true;
    await page('units', unitFilter, plainUnit, units);
    expect(await caller.json(`/units?$count=true&$filter=${encodeURIComponent(unitFilter)}`)).toBe(
      units.filter(plainUnit).length,
    );
    await page(
      'customers',
      'credit_limit ge 10000 and not on_hold',
      (c) => (c.credit_limit as number) >= 10000 && c.on_hold !== true,
      customers,
    );

    const codes = await caller.json<Row[]>(
      `/control_nominal_codes?$filter=${encodeURIComponent("account_number eq '9999'")}`,
    );
    expect(codes.map((c) => c.control_nominal_code_type)).toEqual([
      'Suspense',
      'Mispostings',
      'Rounding',
      'UnauthorisedPurchase',
    ]);
  });

  it.each(['credit_bureaus', 'couriers', 'units', 'users', 'control_nominal_codes'])(
    "answers /%s/{Id} for a record, and the application's 404 for an unknown id",
    async (path) => {
      const [first] = await all(path);
      expect(await caller.json(`/${path}/${first!.id}`)).toEqual(first);
      const response = await caller.get(`/${path}/999999999`);
      expect(response.status).toBe(404);
      const body = (await response.json()) as { Message: string };
      expect(body.Message).toMatch(/^No [a-z ]+ was found with the Id '999999999'\.$/);
      const customer = (await (await caller.get('/customers/999999999')).json()) as { Message: string };
      expect(body.Message.replace(/^No [a-z ]+ was/, 'No X was')).toBe(
        customer.Message.replace(/^No [a-z ]+ was/, 'No X was'),
      );
    },
  );

  it('lists the signed-in user on /users under the /current_user id, with the colleagues on transactions', async () => {
    const me = await caller.json<{ id: number; logon_name: string }>('/current_user');
    const users = await all('users');
    expect(users).toContainEqual({ id: me.id, name: me.logon_name });
    expect(await caller.json(`/users/${me.id}`)).toEqual({ id: me.id, name: me.logon_name });
    const names = new Set(users.map((u) => u.name));
    const posted = await caller.json<Row[]>('/sales_posted_transactions?$top=200&$select=id,user_name');
    const postedBy = posted.map((t) => t.user_name).filter((name) => name !== '');
    expect(postedBy.length).toBeGreaterThan(0);
    for (const name of postedBy) expect(names.has(name ?? null), text(name)).toBe(true);
  });
});
