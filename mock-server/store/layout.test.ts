import { describe, expect, it } from 'vitest';
import { loadContract, resourceCatalog } from '../../contracts/index.ts';
import type { SageRecord } from '../world/model.ts';
import type { CollectionTable } from './collection-table.ts';
import { storeLayout } from './layout.ts';

const doc = structuredClone(loadContract());
const layout = storeLayout(resourceCatalog(doc), doc);

/** A projection that joins nothing reads no table. */
const unreachable = (collection: string): never => {
  throw new Error(`the projection read ${collection}`);
};

describe('a view with view-where', () => {
  const history = layout.views.get('sales_historical_transactions')!;

  it.each([
    [{ document_outstanding_value: 0, full_settlement_date: '2025-12-31T00:00:00' }, true],
    [{ document_outstanding_value: 0, full_settlement_date: '2026-01-01T00:00:00' }, false],
    [{ document_outstanding_value: 0.01, full_settlement_date: '2025-06-30T00:00:00' }, false],
    [{ document_outstanding_value: 0, full_settlement_date: null }, false],
    [{ document_outstanding_value: 0 }, false],
  ])('keeps %j: %s', (record, kept) => {
    expect(history.keeps(record)).toBe(kept);
  });

  it('keeps a customer with a band and drops one without', () => {
    const bands = layout.views.get('customer_price_bands')!;
    expect(bands.keeps({ id: 1, price_band_id: 7 })).toBe(true);
    expect(bands.keeps({ id: 1, price_band_id: null })).toBe(false);
    expect(bands.project({ id: 1, price_band_id: 7, name: 'x' }, unreachable)).toMatchObject({
      id: 1,
      customer_id: 1,
      price_band_id: 7,
    });
  });
});

describe('a view with declared joins', () => {
  const lines = layout.views.get('sop_order_line_views')!;
  const records: Record<string, Record<number, SageRecord>> = {
    sop_orders: { 5: { id: 5, document_no: '0000123', customer_id: 7, currency_id: 9 } },
    customers: { 7: { id: 7, reference: 'ABC001', name: 'Abc Ltd' } },
    currencies: { 9: { id: 9, name: 'Euro', symbol: '€' } },
  };
  const table = (collection: string) =>
    ({ get: (id: number) => records[collection]?.[id] }) as unknown as CollectionTable;

  it('follows a join from the record an earlier one reached: a line’s order’s customer and currency', () => {
    expect(lines.project({ id: 1, sop_order_id: 5 }, table)).toMatchObject({
      sop_order_document_no: '0000123',
      customer_id: 7,
      customer_reference: 'ABC001',
      customer_name: 'Abc Ltd',
      sop_order_currency_name: 'Euro',
    });
  });

  it('leaves a field blank when a join finds no record', () => {
    expect(lines.project({ id: 1, sop_order_id: 6 }, table)).toMatchObject({ customer_name: '' });
  });
});

describe('a collection with lookups', () => {
  const prices = layout.joins.get('product_price_views')!;
  const records: Record<string, Record<number, Record<string, unknown>>> = {
    products: { 10: { id: 10, code: 'WID-1', name: 'Widget', stock_unit_id: 20 } },
    lookup_stock_item_units: { 20: { id: 20, name: 'Each' } },
    price_bands: { 30: { id: 30, name: 'Trade', currency_id: 40 } },
    currencies: { 40: { id: 40, name: 'Pound Sterling', symbol: '£' } },
  };
  const find = (collection: string, id: number) => records[collection]?.[id] as never;

  it('reads every field from its related records, in steps', () => {
    const filled = prices.fill(
      { product_price_id: 1, product_id: 10, price_band_id: 30, product_code: '' },
      find,
    );
    expect(filled).toMatchObject({
      product_code: 'WID-1',
      product_name: 'Widget',
      product_stock_unit_name: 'Each',
      price_band_name: 'Trade',
      currency_id: 40,
      currency_name: 'Pound Sterling',
      currency_symbol: '£',
    });
    expect(prices.collections).toEqual(['products', 'lookup_stock_item_units', 'price_bands', 'currencies']);
  });

  it('leaves the stored value when a related record is missing', () => {
    expect(prices.fill({ product_id: 99, price_band_id: 30, product_code: '' }, find).product_code).toBe('');
  });
});
