import { describe, expect, it } from 'vitest';
import type { SageRecord } from '../world/model.ts';
import {
  countQuery,
  ODataError,
  type ODataQuery,
  parseQuery,
  project,
  type ResourceModel,
  runQuery,
} from './index.ts';
import { customerModel, customers, transactionModel } from './test-model.ts';

function query(search: string, model: ResourceModel = customerModel): ODataQuery {
  return parseQuery(new URLSearchParams(search), model);
}

function queryError(search: string, model: ResourceModel = customerModel): ODataError {
  try {
    query(search, model);
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`expected ?${search} to be rejected`);
}

function ids(records: readonly SageRecord[]): unknown[] {
  return records.map((record) => record.id);
}

describe('parseQuery options', () => {
  it('defaults to $top=500, no skip, no count, no order, no expansion', () => {
    expect(query('')).toEqual({ expand: [], orderby: [], top: 500, skip: 0, count: false });
  });

  it('ignores parameters that do not start with $', () => {
    expect(query('page=2&top=9&filter=nonsense')).toEqual(query(''));
  });

  it.each(['$search=acme', '$format=json', '$apply=x', '$levels=2'])(
    'rejects the unsupported option %s',
    (search) => {
      const name = search.split('=')[0] as string;
      expect(queryError(search).message).toBe(`The query option ${name} is not supported.`);
    },
  );

  it('rejects an option spelled in upper case and says options are lowercase', () => {
    expect(queryError('$Top=5').message).toContain('option names are lowercase: $top');
  });

  it.each(['$top=5&$top=6', '$filter=on_hold&$filter=on_hold', '$orderby=id&$orderby=name'])(
    'rejects an option given twice: %s',
    (search) => {
      expect(queryError(search).message).toContain('was given more than once');
    },
  );

  it.each(['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count'])(
    'rejects an empty %s',
    (option) => {
      const error = queryError(`${option}=`);
      expect(error.message).toBe(`The query option ${option} has an empty value.`);
      expect(error.option).toBe(option);
    },
  );
});

describe('$top and $skip', () => {
  it.each([
    ['$top=0', 0],
    ['$top=25', 25],
    ['$top=0025', 25],
    ['$top=5000', 5000],
  ])('accepts %s', (search, top) => {
    expect(query(search).top).toBe(top);
  });

  it.each([
    '$top=-1',
    '$top=1.5',
    '$top=ten',
    '$top= 5',
    '$top=1e3',
    '$skip=-2&$orderby=id',
    '$skip=x&$orderby=id',
  ])('rejects %s, which is not a non-negative whole number', (search) => {
    expect(queryError(search).message).toContain('must be a non-negative whole number');
  });

  it('rejects $top above 5000 and names the limit', () => {
    expect(queryError('$top=5001').message).toBe(
      'The query option $top must be between 0 and 5000, not 5001.',
    );
  });

  it('takes defaultTop and maxTop from the caller', () => {
    const limits = { defaultTop: 10, maxTop: 20 };
    expect(parseQuery(new URLSearchParams(''), customerModel, limits).top).toBe(10);
    expect(() => parseQuery(new URLSearchParams('$top=21'), customerModel, limits)).toThrow(
      'between 0 and 20',
    );
  });

  it('refuses limits where the default exceeds the maximum', () => {
    expect(() => parseQuery(new URLSearchParams(''), customerModel, { defaultTop: 50, maxTop: 10 })).toThrow(
      RangeError,
    );
  });

  it('rejects $skip without $orderby', () => {
    expect(queryError('$skip=10').message).toContain('The query option $skip requires $orderby');
    expect(queryError('$skip=0').message).toContain('requires $orderby');
  });

  it('accepts $skip with $orderby', () => {
    expect(query('$skip=10&$orderby=id')).toMatchObject({
      skip: 10,
      orderby: [{ field: 'id', direction: 'asc' }],
    });
  });
});

describe('$count', () => {
  it.each([
    ['$count=true', true],
    ['$count=false', false],
  ])('accepts %s', (search, count) => {
    expect(query(search).count).toBe(count);
  });

  it.each(['$count=TRUE', '$count=1', '$count=yes'])('rejects %s', (search) => {
    expect(queryError(search).message).toContain('$count must be true or false');
  });
});

describe('$orderby', () => {
  it('reads several keys with case-insensitive directions, ascending by default', () => {
    expect(query('$orderby=balance DESC, name,id asc').orderby).toEqual([
      { field: 'balance', direction: 'desc' },
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ]);
  });

  it.each([
    ['$orderby=nope', "Could not find a property named 'nope' on type 'customer'"],
    ['$orderby=main_address', "'main_address', which is an object and can't be ordered"],
    ['$orderby=memos desc', 'is an array'],
    ['$orderby=id,name,id desc', "names 'id' more than once"],
    ['$orderby=id sideways', "direction 'sideways'; use asc or desc"],
    ['$orderby=id asc desc', "must be 'property [asc|desc]'"],
    ['$orderby=id,', 'empty item'],
    ['$orderby=currency.name', 'ordering by a property of a related object is not supported'],
  ])('rejects %s', (search, fragment) => {
    const error = queryError(search);
    expect(error.message).toContain(fragment);
    expect(error.option).toBe('$orderby');
  });
});

