/**
 * Run by bench/checks.ts as `node --expose-gc --import tsx bench/journal-heap.child.ts <journalSize> <requests>`:
 * sends the requests through a small sandbox with that journal size and prints the heap growth they left behind.
 */
import { API_BASE_PATH, createSandbox } from '../mock-server/index.ts';
import { buildWorld } from '../mock-server/seed/index.ts';
import { TEST_AS_OF } from '../test/support/as-of.ts';

const [size, requests] = process.argv.slice(2).map(Number) as [number, number];
const exposed = (globalThis as { gc?: () => void }).gc;
if (!exposed) throw new Error('run with node --expose-gc');
const gc: () => void = exposed;

const app = createSandbox({
  world: buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF }),
  journalSize: size,
});
// Each request carries a long query value, so an unbounded journal would grow by about a kilobyte per request.
const padding = 'x'.repeat(1000);

async function burst(count: number, from: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await app.request(`${API_BASE_PATH}/sites?padding=${padding}&n=${i}`, {
      headers: { 'X-Trace': String(i) },
    });
  }
}

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

await burst(2000, 0);
const before = settledHeap();
await burst(requests, 2000);
const after = settledHeap();
process.stdout.write(
  JSON.stringify({
    growthBytes: after - before,
    length: app.sandbox.journal.length,
    allocated: app.sandbox.journal.allocated,
    recorded: app.sandbox.journal.recorded,
  }),
);
