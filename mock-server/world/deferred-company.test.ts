import { describe, expect, it } from 'vitest';
import { DEFERRABLE_FIELDS, deferFields, deferredCompany } from './deferred-company.ts';
import type { CompanyWorld } from './model.ts';

function builtCompany(id = 7): CompanyWorld {
  return {
    company_id: id,
    company_name: 'Harbour Lights Ltd',
    company_details: { id: 2001, name: 'Harbour Lights Ltd' },
    licence: { is_sales_enabled: true },
    collections: { customers: [{ id: 2002, reference: 'ABB001' }] } as unknown as CompanyWorld['collections'],
    nominal_entries: [],
    ledger_imbalance: 0,
    next_urn: 12,
    next_id: 2003,
  };
}

/** A company deferred on `builtCompany`, counting how often its load ran. */
function deferred() {
  const loads = { count: 0 };
  const made = deferredCompany(7, 'Harbour Lights Ltd', () => {
    loads.count++;
    made.settle(builtCompany());
  });
  return { made, loads };
}

describe('a deferred company', () => {
  it('loads once, on the first read of a field, then serializes as the company built in full', () => {
    const { made, loads } = deferred();
    expect(made.company.company_name).toBe('Harbour Lights Ltd');
    expect(loads.count).toBe(0);
    expect(made.settled).toBe(false);
    expect(made.company.next_id).toBe(2003);
    expect(made.company.collections.customers).toHaveLength(1);
    expect(loads.count).toBe(1);
    expect(JSON.stringify(made.company)).toBe(JSON.stringify(builtCompany()));
    expect(Object.keys(made.company)).toEqual(['company_id', 'company_name', ...DEFERRABLE_FIELDS]);
    for (const field of DEFERRABLE_FIELDS)
      expect(Object.getOwnPropertyDescriptor(made.company, field)).toMatchObject({ writable: true });
  });

  it('loads before a write, and keeps what was written', () => {
    const { made, loads } = deferred();
    made.company.next_id = 5000;
    expect(loads.count).toBe(1);
    expect(made.company.next_id).toBe(5000);
    expect(made.company.next_urn).toBe(12);
  });

  it('keeps the values it was first settled with', () => {
    const { made } = deferred();
    made.settle({ ...builtCompany(), next_id: 9 });
    made.settle(builtCompany());
    expect(made.company.next_id).toBe(9);
  });

  it('still reads and writes through its accessors once frozen', () => {
    const { made } = deferred();
    Object.freeze(made.company);
    expect(made.company.licence).toEqual({ is_sales_enabled: true });
    made.company.next_urn = 13;
    expect(made.company.next_urn).toBe(13);
  });

  it('says which company when its load settles nothing', () => {
    const company = deferredCompany(42, 'Nowhere Ltd', () => {}).company;
    expect(() => company.collections).toThrow('company 42: its records were not filled in');
  });

  it('defers only the fields it is given', () => {
    const company = builtCompany();
    const made = deferFields(company, ['collections', 'nominal_entries'], () => {
      made.settle({ collections: builtCompany().collections, nominal_entries: [] });
    });
    expect(made.settled).toBe(false);
    expect(company.next_id).toBe(2003);
    expect(made.settled).toBe(false);
    expect(company.collections.customers).toHaveLength(1);
    expect(made.settled).toBe(true);
  });
});
