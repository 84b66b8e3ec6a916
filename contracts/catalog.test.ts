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
