/**
 * The journal keeps a fixed number of entries however many requests arrive. That its memory stays flat is measured
 * by `npm run bench` (bench/checks.ts), where a heap figure belongs.
 */
import { describe, expect, it } from 'vitest';
import { API_BASE_PATH } from '../../mock-server/index.ts';
import { RingBuffer } from '../../mock-server/journal/index.ts';
import { journal } from '../faults/support.ts';
import { sharedWorldSandbox } from '../support/sandbox.ts';

describe('the journal is bounded', () => {
  it('keeps the newest 100 of 5,000 requests in 100 slots', async () => {
    const app = sharedWorldSandbox({ journalSize: 100 });
    for (let i = 1; i <= 5_000; i++) await app.request(`${API_BASE_PATH}/sites?n=${i}`);
    expect(app.sandbox.journal.length).toBe(100);
    expect(app.sandbox.journal.allocated).toBe(100);
    expect(app.sandbox.journal.recorded).toBe(5_000);
    const entries = await journal(app, '?limit=100');
    expect(entries.map((e) => e.query.n)).toEqual(Array.from({ length: 100 }, (_, i) => String(5_000 - i)));
  });

  it.each([
    [1, 5, [5]],
    [3, 2, [2, 1]],
    [3, 7, [7, 6, 5]],
  ])('a ring buffer of %i after %i pushes holds %j, newest first', (capacity, pushes, expected) => {
    const ring = new RingBuffer<number>(capacity);
    for (let i = 1; i <= pushes; i++) ring.push(i);
    expect([...ring.newestFirst()]).toEqual(expected);
    expect(ring.allocated).toBe(capacity);
  });
});
