/**
 * `npm run bench`: build time of the medium world, cold start of the CLI, and autocannon against a listening
 * sandbox versus a bare Hono route serving the same bytes; then the query plans: list queries on the large world,
 * each against its target, with the plan the sandbox chose (`BENCH_ONLY=plans` runs only those); then the
 * pass/fail checks on time and memory (bench/checks.ts); `npm run bench -- checks` runs the checks alone. It exits
 * 1 when a check is not met. Figures go in the README with the machine they came from.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { buildWorld } from '../mock-server/seed/index.ts';
import { TEST_AS_OF } from '../test/support/as-of.ts';
import { runChecks } from './checks.ts';
import { overheadBench } from './overhead.ts';
import { startupBench } from './startup.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 10;
/** The command as `npm start` runs it, from the sources through tsx; the installed one runs compiled dist/. */
const CLI = ['--import', 'tsx', 'mock-server/cli.ts'];

interface Listening {
  child: ChildProcess;
  origin: string;
  output: () => string;
}

function launch(args: string[], ready: RegExp): Promise<Listening & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, origin: '', output: () => output, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

function freePortGuess(): number {
  return 40000 + Math.floor(Math.random() * 20000);
}

async function coldStart(): Promise<number> {
  const port = freePortGuess();
  const started = performance.now();
  const child = spawn(process.execPath, [...CLI, '--port', String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - started > 60_000) throw new Error('the sandbox did not answer within 60 s');
    }
  } finally {
    child.kill('SIGTERM');
  }
}

async function measure(url: string, headers: Record<string, string>, seconds = DURATION_SECONDS) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, bytes: result.throughput.average };
}

