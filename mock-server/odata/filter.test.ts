import { describe, expect, it } from 'vitest';
import type { SageRecord } from '../world/model.ts';
import {
  compileFilter,
  filterConstraints,
  ODataError,
  parseQuery,
  type ResourceModel,
  runQuery,
} from './index.ts';
import {
  customerModel,
  customers,
  syntheticTransactions,
  THREE_CLAUSE_FILTER,
  transactionModel,
} from './test-model.ts';

function idsMatching(filter: string, model: ResourceModel = customerModel, records = customers()): unknown[] {
  const query = parseQuery(new URLSearchParams({ $filter: filter }), model);
  return runQuery(records, query, model).map((record) => record.id);
}

function filterError(filter: string, model: ResourceModel = customerModel): ODataError {
  try {
    parseQuery(new URLSearchParams({ $filter: filter }), model);
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`expected $filter=${filter} to be rejected`);
}

describe('$filter comparisons', () => {
  it.each([
    ['id eq 1', [1]],
    ['id ne 1', [2, 3, 4, 5]],
    ['balance gt 1000', [1]],
    ['balance ge 1000', [1, 4, 5]],
    ['balance lt 0', [3]],
    ['balance le 0', [2, 3]],
    ['balance eq 1500.5', [1]],
    ['balance eq -20', [3]],
    ['balance gt -20.5', [1, 2, 3, 4, 5]],
  ])('compares numbers: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it.each([
    ['1000 lt balance', [1]],
    ['1000 ge balance', [2, 3, 4, 5]],
    ["'ACME01' eq reference", [1]],
  ])('accepts the literal on the left and flips the operator: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it.each([
    ["reference eq 'acme01'", [1]],
    ["reference eq 'ACME03'", [3]],
    ["reference ne 'ACME01'", [2, 3, 4, 5]],
    ["name gt 'b'", [2, 4, 5]],
    ["name le 'ACME LTD'", [1, 3]],
  ])('compares strings without regard to case: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it("reads '' inside a string literal as one quote", () => {
    expect(idsMatching("name eq 'O''Brien & Sons'")).toEqual([2]);
    expect(idsMatching("contains(name,'''')")).toEqual([2]);
  });

  it.each([
    ["contains(name,'ACME')", [1, 3]],
    ["startswith(reference,'acme')", [1, 3]],
    ["endswith(name,'plc')", [4]],
    ["contains(name,'é')", [5]],
    ["contains(name,'acme') eq true", [1, 3]],
    ["contains(name,'acme') eq false", [2, 4, 5]],
    ["contains(name,'acme') ne true", [2, 4, 5]],
    ["false eq contains(name,'acme')", [2, 4, 5]],
    ["not contains(name,'acme')", [2, 4, 5]],
  ])('supports the string functions, alone or compared with a boolean: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it.each([
    ['on_hold', [2, 5]],
    ['not on_hold', [1, 3, 4]],
    ['on_hold eq false', [1, 3, 4]],
    ['on_hold ne true', [1, 3, 4]],
  ])('treats a boolean property as a condition: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it.each([
    ['credit_limit eq null', [2]],
    ['account_opened eq null', [4]],
    ['credit_limit ne null', [1, 3, 4, 5]],
    ['credit_limit lt 2000', [3, 4]],
    ['credit_limit ne 5000', [2, 3, 4, 5]],
    ['null eq credit_limit', [2]],
  ])('treats null and missing values as OData does: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });
});

describe('$filter dates', () => {
  it.each([
    ['account_opened eq 2020-01-15', [1, 3]],
    ['account_opened lt 2020-01-01', [5]],
    ['account_opened ge 2021-06-30', [2]],
    ['date_time_updated ge 2025-03-01', [1, 2, 4, 5]],
    ['date_time_updated lt 2025-03-01T00:00:00Z', [3]],
    ['date_time_updated gt 2025-03-01T09:12:44.119Z', [1, 2, 4, 5]],
    ['date_time_updated eq 2025-03-01T09:12:44.12Z', [1, 4, 5]],
    ['date_time_updated gt 2025-03-01T09:12:44.120Z', [2]],
    ['date_time_updated gt 2025-03-01T09:12Z', [1, 2, 4, 5]],
  ])('compares dates and date-times as UTC instants: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it('does not read a date literal as a subtraction', () => {
    expect(filterError('balance eq 2016-02-23').message).toContain('the date 2016-02-23');
  });
});

