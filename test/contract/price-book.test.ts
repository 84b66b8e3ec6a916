/**
 * The price book's views: `/customer_price_bands` projects each customer's band live, and `/product_price_views`
 * holds a price per product and band whose product, unit, band and currency fields are read from their records
 * when the list is read, so they agree with `/products`, `/price_bands` and `/currencies`, and follow writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('price book views', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  const put = (path: string, body: Row) =>
    app.request(api(path), {
      method: 'PUT',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('link every customer to the price band its account names', async () => {
    const customers = await caller.json<Row[]>('/customers?$orderby=id&$top=5000&$select=id,price_band_id');
    const links = await caller.json<Row[]>('/customer_price_bands?$orderby=id&$top=5000');
    expect(links.map((l) => [l.customer_id, l.price_band_id])).toEqual(
      customers.map((c) => [c.id, c.price_band_id]),
    );
    const customer = customers[0]!;
    const expanded = await caller.json<Row>(`/customers/${String(customer.id)}?$expand=limited_price_bands`);
    const [link] = expanded.limited_price_bands as Row[];
    expect(link?.price_band_id).toBe(customer.price_band_id);
    const withBand = await caller.json<Row>(`/customer_price_bands/${String(link?.id)}?$expand=price_band`);
    expect(withBand.price_band).toEqual(await caller.json(`/price_bands/${String(customer.price_band_id)}`));
  });

  it('price every product in every band, with the names of its records', async () => {
    const products = await caller.json<Row[]>('/products?$top=5000');
    const bands = await caller.json<Row[]>('/price_bands');
    const currencies = new Map((await caller.json<Row[]>('/currencies')).map((c) => [c.id, c]));
    const units = new Map(
      (await caller.json<Row[]>('/lookup_stock_item_units?$top=5000')).map((u) => [u.id, u]),
    );
    const prices = await caller.json<Row[]>('/product_price_views?$top=5000');
    expect(prices).toHaveLength(products.length * bands.length);
    const productOf = new Map(products.map((p) => [p.id, p]));
    const bandOf = new Map(bands.map((b) => [b.id, b]));
    const standard = new Map(
      prices.filter((p) => bandOf.get(p.price_band_id)?.is_standard_band).map((p) => [p.product_id, p]),
    );
    for (const price of prices) {
      const product = productOf.get(price.product_id)!;
      const band = bandOf.get(price.price_band_id)!;
      const currency = currencies.get(band.currency_id)!;
      expect(price).toMatchObject({
        product_code: product.code,
        product_name: product.name,
        product_stock_unit_name: units.get(product.stock_unit_id)?.name,
        price_band_name: band.name,
        currency_id: band.currency_id,
        currency_name: currency.name,
        currency_symbol: currency.symbol,
      });
      if (price.product_price_use_standard)
        expect(price.product_price_price).toBe(standard.get(price.product_id)?.product_price_price);
    }
    const codes = prices.map((p) => String(p.product_code));
    expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
  });

  it('hold the prices the open sales orders charge each customer in its band', async () => {
    const orders = await caller.json<Row[]>('/sop_orders?$expand=lines&$top=5000');
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      const customer = await caller.json<Row>(`/customers/${String(order.customer_id)}`);
      for (const line of order.lines as Row[]) {
        const [price] = await caller.json<Row[]>(
          `/product_price_views?$filter=product_id eq ${String(line.product_id)} and price_band_id eq ${String(customer.price_band_id)}`,
        );
        expect(price?.product_price_price).toBe(line.selling_unit_price);
      }
    }
  });

  it('follow a renamed product and a customer moved to another band at once', async () => {
    const [product] = await caller.json<Row[]>('/products?$orderby=id&$top=1');
    expect((await put(`/products/${String(product?.id)}`, { name: 'Renamed Widget' })).status).toBe(200);
    const renamed = await caller.json<Row[]>(
      `/product_price_views?$filter=product_id eq ${String(product?.id)}`,
    );
    expect(renamed.length).toBeGreaterThan(0);
    for (const price of renamed) expect(price.product_name).toBe('Renamed Widget');

    const [customer] = await caller.json<Row[]>('/customers?$orderby=id&$top=1');
    const other = (await caller.json<Row[]>('/price_bands')).find((b) => b.id !== customer?.price_band_id);
    expect((await put(`/customers/${String(customer?.id)}`, { price_band_id: other?.id })).status).toBe(200);
    const links = await caller.json<Row[]>(
      `/customer_price_bands?$filter=customer_id eq ${String(customer?.id)}`,
    );
    expect(links.map((l) => l.price_band_id)).toEqual([other?.id]);
  });

  it("keep customers' bands from a role without the Sales Ledger, and prices open to it", async () => {
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/customer_price_bands')).status).toBe(403);
    expect((await limited.get('/product_price_views')).status).toBe(200);
  });
});
