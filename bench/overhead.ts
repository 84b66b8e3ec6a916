/**
 * Per-request overhead (issue 11): the compiled sandbox (`npm run build`, then dist/mock-server/cli.js, medium
 * world) on one-record routes, side by side with a bare node:http server sending the same pre-encoded bytes and
 * with Prism mocking the project's own contract, each figure against its target: at least 0.7 of bare, at least
 * 20 times Prism. Every server runs in its own process, the sandbox with auth, OData parsing, faults and the
 * request journal as it ships; autocannon runs in this one, on the same cores. `npm run bench` calls it;
 * `npx tsx bench/overhead.ts` runs it alone and exits 1 when a target is missed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 10;
/** Sandbox and bare alternate this many runs per route, and each counts its best: the machine is shared. */
const ROUNDS = 3;
const WARM_UP_SECONDS = 2;
const TARGET_OF_BARE = 0.7;
const TARGET_OF_PRISM = 20;
const PRISM = path.join(ROOT, 'node_modules/.bin/prism');
const CONTRACT = 'contracts/sage200.openapi.yaml';

interface Run {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface Route {
  name: string;
  /** Path and query on the sandbox and on the bare server. */
  sandbox: string;
  /** The same operation on Prism, which serves the contract's paths without the API base. */
  prism: string;
}

/** Runs the comparison and prints it, each figure against its target; true when every target is met. */
export async function overheadBench(): Promise<boolean> {
  const load = os.loadavg();
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  // Prism takes seconds to read the contract, so it starts while the sandbox builds its world.
  const prismPort = 40000 + Math.floor(Math.random() * 20000);
  const prism = startPrism(prismPort);
  const children: ChildProcess[] = [prism.process];
  let sandbox: Awaited<ReturnType<typeof launchSandbox>> | undefined;
  try {
    sandbox = await launchSandbox('dist/mock-server/cli.js');
    children.push(sandbox.process);
    const { apiUrl } = sandbox;
    const { headers, routes } = await oneRecordRoutes(apiUrl);
    const bodies: Record<string, string> = {};
    for (const route of routes) {
      const response = await fetch(new URL(route.sandbox, apiUrl), { headers });
      if (response.status !== 200) throw new Error(`${route.sandbox}: ${response.status}`);
      bodies[route.sandbox] = await response.text();
    }
    const bodiesFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sage200-overhead-')), 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const bare = await launch(
      ['--import', 'tsx', 'bench/bare-http-server.ts', bodiesFile],
      /listening (\d+)/,
    );
    children.push(bare.process);

    const rows = [];
    const verdicts: boolean[] = [];
    const notes: string[] = [];
    for (const route of routes) {
      const sandboxUrl = `${apiUrl.origin}${route.sandbox}`;
      const bareUrl = `http://127.0.0.1:${bare.match[1]}${route.sandbox}`;
      const [s, b] = await alternate(sandboxUrl, bareUrl, headers);
      const p = await prismRun(prism, `http://127.0.0.1:${prismPort}${route.prism}`, headers);
      const ofBare = s.rps / b.rps;
      const ofPrism = typeof p === 'string' ? undefined : s.rps / p.rps;
      if (typeof p === 'string') notes.push(`${route.name}: Prism ${p}, so no ratio to it`);
      verdicts.push(ofBare >= TARGET_OF_BARE, ofPrism !== undefined && ofPrism >= TARGET_OF_PRISM);
      rows.push({
        route: route.name,
        bytes: Buffer.byteLength(bodies[route.sandbox]!),
        'sandbox req/s': s.rps.toFixed(0),
        'sandbox p99 ms': s.p99,
        'bare req/s': b.rps.toFixed(0),
        'bare p99 ms': b.p99,
        'Prism req/s': typeof p === 'string' ? 'no 2xx' : p.rps.toFixed(0),
        'Prism p99 ms': typeof p === 'string' ? '-' : p.p99,
        [`of bare (>= ${TARGET_OF_BARE})`]: verdict(ofBare, TARGET_OF_BARE, 2),
        [`x Prism (>= ${TARGET_OF_PRISM})`]:
          ofPrism === undefined ? 'n/a' : verdict(ofPrism, TARGET_OF_PRISM, 1),
      });
    }
    console.log(
      `\nPer-request overhead on ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${load.map((l) => l.toFixed(1)).join(' ')} at the start`,
    );
    console.log(
      `The compiled sandbox (dist/, medium world), a bare node:http server on the same bytes, Prism ${prismVersion()} on ${CONTRACT} (log level error);`,
    );
    console.log(
      `each its own process, autocannon in this one: ${CONNECTIONS} connections, ${DURATION_SECONDS} s runs, sandbox and bare best of ${ROUNDS} alternating, Prism one.\n`,
    );
    console.table(rows);
    for (const note of notes) console.log(note);
    return verdicts.every(Boolean);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    sandbox?.dispose();
  }
}

/**
 * The compiled sandbox (`cli`, a path from the repository) on a free port, resolved once it has built and written its
 * world: it does so between requests on a cache miss, so a run measured earlier would measure that too. It gets a
 * cache folder of its own, where its world always misses (another build of the code has another key); with
 * `--no-cache` among `args` it writes none, and is resolved once it listens. `dispose` stops it and removes the folder.
 */
