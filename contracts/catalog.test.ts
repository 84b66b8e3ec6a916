import { describe, expect, it } from 'vitest';
import { loadCatalog, loadContract, resourceCatalog } from './index.ts';

describe('x-sandbox-resource.range-indexes', () => {
  it('declares the date fields integrations bound and order by on the posted transactions', () => {
    expect(loadCatalog().resource('sales_posted_transactions').rangeIndexes).toEqual([
      'transaction_date',
      'due_date',
      'date_time_updated',
      'date_time_created',
    ]);
    expect(loadCatalog().resource('tax_codes').rangeIndexes).toEqual([]);
  });

  it('refuses a field that is not a date field of the record schema', () => {
    const doc = structuredClone(loadContract());
    const path = doc.paths['/customers'] as Record<string, unknown>;
    path['x-sandbox-resource'] = { noun: 'customer', module: 'sales', 'range-indexes': ['balance'] };
    expect(() => resourceCatalog(doc)).toThrow(
      'contract paths./customers.x-sandbox-resource.range-indexes: balance is no date field of Customer',
    );
  });
});

describe('navigation properties', () => {
  it('reads related records, arrays of children and inline objects, with what nests inside them', () => {
    const customers = loadCatalog().resource('customers');
    expect(customers.expand.currency).toEqual({
      collection: 'currencies',
      foreignKey: 'currency_id',
      resource: 'currencies',
    });
    expect(customers.expand.contacts).toEqual({
      collection: 'customer_contacts',
      foreignKey: 'customer_id',
      many: true,
      resource: 'customer_contacts',
    });
    expect(customers.embedded.main_address?.expand.address_country_code?.resource).toBe('country_codes');
    expect(customers.embedded.main_address?.many).toBeUndefined();
    expect(loadCatalog().resource('banks').embedded.bank_contacts?.many).toBe(true);
  });

  /** The contract with `CustomerFields.contacts` replaced. */
  function withContacts(contacts: Record<string, unknown>) {
    const doc = structuredClone(loadContract());
    const fields = doc.components.schemas.CustomerFields as { properties: Record<string, unknown> };
    fields.properties.contacts = contacts;
    return doc;
  }

  it.each([
    [
      'an array whose link is no index of the child list',
      {
        type: 'array',
        'x-sage-expandable': true,
        'x-sandbox-foreign-key': 'first_name',
        items: { $ref: '#/components/schemas/CustomerContact' },
      },
      "x-sandbox-foreign-key first_name must be one of /customer_contacts's indexes",
    ],
    [
      'a property without its link',
      { type: 'array', 'x-sage-expandable': true, items: { $ref: '#/components/schemas/CustomerContact' } },
      'components.schemas.Customer.contacts: needs x-sandbox-foreign-key',
    ],
    [
      'a target no resource serves',
      {
        $ref: '#/components/schemas/ODataMetadata',
        'x-sage-expandable': true,
        'x-sandbox-foreign-key': 'id',
      },
      'expands to ODataMetadata, which no resource serves',
    ],
  ])('refuses %s', (_name, contacts, message) => {
    expect(() => resourceCatalog(withContacts(contacts))).toThrow(message);
  });
});

describe('x-sandbox-resource.view-where', () => {
  it('keeps the conditions of a view, a literal meaning eq', () => {
    expect(loadCatalog().resource('sales_historical_transactions').viewWhere).toEqual([
      { field: 'document_outstanding_value', operator: 'eq', value: 0 },
      { field: 'full_settlement_date', operator: 'lt', value: '2026-01-01T00:00:00' },
    ]);
  });

  it.each([
    [{ balance_due: 0 }, 'balance_due is no field of SalesPostedTransaction'],
    [{ urn: { between: 1 } }, 'between is not one of eq, ne, lt, le, gt, ge'],
    [{ urn: { lt: [1] } }, 'must be a literal'],
  ])('refuses %j', (where, message) => {
    const doc = structuredClone(loadContract());
    const path = doc.paths['/sales_historical_transactions'] as Record<string, Record<string, unknown>>;
    path['x-sandbox-resource'] = { ...path['x-sandbox-resource'], 'view-where': where };
    expect(() => resourceCatalog(doc)).toThrow(message);
  });

  it('belongs to a view only', () => {
    const doc = structuredClone(loadContract());
    const path = doc.paths['/customer_memos'] as Record<string, Record<string, unknown>>;
    path['x-sandbox-resource'] = { ...path['x-sandbox-resource'], 'view-where': { is_active: true } };
    expect(() => resourceCatalog(doc)).toThrow('belongs to a view (view-of)');
  });
});

