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

describe('x-sandbox-resource joins and where', () => {
  const withResource = (path: string, resource: Record<string, unknown>) => {
    const doc = structuredClone(loadContract());
    (doc.paths[path] as Record<string, unknown>)['x-sandbox-resource'] = resource;
    return doc;
  };
  const lineViews = loadCatalog().resource('sop_order_line_views');

  it('reads a view’s joins in order, and the collections no path serves', () => {
    expect(lineViews.joins?.slice(0, 2)).toEqual([
      { alias: 'sop_order', collection: 'sop_orders', on: 'sop_order_id' },
      { alias: 'customer', collection: 'customers', on: 'sop_order.customer_id' },
    ]);
    expect(loadCatalog().internal.map((c) => c.collection)).toContain('sop_despatch_lines');
  });

  it.each([
    [{ collection: 'nowhere', on: 'sop_order_id' }, 'join x: nowhere is no collection'],
    [
      { collection: 'customers', on: 'later.customer_id' },
      'join x: on later.customer_id names no field nor earlier join',
    ],
  ])('refuses a join %j', (join, message) => {
    const doc = withResource('/sop_order_line_views', {
      noun: 'SOP order line view',
      'view-of': 'sop_order_lines',
      joins: [{ alias: 'x', ...join }],
    });
    expect(() => resourceCatalog(doc)).toThrow(message);
  });

  it('refuses joins and where on a resource that is not a view', () => {
    const doc = withResource('/customers', { noun: 'customer', where: { on_hold: [true] } });
    expect(() => resourceCatalog(doc)).toThrow('joins and where belong to a view (view-of)');
  });
});
