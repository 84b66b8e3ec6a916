import { describe, expect, it } from 'vitest';
import type { SageRecord } from '../world/model.ts';
import { joinJson, RECORD_JSON_BUDGET_BYTES, recordJson, recordsJson } from './record-json.ts';

const PADDING = 'x'.repeat(16 * 1024);

function records(count: number): SageRecord[] {
  return Array.from({ length: count }, (_, id) => ({ id, padding: PADDING }));
}

describe('encoded records', () => {
  it('are the JSON of the record, and a list is their JSON array', () => {
    const list: SageRecord[] = [
      { id: 1, name: 'Zoë' },
      { id: 2, lines: [{ value: 1.5 }] },
    ];
    expect(recordJson(list[0]!).toString()).toBe(JSON.stringify(list[0]));
    for (const records of [list, list.slice(0, 1), []]) {
      const json = recordsJson(records);
      expect(joinJson(json).toString()).toBe(JSON.stringify(records));
      expect(json.byteLength).toBe(Buffer.byteLength(JSON.stringify(records)));
    }
  });

  it('are encoded once while in demand: a record served again and again keeps its bytes', () => {
    const hot: SageRecord = { id: -1, padding: PADDING };
    const first = recordJson(hot);
    const others = records(Math.ceil((2 * RECORD_JSON_BUDGET_BYTES) / PADDING.length));
    others.forEach((record, i) => {
      recordJson(record);
      if (i % 100 === 0) expect(recordJson(hot)).toBe(first);
    });
  });

  it('are let go once more than the budget of others has been served since', () => {
    const once: SageRecord = { id: -1, padding: PADDING };
    const first = recordJson(once);
    for (const record of records(Math.ceil((1.5 * RECORD_JSON_BUDGET_BYTES) / PADDING.length))) {
      recordJson(record);
    }
    const again = recordJson(once);
    expect(again).not.toBe(first);
    expect(again.equals(first)).toBe(true);
  });
});
