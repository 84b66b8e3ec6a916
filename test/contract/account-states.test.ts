/**
 * The trading group's accounts in the states a sync meets (mock-server/seed/account-states.ts): hidden customers,
 * supplier and nominal code, a supplier on hold and a customer over its credit limit, read through the API, and the
 * writes refused for them, each changing nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { GROUP_USER } from '../../mock-server/seed/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { groupTestSandbox } from '../support/sandbox.ts';
import { type Writer, writerFor } from '../support/writes.ts';

const HIDDEN = "account_status_type eq 'AccountStatusHidden'";
const pence = (value: unknown): number => Math.round(Number(value) * 100);

describe.each([0, 1, 2])('the trading group, company %i: account states', (companyIndex) => {
  let app: SandboxApp;
  let writer: Writer;
  const list = (path: string): Promise<SageRecord[]> => writer.ok<SageRecord[]>('GET', path);

  beforeAll(async () => {
    app = groupTestSandbox();
    writer = await writerFor(app, GROUP_USER, companyIndex);
  });

  it('has hidden customers and a hidden supplier that owe and are owed nothing', async () => {
    const customers = await list(`/customers?$filter=${HIDDEN}`);
    const suppliers = await list(`/suppliers?$filter=${HIDDEN}`);
    expect(customers.length).toBeGreaterThanOrEqual(2);
    expect(suppliers).toHaveLength(1);
    for (const account of [...customers, ...suppliers]) expect(account.balance).toBe(0);
    const orders = await list(`/sop_orders?$filter=customer_id eq ${String(customers[0]!.id)}`);
    expect(orders).toEqual([]);
  });

  it('has a supplier on hold that the company owes, and a customer over its credit limit', async () => {
    const held = await list('/suppliers?$filter=on_hold eq true');
    expect(held.length).toBeGreaterThan(0);
    expect(held.some((s) => Number(s.balance) > 0)).toBe(true);
    const customers = await list('/customers?$filter=on_hold eq false');
    expect(customers.some((c) => Number(c.balance) > Number(c.credit_limit))).toBe(true);
  });

  it('has a hidden nominal code with no movement this year', async () => {
    const [code, ...others] = await list(`/nominal_codes?$filter=${HIDDEN}`);
    expect(others).toEqual([]);
    expect(code!.balance_year_to_date).toBe(0);
  });

  it('refuses a sales invoice and a sales order for a hidden customer, until it is active again', async () => {
    const [customer] = await list(`/customers?$filter=${HIDDEN}&$top=1`);
    const invoice = {
      customer_id: customer!.id,
      document_goods_value: 100,
      document_tax_value: 20,
    };
    const refused = await writer.send('POST', '/sales_invoices', invoice);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(
      `customer_id ${String(customer!.id)} is a hidden customer account`,
    );
    const order = await writer.send('POST', '/sop_orders', { customer_id: customer!.id });
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toContain('is a hidden account');
    expect(
      await list(
        `/sales_posted_transactions?$filter=customer_id eq ${String(customer!.id)} and document_goods_value eq 100`,
      ),
    ).toEqual([]);

    await writer.ok('PUT', `/customers/${String(customer!.id)}`, {
      account_status_type: 'AccountStatusActive',
    });
    const accepted = await writer.send('POST', '/sales_invoices', invoice);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  });

  it('refuses a purchase invoice for the hidden supplier and a purchase order for the supplier on hold', async () => {
    const [hidden] = await list(`/suppliers?$filter=${HIDDEN}`);
    const before = pence(hidden!.balance);
    const invoice = await writer.send('POST', '/purchase_invoices', {
      supplier_id: hidden!.id,
      document_goods_value: 100,
      document_tax_value: 20,
    });
    expect(invoice.status).toBe(400);
    expect(JSON.stringify(invoice.body)).toContain('is a hidden supplier account');
    expect(pence((await writer.ok<SageRecord>('GET', `/suppliers/${String(hidden!.id)}`)).balance)).toBe(
      before,
    );

    const [held] = await list('/suppliers?$filter=on_hold eq true&$top=1');
    const order = await writer.send('POST', '/pop_orders', { supplier_id: held!.id });
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toContain('is on hold; it takes no purchase orders');
  });

  it('refuses a bank payment to the hidden nominal code, and changes nothing', async () => {
    const [code] = await list(`/nominal_codes?$filter=${HIDDEN}`);
    const [bank] = await list("/banks?$filter=code eq 'CURRENT'");
    const payment = await writer.send('POST', '/bank_payment', {
      bank_id: bank!.id,
      nominal_analysis_items: [
        {
          code: code!.reference,
          cost_centre: code!.cost_centre_code,
          department: code!.department_code,
          goods_value: 50,
        },
      ],
    });
    expect(payment.status).toBe(400);
    expect(JSON.stringify(payment.body)).toContain('is a hidden nominal code');
    const after = await writer.ok<SageRecord>('GET', `/banks/${String(bank!.id)}`);
    expect(after.balance).toBe(bank!.balance);
  });
});