describe('$expand', () => {
  it('lists expandable children once each, in the order given', () => {
    expect(query('$expand=contacts,currency,contacts').expand).toEqual([
      { name: 'contacts', expand: [] },
      { name: 'currency', expand: [] },
    ]);
  });

  it('nests a/b paths under their first step, merging repeats and prefixes', () => {
    expect(query('$expand=contacts/currency,main_address/address_currency,contacts').expand).toEqual([
      { name: 'contacts', expand: [{ name: 'currency', expand: [] }] },
      { name: 'main_address', expand: [{ name: 'address_currency', expand: [] }] },
    ]);
  });

  it.each([
    [
      '$expand=customer',
      "names 'customer', but type 'customer' cannot expand 'customer' (expandable: currency, contacts, main_address)",
    ],
    [
      '$expand=currency/currency_iso_code',
      "type 'currency' cannot expand 'currency_iso_code' (nothing can be",
    ],
    ['$expand=contacts/', "type 'customer_contact' cannot expand ''"],
    ['$expand=contacts($select=name)', 'expand options are not supported'],
    ['$expand=contacts.currency', "nest with '/'"],
    ['$expand=currency,,contacts', 'empty item'],
  ])('rejects %s', (search, fragment) => {
    const error = queryError(search);
    expect(error.message).toContain(fragment);
    expect(error.option).toBe('$expand');
  });
});

describe('$metadata', () => {
  it.each([
    ['$metadata=true', 'with-expandable'],
    ['$metadata=false', 'without-expandable'],
  ])('reads %s', (search, option) => {
    expect(query(search).metadata).toBe(option);
  });

  it.each(['$metadata=yes', '$metadata=TRUE', '$metadata=1'])('rejects %s', (search) => {
    const error = queryError(search);
    expect(error.message).toContain('must be true or false');
    expect(error.option).toBe('$metadata');
  });
});

describe('$select', () => {
  it('lists fields, expanded children and child fields, without duplicates', () => {
    expect(query('$expand=currency,contacts&$select=id,name,currency.name,contacts,id').select).toEqual([
      { kind: 'property', name: 'id' },
      { kind: 'property', name: 'name' },
      { kind: 'child-property', child: 'currency', name: 'name' },
      { kind: 'property', name: 'contacts' },
    ]);
  });

  it('keeps a navigation property expanded inside a child: contacts.currency with contacts/currency', () => {
    expect(query('$expand=contacts/currency&$select=contacts.currency,contacts.name').select).toEqual([
      { kind: 'child-property', child: 'contacts', name: 'currency' },
      { kind: 'child-property', child: 'contacts', name: 'name' },
    ]);
    expect(queryError('$expand=contacts&$select=contacts.currency').message).toContain(
      "'contacts/currency' must be expanded too; add $expand=contacts/currency",
    );
  });

  it('reaches into an inline object without $expand, as it is always served', () => {
    expect(query('$select=id,main_address.postcode').select).toEqual([
      { kind: 'property', name: 'id' },
      { kind: 'child-property', child: 'main_address', name: 'postcode' },
    ]);
  });

  it.each([
    ['$select=nope', "Could not find a property named 'nope' on type 'customer'"],
    ['$select=*', 'wildcards are not supported'],
    ['$select=currency.name', "'currency' must be expanded too; add $expand=currency"],
    ['$select=currency', 'only returned when expanded; add $expand=currency'],
    ['$expand=currency&$select=currency.nope', "Could not find a property named 'nope' on type 'currency'"],
    ['$select=memos.text', "'memos' on type 'customer' is not expandable"],
    ['$select=main_address.town', "Could not find a property named 'town' on type 'customer.main_address'"],
    ['$select=nope.city', "Could not find a property named 'nope' on type 'customer'"],
    ['$expand=currency&$select=currency/name', 'write properties of expanded objects as child.field'],
    ['$expand=currency&$select=currency.name.x', 'only one level'],
    ['$select=id,,name', 'empty item'],
  ])('rejects %s', (search, fragment) => {
    const error = queryError(search);
    expect(error.message).toContain(fragment);
    expect(error.option).toBe('$select');
  });
});

