/**
 * The questions that save nothing (`POST /customer_price_enquiry`, `/product_search`, `/suggested_products`), each
 * answer checked against the records it is read from, and the tracking details `PUT /sop_despatch_receipts/{Id}`
 * changes.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('enquiries that save nothing', () => {
  let app: SandboxApp;
  let caller: Caller;
  let trial: Caller;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    trial = await callerFor(app, USERS.trial);
  });

  const send = (who: Caller, method: string, path: string, body: unknown) =>
    app.request(api(path), {
      method,
      headers: { ...who.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const post = async <T = Row>(path: string, body: unknown, who = caller): Promise<T> => {
    const response = await send(who, 'POST', path, body);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };
  const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
    const response = await send(caller, method, path, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { Message: string }).Message).toMatch(message);
  };

  describe('POST /customer_price_enquiry', () => {
    let customers: Row[];
    let products: Row[];
    let prices: Row[];
    beforeAll(async () => {
      customers = await caller.json<Row[]>('/customers?$orderby=id&$top=5000');
      products = await caller.json<Row[]>('/products?$orderby=id&$top=5000');
      prices = await caller.json<Row[]>('/product_price_views?$top=5000');
    });
    const bandPrice = (customer: Row, product: Row) =>
      prices.find((p) => p.product_id === product.id && p.price_band_id === customer.price_band_id)
        ?.product_price_price;

    it('prices a product at the price of the customer band, in the customer currency', async () => {
      const bands = new Set(customers.map((c) => c.price_band_id));
      expect(bands.size).toBeGreaterThan(1);
      for (const bandId of bands) {
        const customer = customers.find((c) => c.price_band_id === bandId)!;
        const product = products[0]!;
        const answer = await post('/customer_price_enquiry', {
          customer_id: customer.id,
          product_id: product.id,
          quantity: 3,
        });
        const unit = bandPrice(customer, product);
        expect(unit).toBeTypeOf('number');
        const currency = await caller.json<Row>(`/currencies/${String(customer.currency_id)}`);
        expect(answer).toMatchObject({
          customer_id: customer.id,
          product_id: product.id,
          quantity: 3,
          unit_price: unit,
          discounted_unit_price: unit,
          total_price_before_discount: Math.round((unit as number) * 300) / 100,
          total_discount: 0,
          total_discounted_price: Math.round((unit as number) * 300) / 100,
          currency_id: customer.currency_id,
          currency_name: currency.name,
          currency_symbol: currency.symbol,
          selling_unit_id: product.stock_unit_id,
          pricing_unit_id: product.stock_unit_id,
          previous_prices: [],
        });
      }
    });

    it("converts a band priced in another currency into the customer's", async () => {
      const bands = await caller.json<Row[]>('/price_bands');
      const currencies = new Map((await caller.json<Row[]>('/currencies')).map((c) => [c.id, c]));
      const customer = customers.find((c) => c.currency_id !== undefined && c.price_band_id !== undefined)!;
      const band = bands.find((b) => b.currency_id !== customer.currency_id)!;
      expect(band).toBeDefined();
      const moved = await send(caller, 'PUT', `/customers/${String(customer.id)}`, {
        price_band_id: band.id,
      });
      expect(moved.status, await moved.clone().text()).toBe(200);
      const product = products[1]!;
      const answer = await post('/customer_price_enquiry', {
        customer_id: customer.id,
        product_id: product.id,
      });
      const price = prices.find((p) => p.product_id === product.id && p.price_band_id === band.id)!;
      const rate = (id: unknown) => Number(currencies.get(id)?.core_currency_rate);
      const expected =
        Math.round(
          (Number(price.product_price_price) / rate(band.currency_id)) * rate(customer.currency_id) * 100,
        ) / 100;
      expect(answer.unit_price).toBeCloseTo(expected, 2);
      expect(answer.currency_id).toBe(customer.currency_id);
      const restored = await send(caller, 'PUT', `/customers/${String(customer.id)}`, {
        price_band_id: customer.price_band_id,
      });
      expect(restored.status).toBe(200);
    });

    it('lists the last five prices the customer paid on its sales orders, newest first', async () => {
      const orders = await caller.json<Row[]>('/sop_orders?$expand=lines&$top=5000&$orderby=id');
      const lines = orders
        .filter((o) => o.is_draft !== true)
        .flatMap((o) => (o.lines as Row[]).map((line) => ({ order: o, line })));
      const { order, line } = lines[0]!;
      const expected = lines
        .filter((l) => l.order.customer_id === order.customer_id && l.line.product_id === line.product_id)
        .sort(
          (a, b) =>
            String(b.order.document_date).localeCompare(String(a.order.document_date)) ||
            Number(b.order.id) - Number(a.order.id) ||
            Number(b.line.id) - Number(a.line.id),
        )
        .slice(0, 5)
        .map((l) => ({
          sop_document_no: l.order.document_no,
          sop_document_date: l.order.document_date,
          quantity: l.line.line_quantity,
          discounted_unit_price: l.line.discounted_unit_price,
        }));
      const answer = await post('/customer_price_enquiry', {
        customer_id: order.customer_id,
        product_id: line.product_id,
        include_previous_prices: true,
      });
      expect(answer.previous_prices).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('answers trial sites too, and saves nothing', async () => {
      const [customer] = await trial.json<Row[]>('/customers?$orderby=id&$top=1');
      const [product] = await trial.json<Row[]>('/products?$orderby=id&$top=1');
      const before = await trial.json<Row[]>('/sop_orders?$top=5000');
      const answer = await post(
        '/customer_price_enquiry',
        { customer_id: customer!.id, product_id: product!.id },
        trial,
      );
      expect(answer.quantity).toBe(1);
      expect(answer.total_discounted_price).toBe(answer.unit_price);
      expect(await trial.json<Row[]>('/sop_orders?$top=5000')).toEqual(before);
    });

    it.each([
      [{ product_id: 1 }, /customer_id/],
      [{ customer_id: -1, product_id: 1 }, /No customer was found with the Id '-1'/],
      [{ customer_id: 'x', product_id: 1 }, /customer_id/],
    ])('refuses %j with 400', async (body, message) => {
      await refused('POST', '/customer_price_enquiry', body, message);
    });

    it('refuses an unknown product, a negative quantity and a unit the product is not sold in', async () => {
      const customer_id = customers[0]!.id;
      const product = products[0]!;
      await refused('POST', '/customer_price_enquiry', { customer_id, product_id: -5 }, /No product/);
      await refused(
        'POST',
        '/customer_price_enquiry',
        { customer_id, product_id: product.id, quantity: -1 },
        /quantity cannot be negative/,
      );
      await refused(
        'POST',
        '/customer_price_enquiry',
        { customer_id, product_id: product.id, selling_unit_id: Number(product.stock_unit_id) + 99999 },
        /not a unit of the product/,
      );
    });

    it('prices any quantity at the band price times the quantity', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: customers.length - 1 }),
          fc.nat({ max: products.length - 1 }),
          fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000),
          async (c, p, quantity) => {
            const customer = customers[c]!;
            const product = products[p]!;
            const answer = await post('/customer_price_enquiry', {
              customer_id: customer.id,
              product_id: product.id,
              quantity,
            });
            const unit = bandPrice(customer, product) as number;
            expect(answer.unit_price).toBe(unit);
            expect(answer.total_discounted_price).toBe(
              Number((Math.round(unit * quantity * 100 + Number.EPSILON) / 100).toFixed(2)),
            );
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe('POST /product_search', () => {
    it('finds the products whose group holds every value asked for', async () => {
      const links = await caller.json<Row[]>('/product_group_search_category_values?$top=5000');
      expect(links.length).toBeGreaterThan(0);
      const link = links[0]!;
      const criteria = [
        { search_category_id: link.search_category_id, search_value_id: link.search_value_id },
      ];
      const answer = await post('/product_search', {
        search_category_values: criteria,
        show_inactive: true,
        show_phantom: true,
      });
      const groups = new Set(
        links.filter((l) => l.search_value_id === link.search_value_id).map((l) => l.product_group_id),
      );
      const products = await caller.json<Row[]>('/products?$top=5000');
      const expected = products
        .filter((p) => groups.has(p.product_group_id))
        .map((p) => String(p.code))
        .sort((a, b) => a.localeCompare(b));
      const found = answer.matching_products as Row[];
      expect(found.map((p) => p.code)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      const first = products.find((p) => p.code === found[0]!.code)!;
      expect(found[0]).toMatchObject({
        id: first.id,
        product_id: first.id,
        name: first.name,
        product_status_type: first.product_status_type,
        free_stock_quantity: first.free_stock_quantity,
      });
      expect(answer).toMatchObject({
        search_category_values: criteria,
        product_search_type: 'EnumStockItemTypeAll',
      });
    });

    it('leaves inactive products out unless asked for, and narrows by product type', async () => {
      const links = await caller.json<Row[]>('/product_group_search_category_values?$top=5000');
      const link = links[0]!;
      const criteria = [
        { search_category_id: link.search_category_id, search_value_id: link.search_value_id },
      ];
      const before = (await post('/product_search', { search_category_values: criteria }))
        .matching_products as Row[];
      const target = before[0]!;
      const changed = await send(caller, 'PUT', `/products/${String(target.id)}`, {
        product_status_type: 'EnumStockItemStatusTypeInactive',
      });
      expect(changed.status, await changed.clone().text()).toBe(200);
      const active = (await post('/product_search', { search_category_values: criteria }))
        .matching_products as Row[];
      expect(active.map((p) => p.id)).toEqual(before.filter((p) => p.id !== target.id).map((p) => p.id));
      const all = (await post('/product_search', { search_category_values: criteria, show_inactive: true }))
        .matching_products as Row[];
      expect(all.map((p) => p.id)).toEqual(before.map((p) => p.id));
      expect(all.find((p) => p.id === target.id)?.product_status_type).toBe(
        'EnumStockItemStatusTypeInactive',
      );
      const groups = new Map(
        (await caller.json<Row[]>('/product_groups')).map((g) => [g.id, g.product_type]),
      );
      const products = new Map((await caller.json<Row[]>('/products?$top=5000')).map((p) => [p.id, p]));
      for (const type of ['EnumStockItemTypeStock', 'EnumStockItemTypeServiceLabour']) {
        const found = (
          await post('/product_search', {
            search_category_values: criteria,
            show_inactive: true,
            product_search_type: type,
          })
        ).matching_products as Row[];
        expect(found.map((p) => p.id)).toEqual(
          all.filter((p) => groups.get(products.get(p.id)?.product_group_id) === type).map((p) => p.id),
        );
        for (const p of found) expect(p.product_type).toBe(type);
      }
    });

    it('refuses no criteria, an unknown value and a value of another category', async () => {
      await refused('POST', '/product_search', {}, /search_category_values/);
      await refused('POST', '/product_search', { search_category_values: [] }, /at least one/);
      const values = await caller.json<Row[]>('/search_values?$top=5000');
      const value = values[0]!;
      const other = values.find((v) => v.search_category_id !== value.search_category_id);
      await refused(
        'POST',
        '/product_search',
        { search_category_values: [{ search_category_id: value.search_category_id, search_value_id: -3 }] },
        /No search value/,
      );
      if (other)
        await refused(
          'POST',
          '/product_search',
          {
            search_category_values: [
              { search_category_id: other.search_category_id, search_value_id: value.id },
            ],
          },
          /is not a value of the search category/,
        );
      await refused(
        'POST',
        '/product_search',
        {
          search_category_values: [
            { search_category_id: value.search_category_id, search_value_id: value.id },
          ],
          product_search_type: 'Everything',
        },
        /product_search_type/,
      );
    });
  });

  describe('POST /suggested_products', () => {
    it("suggests the customer's ordered products, each from its order lines", async () => {
      const orders = (await caller.json<Row[]>('/sop_orders?$expand=lines&$top=5000')).filter(
        (o) => o.is_draft !== true,
      );
      const customerId = orders[0]!.customer_id;
      const own = orders.filter((o) => o.customer_id === customerId);
      const answer = await post<Row[]>('/suggested_products', {
        customer_id: customerId,
        show_frequent_items: true,
        show_recent_items: true,
        show_preferred_items: true,
        number_of_days_for_recent_items: 365,
        number_of_days_for_frequent_items: 365,
        minimum_number_of_lines_for_frequent_items: 1,
      });
      expect(answer.length).toBeGreaterThan(0);
      const customer = await caller.json<Row>(`/customers/${String(customerId)}`);
      for (const suggestion of answer) {
        const holding = own.filter((o) => (o.lines as Row[]).some((l) => l.product_id === suggestion.id));
        expect(holding.length, String(suggestion.code)).toBe(suggestion.number_orders_appears);
        const lastDate = holding
          .map((o) => String(o.document_date))
          .sort()
          .at(-1);
        expect(suggestion.last_sales_date).toBe(lastDate);
        expect(holding.some((o) => o.document_no === suggestion.last_order_number)).toBe(true);
        const enquiry = await post('/customer_price_enquiry', {
          customer_id: customerId,
          product_id: suggestion.id,
        });
        expect(suggestion.price).toBe(enquiry.unit_price);
        expect(['Preferred', 'Recent', 'Frequent']).toContain(suggestion.source);
        const preferred = holding.some((o) =>
          (o.lines as Row[]).some((l) => l.product_id === suggestion.id && l.mark_as_preferred === true),
        );
        if (preferred) expect(suggestion.source).toBe('Preferred');
      }
      expect(customer.id).toBe(customerId);
    });

    it('suggests every product the customer ordered within a year as recent, and a marked one as preferred', async () => {
      const orders = (await caller.json<Row[]>('/sop_orders?$expand=lines&$top=5000&$orderby=id')).filter(
        (o) => o.is_draft !== true,
      );
      const order = orders[0]!;
      const customerId = order.customer_id;
      const own = orders.filter((o) => o.customer_id === customerId);
      const latest = own
        .map((o) => String(o.document_date))
        .sort()
        .at(-1)!;
      const recent = await post<Row[]>('/suggested_products', {
        customer_id: customerId,
        show_recent_items: true,
        number_of_days_for_recent_items: 365,
      });
      const ordered = new Set(own.flatMap((o) => (o.lines as Row[]).map((l) => l.product_id)));
      expect(new Set(recent.map((r) => r.id))).toEqual(ordered);
      for (const r of recent) expect(r.source).toBe('Recent');
      expect(recent.some((r) => r.last_sales_date === latest)).toBe(true);

      const line = (order.lines as Row[])[0]!;
      const marked = await send(caller, 'PUT', `/sop_orders/${String(order.id)}`, {
        lines: [{ id: line.id, mark_as_preferred: true }],
      });
      expect(marked.status, await marked.clone().text()).toBe(200);
      const stored = await caller.json<Row>(`/sop_order_lines/${String(line.id)}`);
      expect(stored.mark_as_preferred).toBe(true);
      const preferred = await post<Row[]>('/suggested_products', {
        customer_id: customerId,
        show_recent_items: true,
        show_preferred_items: true,
        number_of_days_for_recent_items: 365,
      });
      const row = preferred.find((r) => r.id === line.product_id)!;
      expect(row.source).toBe('Preferred');
      const onlyPreferred = await post<Row[]>('/suggested_products', {
        customer_id: customerId,
        show_preferred_items: true,
      });
      expect(onlyPreferred.map((r) => r.id)).toEqual([line.product_id]);
    });

    it('refuses options that ask for nothing, or out of range', async () => {
      const customers = await caller.json<Row[]>('/customers?$top=1');
      const customer_id = customers[0]!.id;
      await refused('POST', '/suggested_products', { customer_id }, /At least one of show_frequent_items/);
      await refused(
        'POST',
        '/suggested_products',
        { customer_id, show_recent_items: true, number_of_days_for_recent_items: 366 },
        /range 1 to 365/,
      );
      await refused(
        'POST',
        '/suggested_products',
        { customer_id: -1, show_recent_items: true },
        /No customer/,
      );
    });
  });

  describe('PUT /sop_despatch_receipts/{Id}', () => {
    it('changes the tracking details, the courier name following the courier', async () => {
      const [receipt] = await caller.json<Row[]>('/sop_despatch_receipts?$top=1');
      const couriers = await caller.json<Row[]>('/couriers');
      const courier = couriers.find((c) => c.id !== receipt!.courier_id)!;
      const response = await send(caller, 'PUT', `/sop_despatch_receipts/${String(receipt!.id)}`, {
        courier_id: courier.id,
        consignment_no: 'GB123456789',
        weight: 12.5,
        pieces: 4,
        notes: 'Left with reception',
      });
      expect(response.status).toBe(200);
      const expected = {
        id: receipt!.id,
        despatch_no: receipt!.despatch_no,
        courier_id: courier.id,
        courier_name: courier.name,
        consignment_no: 'GB123456789',
        weight: 12.5,
        pieces: 4,
        notes: 'Left with reception',
      };
      expect(await response.json()).toMatchObject(expected);
      expect(await caller.json(`/sop_despatch_receipts/${String(receipt!.id)}`)).toMatchObject(expected);
    });

    it('refuses a read-only field, an unknown courier and a negative weight, changing nothing', async () => {
      const [receipt] = await caller.json<Row[]>('/sop_despatch_receipts?$orderby=id&$top=1&$skip=1');
      const path = `/sop_despatch_receipts/${String(receipt!.id)}`;
      await refused('PUT', path, { despatch_no: 'X1' }, /despatch_no is read-only/);
      await refused('PUT', path, { courier_id: 987654321 }, /No courier was found with the Id '987654321'/);
      await refused('PUT', path, { weight: -1 }, /weight .* cannot be negative/);
      await refused('PUT', path, { consignment_no: 'x'.repeat(61) }, /consignment_no/);
      expect(await caller.json(path)).toEqual(receipt);
    });

    it('refuses trial sites with 403', async () => {
      const [receipt] = await caller.json<Row[]>('/sop_despatch_receipts?$top=1');
      const response = await send(trial, 'PUT', `/sop_despatch_receipts/${String(receipt!.id)}`, {
        notes: 'x',
      });
      expect(response.status).toBe(403);
    });
  });
});