export async function launchSandbox(
  cli: string,
  args: readonly string[] = [],
): Promise<{ process: ChildProcess; apiUrl: URL; dispose: () => void }> {
  const cacheDir = args.includes('--no-cache')
    ? undefined
    : mkdtempSync(path.join(os.tmpdir(), 'sage200-bench-cache-'));
  const dispose = () => {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  };
  try {
    const sandbox = await launch(
      [cli, '--port', '0', ...(cacheDir ? ['--cache-dir', cacheDir] : []), ...args],
      /Sage 200 API\s+(http:\/\/[^\s]+)\//,
    );
    const stop = () => {
      sandbox.process.kill('SIGTERM');
      dispose();
    };
    try {
      if (cacheDir) await worldWritten(cacheDir);
    } catch (error) {
      stop();
      throw error;
    }
    return { process: sandbox.process, apiUrl: new URL(sandbox.match[1]!), dispose: stop };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** Resolves once a world file is in `dir`: the sandbox has built every company and written the world. */
async function worldWritten(dir: string): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (!readdirSync(dir).some((name) => name.endsWith('.ndjson'))) {
    if (performance.now() > deadline) throw new Error(`no world written in ${dir} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A token for full@sandbox.test, its first company's headers, and the routes: one customer by id, and /sites. */
export async function oneRecordRoutes(
  apiUrl: URL,
): Promise<{ headers: Record<string, string>; routes: Route[] }> {
  const minted = await fetch(new URL('/admin/tokens', apiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'full@sandbox.test' }),
  });
  const { access_token: token } = (await minted.json()) as { access_token: string };
  const [site] = (await (
    await fetch(`${apiUrl.href}/sites`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as { site_id: string; company_id: number }[];
  const headers = {
    Authorization: `Bearer ${token}`,
    'X-Site': site!.site_id,
    'X-Company': String(site!.company_id),
  };
  const [customer] = (await (
    await fetch(`${apiUrl.href}/customers?$orderby=id&$top=1&$select=id`, { headers })
  ).json()) as { id: number }[];
  const base = apiUrl.pathname;
  return {
    headers,
    routes: [
      {
        name: 'GET /customers/{id}',
        sandbox: `${base}/customers/${customer!.id}`,
        prism: `/customers/${customer!.id}`,
      },
      { name: 'GET /sites', sandbox: `${base}/sites`, prism: '/sites' },
    ],
  };
}

/** Warms both up, then alternates runs of each; the best run of each. */
async function alternate(
  first: string,
  second: string,
  headers: Record<string, string>,
): Promise<[Run, Run]> {
  await measure(first, headers, WARM_UP_SECONDS);
  await measure(second, headers, WARM_UP_SECONDS);
  const runs: [Run[], Run[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    runs[0].push(succeeded(await measure(first, headers), first));
    runs[1].push(succeeded(await measure(second, headers), second));
  }
  return [best(runs[0]), best(runs[1])];
}

async function measure(
  url: string,
  headers: Record<string, string>,
  seconds = DURATION_SECONDS,
): Promise<Run> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.rps > a.rps ? b : a));
}

function succeeded(run: Run, url: string): Run {
  if (run.non2xx > 0 || run.errors > 0)
    throw new Error(`${url}: ${run.non2xx} non-2xx, ${run.errors} errors`);
  return run;
}

/** The ratio cut (not rounded) to `digits`, so a figure shown at the target has met it. */
function verdict(ratio: number, target: number, digits: number): string {
  const shown = Math.floor(ratio * 10 ** digits) / 10 ** digits;
  return `${shown.toFixed(digits)} ${ratio >= target ? 'met' : 'NOT met'}`;
}

/** Starts `node <args>` in the repository and resolves with the first match of `ready` in its output. */
export function launch(
  args: string[],
  ready: RegExp,
): Promise<{ process: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ process: child, match });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

interface Prism {
  process: ChildProcess;
  /** Why Prism stopped, once it has. */
  exited: () => string | undefined;
}

/** Prism serving the contract, its per-request log turned down to errors, which only helps it. */
function startPrism(port: number): Prism {
  const child = spawn(PRISM, ['mock', '-p', String(port), '-h', '127.0.0.1', '-v', 'error', CONTRACT], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once('exit', (code) => {
    exit = `exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`;
  });
  return { process: child, exited: () => exit };
}

/** Prism's figures on the route, or why it has none: only a 2xx answer counts. */
async function prismRun(prism: Prism, url: string, headers: Record<string, string>): Promise<Run | string> {
  const status = await firstStatus(prism, url, headers);
  if (typeof status === 'string') return status;
  if (status < 200 || status > 299) return `answers ${status}, not 2xx`;
  await measure(url, headers, WARM_UP_SECONDS);
  const run = await measure(url, headers);
  return run.non2xx > 0 || run.errors > 0 ? `answered ${run.non2xx} non-2xx, ${run.errors} errors` : run;
}

/** The status of Prism's first answer, polling while it reads the contract (up to 60 s). */
async function firstStatus(
  prism: Prism,
  url: string,
  headers: Record<string, string>,
): Promise<number | string> {
  const started = performance.now();
  for (;;) {
    try {
      return (await fetch(url, { headers })).status;
    } catch {
      const exited = prism.exited();
      if (exited !== undefined) return exited;
      if (performance.now() - started > 60_000) return 'did not answer within 60 s';
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function prismVersion(): string {
  const manifest = path.join(ROOT, 'node_modules/@stoplight/prism-cli/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await overheadBench())) process.exitCode = 1;
}