describe('x-sandbox-lookup', () => {
  it('follows each id field to its collection, then reads the last field', () => {
    const lookups = loadCatalog().resource('product_price_views').lookups ?? [];
    expect(lookups.find((l) => l.field === 'product_stock_unit_name')).toEqual({
      field: 'product_stock_unit_name',
      hops: [
        { via: 'product_id', collection: 'products' },
        { via: 'stock_unit_id', collection: 'lookup_stock_item_units' },
      ],
      from: 'name',
    });
  });

  it.each([
    [['product_id', 'products'], 'must be [id field, collection, (id field, collection)..., field]'],
    [['product_id', 'stock_items', 'code'], 'stock_items is no collection of the contract'],
  ])('refuses %j', (lookup, message) => {
    const doc = structuredClone(loadContract());
    const schema = doc.components.schemas.ProductPriceView as {
      properties: Record<string, Record<string, unknown>>;
    };
    schema.properties.product_code = { ...schema.properties.product_code, 'x-sandbox-lookup': lookup };
    expect(() => resourceCatalog(doc)).toThrow(message);
  });
});

describe('x-sandbox-resource.derived-from', () => {
  it('names the collections a derived view is computed from, and which lists take $ageingdatetype', () => {
    const aged = loadCatalog().resource('sales_aged_debtor_detailed_views');
    expect(aged.derivedFrom).toEqual(['sales_posted_transactions', 'sales_ledger_settings']);
    expect(aged.ageing).toBe(true);
    expect(loadCatalog().resource('customer_views').ageing).toBe(false);
    expect(loadCatalog().resource('customers').derivedFrom).toBeUndefined();
  });

  it('refuses a source that is no stored collection', () => {
    const doc = structuredClone(loadContract());
    const path = doc.paths['/customer_views'] as Record<string, unknown>;
    path['x-sandbox-resource'] = {
      noun: 'customer view',
      module: 'sales',
      'derived-from': ['lookup_customers'],
    };
    expect(() => resourceCatalog(doc)).toThrow(
      'contract paths./customer_views.x-sandbox-resource.derived-from: lookup_customers is no stored collection of the contract',
    );
  });
});

describe('custom filtering', () => {
  it('marks the records by id that take Sage’s custom filtering, and the lists that filter only on named fields', () => {
    const catalog = loadCatalog();
    expect(catalog.resource('product_sales_figures').customFilter).toBe(true);
    expect(catalog.resource('product_purchase_figures').customFilter).toBe(true);
    expect(catalog.resources.filter((r) => r.customFilter).map((r) => r.path)).toHaveLength(2);
    expect(catalog.resource('sop_despatch_discrete_orders').filterFields).toEqual({
      confirmation_intent_type: 'lines.confirmation_intent_type',
      trader_id: 'customer_id',
      warehouse_id: 'lines.warehouse_id',
      document_no: 'document_no',
      document_date: 'document_date',
    });
  });

  it('refuses filter-fields on a list that is no view, and custom filtering on a record no view derives', () => {
    const doc = structuredClone(loadContract());
    const customers = doc.paths['/customers'] as Record<string, Record<string, unknown>>;
    customers['x-sandbox-resource'] = { ...customers['x-sandbox-resource'], 'filter-fields': { x: 'id' } };
    expect(() => resourceCatalog(doc)).toThrow('filter-fields reads the fields from the source of a view');
    const other = structuredClone(loadContract());
    const byId = other.paths['/customers/{Id}'] as unknown as { get: { parameters: unknown[] } };
    byId.get.parameters.push({ $ref: '#/components/parameters/TradingFiguresFilter' });
    expect(() => resourceCatalog(other)).toThrow('custom filtering ($filter on a record by id)');
  });
});