describe('$filter enums', () => {
  it.each([
    ["account_status_type eq 'AccountStatusHidden'", [2, 4]],
    ["account_status_type eq 'accountstatushidden'", [2, 4]],
    ["account_status_type eq '1'", [2, 4]],
    ["account_status_type ne '1'", [1, 3, 5]],
    ["account_status_type lt 'AccountStatusHidden'", [1, 3, 5]],
  ])('matches an enum by name or by number in quotes: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });

  it('matches transaction types by name and by number alike', () => {
    const records: SageRecord[] = [
      { id: 1, trader_transaction_type: 'TradingAccountEntryTypeInvoice' },
      { id: 2, trader_transaction_type: 'TradingAccountEntryTypeCreditNote' },
      { id: 3, trader_transaction_type: 'TradingAccountEntryTypeInvoice' },
    ];
    const byName = idsMatching(
      "trader_transaction_type eq 'TradingAccountEntryTypeInvoice'",
      transactionModel,
      records,
    );
    expect(byName).toEqual([1, 3]);
    expect(idsMatching("trader_transaction_type eq '1'", transactionModel, records)).toEqual(byName);
  });
});

describe('$filter logic', () => {
  it.each([
    // and binds tighter than or: on_hold or (id 1 and balance > 2000)
    ['on_hold eq true or id eq 1 and balance gt 2000', [2, 5]],
    ['(on_hold eq true or id eq 1) and balance gt 1000', [1]],
    // not binds looser than a comparison and tighter than and
    ['not id eq 1 and on_hold', [2, 5]],
    ['not (id eq 1 or id eq 2)', [3, 4, 5]],
    ['not not on_hold', [2, 5]],
    ['((id eq 1))', [1]],
    ['id eq 1 or id eq 3 or id eq 5', [1, 3, 5]],
    ['balance ge 0 and on_hold eq false and id lt 4', [1]],
    ['(id eq 1 or id eq 2) and (on_hold or balance gt 1000)', [1, 2]],
    ['  id\teq 1  ', [1]],
  ])('follows or < and < not < comparison precedence: %s', (filter, ids) => {
    expect(idsMatching(filter)).toEqual(ids);
  });
});

describe('$filter errors', () => {
  it.each([
    ['nonexistent eq 1', "Could not find a property named 'nonexistent' on type 'customer'"],
    ['name eq 5', "property 'name' on type 'customer' is a string"],
    ['name eq true', 'single quotes'],
    ["balance eq '5'", 'numbers are written without quotes'],
    ['on_hold eq 1', "property 'on_hold' on type 'customer' is a boolean"],
    ['on_hold gt true', "'gt' can't be used with boolean property 'on_hold'"],
    ['balance gt null', 'only eq and ne compare with null'],
    ['main_address eq null', "property 'main_address' on type 'customer' is an object"],
    ['memos eq null', 'is an array'],
    [
      "account_status_type eq 'AccountStatusGone'",
      'allowed: AccountStatusActive (0), AccountStatusHidden (1)',
    ],
    ["account_status_type eq '7'", "'7' is not a value of enum property 'account_status_type'"],
    ['account_status_type eq true', 'expects an enum name or value in quotes'],
    ['date_time_updated gt 2016-02-24T09:52:11', "Sage requires times in UTC ending in 'Z'"],
    ['date_time_updated gt 2016-02-24T09:52:11.452', "ending in 'Z'"],
    ['date_time_updated gt 2016-02-24T09:52:11+01:00', 'instead of a UTC offset'],
    ['date_time_updated gt 2016-02-24T25:00:00Z', 'not a valid time of day'],
    ['account_opened eq 2025-02-30', "'2025-02-30' is not a valid calendar date"],
    ['account_opened eq 2024-13-01', 'not a valid calendar date'],
    ['account_opened eq 2016-2-23', 'dates are written YYYY-MM-DD'],
    ["account_opened eq '2016-02-23'", 'unquoted'],
    ['account_opened eq 5', 'is a date-time'],
    ['id eq 2016-02-23T00:00:00Z', 'the date-time 2016-02-23T00:00:00Z'],
    ['id eq 12abc', "malformed number literal '12a'"],
    ['id eq 99999999999999999999', 'too large'],
    ['id eq balance', "comparing two properties ('id' eq 'balance')"],
    ['1 eq 1', 'comparing two literals'],
    ['true', 'on its own is not a condition'],
    ['name', "property 'name' is not a boolean"],
    [
      "contains(balance,'1')",
      "contains needs a string property, but 'balance' on type 'customer' is a number",
    ],
    ["contains(account_status_type,'Active')", 'is an enum'],
    ['contains(name,1)', 'the second argument of contains must be a quoted string'],
    ["contains('x',name)", 'the first argument of contains must be a property'],
    ["tolower(name) eq 'x'", "the function 'tolower' is not supported"],
    ["contains(name,'a') gt true", "'gt' can't compare booleans"],
    ["contains(name,'a') eq 'yes'", 'can only be compared with true or false'],
    ['name eq "x"', 'string literals use single quotes'],
    ["main_address/city eq 'x'", 'a property of a related object'],
    ["currency.name eq 'x'", 'a property of a related object'],
    ['id eq 1 and', "expected a property, a literal or '(' but found the end of the expression"],
    ['(id eq 1', "expected ')' but found the end of the expression"],
    ['id eq 1)', "expected 'and', 'or' or the end of the expression but found ')'"],
    ['id eq 1 eq 2', "but found 'eq'"],
    ['id EQ 1', "operators are lowercase: 'eq'"],
    ['id eq 1 AND on_hold', "operators are lowercase: 'and'"],
    ['id eq and', "found 'and'"],
    ['id has 1', "but found 'has'"],
    ['id eq 1 ; drop', "unexpected character ';'"],
    [`${'('.repeat(150)}on_hold${')'.repeat(150)}`, 'nested more than 100 levels deep'],
    [`${'not '.repeat(150)}on_hold`, 'nested more than 100 levels deep'],
  ])('rejects %s', (filter, fragment) => {
    const error = filterError(filter);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('$filter');
    expect(error.option).toBe('$filter');
  });

  it.each([
    ["name eq 'abc", 8],
    ["name eq 'it''s", 8],
    ['id eq 1 and (', 13],
    ['id  eq  1 or nope eq 2', 13],
  ])('gives the position of the problem in %s', (filter, position) => {
    const error = filterError(filter);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`position ${position}`);
  });

  it('says an unterminated string is unterminated', () => {
    expect(filterError("name eq 'abc").message).toContain('unterminated string literal');
  });

  it('reads a + in the query string as a space, so an offset time is still rejected', () => {
    const params = new URLSearchParams('$filter=date_time_updated gt 2016-02-24T09:52:11+01:00');
    expect(() => parseQuery(params, customerModel)).toThrow("ending in 'Z'");
  });
});

