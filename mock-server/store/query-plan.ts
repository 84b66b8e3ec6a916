/**
 * Query plans: how a collection query reaches its page without scanning and sorting the whole table. A plan is an
 * access (which candidates: the table, the id, an equality bucket, a key range or a date range) and an ordering
 * (walk storage or key order and stop when the page is full, walk a range index, or select the first skip+top
 * with a bounded heap). Every plan applies the whole filter to its candidates and breaks ties as storage order
 * does, so it returns exactly what filtering and stably sorting every row would.
 */
import {
  boundedField,
  compileFilter,
  type FieldRange,
  fieldOf,
  filterConstraints,
  type ODataQuery,
  type OrderKey,
  type RecordPredicate,
  type ResourceModel,
  smallestNumbers,
  sortRecords,
} from '../odata/index.ts';
import type { SageRecord } from '../world/model.ts';
import type { CollectionTable } from './collection-table.ts';
import type { RangeIndex } from './range-index.ts';

/** What a query did, for `X-Sandbox-Query-Plan` and `npm run bench`. */
export interface QueryPlan {
  /**
   * `table`, `candidates` (a list the caller narrowed), `key` (one id), `key-range:<key>`, `index:<field>` (an
   * equality bucket) or `range:<field>` (a span of a range index).
   */
  access: string;
  /** `storage-order`, `key-order`, `index-order:<field>`, `top-k`, `sort`, `count`, or `none` for `$top=0`. */
  order: string;
  /** Records read: tested against the filter, or keyed for ordering. */
  examined: number;
  /** Records in the table (or list) queried. */
  total: number;
}

/** The plan in one line: `range:transaction_date top-k; examined 2512 of 54903`. */
export function describePlan(plan: QueryPlan): string {
  return `${plan.access} ${plan.order}; examined ${plan.examined} of ${plan.total}`;
}

/** Where candidates come from: a run of records in storage order, or a run of a range index. */
type Access =
  | { kind: 'storage'; name: string; records: readonly SageRecord[]; from: number; to: number }
  | { kind: 'range'; name: string; index: RangeIndex; from: number; to: number };

/** A collection to query: a table (whose indexes plans may use) or records the caller already narrowed. */
export type QuerySource = CollectionTable | readonly SageRecord[];

function isTable(source: QuerySource): source is CollectionTable {
  return !Array.isArray(source);
}

/** The page a query asks for, and how it was found. */
export function queryPage(
  source: QuerySource,
  query: ODataQuery,
  model: ResourceModel,
): { rows: SageRecord[]; plan: QueryPlan } {
  const table = isTable(source) ? source : undefined;
  const access = bestAccess(source, query, model);
  const predicate = residual(query, model, access);
  const order = query.orderby.length > 0 ? query.orderby : (model.defaultOrder ?? []);
  const total = isTable(source) ? source.size : source.length;
  const { skip, top } = query;
  const plan = (name: string, examined: number): QueryPlan => ({
    access: access.name,
    order: name,
    examined,
    total,
  });
  if (top === 0) return { rows: [], plan: plan('none', 0) };

  if (access.kind === 'storage') {
    if (order.length === 0) {
      const walked = walkStorage(access, false, predicate, skip, top);
      return { rows: walked.rows, plan: plan('storage-order', walked.examined) };
    }
    if (table?.keyOrdered === true && leadsWithKey(order, table, model)) {
      const descending = order[0]?.direction === 'desc';
      const walked = walkStorage(access, descending, predicate, skip, top);
      return { rows: walked.rows, plan: plan('key-order', walked.examined) };
    }
  }

  const walk = table === undefined ? undefined : indexWalk(table, order, model, access);
  if (walk !== undefined) {
    const walked = walkIndex(walk, predicate, skip, top);
    return { rows: walked.rows, plan: plan(`index-order:${walk.index.field}`, walked.examined) };
  }

  if (access.kind === 'range' && table && (order.length === 0 || leadsWithKey(order, table, model))) {
    const descending = order[0]?.direction === 'desc';
    const { rows, matched } = selectByKey(table, access, predicate, descending, skip, top);
    return { rows, plan: plan(selection(skip + top, matched), access.to - access.from) };
  }

  // Select skip+top with a bounded heap. Range candidates come in date order, so their ties are broken by key:
  // a range index is only offered while the table is in key order, where key order is storage order.
  const candidates = accessRecords(access);
  const matches = predicate === undefined ? candidates : candidates.filter(predicate);
  const ties = access.kind === 'range' && table !== undefined ? keysOf(matches, table.keyField) : undefined;
  const end = skip + top;
  const rows = sortRecords(matches, order, model, skip, end, ties);
  return { rows, plan: plan(selection(end, matches.length), candidates.length) };
}

/**
 * The filter still to apply to the access's candidates: none when the access is a range of the only field the
 * filter bounds (the span was computed from every one of those bounds), else the whole filter.
 */
