import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  type ODataQuery,
  type OrderKey,
  parseQuery,
  type ResourceModel,
  runQuery,
} from '../odata/index.ts';
import { compareText, parseInstant } from '../odata/values.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { CollectionTable, describePlan, queryCount, queryPage, RangeIndex } from './index.ts';

const fields: ResourceModel['fields'] = {
  id: { type: 'integer' },
  customer_id: { type: 'integer' },
  on_hold: { type: 'boolean' },
  amount: { type: 'number' },
  name: { type: 'string' },
  transaction_date: { type: 'date-time' },
  date_time_updated: { type: 'date-time', nullable: true },
  due_date: { type: 'date-time', nullable: true },
};
const model: ResourceModel = { name: 'posting', fields, expandable: {} };
/** The same records with a default order, as Sage documents for some views. */
const orderedModel: ResourceModel = {
  ...model,
  defaultOrder: [
    { field: 'transaction_date', direction: 'desc' },
    { field: 'id', direction: 'asc' },
  ],
};
const EQUALITY_INDEXES = ['customer_id', 'on_hold'];
/** `due_date` is left unindexed, so filters on it are checked against plans that cannot use it. */
const RANGE_INDEXES = ['transaction_date', 'date_time_updated'];

/** Stored spellings: with and without a zone, with offsets, date only, fractions, null, malformed, missing. */
const STORED_DATES: (string | null | undefined)[] = [
  '2024-03-01',
  '2024-03-01T00:00:00',
  '2024-03-01T00:00:00Z',
  '2024-03-01T01:00:00+01:00',
  '2024-02-29T23:00:00-01:00',
  '2024-02-29',
  '2024-03-02T10:30:00.000Z',
  '2024-03-02T11:30:00+01:00',
  '2024-03-02T10:30:00.5Z',
  '2024-03-05T23:59:59',
  null,
  'not a date',
  undefined,
];
const DATE_LITERALS = [
  '2024-02-29',
  '2024-03-01',
  '2024-03-01T00:00:00Z',
  '2024-03-02T10:30:00Z',
  '2024-03-02T10:30:00.5Z',
  '2024-03-05',
];

interface Fields {
  customer_id: number;
  on_hold: boolean;
  amount: number;
  name: string;
  transaction_date: string | null | undefined;
  date_time_updated: string | null | undefined;
  due_date: string | null | undefined;
}

const storedDate = fc.constantFrom(...STORED_DATES);
const recordFields: fc.Arbitrary<Fields> = fc.record({
  customer_id: fc.integer({ min: 1, max: 4 }),
  on_hold: fc.boolean(),
  amount: fc.constantFrom(0, 5, 5, 12.5, 40),
  name: fc.constantFrom('Acme', 'acme', 'Brown', 'Zed'),
  transaction_date: storedDate,
  date_time_updated: storedDate,
  due_date: storedDate,
});

