/**
 * Server CPU per request (issue 11): the compiled sandbox (medium world) and the bare node:http server on the same
 * bytes, each its own process, driven by autocannon with a fixed number of requests; the CPU each server process
 * spent (user + system, from /proc/<pid>/stat, every thread; and its main thread's alone) divided by the requests.
 * Unlike req/s it barely moves when other jobs share the cores, so it is the figure to compare changes by on a busy
 * machine; the ratio to bare itself wants an idle one (bench/overhead.ts). Linux only.
 * `npm run bench:cpu` (`CPU_REQUESTS`, default 40,000 per round; `CPU_ROUNDS`, default 3, median shown;
 * `--no-build` to measure dist/ as it is; `--compare <dir>` to measure a second build, e.g. an export of an older
 * commit built with `npm run build`, started from `<dir>/dist` and interleaved with this one round by round, so a
 * change is compared under the same load).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { launch, launchSandbox, oneRecordRoutes } from './overhead.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REQUESTS = Number(process.env.CPU_REQUESTS ?? 40_000);
const ROUNDS = Number(process.env.CPU_ROUNDS ?? 3);
const CONNECTIONS = 10;
/** More arguments for each sandbox's command, e.g. `--no-cache`. */
const SANDBOX_ARGS = (process.env.CPU_SANDBOX_ARGS ?? '').split(' ').filter(Boolean);
/** The same for the `--compare` sandbox (`CPU_COMPARE_ARGS`), by default SANDBOX_ARGS. */
const COMPARE_ARGS = (process.env.CPU_COMPARE_ARGS ?? process.env.CPU_SANDBOX_ARGS ?? '')
  .split(' ')
  .filter(Boolean);
/** Clock ticks per second of /proc's times (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** CPU seconds a process (or one of its threads) has spent in user and in system mode: fields 14 and 15 of its stat. */
function cpuSeconds(statFile: string): { user: number; system: number } {
  const stat = readFileSync(statFile, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

interface Cost {
  /** µs of CPU per request, the whole process (user + system, every thread). */
  process: number;
  /** µs of CPU per request, the main (JavaScript) thread, user and system. */
  user: number;
  system: number;
}

async function costOf(pid: number, url: string, headers: Record<string, string>): Promise<Cost> {
  await drive(url, headers, Math.ceil(REQUESTS / 4));
  const whole = `/proc/${pid}/stat`;
  const main = `/proc/${pid}/task/${pid}/stat`;
  const before = [cpuSeconds(whole), cpuSeconds(main)] as const;
  await drive(url, headers, REQUESTS);
  const after = [cpuSeconds(whole), cpuSeconds(main)] as const;
  const perRequest = (seconds: number) => (seconds * 1e6) / REQUESTS;
  return {
    process: perRequest(after[0].user + after[0].system - before[0].user - before[0].system),
    user: perRequest(after[1].user - before[1].user),
    system: perRequest(after[1].system - before[1].system),
  };
}

async function drive(url: string, headers: Record<string, string>, amount: number): Promise<void> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, amount });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
}

/** A fresh token of the sandbox at `apiUrl`, as `Bearer <token>`. */
async function bearer(apiUrl: URL): Promise<string> {
  const minted = await fetch(new URL('/admin/tokens', apiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'full@sandbox.test' }),
  });
  return `Bearer ${((await minted.json()) as { access_token: string }).access_token}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  const children: ChildProcess[] = [];
  const disposals: (() => void)[] = [];
  try {
    const sandbox = await launchSandbox('dist/mock-server/cli.js', SANDBOX_ARGS);
    children.push(sandbox.process);
    disposals.push(sandbox.dispose);
    const { apiUrl } = sandbox;
    const compareDir = process.argv[process.argv.indexOf('--compare') + 1];
    const other = process.argv.includes('--compare')
      ? await launchSandbox(path.resolve(compareDir!, 'dist/mock-server/cli.js'), COMPARE_ARGS)
      : undefined;
    if (other) {
      children.push(other.process);
      disposals.push(other.dispose);
    }
    const otherUrl = other?.apiUrl;
    const { headers, routes } = await oneRecordRoutes(apiUrl);
    // The same seed gives the same world, ids and site in both; only the token is the other sandbox's own.
    const otherHeaders = otherUrl && { ...headers, Authorization: await bearer(otherUrl) };
    const bodies: Record<string, string> = {};
    for (const route of routes) {
      bodies[route.sandbox] = await (await fetch(new URL(route.sandbox, apiUrl), { headers })).text();
    }
    const bodiesFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sage200-cpu-')), 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const bare = await launch(
      ['--import', 'tsx', 'bench/bare-http-server.ts', bodiesFile],
      /listening (\d+)/,
    );
    children.push(bare.process);

    const rows = [];
    for (const route of routes) {
      const sandboxRuns: Cost[] = [];
      const otherRuns: Cost[] = [];
      const bareRuns: Cost[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        sandboxRuns.push(await costOf(sandbox.process.pid!, `${apiUrl.origin}${route.sandbox}`, headers));
        if (other && otherUrl && otherHeaders) {
          otherRuns.push(
            await costOf(other.process.pid!, `${otherUrl.origin}${route.sandbox}`, otherHeaders),
          );
        }
        bareRuns.push(
          await costOf(bare.process.pid!, `http://127.0.0.1:${bare.match[1]}${route.sandbox}`, headers),
        );
      }
      rows.push({
        route: route.name,
        'sandbox µs': median(sandboxRuns.map((r) => r.process)).toFixed(1),
        'main user': median(sandboxRuns.map((r) => r.user)).toFixed(1),
        'main sys': median(sandboxRuns.map((r) => r.system)).toFixed(1),
        ...(other
          ? {
              'compared µs': median(otherRuns.map((r) => r.process)).toFixed(1),
              'compared main user': median(otherRuns.map((r) => r.user)).toFixed(1),
              'compared main sys': median(otherRuns.map((r) => r.system)).toFixed(1),
            }
          : {}),
        'bare µs': median(bareRuns.map((r) => r.process)).toFixed(1),
        'bare main user': median(bareRuns.map((r) => r.user)).toFixed(1),
        'bare main sys': median(bareRuns.map((r) => r.system)).toFixed(1),
      });
    }
    console.log(
      `\nServer CPU per request on ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, Node ${process.version}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `${REQUESTS} requests per round after ${Math.ceil(REQUESTS / 4)} to warm up, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds.\n`,
    );
    console.table(rows);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    for (const dispose of disposals) dispose();
  }
}

await main();
