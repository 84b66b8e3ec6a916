/**
 * `/customer_sop_invoice_credit_line_views`: one row per line of a sales order's invoice, projected from the invoice
 * line, its invoice, order line, order, customer and product. Each row agrees with the records it is joined to, the
 * rows of an invoice sum to the posted invoice, the quantities to what the order lines say was invoiced, and an
 * edit to a joined product shows up at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const n = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const cents = (value: unknown): number => Math.round(n(value) * 100);
const ALL = '$top=5000';
const VIEW = '/customer_sop_invoice_credit_line_views';

function sumInto(sums: Map<string, number>, key: string, value: number): void {
  sums.set(key, (sums.get(key) ?? 0) + value);
}

describe(VIEW, () => {
  let app: SandboxApp;
  let caller: Caller;
  let rows: Row[];
  let orders: Row[];
  let customers: Map<unknown, Row>;
  let products: Map<unknown, Row>;
  let groups: Map<unknown, Row>;
  let invoices: Map<unknown, Row>;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    const [view, sopOrders, customerList, productList, groupList, posted] = await Promise.all([
      caller.json<Row[]>(`${VIEW}?${ALL}`),
      caller.json<Row[]>(`/sop_orders?$expand=lines&$orderby=id&${ALL}`),
      caller.json<Row[]>(`/customers?${ALL}`),
      caller.json<Row[]>(`/products?${ALL}`),
      caller.json<Row[]>(`/product_groups?${ALL}`),
      caller.json<Row[]>(
        `/sales_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice'&${ALL}`,
      ),
    ]);
    rows = view;
    orders = sopOrders;
    customers = new Map(customerList.map((c) => [c.id, c]));
    products = new Map(productList.map((p) => [p.id, p]));
    groups = new Map(groupList.map((g) => [g.id, g]));
    invoices = new Map(posted.map((t) => [t.reference, t]));
  });

  it('holds a row for every invoiced order line', () => {
    const invoicedLines = orders.flatMap((o) =>
      (o.lines as Row[]).filter((l) => n(l.invoice_credit_quantity) > 0),
    );
    expect(invoicedLines.length).toBeGreaterThan(0);
    expect(rows.length).toBe(invoicedLines.length);
    expect(new Set(rows.map((r) => r.sop_invoice_credit_line_id)).size).toBe(rows.length);
  });

  it('joins each row to its customer, product and product group', () => {
    for (const row of rows) {
      const customer = customers.get(row.customer_id);
      const product = products.get(row.product_id);
      expect(customer, String(row.sop_invoice_credit_document_no)).toBeDefined();
      expect(product, String(row.sop_invoice_credit_document_no)).toBeDefined();
      expect(row.customer_reference).toBe(customer!.reference);
      expect(row.customer_name).toBe(customer!.name);
      expect(row.product_code).toBe(product!.code);
      expect(row.product_name).toBe(product!.name);
      expect(row.product_group_id).toBe(product!.product_group_id);
      expect(row.product_group_code).toBe(groups.get(product!.product_group_id)?.code);
      expect(row.sop_invoice_credit_type).toBe('EnumInvoiceCreditTypeInvoice');
      expect(row.invoice_line_profit_analysis_line_quantity).toBeGreaterThan(0);
    }
  });

  it("sums each invoice's rows to the posted invoice's goods and tax, dated as it is", () => {
    const goods = new Map<string, number>();
    const tax = new Map<string, number>();
    for (const row of rows) {
      const document = String(row.sop_invoice_credit_document_no);
      sumInto(goods, document, cents(row.sop_invoice_credit_line_total_value));
      sumInto(tax, document, cents(row.sop_invoice_credit_line_tax_value));
      const posted = invoices.get(document);
      expect(posted, document).toBeDefined();
      expect(row.customer_id).toBe(posted!.customer_id);
      expect(row.sop_invoice_credit_document_date).toBe(posted!.transaction_date);
    }
    for (const [document, value] of goods) {
      expect(value, document).toBe(cents(invoices.get(document)!.document_goods_value));
      expect(tax.get(document), document).toBe(cents(invoices.get(document)!.document_tax_value));
    }
  });

  it("sums each customer's and product's quantities to the order lines' invoiced quantities, and costs them at the line's cost price", () => {
    const viewed = new Map<string, number>();
    for (const row of rows) {
      sumInto(
        viewed,
        `${String(row.customer_id)}/${String(row.product_id)}`,
        n(row.invoice_line_profit_analysis_line_quantity),
      );
    }
    const invoiced = new Map<string, number>();
    const costs = new Map<string, number>();
    for (const order of orders) {
      for (const line of order.lines as Row[]) {
        const quantity = n(line.invoice_credit_quantity);
        if (quantity === 0) continue;
        const key = `${String(order.customer_id)}/${String(line.product_id)}`;
        sumInto(invoiced, key, quantity);
        sumInto(costs, key, Math.round(n(line.cost_price) * quantity * 100));
      }
    }
    expect(viewed).toEqual(invoiced);
    const viewedCosts = new Map<string, number>();
    for (const row of rows) {
      const key = `${String(row.customer_id)}/${String(row.product_id)}`;
      sumInto(viewedCosts, key, cents(row.invoice_line_profit_analysis_realised_cost_value));
      expect(cents(row.invoice_line_profit_analysis_realised_profit_value)).toBe(
        cents(row.sop_invoice_credit_line_total_value) -
          cents(row.invoice_line_profit_analysis_realised_cost_value),
      );
    }
    expect(viewedCosts).toEqual(costs);
  });

  it("shows a product's new name on its invoice lines at once", async () => {
    const row = rows[0]!;
    const name = `Renamed ${String(row.product_code)}`;
    const response = await app.request(api(`/products/${String(row.product_id)}`), {
      method: 'PUT',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(200);
    const after = await caller.json<Row[]>(`${VIEW}?$filter=product_id eq ${String(row.product_id)}&${ALL}`);
    expect(after.length).toBe(rows.filter((r) => r.product_id === row.product_id).length);
    for (const line of after) expect(line.product_name).toBe(name);
  });
});
