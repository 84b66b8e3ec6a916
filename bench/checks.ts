/**
 * The bench's pass/fail checks on time and memory, which unit tests leave alone (a loaded machine would make them
 * flaky there): the request journal stays flat in memory, and $filter evaluates 100,000 records quickly.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileFilter, parseQuery } from '../mock-server/odata/index.ts';
import {
  syntheticTransactions,
  THREE_CLAUSE_FILTER,
  transactionModel,
} from '../mock-server/odata/test-model.ts';
import type { SageRecord } from '../mock-server/world/model.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEAP_CHILD = fileURLToPath(new URL('./journal-heap.child.ts', import.meta.url));
const MIB = 1024 * 1024;

export interface Check {
  name: string;
  measured: string;
  threshold: string;
  met: boolean;
}

interface HeapReport {
  growthBytes: number;
  length: number;
  allocated: number;
  recorded: number;
}

async function heapAfter(journalSize: number, requests: number): Promise<HeapReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', HEAP_CHILD, String(journalSize), String(requests)],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as HeapReport;
}

/**
 * 20,000 requests (a kilobyte of query each) through a journal of 100 leave the heap within 2 MiB; through one
 * large enough to keep them all, it grows by more than 15 MiB, which shows the measurement would catch a leak.
 */
export async function journalHeap(): Promise<Check[]> {
  const bounded = await heapAfter(100, 20_000);
  const unbounded = await heapAfter(30_000, 20_000);
  return [
    {
      name: 'heap growth, journal of 100, 20,000 requests',
      measured: `${(bounded.growthBytes / MIB).toFixed(2)} MiB (kept ${bounded.length})`,
      threshold: '< 2 MiB',
      met: bounded.growthBytes < 2 * MIB && bounded.length === 100 && bounded.allocated === 100,
    },
    {
      name: 'heap growth, journal of 30,000 (the control)',
      measured: `${(unbounded.growthBytes / MIB).toFixed(2)} MiB (kept ${unbounded.length})`,
      threshold: '> 15 MiB',
      met: unbounded.growthBytes > 15 * MIB && unbounded.length === 22_000,
    },
  ];
}

/** A three-clause $filter over 100,000 posted transactions: the median of five runs under 100 ms. */
export function filterSpeed(): Check {
  const records: SageRecord[] = syntheticTransactions(100_000);
  const query = parseQuery(
    new URLSearchParams({
      $filter: THREE_CLAUSE_FILTER,
    }),
    transactionModel,
  );
  const predicate = compileFilter(query.filter!, transactionModel);
  const timings: number[] = [];
  let matches = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    matches = records.filter(predicate).length;
    timings.push(performance.now() - start);
  }
  const median = timings.sort((a, b) => a - b)[2]!;
  return {
    name: '$filter, three clauses, 100,000 records (median of 5)',
    measured: `${median.toFixed(1)} ms (${matches} matches)`,
    threshold: '< 100 ms',
    met: median < 100 && matches > 0,
  };
}

/** Runs the checks, prints them as a table, and returns whether all were met. */
export async function runChecks(): Promise<boolean> {
  const checks = [filterSpeed(), ...(await journalHeap())];
  console.table(
    checks.map((c) => ({
      check: c.name,
      measured: c.measured,
      threshold: c.threshold,
      result: c.met ? 'met' : 'NOT met',
    })),
  );
  return checks.every((c) => c.met);
}