function residual(query: ODataQuery, model: ResourceModel, access: Access): RecordPredicate | undefined {
  if (query.filter === undefined) return undefined;
  const field = boundedField(query.filter);
  if (field !== undefined && (access.name === `range:${field}` || access.name === `key-range:${field}`)) {
    return undefined;
  }
  return compileFilter(query.filter, model);
}

/** A range's records in key order, first skip+top only: chosen by the keys the index holds beside them. */
function selectByKey(
  table: CollectionTable,
  access: Extract<Access, { kind: 'range' }>,
  predicate: RecordPredicate | undefined,
  descending: boolean,
  skip: number,
  top: number,
): { rows: SageRecord[]; matched: number } {
  const { index, from, to } = access;
  // Keys negated for a descending order, so the smallest are always the ones wanted.
  const sign = descending ? -1 : 1;
  let keys = new Float64Array(to - from);
  let matched = 0;
  for (let i = from; i < to; i++) {
    if (predicate === undefined || predicate(index.recordAt(i))) keys[matched++] = sign * index.keyAt(i);
  }
  keys = keys.subarray(0, matched);
  const wanted = smallestNumbers(keys, skip + top);
  const rows: SageRecord[] = [];
  for (let i = skip; i < wanted.length; i++) rows.push(table.get(sign * (wanted[i] as number)) as SageRecord);
  return { rows, matched };
}

/** How firstPositions picks `k` of `count`: a bounded heap, or a full sort when k is near count. */
function selection(k: number, count: number): 'top-k' | 'sort' {
  return k * 4 >= count ? 'sort' : 'top-k';
}

/** `$count=true`: how many records match, ignoring `$top` and `$skip`, read through the best access. */
export function queryCount(
  source: QuerySource,
  query: ODataQuery,
  model: ResourceModel,
): { count: number; plan: QueryPlan } {
  const access = bestAccess(source, query, model);
  const size = access.to - access.from;
  const plan = (examined: number): QueryPlan => ({
    access: access.name,
    order: 'count',
    examined,
    total: isTable(source) ? source.size : source.length,
  });
  const predicate = residual(query, model, access);
  if (predicate === undefined) return { count: size, plan: plan(0) };
  let count = 0;
  for (const record of accessRecords(access)) if (predicate(record)) count++;
  return { count, plan: plan(size) };
}

/** The access with the fewest candidates; the whole table (or list) when the filter pins nothing indexed. */
function bestAccess(source: QuerySource, query: ODataQuery, model: ResourceModel): Access {
  if (!isTable(source)) {
    return { kind: 'storage', name: 'candidates', records: source, from: 0, to: source.length };
  }
  const all = source.all();
  let best: Access = { kind: 'storage', name: 'table', records: all, from: 0, to: all.length };
  if (query.filter === undefined) return best;
  const size = (access: Access): number => access.to - access.from;
  const consider = (access: Access): void => {
    if (size(access) < size(best)) best = access;
  };
  const { equalities, numberRanges, dateRanges } = filterConstraints(query.filter);
  for (const { field, value } of equalities) {
    const bucket = source.lookup(field, value);
    if (bucket === undefined) continue;
    const name = field === source.keyField ? 'key' : `index:${field}`;
    consider({ kind: 'storage', name, records: bucket, from: 0, to: bucket.length });
  }
  if (!source.keyOrdered) return best;
  const keyRange = numberRanges.get(source.keyField);
  if (keyRange !== undefined) {
    const [from, to] = keySpan(all, source.keyField, keyRange);
    consider({ kind: 'storage', name: `key-range:${source.keyField}`, records: all, from, to });
  }
  for (const [field, range] of dateRanges) {
    if (fieldOf(model, field)?.type !== 'date-time') continue;
    const index = source.rangeIndex(field);
    if (index === undefined) continue;
    const [from, to] = index.span(range);
    consider({ kind: 'range', name: `range:${field}`, index, from, to });
  }
  return best;
}

/** True when the order's first key is the table's (numeric, unique) key, so later keys never decide. */
function leadsWithKey(order: readonly OrderKey[], table: CollectionTable, model: ResourceModel): boolean {
  const type = fieldOf(model, table.keyField)?.type;
  return order[0]?.field === table.keyField && (type === 'integer' || type === 'number');
}

function accessRecords(access: Access): readonly SageRecord[] {
  if (access.kind === 'storage') {
    const { records, from, to } = access;
    return from === 0 && to === records.length ? records : records.slice(from, to);
  }
  const page: SageRecord[] = [];
  for (let i = access.from; i < access.to; i++) page.push(access.index.recordAt(i));
  return page;
}

function keysOf(records: readonly SageRecord[], keyField: string): Float64Array {
  const keys = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) keys[i] = (records[i] as SageRecord)[keyField] as number;
  return keys;
}

