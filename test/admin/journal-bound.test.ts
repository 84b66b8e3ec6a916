import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { API_BASE_PATH } from '../../mock-server/index.ts';
import { RingBuffer } from '../../mock-server/journal/index.ts';
import { journal } from '../faults/support.ts';
import { testSandbox } from '../support/sandbox.ts';

const CHILD = fileURLToPath(new URL('./journal-heap.child.ts', import.meta.url));
const run = promisify(execFile);

interface HeapReport {
  growthBytes: number;
  length: number;
  allocated: number;
  recorded: number;
}

async function heapAfter(journalSize: number, requests: number): Promise<HeapReport> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', CHILD, String(journalSize), String(requests)],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
  );
  return JSON.parse(stdout) as HeapReport;
}

describe('the journal is bounded', () => {
  it('keeps the newest 100 of 20,000 requests in 100 slots', async () => {
    const app = testSandbox({ journalSize: 100 });
    for (let i = 1; i <= 20_000; i++) await app.request(`${API_BASE_PATH}/sites?n=${i}`);
    expect(app.sandbox.journal.length).toBe(100);
    expect(app.sandbox.journal.allocated).toBe(100);
    expect(app.sandbox.journal.recorded).toBe(20_000);
    const entries = await journal(app, '?limit=100');
    expect(entries.map((e) => e.query.n)).toEqual(Array.from({ length: 100 }, (_, i) => String(20_000 - i)));
  });

  it('leaves the heap flat under 20,000 requests, where a journal that kept them all grows by megabytes', async () => {
    const [bounded, unbounded] = await Promise.all([heapAfter(100, 20_000), heapAfter(30_000, 20_000)]);
    expect(bounded).toMatchObject({ length: 100, allocated: 100, recorded: 22_000 });
    expect(bounded.growthBytes).toBeLessThan(2 * 1024 * 1024);
    // The control shows the measurement would catch a journal that grows.
    expect(unbounded.length).toBe(22_000);
    expect(unbounded.growthBytes).toBeGreaterThan(15 * 1024 * 1024);
  }, 90_000);

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