/** A bearer token and the gateway headers of the first company of the full user's site. */
async function signIn(origin: string, apiUrl: string): Promise<Record<string, string>> {
  const minted = await fetch(`${origin}/admin/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'full@sandbox.test' }),
  });
  const { access_token: token } = (await minted.json()) as { access_token: string };
  const sites = (await (
    await fetch(`${apiUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as { site_id: string; company_id: number }[];
  return {
    Authorization: `Bearer ${token}`,
    'X-Site': sites[0]!.site_id,
    'X-Company': String(sites[0]!.company_id),
  };
}

const PLAN_HEADER = 'X-Sandbox-Query-Plan';
/** Runs per query plan, each half the usual duration; the table shows their median. */
const PLAN_RUNS = 3;

/** The run with the median p99 (its req/s beside it). */
function median<T extends { p99: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.p99 - b.p99)[Math.floor(runs.length / 2)]!;
}

/** The query plans' targets on the large world: list queries that use an index, and $expand of 100 rows. */
/** Measures the query plans on the large world and prints them; returns whether every query met its target. */
async function queryPlans(): Promise<boolean> {
  const sandbox = await launch(
    [...CLI, '--port', '0', '--scale', 'large'],
    /Sage 200 API\s+(http:\/\/[^\s]+)\//,
  );
  const apiUrl = sandbox.match[1]!;
  const origin = new URL(apiUrl).origin;
  try {
    const headers = await signIn(origin, apiUrl);
    const get = async <T>(pathAndQuery: string): Promise<T> => {
      const response = await fetch(`${apiUrl}${pathAndQuery}`, { headers });
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status}`);
      return (await response.json()) as T;
    };
    const [customer] = await get<{ id: number }[]>('/customers?$orderby=balance desc&$top=1&$select=id');
    const [latest] = await get<{ transaction_date: string; date_time_updated: string }[]>(
      '/sales_posted_transactions?$orderby=transaction_date desc&$top=1&$select=transaction_date,date_time_updated',
    );
    const [any] = await get<{ id: number }[]>('/sales_posted_transactions?$orderby=id&$skip=20000&$top=1');
    const monthBefore = (text: string): string =>
      new Date(Date.parse(`${text.slice(0, 19)}Z`) - 30 * 86_400_000).toISOString().replace('.000Z', 'Z');
    const recent = monthBefore(latest!.transaction_date);
    const touched = monthBefore(latest!.date_time_updated);
    const list = '/sales_posted_transactions';
    const queries: { name: string; path: string; target?: number }[] = [
      {
        name: '$filter=customer_id eq N&$orderby=id&$top=100',
        path: `${list}?$filter=customer_id eq ${customer!.id}&$orderby=id&$top=100`,
        target: 10,
      },
      {
        name: '$filter=transaction_date ge D&$orderby=id&$top=100',
        path: `${list}?$filter=transaction_date ge ${recent}&$orderby=id&$top=100`,
        target: 10,
      },
      {
        name: '$filter=transaction_date ge D&$orderby=transaction_date desc&$top=100',
        path: `${list}?$filter=transaction_date ge ${recent}&$orderby=transaction_date desc&$top=100`,
        target: 10,
      },
      {
        name: '$filter=customer_id eq N and transaction_date ge D&$orderby=id&$top=100',
        path: `${list}?$filter=customer_id eq ${customer!.id} and transaction_date ge ${recent}&$orderby=id&$top=100`,
        target: 10,
      },
      {
        name: '$filter=date_time_updated gt D&$orderby=date_time_updated&$top=100',
        path: `${list}?$filter=date_time_updated gt ${touched}&$orderby=date_time_updated&$top=100`,
        target: 10,
      },
      { name: '$orderby=id&$top=100', path: `${list}?$orderby=id&$top=100`, target: 10 },
      {
        name: '$orderby=id&$skip=50000&$top=100',
        path: `${list}?$orderby=id&$skip=50000&$top=100`,
        target: 10,
      },
      {
        name: '$orderby=id desc&$skip=25000&$top=100',
        path: `${list}?$orderby=id desc&$skip=25000&$top=100`,
        target: 10,
      },
      {
        name: '$expand=customer&$orderby=id&$top=100',
        path: `${list}?$expand=customer&$orderby=id&$top=100`,
        target: 20,
      },
      {
        name: '$orderby=document_gross_value desc&$top=100 (no index)',
        path: `${list}?$orderby=document_gross_value desc&$top=100`,
      },
      {
        name: '$filter=posted_date ge D&$orderby=id&$top=100 (no index)',
        path: `${list}?$filter=posted_date ge ${recent}&$orderby=id&$top=100`,
      },
      { name: 'one record by id', path: `${list}/${any!.id}` },
    ];
    const rows = [];
    let met = true;
    // The first seconds after company 1 has loaded measure the warm-up, not the queries: on the 2-core machine the
    // first 2 s of load served 2,900 req/s with the sandbox half idle, the next 6,900 (autocannon and both JITs
    // warming). Each query also gets its own warm-up below.
    await autocannon({
      url: `${apiUrl}${queries[0]!.path}`.replaceAll(' ', '%20'),
      headers,
      connections: CONNECTIONS,
      duration: 5,
    });
    for (const query of queries) {
      const url = `${apiUrl}${query.path}`.replaceAll(' ', '%20');
      const probe = await fetch(url, { headers });
      if (probe.status !== 200) throw new Error(`${query.path}: ${probe.status} ${await probe.text()}`);
      await probe.arrayBuffer();
      const plan = probe.headers.get(PLAN_HEADER) ?? '-';
      const read = /examined (\d+) of (\d+)/.exec(plan);
      const scans = read !== null && Number(read[1]) * 2 >= Number(read[2]) && Number(read[2]) > 1000;
      // Warm up first: the first query after the large world is built otherwise pays for JIT and the heap settling.
      await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
      // The median of three runs: on a shared 2-core machine one run's p99 can catch a stall that is not the query's.
      const runs = [];
      for (let i = 0; i < PLAN_RUNS; i++) runs.push(await measure(url, headers, DURATION_SECONDS / 2));
      const measured = median(runs);
      if (query.target !== undefined && measured.p99 >= query.target) met = false;
      rows.push({
        query: query.name,
        plan: scans ? `SCAN ${plan}` : plan,
        'req/s': measured.rps.toFixed(0),
        'p99 ms': measured.p99,
        'p99 of each run': runs.map((run) => run.p99).join(' / '),
        target:
          query.target === undefined
            ? ''
            : `p99 < ${query.target} ms: ${measured.p99 < query.target ? 'met' : 'NOT met'}`,
      });
    }
    console.log(
      `\nquery plans: /sales_posted_transactions on the large world (company ${headers['X-Company']})`,
    );
    console.table(rows);
    const scanning = rows.filter((row) => row.plan.startsWith('SCAN')).map((row) => row.query);
    console.log(
      `queries that read at least half the table: ${scanning.length === 0 ? 'none' : scanning.join('; ')}`,
    );
    return met;
  } finally {
    sandbox.child.kill('SIGTERM');
  }
}

/** The medium world's routes, then the query plans; returns whether both met their targets. */
async function main(): Promise<boolean> {
  if (process.env.BENCH_ONLY === 'plans') return queryPlans();
  let listMet = false;
  const buildStart = performance.now();
  const world = buildWorld({ seed: 200, scale: 'medium', asOf: TEST_AS_OF });
  const buildMs = performance.now() - buildStart;
  const postings = world.sites
    .flatMap((s) => s.companies)
    .reduce(
      (n, c) =>
        n +
        c.collections.sales_posted_transactions.length +
        c.collections.purchase_posted_transactions.length,
      0,
    );

  const coldMs = await coldStart();

  const sandbox = await launch([...CLI, '--port', '0'], /Sage 200 API\s+(http:\/\/[^\s]+)\//);
  const apiUrl = sandbox.match[1]!;
  const origin = new URL(apiUrl).origin;
  try {
    const headers = await signIn(origin, apiUrl);
    const [customer] = (await (
      await fetch(`${apiUrl}/customers?$orderby=balance desc&$top=1&$select=id`, { headers })
    ).json()) as { id: number }[];
    const base = new URL(apiUrl).pathname;
    const routes = {
      'GET /customers?$top=500': `${base}/customers?$top=500`,
      'GET /sales_posted_transactions?$filter=customer_id eq N': `${base}/sales_posted_transactions?$filter=customer_id%20eq%20${customer!.id}`,
      'GET /sites': `${base}/sites`,
    };
    const bodies: Record<string, string> = {};
    for (const pathAndQuery of Object.values(routes)) {
      const response = await fetch(`${origin}${pathAndQuery}`, { headers });
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status}`);
      bodies[pathAndQuery] = await response.text();
    }
    const bodiesFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-')), 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const bare = await launch(['--import', 'tsx', 'bench/bare-server.ts', bodiesFile], /listening (\d+)/);
    const bareOrigin = `http://127.0.0.1:${bare.match[1]}`;
    try {
      const rows = [];
      for (const [name, pathAndQuery] of Object.entries(routes)) {
        const size = Buffer.byteLength(bodies[pathAndQuery]!);
        const s = await measure(`${origin}${pathAndQuery}`, headers);
        const b = await measure(`${bareOrigin}${pathAndQuery}`, headers);
        rows.push({
          route: name,
          'body KiB': (size / 1024).toFixed(1),
          'sandbox req/s': s.rps.toFixed(0),
          'sandbox p99 ms': s.p99,
          'bare req/s': b.rps.toFixed(0),
          'bare p99 ms': b.p99,
          'sandbox/bare': (s.rps / b.rps).toFixed(2),
        });
      }
      console.log(
        `\nsage200-sandbox bench on ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      );
      console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run\n`);
      console.table(rows);
      console.log(
        `medium world build: ${buildMs.toFixed(0)} ms (${postings} sales and purchase posted transactions)`,
      );
      console.log(`cold start (process start to first 200): ${coldMs.toFixed(0)} ms`);
      const listRatio = Number(rows[0]!['sandbox/bare']);
      listMet = listRatio >= 0.5;
      console.log(
        `target: sandbox/bare >= 0.5 on the list route: ${listRatio >= 0.5 ? 'met' : 'NOT met'} (${listRatio})`,
      );
    } finally {
      bare.child.kill('SIGTERM');
    }
  } finally {
    sandbox.child.kill('SIGTERM');
  }
  return (await queryPlans()) && listMet;
}

const [only, ...rest] = process.argv.slice(2);
if ((only !== undefined && only !== 'checks') || rest.length > 0) {
  console.error('usage: npm run bench [-- checks]');
  process.exit(2);
}
const plansOnly = process.env.BENCH_ONLY === 'plans';
if (only === undefined && !(await main())) process.exitCode = 1;
if (only === undefined && !plansOnly && !(await startupBench())) process.exitCode = 1;
if (only === undefined && !plansOnly && !(await overheadBench())) process.exitCode = 1;
if (!plansOnly) {
  console.log('\nChecks on time and memory (the unit tests assert neither):');
  if (!(await runChecks())) process.exitCode = 1;
}
