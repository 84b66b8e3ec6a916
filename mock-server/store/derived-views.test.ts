import { describe, expect, it } from 'vitest';
import { TEST_AS_OF } from '../../test/support/as-of.ts';
import { buildWorld } from '../seed/index.ts';
import type { DerivedView } from '../views/index.ts';
import { dayOf } from '../world/calendar.ts';
import { CompanyStore, defaultStoreLayout, type StoreLayout } from './index.ts';

const today = dayOf('2026-11-02');
const world = buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF });
const companyOf = () => structuredClone(world.sites[0]!.companies[0]!);

describe('derived views in the store', () => {
  it('keeps a view until a collection it is derived from changes', () => {
    const store = new CompanyStore(companyOf());
    const first = store.table('customer_views');
    expect(store.table('customer_views')).toBe(first);
    store.table('nominal_codes').put({ ...store.table('nominal_codes').all()[0]! });
    expect(store.table('customer_views'), 'a collection it does not read').toBe(first);
    const customer = store.table('customers').all()[0]!;
    store.table('customers').put({ ...customer, name: 'Renamed Ltd' });
    const again = store.table('customer_views');
    expect(again).not.toBe(first);
    expect(again.get(customer.id as number)?.name).toBe('Renamed Ltd');
  });

  it('keeps an aged view per ageing type, and computes it again when the day changes', () => {
    const store = new CompanyStore(companyOf());
    const byDate = store.table('sales_aged_debtor_summary_views', { today, ageing: 'TransactionDate' });
    const byMonth = store.table('sales_aged_debtor_summary_views', { today, ageing: 'CalendarMonth' });
    expect(byMonth).not.toBe(byDate);
    expect(store.table('sales_aged_debtor_summary_views', { today, ageing: 'TransactionDate' })).toBe(byDate);
    expect(
      store.table('sales_aged_debtor_summary_views', { today: today + 1, ageing: 'TransactionDate' }),
    ).not.toBe(byDate);
    expect(() => store.table('sales_aged_debtor_summary_views')).toThrow('needs today and an ageing type');
  });

  it('refuses a view that reads a collection its contract entry does not name', () => {
    const layout = defaultStoreLayout();
    const sneaky: DerivedView = { aged: false, build: (sources) => [...sources.all('banks')] };
    const derived = new Map(layout.derived);
    derived.set('customer_views', { sources: ['customers'], view: sneaky });
    const store = new CompanyStore(companyOf(), { ...layout, derived } satisfies StoreLayout);
    expect(() => store.table('customer_views')).toThrow('reads banks, not in its derived-from');
  });
});
