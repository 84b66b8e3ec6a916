/**
 * The writes of memos, customer alerts and cards and the simple reference records (mock-server/resources/
 * generic-writes.ts): the record a memo belongs to must exist and stays its own, Sage's lengths and required fields
 * are checked by the one validator, a record still named elsewhere cannot be deleted, the collection PUT changes all
 * or none, trial sites and roles without the module are refused, and every refusal changes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CompanyStore, TableName } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;

const rowsOf = (company: CompanyStore, table: string): readonly SageRecord[] =>
  company.table(table as TableName).all();

/** A record of `table` (the first matching), found from the data rather than by a hard-coded id. */
function pick(
  company: CompanyStore,
  table: string,
  match: (r: SageRecord) => boolean = () => true,
): SageRecord {
  const found = rowsOf(company, table).find(match);
  if (!found) throw new Error(`no ${table} record to use`);
  return found;
}

/** Sends a write that must be refused with `status`, and checks the company did not change. */
async function refused(
  writer: Writer,
  method: string,
  path: string,
  body: unknown,
  status: number,
  message?: string | RegExp,
): Promise<void> {
  const before = snapshot(writer.company);
  const answer = await writer.send(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  if (message !== undefined) expect((answer.body as { Message: string }).Message).toMatch(message);
  expect(snapshot(writer.company)).toBe(before);
}

const MEMOS = [
  ['customer_memos', 'customer_id', 'customers', 'customer'],
  ['supplier_memos', 'supplier_id', 'suppliers', 'supplier'],
  ['product_memos', 'product_id', 'products', 'product'],
  ['nominal_code_memos', 'nominal_code_id', 'nominal_codes', 'nominal code'],
  [
    'sales_posted_transaction_memos',
    'posted_customer_transaction_id',
    'sales_posted_transactions',
    'sales posted transaction',
  ],
  [
    'purchase_posted_transaction_memos',
    'posted_supplier_transaction_id',
    'purchase_posted_transactions',
    'purchase posted transaction',
  ],
] as const;

let writer: Writer;
beforeEach(async () => {
  writer = await writerFor(testSandbox(), USERS.full);
});

describe.each(MEMOS)('%s', (collection, parentKey, parentTable, parentNoun) => {
  const parentOf = () => pick(writer.company, parentTable);

  it('creates a memo on a record that exists, stamped with the user, and lists it', async () => {
    const parent = parentOf();
    const memo = await writer.ok('POST', `/${collection}`, {
      [parentKey]: parent.id,
      note: 'Call before delivery',
    });
    expect(memo).toMatchObject({
      [parentKey]: parent.id,
      note: 'Call before delivery',
      created_by: USERS.full,
    });
    expect(memo.id).toEqual(expect.any(Number));
    const listed = await writer.ok<Row[]>(
      'GET',
      `/${collection}?$filter=${parentKey} eq ${String(parent.id)}`,
    );
    expect(listed.map((r) => r.id)).toContain(memo.id);
    expect(await writer.ok('GET', `/${collection}/${String(memo.id)}`)).toEqual(memo);
  });

  it('refuses a memo on an unknown record with 400 and changes nothing', async () => {
    await refused(
      writer,
      'POST',
      `/${collection}`,
      { [parentKey]: 987654321, note: 'Orphan' },
      400,
      `No ${parentNoun} was found with the Id '987654321' given in ${parentKey}.`,
    );
  });

  it("checks Sage's required fields and lengths", async () => {
    const parent = parentOf();
    await refused(
      writer,
      'POST',
      `/${collection}`,
      { [parentKey]: parent.id },
      400,
      'The note field is required.',
    );
    await refused(
      writer,
      'POST',
      `/${collection}`,
      { note: 'No parent' },
      400,
      `The ${parentKey} field is required.`,
    );
    await refused(
      writer,
      'POST',
      `/${collection}`,
      { [parentKey]: parent.id, note: 'x'.repeat(1001) },
      400,
      'The field note must be a string with a maximum length of 1000.',
    );
  });

  it('updates only the fields sent, keeps the memo on its record, and deletes it', async () => {
    const parent = parentOf();
    const memo = await writer.ok('POST', `/${collection}`, { [parentKey]: parent.id, note: 'First' });
    const changed = await writer.ok('PUT', `/${collection}/${String(memo.id)}`, { note: 'Second' });
    expect(changed).toMatchObject({ ...memo, note: 'Second', date_time_updated: expect.any(String) });
    const other = pick(writer.company, parentTable, (r) => r.id !== parent.id);
    await refused(
      writer,
      'PUT',
      `/${collection}/${String(memo.id)}`,
      { [parentKey]: other.id },
      400,
      `The ${parentKey} of a`,
    );
    await writer.ok('DELETE', `/${collection}/${String(memo.id)}`);
    expect((await writer.send('GET', `/${collection}/${String(memo.id)}`)).status).toBe(404);
  });
});

describe('customer alerts and cards', () => {
  it('creates, updates and deletes an alert, stamping who last changed it', async () => {
    const customer = pick(writer.company, 'customers');
    const alert = await writer.ok('POST', '/customer_alerts', {
      customer_id: customer.id,
      alert_text: 'Check credit before quoting',
      show_alert_for_quotes: true,
    });
    expect(alert).toMatchObject({ is_active: true, show_alert_for_orders: false, updated_by: USERS.full });
    const changed = await writer.ok('PUT', `/customer_alerts/${String(alert.id)}`, { is_active: false });
    expect(changed).toMatchObject({ alert_text: 'Check credit before quoting', is_active: false });
    await refused(
      writer,
      'PUT',
      `/customer_alerts/${String(alert.id)}`,
      { alert_text: 'x'.repeat(256) },
      400,
      'The field alert_text must be a string with a maximum length of 255.',
    );
    await writer.ok('DELETE', `/customer_alerts/${String(alert.id)}`);
    expect(rowsOf(writer.company, 'customer_alerts').some((r) => r.id === alert.id)).toBe(false);
  });

  it('renames a card, refuses moving it to another customer, and deletes it', async () => {
    const card = pick(writer.company, 'customer_cards');
    const renamed = await writer.ok('PUT', `/customer_cards/${String(card.id)}`, {
      description: 'Company Visa',
    });
    expect(renamed).toMatchObject({ customer_id: card.customer_id, description: 'Company Visa' });
    const other = pick(writer.company, 'customers', (c) => c.id !== card.customer_id);
    await refused(
      writer,
      'PUT',
      `/customer_cards/${String(card.id)}`,
      { customer_id: other.id },
      400,
      'The field customer_id is read-only.',
    );
    await writer.ok('DELETE', `/customer_cards/${String(card.id)}`);
    expect(rowsOf(writer.company, 'customer_cards').some((r) => r.id === card.id)).toBe(false);
  });

  it("deletes a customer's memos, alerts and cards with the customer", async () => {
    const customer = await writer.ok('POST', '/customers', { reference: 'MEMO01', name: 'Memo Holder Ltd' });
    await writer.ok('POST', '/customer_memos', { customer_id: customer.id, note: 'New account' });
    await writer.ok('POST', '/customer_alerts', { customer_id: customer.id, alert_text: 'Pro forma only' });
    await writer.ok('DELETE', `/customers/${String(customer.id)}`);
    for (const table of ['customer_memos', 'customer_alerts']) {
      expect(rowsOf(writer.company, table).filter((r) => r.customer_id === customer.id)).toEqual([]);
    }
  });
});

describe('couriers, incoterms and export reasons', () => {
  const LISTS = [
    ['couriers', 'courier_id'],
    ['sop_incoterms', 'sop_incoterm_id'],
    ['sop_export_reasons', 'sop_export_reason_id'],
  ] as const;

  it.each(LISTS)(
    'refuses to delete a %s named on a despatch receipt, changing nothing',
    async (table, key) => {
      const receipt = pick(writer.company, 'sop_despatch_receipts', (r) => typeof r[key] === 'number');
      await refused(
        writer,
        'DELETE',
        `/${table}/${String(receipt[key])}`,
        undefined,
        400,
        /cannot be deleted because \d+ SOP despatch receipts? names? it\./,
      );
    },
  );

  it.each(LISTS)('creates, renames and deletes an unused %s', async (table) => {
    const created = await writer.ok('POST', `/${table}`, { name: 'ZZ Test entry' });
    expect(created).toMatchObject({ name: 'ZZ Test entry', is_default: false });
    await writer.ok('PUT', `/${table}/${String(created.id)}`, { name: 'ZZ Renamed entry' });
    await writer.ok('DELETE', `/${table}/${String(created.id)}`);
    expect(rowsOf(writer.company, table).some((r) => r.id === created.id)).toBe(false);
  });

  it.each(LISTS)('refuses a %s whose name another has (without case), and a name over 60', async (table) => {
    const existing = pick(writer.company, table);
    const name = String(existing.name).toUpperCase();
    await refused(
      writer,
      'POST',
      `/${table}`,
      { name },
      400,
      `The name '${name}' is already used by another`,
    );
    await refused(
      writer,
      'POST',
      `/${table}`,
      { name: 'x'.repeat(61) },
      400,
      'The field name must be a string with a maximum length of 60.',
    );
    await refused(writer, 'POST', `/${table}`, { website: 'https://example.test' }, 400);
  });

  it('makes one courier the default at a time', async () => {
    const created = await writer.ok('POST', '/couriers', { name: 'Night Freight', is_default: true });
    const defaults = rowsOf(writer.company, 'couriers').filter((c) => c.is_default === true);
    expect(defaults.map((c) => c.id)).toEqual([created.id]);
    const other = pick(writer.company, 'couriers', (c) => c.id !== created.id);
    await writer.ok('PUT', `/couriers/${String(other.id)}`, { is_default: true });
    const after = rowsOf(writer.company, 'couriers').filter((c) => c.is_default === true);
    expect(after.map((c) => c.id)).toEqual([other.id]);
  });

  it('updates several couriers with the collection PUT, all or none', async () => {
    const [a, b] = rowsOf(writer.company, 'couriers');
    const updated = await writer.ok<Row[]>('PUT', '/couriers', [
      { id: a!.id, website: 'https://a.example.test' },
      { id: b!.id, tracking_url: 'https://b.example.test/track' },
    ]);
    expect(updated.map((r) => [r.id, r.name])).toEqual([
      [a!.id, a!.name],
      [b!.id, b!.name],
    ]);
    expect(writer.company.table('couriers').get(a!.id as number)?.website).toBe('https://a.example.test');
    await refused(
      writer,
      'PUT',
      '/couriers',
      [
        { id: a!.id, name: 'Changed' },
        { id: b!.id, name: 'x'.repeat(61) },
      ],
      400,
      'The field name must be a string with a maximum length of 60.',
    );
    await refused(writer, 'PUT', '/couriers', [{ id: a!.id, name: 'Changed' }, { id: 987654321 }], 404);
    await refused(writer, 'PUT', '/couriers', { id: a!.id }, 400, 'must be a JSON array');
  });

  it('judges the items of a collection PUT together', async () => {
    const [a, b, c] = rowsOf(writer.company, 'couriers').filter((r) => r.is_default !== true);
    const stored = pick(writer.company, 'couriers', (r) => r.is_default === true);
    await refused(
      writer,
      'PUT',
      '/couriers',
      [
        { id: a!.id, name: 'Same Name' },
        { id: b!.id, name: 'same name' },
      ],
      400,
      "The name 'same name' is given to more than one courier.",
    );
    await refused(
      writer,
      'PUT',
      '/couriers',
      [
        { id: a!.id, is_default: true },
        { id: b!.id, is_default: true },
      ],
      400,
      'Only one courier can be the default.',
    );
    await refused(
      writer,
      'PUT',
      '/couriers',
      [
        { id: a!.id, website: 'https://x.test' },
        { id: a!.id, website: 'https://y.test' },
      ],
      400,
      `names the courier '${String(a!.id)}' again`,
    );
    // The stored default, renamed in the same PUT that makes another the default, keeps its new name.
    await writer.ok('PUT', '/couriers', [
      { id: stored.id, name: 'Former Default' },
      { id: c!.id, is_default: true },
    ]);
    const after = writer.company.table('couriers');
    expect(after.get(stored.id as number)).toMatchObject({ name: 'Former Default', is_default: false });
    expect(
      after
        .all()
        .filter((r) => r.is_default === true)
        .map((r) => r.id),
    ).toEqual([c!.id]);
  });
});

describe('nominal report categories', () => {
  it('creates a category, deriving the layout it reports on from its type', async () => {
    const created = await writer.ok('POST', '/nominal_report_categories', {
      code: '95',
      description: 'Sundry income',
      account_report_category_type: 'NominalReportingCategoryTypeIncome',
    });
    expect(created).toMatchObject({ code: '95', account_report_type: 'ProfitLoss' });
    const asset = await writer.ok('POST', '/nominal_report_categories', {
      code: '96',
      description: 'Deposits held',
      account_report_category_type: 'NominalReportingCategoryTypeAsset',
    });
    expect(asset.account_report_type).toBe('BalanceSheet');
  });

  it('requires code, description and type, and refuses a code in use', async () => {
    const body: Row = {
      code: '97',
      description: 'X',
      account_report_category_type: 'NominalReportingCategoryTypeExpense',
    };
    for (const field of ['code', 'description', 'account_report_category_type']) {
      const { [field]: _left, ...rest } = body;
      await refused(
        writer,
        'POST',
        '/nominal_report_categories',
        rest,
        400,
        `The ${field} field is required.`,
      );
    }
    const taken = pick(writer.company, 'nominal_report_categories');
    await refused(
      writer,
      'POST',
      '/nominal_report_categories',
      { ...body, code: taken.code },
      400,
      'already used',
    );
    await refused(
      writer,
      'POST',
      '/nominal_report_categories',
      { ...body, code: '12345' },
      400,
      'maximum length of 4',
    );
  });

  it('changes only the description of a category', async () => {
    const category = pick(writer.company, 'nominal_report_categories');
    const changed = await writer.ok('PUT', `/nominal_report_categories/${String(category.id)}`, {
      description: 'Renamed heading',
    });
    expect(changed).toMatchObject({ code: category.code, description: 'Renamed heading' });
    // The nominal code views join the category live.
    const views = await writer.ok<Row[]>(
      'GET',
      `/nominal_code_views?$filter=report_category_id eq ${String(category.id)}&$select=report_category_description`,
    );
    expect(views.length).toBeGreaterThan(0);
    expect(new Set(views.map((v) => v.report_category_description))).toEqual(new Set(['Renamed heading']));
    await refused(
      writer,
      'PUT',
      `/nominal_report_categories/${String(category.id)}`,
      { code: 'Z9' },
      400,
      'The field code is read-only.',
    );
  });

  it('refuses to delete a category nominal codes are in, and deletes an unused one', async () => {
    const used = pick(writer.company, 'nominal_codes');
    await refused(
      writer,
      'DELETE',
      `/nominal_report_categories/${String(used.report_category_id)}`,
      undefined,
      400,
      /cannot be deleted because \d+ nominal codes? names? it\./,
    );
    const unused = await writer.ok('POST', '/nominal_report_categories', {
      code: '98',
      description: 'Unused',
      account_report_category_type: 'NominalReportingCategoryTypeLiability',
    });
    await writer.ok('DELETE', `/nominal_report_categories/${String(unused.id)}`);
  });
});

describe('the other reference records', () => {
  it('writes flow states, with a flow id no other state has', async () => {
    const state = await writer.ok('POST', '/flow_states', { flow_id: 'flow-1', value: '{"lastRun":null}' });
    await writer.ok('PUT', `/flow_states/${String(state.id)}`, { value: '{"lastRun":"2026-11-01"}' });
    await refused(writer, 'POST', '/flow_states', { flow_id: 'FLOW-1' }, 400, 'already used');
    await refused(writer, 'POST', '/flow_states', { value: 'x' }, 400, 'The flow_id field is required.');
    await writer.ok('DELETE', `/flow_states/${String(state.id)}`);
  });

  it('writes pending emails, with their required fields', async () => {
    const email = await writer.ok('POST', '/pending_emails', {
      email_type: 'CustomerOnHold',
      email_address: 'credit@example.test',
      user_number: 1,
    });
    await writer.ok('PUT', `/pending_emails/${String(email.id)}`, { email_subject: 'On stop' });
    await refused(
      writer,
      'POST',
      '/pending_emails',
      { email_type: 'CustomerOnHold', user_number: 1 },
      400,
      'The email_address field is required.',
    );
    await writer.ok('DELETE', `/pending_emails/${String(email.id)}`);
  });

  it('writes stocktake criteria templates', async () => {
    const template = await writer.ok('POST', '/stocktake_criteria_templates', { name: 'Fast movers' });
    expect(template.stock_value_number_of_items).toBe(100);
    await refused(
      writer,
      'PUT',
      `/stocktake_criteria_templates/${String(template.id)}`,
      { stocktake_traceable_type: 'Sometimes' },
      400,
      "The value 'Sometimes' is not valid for stocktake_traceable_type.",
    );
    await writer.ok('DELETE', `/stocktake_criteria_templates/${String(template.id)}`);
  });

  it('updates a payment group and the company details, checking what they name', async () => {
    const group = pick(writer.company, 'payment_groups');
    const changed = await writer.ok('PUT', `/payment_groups/${String(group.id)}`, { description: 'Cheques' });
    expect(changed).toMatchObject({
      payment_group_number: group.payment_group_number,
      description: 'Cheques',
    });
    await refused(writer, 'PUT', `/payment_groups/${String(group.id)}`, { payment_type: 'Barter' }, 400);
    const details = pick(writer.company, 'company_details');
    const renamed = await writer.ok('PUT', `/company_details/${String(details.id)}`, {
      telephone: '0113 496 0000',
      address: { city: 'Leeds' },
    });
    expect(renamed).toMatchObject({ name: details.name, telephone: '0113 496 0000' });
    expect((renamed.address as Row).city).toBe('Leeds');
    await refused(
      writer,
      'PUT',
      `/company_details/${String(details.id)}`,
      { country_code_id: 987654321 },
      400,
      "No country code was found with the Id '987654321' given in country_code_id.",
    );
  });
});

describe('who may write', () => {
  it.each([
    ['trial', USERS.trial, 'This is a trial account.'],
    ['limited', USERS.limited, 'Sales Ledger'],
  ] as const)('refuses the %s user with 403 and changes nothing', async (_kind, email, message) => {
    const other = await writerFor(testSandbox(), email);
    const customer = pick(other.company, 'customers');
    const memo = pick(other.company, 'customer_memos');
    await refused(other, 'POST', '/customer_memos', { customer_id: customer.id, note: 'x' }, 403, message);
    await refused(other, 'PUT', `/customer_memos/${String(memo.id)}`, { note: 'x' }, 403, message);
    await refused(other, 'DELETE', `/customer_memos/${String(memo.id)}`, undefined, 403, message);
    await refused(other, 'PUT', '/sop_incoterms', [], 403, message);
  });

  it('lets the limited user write what its role covers', async () => {
    const other = await writerFor(testSandbox(), USERS.limited);
    await other.ok('POST', '/couriers', { name: 'Limited Courier' });
  });
});
