/**
 * Start-up figures for `npm run bench`: the installed command (compiled, `dist/mock-server/cli.js`, built first)
 * from process start to the first 200 on `/sites`, for the medium and large worlds, built (`--no-cache`) and read
 * from the world cache (a built world's companies are built, or read from the file a child process writes, after
 * `/sites` is answered); how long each company's first request takes, and when the last of them was answered; and
 * the resident memory of the large world at start and once every company has been read. `npx tsx bench/startup.ts`
 * runs these alone. Each run has a world cache folder of its own, so the user's is never read or filled.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scale } from '../mock-server/world/model.ts';
import { CACHE_DIR_ENV } from '../mock-server/world-cache/location.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPILED_CLI = path.join(ROOT, 'dist', 'mock-server', 'cli.js');
const MIB = 1024 * 1024;

// Everything else the bench starts (the sources through tsx) keeps its world cache here too, not in the user's.
const BENCH_CACHE = mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-cache-'));
process.env[CACHE_DIR_ENV] = BENCH_CACHE;
process.once('exit', () => rmSync(BENCH_CACHE, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  origin: string;
  /** When the process was started (`performance.now()`). */
  started: number;
  /** Process start to the first 200 on /sites, in milliseconds. */
  firstSitesMs: number;
  /**
   * Watches the processes the sandbox starts (the builder of a large world, which goes on after `/sites` is
   * answered); `stop()` gives the highest peak RSS any of them reached.
   */
  builder: { stop(): number };
}

/** Resident memory now, or at its highest so far (`peak`: Linux's VmHWM; elsewhere, now). */
function residentBytes(pid: number, peak = false): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const field = peak ? /VmHWM:\s+(\d+)/ : /VmRSS:\s+(\d+)/;
    return Number(field.exec(readFileSync(status, 'utf8'))?.[1]) * 1024;
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/**
 * Watches the child processes of `pid` (the large world's builder, mock-server/world-cache/apart.ts) and keeps the
 * highest peak RSS any of them reached; Linux only (elsewhere 0).
 */