function record(id: number, values: Fields): SageRecord {
  const out: SageRecord = { id };
  for (const [name, value] of Object.entries(values) as [string, JsonValue | undefined][]) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const operator = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
const comparison: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('transaction_date', 'date_time_updated', 'due_date'),
      operator,
      fc.constantFrom(...DATE_LITERALS),
    )
    .map(([field, op, literal]) => `${field} ${op} ${literal}`),
  fc
    .tuple(fc.constantFrom('id', 'customer_id', 'amount'), operator, fc.integer({ min: -1, max: 45 }))
    .map(([field, op, literal]) => `${field} ${op} ${literal}`),
  fc.tuple(fc.constantFrom('eq', 'ne'), fc.boolean()).map(([op, literal]) => `on_hold ${op} ${literal}`),
  fc.tuple(fc.constantFrom('eq', 'gt'), fc.constantFrom('acme', 'B')).map(([op, s]) => `name ${op} '${s}'`),
  fc
    .tuple(fc.constantFrom('date_time_updated', 'due_date'), fc.constantFrom('eq', 'ne'))
    .map(([field, op]) => `${field} ${op} null`),
);
const { filter } = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    comparison,
    fc.tuple(tie('filter'), tie('filter')).map(([a, b]) => `(${a}) and (${b})`),
    fc.tuple(comparison, comparison, comparison).map((parts) => parts.join(' and ')),
    fc.tuple(tie('filter'), tie('filter')).map(([a, b]) => `(${a}) or (${b})`),
    tie('filter').map((a) => `not (${a})`),
  ),
}));
/** Comparisons an index can answer, mixed in often so that every plan gets exercised. */
const indexable: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((n) => `customer_id eq ${n}`),
  fc.boolean().map((b) => `on_hold eq ${b}`),
  fc
    .tuple(
      fc.constantFrom('transaction_date', 'date_time_updated'),
      fc.constantFrom('gt', 'ge', 'lt', 'le', 'eq'),
      fc.constantFrom(...DATE_LITERALS),
    )
    .map(([field, op, literal]) => `${field} ${op} ${literal}`),
  fc
    .tuple(fc.constantFrom('gt', 'ge', 'lt', 'le', 'eq'), fc.integer({ min: 0, max: 45 }))
    .map(([op, n]) => `id ${op} ${n}`),
);
const topFilter: fc.Arbitrary<string> = fc.oneof(
  filter,
  indexable,
  fc.tuple(indexable, filter).map(([a, b]) => `${a} and (${b})`),
);
const anyOrderby = fc
  .uniqueArray(
    fc.constantFrom('id', 'transaction_date', 'date_time_updated', 'due_date', 'amount', 'name', 'on_hold'),
    { minLength: 1, maxLength: 3 },
  )
  .chain((names) =>
    fc
      .array(fc.constantFrom('', ' asc', ' desc'), { minLength: names.length, maxLength: names.length })
      .map((directions) => names.map((name, i) => `${name}${directions[i]}`).join(',')),
  );
const orderby = fc.oneof(
  anyOrderby,
  fc.constantFrom(
    'id',
    'id desc',
    'transaction_date',
    'date_time_updated desc',
    'transaction_date desc,id desc',
  ),
);
const search: fc.Arbitrary<URLSearchParams> = fc
  .record(
    {
      $filter: topFilter,
      $orderby: orderby,
      $skip: fc.integer({ min: 0, max: 30 }),
      $top: fc.integer({ min: 0, max: 25 }),
      $count: fc.constant('true'),
    },
    { requiredKeys: [] },
  )
  .map((options) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options)) params.set(name, String(value));
    if (params.has('$skip') && !params.has('$orderby')) params.delete('$skip');
    return params;
  });

type Operation =
  | { kind: 'insert'; values: Fields }
  | { kind: 'insert-out-of-order'; values: Fields }
  | { kind: 'replace'; pick: number; values: Fields }
  | { kind: 'delete'; pick: number }
  | { kind: 'query'; params: URLSearchParams };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: recordFields.map((values) => ({ kind: 'insert' as const, values })), weight: 3 },
  { arbitrary: recordFields.map((values) => ({ kind: 'insert-out-of-order' as const, values })), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.nat(), recordFields)
      .map(([pick, values]) => ({ kind: 'replace' as const, pick, values })),
    weight: 3,
  },
  { arbitrary: fc.nat().map((pick) => ({ kind: 'delete' as const, pick })), weight: 2 },
  { arbitrary: search.map((params) => ({ kind: 'query' as const, params })), weight: 8 },
);

/** The plain semantics: filter every row, then stable-sort them all (ties keep storage order), then page. */
function fullScan(records: readonly SageRecord[], query: ODataQuery, on: ResourceModel): SageRecord[] {
  const predicate = query.filter === undefined ? () => true : compileFilter(query.filter, on);
  const order = query.orderby.length > 0 ? query.orderby : (on.defaultOrder ?? []);
  const sorted = records
    .filter(predicate)
    .map((row, position) => ({ row, position }))
    .sort((a, b) => {
      for (const key of order) {
        const difference = compareField(a.row, b.row, key);
        if (difference !== 0) return key.direction === 'desc' ? -difference : difference;
      }
      return a.position - b.position;
    })
    .map(({ row }) => row);
  return sorted.slice(query.skip, query.skip + query.top);
}

