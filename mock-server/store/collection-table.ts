/**
 * One company's records of one resource, with the id lookup, the foreign-key (equality) indexes and the date-time
 * range indexes queries rely on.
 */
import type { JsonPrimitive, SageRecord } from '../world/model.ts';
import { RangeIndex } from './range-index.ts';

export class CollectionTable {
  readonly #byId = new Map<number, SageRecord>();
  readonly #indexes = new Map<string, Map<JsonPrimitive, SageRecord[]>>();
  /** Declared range indexes, each built on first use (most tables are never range-queried) and kept after. */
  readonly #ranges = new Map<string, RangeIndex | undefined>();
  #keyOrdered = true;
  #version = 0;

  /**
   * `records` is the company's own array (the world's), kept in storage order as records are put and deleted.
   * `keyField` is the field that identifies a record: `id`, except for views that have none.
   */
  constructor(
    private readonly records: SageRecord[],
    indexedFields: readonly string[],
    readonly keyField: string = 'id',
    rangeIndexedFields: readonly string[] = [],
    /** Where `version` starts: a table projected again from others starts past every version it was made from. */
    initialVersion = 0,
  ) {
    this.#version = initialVersion;
    let previous = Number.NEGATIVE_INFINITY;
    for (const record of records) {
      const key = record[keyField];
      if (typeof key === 'number') this.#byId.set(key, record);
      if (typeof key !== 'number' || !(key > previous)) this.#keyOrdered = false;
      else previous = key;
    }
    for (const field of rangeIndexedFields) this.#ranges.set(field, undefined);
    for (const field of indexedFields) {
      const index = new Map<JsonPrimitive, SageRecord[]>();
      for (const record of records) {
        const key = indexKey(record[field]);
        if (key === undefined) continue;
        const bucket = index.get(key);
        if (bucket) bucket.push(record);
        else index.set(key, [record]);
      }
      this.#indexes.set(field, index);
    }
  }

  /** Every record, in storage order. */
  all(): readonly SageRecord[] {
    return this.records;
  }

  /** Counts changes: a view projected from this table is stale once it differs. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.records.length;
  }

  get(id: number): SageRecord | undefined {
    return this.#byId.get(id);
  }

  /**
   * True while storage order is strictly ascending key order (as ids are handed out, so always, short of a state
   * file written otherwise): then the key orders a page without sorting, and breaks ties as storage order does.
   */
  get keyOrdered(): boolean {
    return this.#keyOrdered;
  }

  /** Fields declared with a range index. */
  rangeIndexedFields(): readonly string[] {
    return [...this.#ranges.keys()];
  }

  /**
   * The range index of a field, built now if this is its first use; undefined when the field has none, or while
   * the table is not in key order (an index breaks ties by key, which then is not storage order).
   */
  rangeIndex(field: string): RangeIndex | undefined {
    if (!this.#keyOrdered || !this.#ranges.has(field)) return undefined;
    let index = this.#ranges.get(field);
    if (index === undefined) {
      index = new RangeIndex(field, this.keyField, this.records);
      this.#ranges.set(field, index);
    }
    return index;
  }

  /** Fields that have an index (plus `id`, always looked up directly). */
  indexedFields(): ReadonlySet<string> {
    return new Set([this.keyField, ...this.#indexes.keys()]);
  }

  /** Records whose `field` equals `value`, from the id map or an index; undefined when the field has none. */
  lookup(field: string, value: JsonPrimitive): readonly SageRecord[] | undefined {
    if (field === this.keyField) {
      const record = typeof value === 'number' ? this.#byId.get(value) : undefined;
      return record ? [record] : [];
    }
    const index = this.#indexes.get(field);
    if (!index) return undefined;
    const key = indexKey(value);
    return key === undefined ? [] : (index.get(key) ?? []);
  }

  /**
   * Inserts a record (appended) or replaces the one with the same id (in place). Records are never mutated:
   * a change is a new object, so cached JSON of the old one is simply dropped with it.
   */
  put(record: SageRecord): void {
    const id = record[this.keyField];
    if (typeof id !== 'number') throw new Error(`a stored record needs a numeric ${this.keyField}`);
    const previous = this.#byId.get(id);
    this.#version++;
    if (previous) {
      this.records[this.records.indexOf(previous)] = record;
      for (const [field, index] of this.#indexes) {
        removeFrom(index, indexKey(previous[field]), previous);
        this.#insertInOrder(index, indexKey(record[field]), record);
      }
      for (const range of this.#ranges.values()) {
        range?.remove(previous);
        range?.add(record);
      }
    } else {
      const last = this.records.at(-1)?.[this.keyField];
      if (typeof last === 'number' && !(id > last)) {
        this.#keyOrdered = false;
        for (const field of this.#ranges.keys()) this.#ranges.set(field, undefined);
      }
      this.records.push(record);
      for (const range of this.#ranges.values()) range?.add(record);
      for (const [field, index] of this.#indexes) {
        const key = indexKey(record[field]);
        if (key === undefined) continue;
        const bucket = index.get(key);
        if (bucket) bucket.push(record);
        else index.set(key, [record]);
      }
    }
    this.#byId.set(id, record);
  }

  /** Removes the record with this id; returns it, or undefined when there was none. */
  delete(id: number): SageRecord | undefined {
    const previous = this.#byId.get(id);
    if (!previous) return undefined;
    this.#version++;
    this.records.splice(this.records.indexOf(previous), 1);
    for (const [field, index] of this.#indexes) removeFrom(index, indexKey(previous[field]), previous);
    for (const range of this.#ranges.values()) range?.remove(previous);
    this.#byId.delete(id);
    return previous;
  }

  /** Keeps each index bucket in storage order, so nested lists read the same as filtered ones. */
  #insertInOrder(
    index: Map<JsonPrimitive, SageRecord[]>,
    key: JsonPrimitive | undefined,
    record: SageRecord,
  ): void {
    if (key === undefined) return;
    const bucket = index.get(key);
    if (!bucket) {
      index.set(key, [record]);
      return;
    }
    const position = this.records.indexOf(record);
    const at = bucket.findIndex((other) => this.records.indexOf(other) > position);
    if (at === -1) bucket.push(record);
    else bucket.splice(at, 0, record);
  }
}

function removeFrom(
  index: Map<JsonPrimitive, SageRecord[]>,
  key: JsonPrimitive | undefined,
  record: SageRecord,
): void {
  if (key === undefined) return;
  const bucket = index.get(key);
  if (!bucket) return;
  const at = bucket.indexOf(record);
  if (at !== -1) bucket.splice(at, 1);
  if (bucket.length === 0) index.delete(key);
}

function indexKey(value: unknown): JsonPrimitive | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return undefined;
}