describe('filterConstraints', () => {
  const constraints = (filter: string, model: ResourceModel = transactionModel) => {
    const query = parseQuery(new URLSearchParams({ $filter: filter }), model);
    if (query.filter === undefined) throw new Error('no filter');
    return filterConstraints(query.filter);
  };

  it.each([
    ['customer_id eq 5', [{ field: 'customer_id', value: 5 }]],
    ['customer_id eq 5 and document_gross_value gt 1', [{ field: 'customer_id', value: 5 }]],
    ['document_gross_value gt 1 and 5 eq customer_id', [{ field: 'customer_id', value: 5 }]],
    [
      'document_gross_value gt 1 and (id eq 7 and customer_id eq 5)',
      [
        { field: 'id', value: 7 },
        { field: 'customer_id', value: 5 },
      ],
    ],
  ])('finds the number equalities of a top-level and chain: %s', (filter, expected) => {
    expect(constraints(filter).equalities).toEqual(expected);
  });

  it('finds a boolean equality, including a bare boolean property', () => {
    expect(constraints('on_hold and id gt 2', customerModel).equalities).toEqual([
      { field: 'on_hold', value: true },
    ]);
    expect(constraints('on_hold eq false', customerModel).equalities).toEqual([
      { field: 'on_hold', value: false },
    ]);
  });

  it.each([
    'customer_id eq 5 or id eq 3',
    'not customer_id eq 5',
    'customer_id ne 5',
    'customer_id eq null',
    "trader_transaction_type eq 'TradingAccountEntryTypeInvoice'",
  ])('pins nothing an index lookup could get wrong: %s', (filter) => {
    expect(constraints(filter).equalities).toEqual([]);
    expect(constraints(filter).dateRanges.size).toBe(0);
  });

  it('finds no equality for a string, which ignores case', () => {
    expect(constraints("reference eq 'ACME01'", customerModel).equalities).toEqual([]);
  });

  it('narrows date bounds to the tightest of each end, as instants', () => {
    const { dateRanges } = constraints(
      'transaction_date ge 2024-01-01 and transaction_date gt 2024-02-01 and transaction_date le 2024-06-30T00:00:00Z and transaction_date lt 2024-06-30',
    );
    expect(dateRanges.get('transaction_date')).toEqual({
      lower: { value: Date.UTC(2024, 1, 1), inclusive: false },
      upper: { value: Date.UTC(2024, 5, 30), inclusive: false },
    });
  });

  it('reads eq as both bounds and keeps number bounds apart from date bounds', () => {
    const found = constraints('transaction_date eq 2024-03-01 and id ge 10 and id le 20');
    expect(found.dateRanges.get('transaction_date')).toEqual({
      lower: { value: Date.UTC(2024, 2, 1), inclusive: true },
      upper: { value: Date.UTC(2024, 2, 1), inclusive: true },
    });
    expect(found.numberRanges.get('id')).toEqual({
      lower: { value: 10, inclusive: true },
      upper: { value: 20, inclusive: true },
    });
  });

  it('takes no bounds from under or and not', () => {
    const found = constraints('transaction_date ge 2024-01-01 or not (transaction_date le 2023-01-01)');
    expect(found.dateRanges.size).toBe(0);
  });
});

describe('compileFilter on many records', () => {
  // How fast it is over 100,000 records is measured by `npm run bench` (bench/checks.ts).
  it('selects exactly the records all three clauses of a filter select', () => {
    const records: SageRecord[] = syntheticTransactions(3_000);
    const query = parseQuery(
      new URLSearchParams({
        $filter: THREE_CLAUSE_FILTER,
      }),
      transactionModel,
    );
    const predicate = compileFilter(query.filter as NonNullable<typeof query.filter>, transactionModel);
    const expected = records.filter(
      (r) =>
        r.trader_transaction_type === 'TradingAccountEntryTypeInvoice' &&
        String(r.transaction_date) >= '2024-06-01' &&
        Number(r.document_gross_value) > 100,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(records.filter(predicate)).toEqual(expected);
  });
});