function watchChildrenPeak(pid: number): { stop(): number } {
  let highest = 0;
  const children = `/proc/${pid}/task/${pid}/children`;
  const look = (): void => {
    if (!existsSync(children)) return;
    for (const child of readFileSync(children, 'utf8').split(' ').filter(Boolean)) {
      try {
        // An exited child not yet reaped has no memory lines (NaN).
        const peak = residentBytes(Number(child), true);
        if (Number.isFinite(peak)) highest = Math.max(highest, peak);
      } catch {
        // The child has just gone.
      }
    }
  };
  const timer = setInterval(look, 20);
  return {
    stop() {
      clearInterval(timer);
      return highest;
    },
  };
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function tokenFor(origin: string, user: string): Promise<string> {
  const response = await post(`${origin}/admin/tokens`, { user });
  if (response.status !== 200) throw new Error(`cannot mint a token for ${user}: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Starts the compiled command and waits for its first 200 on /sites. */
async function start(scale: Scale, cacheArgs: string[]): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, [COMPILED_CLI, '--port', '0', '--scale', scale, ...cacheArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const builder = watchChildrenPeak(child.pid!);
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output}`)));
  });
  const token = await tokenFor(origin, 'full@sandbox.test');
  const sites = await fetch(`${origin}/uk/sage200/accounts/v1/sites`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (sites.status !== 200) throw new Error(`/sites answered ${sites.status}`);
  return { child, origin, started, firstSitesMs: performance.now() - started, builder };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const USERS = ['full', 'trial', 'sandbox', 'limited'].map((kind) => `${kind}@sandbox.test`);

/** Each company's first request (`/nominal_codes?$top=1`), in milliseconds, by company id. */
async function firstRequests(origin: string): Promise<Map<number, number>> {
  const api = `${origin}/uk/sage200/accounts/v1`;
  const timings = new Map<number, number>();
  for (const user of USERS) {
    const token = await tokenFor(origin, user);
    const headers = { Authorization: `Bearer ${token}` };
    const sites = (await (await fetch(`${api}/sites`, { headers })).json()) as {
      site_id: string;
      company_id: number;
    }[];
    for (const { site_id, company_id } of sites) {
      const begun = performance.now();
      const response = await fetch(`${api}/nominal_codes?$top=1`, {
        headers: { ...headers, 'X-Site': site_id, 'X-Company': String(company_id) },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`company ${company_id}: ${response.status}`);
      timings.set(company_id, performance.now() - begun);
    }
  }
  return timings;
}

/**
 * Starts once with a fresh cache folder so the world is built and written; waits for the file. Returns the peak
 * resident memory of that start, the highest a sandbox reaches (it builds the world and writes it, or has a child
 * process build it), and the builder's peak.
 */
async function primeCache(scale: Scale, dir: string): Promise<{ peak: number; builderPeak: number }> {
  const { child, builder } = await start(scale, ['--cache-dir', dir]);
  const deadline = performance.now() + 120_000;
  while (!readdirSync(dir).some((name) => name.endsWith('.ndjson'))) {
    if (performance.now() > deadline) throw new Error(`no cached ${scale} world in ${dir} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const peak = residentBytes(child.pid!, true);
  const builderPeak = builder.stop();
  await stop(child);
  return { peak, builderPeak };
}

interface Row {
  world: string;
  start: string;
  'first 200 on /sites': string;
  target: string;
  'first request per company': string;
  'every company answered': string;
  'RSS at start': string;
  'RSS, every company read': string;
  'peak RSS': string;
  'builder peak RSS': string;
}

const TARGETS: Record<string, number> = {
  'medium built': 3000,
  'medium cached': 1000,
  'large built': 10_000,
  'large cached': 2000,
};

/** RSS limit for the large world, running and at its peak. */
const LARGE_RSS_LIMIT = 500 * MIB;

async function measure(scale: Scale, cached: boolean, dir: string): Promise<Row & { met: boolean }> {
  const running = await start(scale, cached ? ['--cache-dir', dir] : ['--no-cache']);
  try {
    const atStart = residentBytes(running.child.pid!);
    const timings = await firstRequests(running.origin);
    const everyCompanyMs = performance.now() - running.started;
    const builderPeak = running.builder.stop();
    const read = residentBytes(running.child.pid!);
    const peak = residentBytes(running.child.pid!, true);
    const name = `${scale} ${cached ? 'cached' : 'built'}`;
    const target = TARGETS[name]!;
    return {
      world: scale,
      start: cached ? 'from the cache' : 'built (--no-cache)',
      'first 200 on /sites': `${running.firstSitesMs.toFixed(0)} ms`,
      target: `< ${target} ms`,
      'first request per company': [...timings.values()].map((ms) => ms.toFixed(0)).join(' / '),
      'every company answered': `${everyCompanyMs.toFixed(0)} ms`,
      'RSS at start': `${(atStart / MIB).toFixed(0)} MiB`,
      'RSS, every company read': `${(read / MIB).toFixed(0)} MiB`,
      'peak RSS': `${(peak / MIB).toFixed(0)} MiB`,
      'builder peak RSS': builderPeak > 0 ? `${(builderPeak / MIB).toFixed(0)} MiB` : '-',
      met: running.firstSitesMs < target && (scale !== 'large' || peak < LARGE_RSS_LIMIT),
    };
  } finally {
    await stop(running.child);
  }
}

/** Builds dist/, measures the four starts and prints them; returns whether every target was met. */
export async function startupBench(): Promise<boolean> {
  console.log('\nStart-up of the installed command (npm run build, then node dist/mock-server/cli.js):');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const rows: (Row & { met: boolean })[] = [];
  let priming = { peak: 0, builderPeak: 0 };
  for (const scale of ['medium', 'large'] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `sage200-bench-${scale}-`));
    try {
      rows.push(await measure(scale, false, dir));
      const primed = await primeCache(scale, dir);
      if (scale === 'large') priming = primed;
      rows.push(await measure(scale, true, dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.table(rows.map(({ met, ...row }) => ({ ...row, result: met ? 'met' : 'NOT met' })));
  const primingMet = priming.peak < LARGE_RSS_LIMIT;
  console.log(
    `Peak RSS of the large world's first start, which has a child process build it and write the cache: ${(priming.peak / MIB).toFixed(0)} MiB, ${primingMet ? 'met' : 'NOT met'} (the builder, which exits once the file is written: ${(priming.builderPeak / MIB).toFixed(0)} MiB).`,
  );
  console.log(
    'RSS target for the large world: < 500 MiB at its peak in the serving process (from the start to every company read).',
  );
  return primingMet && rows.every((row) => row.met);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly && !(await startupBench())) process.exitCode = 1;
