/** One company's records of one resource, with the id lookup and foreign-key indexes queries rely on. */
import type { JsonPrimitive, SageRecord } from '../../fixtures/world.ts';

export class CollectionTable {
  readonly #byId = new Map<number, SageRecord>();
  readonly #indexes = new Map<string, Map<JsonPrimitive, SageRecord[]>>();

  constructor(
    private readonly records: SageRecord[],
    indexedFields: readonly string[],
  ) {
    for (const record of records) {
      if (typeof record.id === 'number') this.#byId.set(record.id, record);
    }
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

  get size(): number {
    return this.records.length;
  }

  get(id: number): SageRecord | undefined {
    return this.#byId.get(id);
  }

  /** Fields that have an index (plus `id`, always looked up directly). */
  indexedFields(): ReadonlySet<string> {
    return new Set(['id', ...this.#indexes.keys()]);
  }

  /** Records whose `field` equals `value`, from the id map or an index; undefined when the field has none. */
  lookup(field: string, value: JsonPrimitive): readonly SageRecord[] | undefined {
    if (field === 'id') {
      const record = typeof value === 'number' ? this.#byId.get(value) : undefined;
      return record ? [record] : [];
    }
    const index = this.#indexes.get(field);
    if (!index) return undefined;
    const key = indexKey(value);
    return key === undefined ? [] : (index.get(key) ?? []);
  }
}

function indexKey(value: unknown): JsonPrimitive | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return undefined;
}