describe('runQuery', () => {
  it('keeps storage order without $orderby or a default order', () => {
    expect(ids(runQuery(customers(), query(''), customerModel))).toEqual([1, 2, 3, 4, 5]);
  });

  it('applies $top and $skip after filtering and ordering', () => {
    const records = customers();
    expect(ids(runQuery(records, query('$orderby=id desc&$skip=1&$top=2'), customerModel))).toEqual([4, 3]);
    expect(ids(runQuery(records, query('$filter=id ne 2&$top=2'), customerModel))).toEqual([1, 3]);
    expect(
      ids(runQuery(records, query('$filter=id ne 2&$orderby=id&$skip=2&$top=5'), customerModel)),
    ).toEqual([4, 5]);
    expect(runQuery(records, query('$top=0'), customerModel)).toEqual([]);
  });

  it.each([
    ['$orderby=balance desc,name', [1, 4, 5, 2, 3]],
    ['$orderby=balance,name desc', [3, 2, 5, 4, 1]],
    // ties on currency_id keep storage order: a stable sort
    ['$orderby=currency_id', [1, 3, 4, 2, 5]],
    ['$orderby=currency_id desc', [5, 2, 1, 3, 4]],
  ])('sorts stably on several keys: %s', (search, expected) => {
    expect(ids(runQuery(customers(), query(search), customerModel))).toEqual(expected);
  });

  it.each([
    // Acme Ltd and acme holdings compare case-insensitively: 'acme h' < 'acme l'
    ['$orderby=name', [3, 1, 4, 2, 5]],
    ['$orderby=reference', [1, 3, 2, 4, 5]],
    // nulls first ascending, last descending
    ['$orderby=credit_limit', [2, 4, 3, 5, 1]],
    ['$orderby=credit_limit desc', [1, 5, 3, 4, 2]],
    ['$orderby=account_opened', [4, 5, 1, 3, 2]],
    // three spellings of one instant tie and keep storage order
    ['$orderby=date_time_updated', [3, 1, 4, 5, 2]],
    ['$orderby=on_hold', [1, 3, 4, 2, 5]],
    // enums sort by number, whether stored by name or number
    ['$orderby=account_status_type desc', [2, 4, 1, 3, 5]],
  ])('orders each type as Sage would: %s', (search, expected) => {
    expect(ids(runQuery(customers(), query(search), customerModel))).toEqual(expected);
  });

  it("uses the resource's default order when $orderby is absent", () => {
    const records: SageRecord[] = [
      { id: 1, transaction_date: '2025-01-01T00:00:00' },
      { id: 2, transaction_date: '2025-03-01T00:00:00' },
      { id: 3, transaction_date: '2025-01-01T00:00:00' },
      { id: 4, transaction_date: '2025-02-01T00:00:00' },
    ];
    expect(ids(runQuery(records, query('', transactionModel), transactionModel))).toEqual([2, 4, 1, 3]);
    expect(ids(runQuery(records, query('$orderby=id desc', transactionModel), transactionModel))).toEqual([
      4, 3, 2, 1,
    ]);
  });

  it('does not modify the candidates', () => {
    const records = customers();
    const before = ids(records);
    runQuery(records, query('$orderby=name desc'), customerModel);
    expect(ids(records)).toEqual(before);
  });
});

describe('countQuery', () => {
  it('counts every match and ignores $top and $skip', () => {
    const records = customers();
    expect(countQuery(records, query('$count=true&$top=1&$skip=1&$orderby=id'), customerModel)).toBe(5);
    expect(countQuery(records, query('$count=true&$top=1&$filter=on_hold eq false'), customerModel)).toBe(3);
  });
});

describe('project', () => {
  const expanded: SageRecord = {
    id: 1,
    name: 'Acme Ltd',
    balance: 10,
    currency_id: 1,
    currency: { id: 1, name: 'Pound Sterling', symbol: '£' },
    contacts: [
      { id: 7, name: 'Ann', email: 'ann@example.com' },
      { id: 8, name: 'Bob', email: 'bob@example.com' },
    ],
  };

  it('returns the record unchanged without $select', () => {
    expect(project(expanded, undefined)).toBe(expanded);
  });

  it("keeps only the selected fields, in the record's order", () => {
    expect(project(expanded, query('$select=balance,id').select)).toEqual({ id: 1, balance: 10 });
    expect(Object.keys(project(expanded, query('$select=balance,id').select))).toEqual(['id', 'balance']);
  });

  it('keeps child.field inside an expanded object and inside each element of an expanded array', () => {
    const select = query('$expand=currency,contacts&$select=id,currency.name,contacts.name').select;
    expect(project(expanded, select)).toEqual({
      id: 1,
      currency: { name: 'Pound Sterling' },
      contacts: [{ name: 'Ann' }, { name: 'Bob' }],
    });
  });

  it('keeps a whole expanded child named on its own, even beside one of its fields', () => {
    const select = query('$expand=currency&$select=currency.name,currency').select;
    expect(project(expanded, select)).toEqual({ currency: expanded.currency });
  });

  it('drops expanded children that $select does not name', () => {
    const select = query('$expand=currency&$select=id').select;
    expect(project(expanded, select)).toEqual({ id: 1 });
  });

  it('leaves a null expanded child null', () => {
    const select = query('$expand=currency&$select=id,currency.name').select;
    expect(project({ id: 2, currency: null }, select)).toEqual({ id: 2, currency: null });
  });
});
