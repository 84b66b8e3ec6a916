import { describe, expect, it } from 'vitest';
import type { SageRecord } from '../world/model.ts';
import { CollectionTable } from './index.ts';

const row = (id: number, customer_id: number, reference = `R${id}`): SageRecord => ({
  id,
  customer_id,
  reference,
});

describe('CollectionTable', () => {
  it('keeps the id map, indexes and storage order right through puts and deletes', () => {
    const records = [row(1, 10), row(2, 20), row(3, 10)];
    const table = new CollectionTable(records, ['customer_id']);
    table.put(row(4, 10));
    table.put(row(2, 10, 'moved'));
    expect(table.lookup('customer_id', 10)?.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(table.lookup('customer_id', 20)).toEqual([]);
    expect(table.delete(3)?.id).toBe(3);
    expect(table.delete(3)).toBeUndefined();
    expect(table.all().map((r) => r.id)).toEqual([1, 2, 4]);
    expect(records.map((r) => r.id)).toEqual([1, 2, 4]);
    expect(table.get(2)?.reference).toBe('moved');
    expect(table.lookup('customer_id', 10)?.map((r) => r.id)).toEqual([1, 2, 4]);
  });

  it('refuses a record without a numeric id', () => {
    const table = new CollectionTable([], []);
    expect(() => table.put({ reference: 'X' })).toThrow('numeric id');
  });
});