/** SQL Server's order: nulls (and anything unreadable) first, dates as instants, strings without case. */
function compareField(a: SageRecord, b: SageRecord, key: OrderKey): number {
  const type = fields[key.field]?.type;
  if (type === 'string') {
    const x = a[key.field];
    const y = b[key.field];
    const xs = typeof x === 'string' ? x : null;
    const ys = typeof y === 'string' ? y : null;
    if (xs === null || ys === null) return xs === ys ? 0 : xs === null ? -1 : 1;
    return compareText(xs, ys);
  }
  const number = (row: SageRecord): number => {
    const value = row[key.field];
    if (type === 'date-time') {
      return (typeof value === 'string' ? parseInstant(value) : undefined) ?? Number.NEGATIVE_INFINITY;
    }
    if (type === 'boolean') return typeof value === 'boolean' ? Number(value) : Number.NEGATIVE_INFINITY;
    return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
  };
  return Math.sign(number(a) - number(b)) || 0;
}

const ids = (rows: readonly SageRecord[]): unknown[] => rows.map((row) => row.id);

describe('query plans', () => {
  it('return exactly what a full scan returns, through interleaved writes', () => {
    const plans = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(recordFields, { maxLength: 40 }),
        fc.array(operation, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (initial, operations, withDefaultOrder) => {
          const on = withDefaultOrder ? orderedModel : model;
          let nextId = 1;
          const records = initial.map((values) => {
            nextId += 1 + (nextId % 3); // gaps between ids, as deletes leave
            return record(nextId, values);
          });
          const table = new CollectionTable(records, EQUALITY_INDEXES, 'id', RANGE_INDEXES);
          for (const op of operations) {
            const stored = table.all();
            switch (op.kind) {
              case 'insert':
                table.put(record(++nextId, op.values));
                break;
              case 'insert-out-of-order':
                // A state file may hold records out of id order; plans must notice and fall back.
                table.put(record(-1 - stored.length, op.values));
                break;
              case 'replace': {
                const target = stored[op.pick % Math.max(1, stored.length)];
                if (target) table.put(record(target.id as number, op.values));
                break;
              }
              case 'delete': {
                const target = stored[op.pick % Math.max(1, stored.length)];
                if (target) table.delete(target.id as number);
                break;
              }
              case 'query': {
                const query = parseQuery(op.params, on);
                const expected = fullScan(table.all(), query, on);
                const page = queryPage(table, query, on);
                // A heap and a full sort select with the same comparator; which one ran depends on sizes only.
                plans.add(`${page.plan.access} ${page.plan.order.replace(/^sort$/, 'top-k')}`);
                expect(ids(page.rows), `${op.params} via ${describePlan(page.plan)}`).toEqual(ids(expected));
                expect(ids(runQuery(table.all(), query, on))).toEqual(ids(expected));
                const count = fullScan(table.all(), { ...query, skip: 0, top: Infinity }, on).length;
                expect(queryCount(table, query, on).count).toBe(count);
                break;
              }
              default:
                throw new Error(`unknown operation ${op satisfies never}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // The property only means something if the indexed plans ran, not just scans.
    for (const plan of [
      'table storage-order',
      'table key-order',
      'table index-order:transaction_date',
      'range:transaction_date index-order:transaction_date',
      'index:customer_id top-k',
      'range:transaction_date top-k',
      'range:date_time_updated top-k',
      'index:customer_id key-order',
      'key-range:id key-order',
      'table top-k',
    ]) {
      expect(plans).toContain(plan);
    }
  });
});

describe('plan choice', () => {
  const rows = Array.from({ length: 200 }, (_, i) =>
    record(i + 1, {
      customer_id: (i % 10) + 1,
      on_hold: i % 2 === 0,
      amount: i % 7,
      name: `N${i % 13}`,
      transaction_date: new Date(Date.UTC(2024, 0, 1 + Math.floor(i / 2))).toISOString(),
      date_time_updated: i % 50 === 0 ? null : new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
      due_date: undefined,
    }),
  );
  const table = new CollectionTable(rows, EQUALITY_INDEXES, 'id', RANGE_INDEXES);
  const plan = (search: string): string =>
    describePlan(queryPage(table, parseQuery(new URLSearchParams(search), model), model).plan);

  it.each([
    ['$orderby=id&$skip=150&$top=10', 'table key-order; examined 10 of 200'],
    ['$orderby=id desc&$top=5', 'table key-order; examined 5 of 200'],
    ['$filter=customer_id eq 3&$orderby=id&$top=100', 'index:customer_id key-order; examined 20 of 200'],
    ['$filter=id gt 180&$orderby=name&$top=3', 'key-range:id top-k; examined 20 of 200'],
    ['$filter=id gt 190&$orderby=name&$top=3', 'key-range:id sort; examined 10 of 200'],
    [
      '$filter=transaction_date ge 2024-04-01&$orderby=id&$top=2',
      'range:transaction_date top-k; examined 18 of 200',
    ],
    [
      '$filter=transaction_date ge 2024-04-01 and customer_id eq 3&$orderby=id&$top=2',
      'range:transaction_date sort; examined 18 of 200',
    ],
    [
      '$filter=transaction_date ge 2024-01-02 and customer_id eq 3&$orderby=id&$top=5',
      'index:customer_id key-order; examined 5 of 200',
    ],
    ['$orderby=date_time_updated desc&$top=3', 'table index-order:date_time_updated; examined 3 of 200'],
    [
      '$filter=transaction_date lt 2024-01-03&$orderby=transaction_date desc,id desc',
      'range:transaction_date index-order:transaction_date; examined 4 of 200',
    ],
    ['$orderby=amount,id&$top=10', 'table top-k; examined 200 of 200'],
    ["$filter=name eq 'n1'", 'table storage-order; examined 200 of 200'],
  ])('%s: %s', (search, expected) => {
    expect(plan(search)).toBe(expected);
  });
});

describe('RangeIndex', () => {
  const at = (id: number, date: string | null): SageRecord => ({ id, date });

  it('spans bounds with and without their ends, and an empty span when they cross', () => {
    const records = [at(1, '2024-01-01'), at(2, '2024-01-02'), at(3, '2024-01-02'), at(4, '2024-01-03')];
    const index = new RangeIndex('date', 'id', records);
    const day = (d: number) => Date.UTC(2024, 0, d);
    expect(index.span({ lower: { value: day(2), inclusive: true } })).toEqual([1, 4]);
    expect(index.span({ lower: { value: day(2), inclusive: false } })).toEqual([3, 4]);
    expect(index.span({ upper: { value: day(2), inclusive: true } })).toEqual([0, 3]);
    expect(index.span({ upper: { value: day(2), inclusive: false } })).toEqual([0, 1]);
    expect(
      index.span({ lower: { value: day(3), inclusive: true }, upper: { value: day(1), inclusive: true } }),
    ).toEqual([3, 3]);
  });

  it('orders equal instants by key and keeps records without an instant apart, in key order', () => {
    const records = [at(5, '2024-01-02'), at(2, 'nonsense'), at(3, '2024-01-02T00:00:00Z'), at(1, null)];
    const index = new RangeIndex('date', 'id', records);
    expect([0, 1].map((i) => index.recordAt(i).id)).toEqual([3, 5]);
    expect(index.unkeyed().map((r) => r.id)).toEqual([1, 2]);
  });

  it('is kept by the table through puts and deletes once built, and matches one built afresh', () => {
    const records = [at(1, '2024-01-03'), at(2, '2024-01-01'), at(3, null)];
    const table = new CollectionTable(records, [], 'id', ['date']);
    const index = table.rangeIndex('date');
    table.put(at(4, '2024-01-02'));
    table.put(at(1, null));
    table.put(at(3, '2024-01-01T00:00:00+00:00'));
    table.delete(2);
    const fresh = new RangeIndex('date', 'id', table.all());
    const entries = (i: RangeIndex) => Array.from({ length: i.size }, (_, p) => i.recordAt(p));
    expect(table.rangeIndex('date')).toBe(index);
    expect(entries(index as RangeIndex)).toEqual(entries(fresh));
    expect(ids(entries(fresh))).toEqual([3, 4]);
    expect(ids(fresh.unkeyed())).toEqual([1]);
  });

  it('is not offered once a record is stored out of key order, nor for an undeclared field', () => {
    const table = new CollectionTable([at(1, '2024-01-01'), at(5, null)], [], 'id', ['date']);
    expect(table.keyOrdered).toBe(true);
    expect(table.rangeIndex('other')).toBeUndefined();
    table.put(at(3, '2024-01-02'));
    expect(table.keyOrdered).toBe(false);
    expect(table.rangeIndex('date')).toBeUndefined();
  });

  it('refuses to remove a record it does not hold', () => {
    const index = new RangeIndex('date', 'id', [at(1, '2024-01-01')]);
    expect(() => index.remove(at(1, '2024-01-01'))).toThrow('lost key 1');
  });
});
