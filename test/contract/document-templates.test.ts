/**
 * The templates that answer defaults and save nothing (`POST /sales_invoices_new`, `/sales_credit_notes_new`,
 * `/purchase_invoices_new`, `/purchase_credit_notes_new`, `/sop_quotes_new`, `PUT /sop_quotes_new/{Id}`) and
 * sales quotation CRUD (`POST /sop_quotes`, `PUT` and `DELETE /sop_quotes/{Id}`), written under the sales order rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;

const first = (co: CompanyStore, table: string, match: (r: SageRecord) => boolean = () => true) => {
  const found = co.table(table).all().find(match);
  if (!found) throw new Error(`no ${table} record to use`);
  return found;
};

describe('the invoice and credit note templates', () => {
  let app: SandboxApp;
  let writer: Writer;
  let co: CompanyStore;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    co = writer.company;
  });

  const CASES = [
    ['/sales_invoices_new', 'customers', 'customer_id', true],
    ['/sales_credit_notes_new', 'customers', 'customer_id', false],
    ['/purchase_invoices_new', 'suppliers', 'supplier_id', true],
    ['/purchase_credit_notes_new', 'suppliers', 'supplier_id', false],
  ] as const;

  it.each(CASES)(
    'POST %s answers the account defaults and saves nothing',
    async (path, traders, key, invoice) => {
      const account = first(
        co,
        traders,
        (a) => typeof a.default_tax_code_id === 'number' && Number(a.payment_terms_days) > 0,
      );
      const before = snapshot(co);
      const doc = await writer.ok('POST', path, { [key]: account.id });
      expect(snapshot(co)).toBe(before);
      const today = `${new Date(app.sandbox.clock.now()).toISOString().slice(0, 10)}T00:00:00`;
      expect(doc).toMatchObject({
        [key]: account.id,
        transaction_date: today,
        document_goods_value: 0,
        document_tax_value: 0,
        discount_percent: account.early_settlement_discount_percent,
        discount_days: account.early_settlement_discount_days,
        tax_analysis_items: [expect.objectContaining({ id: account.default_tax_code_id, goods_amount: 0 })],
        nominal_analysis_items: [
          expect.objectContaining({ code: account.default_nominal_code_reference, value: 0 }),
        ],
      });
      if (invoice) {
        const due = Date.parse(`${String(doc.due_date)}Z`) - Date.parse(`${today}Z`);
        expect(due / 86_400_000).toBe(account.payment_terms_days);
      }
    },
  );

  it('answers a template that the posting takes once its values are filled in', async () => {
    const customer = first(co, 'customers', (c) => typeof c.default_tax_code_id === 'number');
    const doc = await writer.ok<Row>('POST', '/sales_invoices_new', { customer_id: customer.id });
    const items = doc.tax_analysis_items as Row[];
    const nominal = doc.nominal_analysis_items as Row[];
    const posted = await writer.ok('POST', '/sales_invoices', {
      ...doc,
      document_goods_value: 100,
      document_tax_value: 20,
      tax_analysis_items: [{ ...items[0], goods_amount: 100, tax_amount: 20 }],
      nominal_analysis_items: [{ ...nominal[0], value: 100 }],
    });
    expect(posted).toBeDefined();
  });

  it.each([
    [{}, 'The customer_id field is required.'],
    [{ customer_id: 'one' }, "Error converting value \"one\" to type 'System.Int64'. Path 'customer_id'."],
    [{ customer_id: 987654321 }, "No customer was found with the Id '987654321' given in customer_id."],
  ])('refuses %j with a 400 naming the field, changing nothing', async (body, message) => {
    const before = snapshot(co);
    const answer = await writer.send('POST', '/sales_invoices_new', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ Message: message });
    expect(snapshot(co)).toBe(before);
  });

  it('serves trial sites, which may call a template, and refuses a role without the ledger', async () => {
    const trial = await writerFor(app, USERS.trial);
    const customer = first(trial.company, 'customers');
    const answer = await trial.send('POST', '/sales_invoices_new', { customer_id: customer.id });
    expect(answer.status).toBe(200);
    const limited = await writerFor(app, USERS.limited);
    const refused = await limited.send('POST', '/sales_credit_notes_new', {
      customer_id: first(limited.company, 'customers').id,
    });
    expect(refused.status).toBe(403);
    const supplier = first(limited.company, 'suppliers');
    expect((await limited.send('POST', '/purchase_invoices_new', { supplier_id: supplier.id })).status).toBe(
      200,
    );
  });
});

describe('sales quotations: templates and CRUD under the sales order rules', () => {
  let app: SandboxApp;
  let writer: Writer;
  let co: CompanyStore;
  let customer: SageRecord;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.full);
    co = writer.company;
    customer = first(co, 'customers', (c) => c.on_hold === false);
  });

  const product = () => first(co, 'products', (p) => typeof p.tax_code_id === 'number');
  const warehouse = () => first(co, 'warehouses');
  const standard = (quantity: number, price: number): Row => ({
    line_type: 'EnumLineTypeStandard',
    product_id: product().id,
    warehouse_id: warehouse().id,
    line_quantity: quantity,
    selling_unit_price: price,
  });

  it('POST /sop_quotes_new answers the next quotation number, a 30-day expiry and saves nothing', async () => {
    const numbers = co
      .table('sop_quotes')
      .all()
      .map((q) => Number(q.document_no));
    const before = snapshot(co);
    const template = await writer.ok('POST', '/sop_quotes_new', { customer_id: customer.id });
    expect(snapshot(co)).toBe(before);
    expect(template).toMatchObject({
      id: 0,
      customer_id: customer.id,
      customer_type: 'EnumCustomerTypeCredit',
      currency_id: customer.currency_id,
      lines: [],
    });
    expect(Number(template.document_no)).toBe(Math.max(...numbers) + 1);
    const days =
      (Date.parse(`${String(template.quotation_expiry_date)}Z`) -
        Date.parse(`${String(template.document_date)}Z`)) /
      86_400_000;
    expect(days).toBe(30);
  });

  it('creates a quotation with priced lines and totals (rule: the sales order line and total rules)', async () => {
    const template = await writer.ok('POST', '/sop_quotes_new', { customer_id: customer.id });
    const worked = await writer.ok('PUT', '/sop_quotes_new/0', { ...template, lines: [standard(4, 25)] });
    const quote = await writer.ok('POST', '/sop_quotes', { ...template, lines: [standard(4, 25)] });
    const rate = Number(
      first(co, 'tax_codes', (t) => t.id === (quote.lines as Row[])[0]?.tax_code_id).tax_rate,
    );
    expect(quote).toMatchObject({
      customer_id: customer.id,
      document_no: template.document_no,
      subtotal_goods_value: 100,
      total_net_value: 100,
      total_tax_value: Math.round(rate * 100) / 100,
    });
    expect(worked.total_gross_value).toBe(quote.total_gross_value);
    expect(worked.id).toBe(0);
    const [line] = quote.lines as Row[];
    expect(line).toMatchObject({
      code: product().code,
      description: product().name,
      line_total_value: 100,
      sop_quote_id: quote.id,
    });
    const read = await writer.ok('GET', `/sop_quotes/${quote.id}`);
    expect(read.total_gross_value).toBe(quote.total_gross_value);
    const views = await writer.ok<Row[]>('GET', `/sop_quote_line_views?$filter=sop_quote_id eq ${quote.id}`);
    expect(views.map((v) => v.sop_quote_line_total_value)).toEqual([100]);
  });

  it('neither allocates stock nor counts in the customer value of current orders', async () => {
    const holdingsBefore = JSON.stringify(co.table('warehouse_holdings').all());
    const valueBefore = co.table('customers').get(customer.id as number)?.value_of_current_orders_in_sop;
    const quote = await writer.ok('POST', '/sop_quotes', {
      customer_id: customer.id,
      lines: [standard(2, 10)],
    });
    expect(JSON.stringify(co.table('warehouse_holdings').all())).toBe(holdingsBefore);
    expect(co.table('customers').get(customer.id as number)?.value_of_current_orders_in_sop).toBe(
      valueBefore,
    );
    const refused = await writer.send('PUT', `/sop_quotes/${quote.id}`, {
      lines: [{ id: (quote.lines as Row[])[0]?.id, allocated_quantity: 1 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      Message: 'The lines[0].allocated_quantity must be 0: a sales quotation allocates no stock.',
    });
  });

  it('PUT changes only what is sent, line by line; PUT /sop_quotes_new/{Id} works it out without saving', async () => {
    const quote = await writer.ok('POST', '/sop_quotes', {
      customer_id: customer.id,
      lines: [standard(1, 10), standard(2, 10)],
    });
    const [keep, change] = quote.lines as Row[];
    const body = {
      customer_document_no: 'RFQ-NEW',
      lines: [
        { id: change?.id, line_quantity: 5 },
        { id: keep?.id, is_to_delete: true },
      ],
    };
    const before = snapshot(co);
    const worked = await writer.ok('PUT', `/sop_quotes_new/${quote.id}`, body);
    expect(snapshot(co)).toBe(before);
    const saved = await writer.ok('PUT', `/sop_quotes/${quote.id}`, body);
    expect(saved).toMatchObject({ customer_document_no: 'RFQ-NEW', subtotal_goods_value: 50 });
    expect(worked.total_gross_value).toBe(saved.total_gross_value);
    expect((saved.lines as Row[]).map((l) => l.id)).toEqual([change?.id]);
    expect(co.table('sop_quote_lines').get(keep?.id as number)).toBeUndefined();
  });

  it('DELETE removes the quotation and its lines', async () => {
    const quote = await writer.ok('POST', '/sop_quotes', {
      customer_id: customer.id,
      lines: [standard(1, 1)],
    });
    const answer = await writer.send('DELETE', `/sop_quotes/${quote.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined();
    expect(co.table('sop_quotes').get(quote.id as number)).toBeUndefined();
    expect(co.table('sop_quote_lines').lookup('sop_quote_id', quote.id as number) ?? []).toEqual([]);
    expect((await writer.send('DELETE', `/sop_quotes/${quote.id}`)).status).toBe(404);
  });

  it.each([
    ['no customer', () => ({ lines: [] }), 'The customer_id field is required.'],
    [
      'an unknown customer type',
      () => ({ customer_id: customer.id, customer_type: 'Friendly' }),
      "The value 'Friendly' is not valid for customer_type. Valid values: EnumCustomerTypeCash, EnumCustomerTypeCredit, EnumCustomerTypeProspect.",
    ],
    [
      'a standard line without its product',
      () => ({ customer_id: customer.id, lines: [{ line_type: 'EnumLineTypeStandard', line_quantity: 1 }] }),
      'The lines[0].product_id field is required.',
    ],
    [
      'a line on an unknown tax code',
      () => ({
        customer_id: customer.id,
        lines: [{ ...standard(1, 1), tax_code_id: 987654321 }],
      }),
      "No tax code was found with the Id '987654321' given in lines[0].tax_code_id.",
    ],
    [
      'lines that are not an array',
      () => ({ customer_id: customer.id, lines: 'two' }),
      "Error converting value \"two\" to type 'System.Collections.Generic.List'. Path 'lines'.",
    ],
  ])('POST /sop_quotes refuses %s with a 400 and changes nothing', async (_case, body, message) => {
    const before = snapshot(co);
    const answer = await writer.send('POST', '/sop_quotes', body());
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ Message: message });
    expect(snapshot(co)).toBe(before);
  });

  it('refuses to move a quotation to another customer', async () => {
    const quote = first(co, 'sop_quotes');
    const other = first(co, 'customers', (c) => c.id !== quote.customer_id);
    const answer = await writer.send('PUT', `/sop_quotes/${quote.id}`, { customer_id: other.id });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ Message: 'The customer_id of a sales quotation cannot be changed.' });
  });

  it('refuses trial sites (403, nothing changed) but lets them call the templates', async () => {
    const trial = await writerFor(app, USERS.trial);
    const id = first(trial.company, 'customers').id;
    const before = snapshot(trial.company);
    expect((await trial.send('POST', '/sop_quotes', { customer_id: id })).status).toBe(403);
    const quote = first(trial.company, 'sop_quotes');
    expect((await trial.send('PUT', `/sop_quotes/${quote.id}`, {})).status).toBe(403);
    expect((await trial.send('DELETE', `/sop_quotes/${quote.id}`)).status).toBe(403);
    expect((await trial.send('POST', '/sop_quotes_new', { customer_id: id })).status).toBe(200);
    expect(
      (await trial.send('PUT', `/sop_quotes_new/${quote.id}`, { customer_document_no: 'X' })).status,
    ).toBe(200);
    expect(snapshot(trial.company)).toBe(before);
    const limited = await writerFor(app, USERS.limited);
    expect((await limited.send('POST', '/sop_quotes_new', { customer_id: id })).status).toBe(403);
  });
});
