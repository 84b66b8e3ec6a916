/**
 * A sorted index of one date-time field, for `gt`, `ge`, `lt`, `le` and `eq` filters and for ordering by that
 * field: entries ordered by instant, equal instants by record key. Values that read as no instant (null, missing,
 * malformed) match no range and are kept apart, in key order.
 */
import { type FieldRange, type InstantReader, instantReader } from '../odata/index.ts';
import type { SageRecord } from '../world/model.ts';

export class RangeIndex {
  readonly #read: InstantReader;
  #instants: number[] = [];
  #keys: number[] = [];
  #records: SageRecord[] = [];
  #unkeyed: SageRecord[] = [];
  #unkeyedKeys: number[] = [];

  /** Every record must have a numeric key; records are indexed by the instant their `field` reads as. */
  constructor(
    readonly field: string,
    readonly keyField: string,
    records: readonly SageRecord[],
  ) {
    this.#read = instantReader(field);
    const keyed: { instant: number; key: number; record: SageRecord }[] = [];
    const unkeyed: { key: number; record: SageRecord }[] = [];
    for (const record of records) {
      const key = this.#keyOf(record);
      const instant = this.#read(record);
      if (instant === undefined) unkeyed.push({ key, record });
      else keyed.push({ instant, key, record });
    }
    keyed.sort((a, b) => a.instant - b.instant || a.key - b.key);
    unkeyed.sort((a, b) => a.key - b.key);
    this.#instants = keyed.map((entry) => entry.instant);
    this.#keys = keyed.map((entry) => entry.key);
    this.#records = keyed.map((entry) => entry.record);
    this.#unkeyedKeys = unkeyed.map((entry) => entry.key);
    this.#unkeyed = unkeyed.map((entry) => entry.record);
  }

  /** Entries that have an instant. */
  get size(): number {
    return this.#records.length;
  }

  recordAt(position: number): SageRecord {
    return this.#records[position] as SageRecord;
  }

  keyAt(position: number): number {
    return this.#keys[position] as number;
  }

  instantAt(position: number): number {
    return this.#instants[position] as number;
  }

  /** Records whose field reads as no instant, in key order. */
  unkeyed(): readonly SageRecord[] {
    return this.#unkeyed;
  }

  /** Positions [from, to) of the entries within the range; from === to when none are. */
  span(range: FieldRange): [number, number] {
    const { lower, upper } = range;
    const from = lower === undefined ? 0 : this.#firstAbove(lower.value, !lower.inclusive);
    const to = upper === undefined ? this.size : this.#firstAbove(upper.value, upper.inclusive);
    return [from, Math.max(from, to)];
  }

  add(record: SageRecord): void {
    const key = this.#keyOf(record);
    const instant = this.#read(record);
    if (instant === undefined) {
      const at = firstAtLeast(this.#unkeyedKeys, key);
      this.#unkeyedKeys.splice(at, 0, key);
      this.#unkeyed.splice(at, 0, record);
      return;
    }
    const at = this.#position(instant, key);
    this.#instants.splice(at, 0, instant);
    this.#keys.splice(at, 0, key);
    this.#records.splice(at, 0, record);
  }

  /** Removes the record (the very object that was added). */
  remove(record: SageRecord): void {
    const key = this.#keyOf(record);
    const instant = this.#read(record);
    if (instant === undefined) {
      const at = firstAtLeast(this.#unkeyedKeys, key);
      if (this.#unkeyed[at] !== record) throw new Error(`range index ${this.field} lost key ${key}`);
      this.#unkeyedKeys.splice(at, 1);
      this.#unkeyed.splice(at, 1);
      return;
    }
    const at = this.#position(instant, key);
    if (this.#records[at] !== record) throw new Error(`range index ${this.field} lost key ${key}`);
    this.#instants.splice(at, 1);
    this.#keys.splice(at, 1);
    this.#records.splice(at, 1);
  }

  #keyOf(record: SageRecord): number {
    const key = record[this.keyField];
    if (typeof key !== 'number') throw new Error(`a range-indexed record needs a numeric ${this.keyField}`);
    return key;
  }

  /** The first position whose instant is above `value` (or at it, unless `strictly`). */
  #firstAbove(value: number, strictly: boolean): number {
    const instants = this.#instants;
    let low = 0;
    let high = instants.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = instants[middle] as number;
      if (at < value || (strictly && at === value)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The first position at or after (instant, key). */
  #position(instant: number, key: number): number {
    let low = 0;
    let high = this.#instants.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = this.#instants[middle] as number;
      if (at < instant || (at === instant && (this.#keys[middle] as number) < key)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The first position in an ascending list whose value is at least `value`. */
export function firstAtLeast(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