/** Positions [from, to) of a key-ordered array whose keys fall in the range. */
function keySpan(records: readonly SageRecord[], keyField: string, range: FieldRange): [number, number] {
  const firstAbove = (value: number, strictly: boolean): number => {
    let low = 0;
    let high = records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const key = (records[middle] as SageRecord)[keyField] as number;
      if (key < value || (strictly && key === value)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const { lower, upper } = range;
  const from = lower === undefined ? 0 : firstAbove(lower.value, !lower.inclusive);
  const to = upper === undefined ? records.length : firstAbove(upper.value, upper.inclusive);
  return [from, Math.max(from, to)];
}

/** Collects a page from records visited in order: filter, skip, take, and stop once the page is full. */
class Pager {
  readonly rows: SageRecord[] = [];
  examined = 0;
  #skipped = 0;

  constructor(
    private readonly predicate: RecordPredicate | undefined,
    private readonly skip: number,
    private readonly top: number,
  ) {}

  /** Offers the next record; false once the page is full. */
  offer(record: SageRecord): boolean {
    this.examined++;
    if (this.predicate !== undefined && !this.predicate(record)) return true;
    if (this.#skipped < this.skip) {
      this.#skipped++;
      return true;
    }
    this.rows.push(record);
    return this.rows.length < this.top;
  }
}

/** A storage-order access walked forwards or backwards; without a filter, the page is cut out directly. */
function walkStorage(
  access: Extract<Access, { kind: 'storage' }>,
  descending: boolean,
  predicate: RecordPredicate | undefined,
  skip: number,
  top: number,
): { rows: SageRecord[]; examined: number } {
  const { records, from, to } = access;
  if (predicate === undefined) {
    const rows = descending
      ? records.slice(Math.max(from, to - skip - top), Math.max(from, to - skip)).reverse()
      : records.slice(Math.min(to, from + skip), Math.min(to, from + skip + top));
    return { rows, examined: rows.length };
  }
  const pager = new Pager(predicate, skip, top);
  if (descending) {
    for (let i = to - 1; i >= from && pager.offer(records[i] as SageRecord); i--);
  } else {
    for (let i = from; i < to && pager.offer(records[i] as SageRecord); i++);
  }
  return pager;
}

interface IndexWalk {
  index: RangeIndex;
  from: number;
  to: number;
  /** Records with no instant come first ascending and last descending (they order as SQL NULLs). */
  withUnkeyed: boolean;
  descending: boolean;
  /** Equal instants in descending key order (`$orderby=date desc, id desc`), else ascending, as stored. */
  tiesDescending: boolean;
}

/**
 * Walking a range index in order, when the order is that date field (then, optionally, the key) and the best
 * access is the whole table or a range of the same index. Another index's bucket is cheaper to select from than
 * a walk whose filter might reject most of what it reads, so it is left to the heap.
 */
function indexWalk(
  table: CollectionTable,
  order: readonly OrderKey[],
  model: ResourceModel,
  access: Access,
): IndexWalk | undefined {
  const [first, second, ...rest] = order;
  if (first === undefined || rest.length > 0) return undefined;
  if (second !== undefined && !leadsWithKey([second], table, model)) return undefined;
  if (fieldOf(model, first.field)?.type !== 'date-time') return undefined;
  const descending = first.direction === 'desc';
  const tiesDescending = second?.direction === 'desc';
  if (access.kind === 'range') {
    if (access.index.field !== first.field) return undefined;
    const { index, from, to } = access;
    return { index, from, to, withUnkeyed: false, descending, tiesDescending };
  }
  if (access.name !== 'table') return undefined;
  const index = table.rangeIndex(first.field);
  if (index === undefined) return undefined;
  return { index, from: 0, to: index.size, withUnkeyed: true, descending, tiesDescending };
}

function walkIndex(
  walk: IndexWalk,
  predicate: RecordPredicate | undefined,
  skip: number,
  top: number,
): Pager {
  const pager = new Pager(predicate, skip, top);
  const { index, from, to, descending, tiesDescending } = walk;
  const unkeyed = walk.withUnkeyed ? index.unkeyed() : [];
  const offerUnkeyed = (): boolean => {
    if (tiesDescending) {
      for (let i = unkeyed.length - 1; i >= 0; i--) if (!pager.offer(unkeyed[i] as SageRecord)) return false;
    } else {
      for (const record of unkeyed) if (!pager.offer(record)) return false;
    }
    return true;
  };
  if (!descending && !offerUnkeyed()) return pager;
  // Groups of equal instants, visited in the order's direction, each read in the ties' direction.
  let start = descending ? to : from;
  while (descending ? start > from : start < to) {
    const edge = descending ? start - 1 : start;
    const instant = index.instantAt(edge);
    let low = edge;
    let high = edge + 1;
    if (descending) while (low > from && index.instantAt(low - 1) === instant) low--;
    else while (high < to && index.instantAt(high) === instant) high++;
    if (tiesDescending) {
      for (let i = high - 1; i >= low; i--) if (!pager.offer(index.recordAt(i))) return pager;
    } else {
      for (let i = low; i < high; i++) if (!pager.offer(index.recordAt(i))) return pager;
    }
    start = descending ? low : high;
  }
  if (descending) offerUnkeyed();
  return pager;
}
