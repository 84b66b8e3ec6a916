/**
 * `npm run test:package`: what a user of the package meets. Packs the package (prepack builds dist/), installs
 * the tarball in an empty project without dev dependencies, checks the `sage200-sandbox` command serves, type-checks
 * each entry point from that project, then runs every README block marked as a consumer snippet there
 * (readme-snippets.ts). Slow and needs the package registry, so CI runs it after `npm test`, not inside it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR_ENV } from '../../mock-server/world-cache/location.ts';
import { type ConsumerSnippet, consumerSnippets, describeSnippet } from './readme-snippets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONSUMER_FILES = fileURLToPath(new URL('./consumer', import.meta.url));
const MINUTE = 60_000;

/** Files the command and the entry points read at run time; the build copies the non-JavaScript ones. */
const REQUIRED_FILES = [
  'bin/sage200-sandbox.js',
  'dist/mock-server/cli.js',
  'dist/mock-server/index.js',
  'dist/client/index.js',
  'dist/client/testing.js',
  'dist/contracts/sage200.openapi.yaml',
  'dist/contracts/sage200.openapi.json',
  'dist/contracts/generated/sage200.d.ts',
  'dist/fixtures/sandbox-signing-key.pem',
];
const SHIPPED = /^(dist\/|bin\/|README\.md$|LICENSE$|package\.json$)/;

class PackageTestFailure extends Error {}

interface Run {
  code: number | null;
  output: string;
}

/** The environment of the consumer's commands: nothing of this repository's npm run (its bins, its package). */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_local_prefix$/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.startsWith(ROOT))
    .join(delimiter);
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: consumerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new PackageTestFailure(`${command} ${args.join(' ')} took over ${timeoutMs / 1000} s:\n${output}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function mustRun(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  const result = await run(command, args, cwd, timeoutMs);
  if (result.code !== 0) {
    throw new PackageTestFailure(`${command} ${args.join(' ')} exited ${result.code}:\n${result.output}`);
  }
  return result.output;
}

async function step<T>(title: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`- ${title} ...`);
  const result = await body();
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function pack(into: string): Promise<string> {
  await mustRun('npm', ['pack', '--pack-destination', into], ROOT, 5 * MINUTE);
  const [tarball, ...more] = readdirSync(into).filter((name) => name.endsWith('.tgz'));
  if (!tarball || more.length > 0)
    throw new PackageTestFailure(`npm pack left ${readdirSync(into)} in ${into}`);
  const listing = await mustRun('tar', ['-tzf', join(into, tarball)], into, MINUTE);
  const files = listing
    .split('\n')
    .filter(Boolean)
    .map((name) => name.replace(/^package\//, ''));
  const missing = REQUIRED_FILES.filter((name) => !files.includes(name));
  const extra = files.filter((name) => !SHIPPED.test(name) || /\.test(-d)?\.|\.map$/.test(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new PackageTestFailure(
      `the tarball is wrong: missing ${JSON.stringify(missing)}, should not ship ${JSON.stringify(extra)}`,
    );
  }
  return join(into, tarball);
}

async function install(consumer: string, tarball: string): Promise<void> {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  // The consumer's own tools, at the versions this repository tests with.
  const tools = ['vitest', 'msw', '@types/node'].map((name) => `${name}@${ours.devDependencies[name]}`);
  cpSync(CONSUMER_FILES, consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  await mustRun(
    'npm',
    ['install', '--omit=dev', '--no-audit', '--no-fund', tarball, ...tools],
    consumer,
    10 * MINUTE,
  );
  for (const devOnly of ['tsx', 'typescript']) {
    if (existsSync(join(consumer, 'node_modules', devOnly))) {
      throw new PackageTestFailure(
        `${devOnly} was installed, so the test cannot show the package runs without it`,
      );
    }
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(-child.pid!, 'SIGTERM');
  });
}

/** `npx sage200-sandbox --port 0` prints its URLs, serves the contract, the API reference's assets and tokens. */
async function serveWithTheCommand(consumer: string): Promise<void> {
  // Its own process group, so stopping it stops npx and the node it starts.
  const child = spawn('npx', ['--no', '--', 'sage200-sandbox', '--port', '0', '--scale', 'small'], {
    cwd: consumer,
    env: consumerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  try {
    const contractUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new PackageTestFailure(`no URL within 60 s:\n${output}`)),
        MINUTE,
      );
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /Contract\s+(http:\/\/\S+\/openapi\.json)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new PackageTestFailure(`npx sage200-sandbox exited ${code}:\n${output}`));
      });
    });
    const origin = new URL(contractUrl).origin;
    const checks: [string, Promise<Response>][] = [
      ['GET /openapi.json', fetch(contractUrl)],
      ['GET /docs/assets/swagger-ui.css', fetch(`${origin}/docs/assets/swagger-ui.css`)],
      [
        'POST /admin/tokens',
        fetch(`${origin}/admin/tokens`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ user: 'full@sandbox.test' }),
        }),
      ],
    ];
    for (const [what, answer] of checks) {
      const response = await answer;
      const body = await response.text();
      if (response.status !== 200) {
        throw new PackageTestFailure(`${what} answered ${response.status}: ${body.slice(0, 500)}\n${output}`);
      }
    }
  } finally {
    await stopGroup(child);
  }
}

function typeCheck(consumer: string): Promise<string> {
  // This repository's compiler, so the consumer installs nothing for it; the consumer's own @types/node.
  return mustRun(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(consumer, 'tsconfig.json')],
    consumer,
    5 * MINUTE,
  );
}

interface VitestReport {
  testResults: { name: string; status: string }[];
}

/** Runs every snippet; returns what failed, the failing snippets named first, then their output. */
async function runSnippets(consumer: string, snippets: ConsumerSnippet[]): Promise<string[]> {
  for (const snippet of snippets) writeFileSync(join(consumer, snippet.file), snippet.code);
  const failed: string[] = [];
  const outputs: string[] = [];
  const tests = snippets.filter((s) => s.runner === 'vitest');
  if (tests.length > 0) {
    const reportFile = join(consumer, 'vitest-report.json');
    const result = await run(
      'npx',
      [
        '--no',
        '--',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
      ],
      consumer,
      10 * MINUTE,
    );
    const report: VitestReport = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport)
      : { testResults: [] };
    const notPassed = tests.filter(
      (s) => report.testResults.find((r) => r.name.endsWith(`/${s.file}`))?.status !== 'passed',
    );
    failed.push(...notPassed.map((s) => `${describeSnippet(s)} failed under vitest`));
    if (notPassed.length === 0 && result.code !== 0) failed.push(`vitest exited ${result.code}`);
    if (notPassed.length > 0 || result.code !== 0) outputs.push(result.output);
  }
  for (const snippet of snippets.filter((s) => s.runner === 'node')) {
    const result = await run(process.execPath, [snippet.file], consumer, 5 * MINUTE);
    if (result.code !== 0) {
      failed.push(`${describeSnippet(snippet)} exited ${result.code} under node`);
      outputs.push(`node ${snippet.file}:\n${result.output}`);
    }
  }
  return failed.length === 0 ? [] : [...failed, '', ...outputs];
}

async function main(): Promise<number> {
  const started = performance.now();
  const snippets = consumerSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  if (snippets.length === 0) throw new PackageTestFailure('README.md marks no consumer snippet');
  const work = mkdtempSync(join(tmpdir(), 'sage200-sandbox-package-'));
  const consumer = join(work, 'consumer');
  // The consumer's sandboxes keep their world cache here, not in the user's cache directory.
  process.env[CACHE_DIR_ENV] = join(work, 'world-cache');
  let passed = false;
  try {
    const tarball = await step('npm pack (builds dist/)', () => pack(work));
    await step('npm install the tarball in an empty project, without dev dependencies', () =>
      install(consumer, tarball),
    );
    await step('npx sage200-sandbox --port 0 serves', () => serveWithTheCommand(consumer));
    await step('npx sage200-sandbox verify --help and proxy --help', async () => {
      for (const command of ['verify', 'proxy']) {
        const output = await mustRun(
          'npx',
          ['--no', '--', 'sage200-sandbox', command, '--help'],
          consumer,
          MINUTE,
        );
        if (!output.includes(`Usage: sage200-sandbox ${command}`)) {
          throw new PackageTestFailure(`sage200-sandbox ${command} --help printed:\n${output}`);
        }
      }
    });
    await step("the entry points' types, from the consumer project", () => typeCheck(consumer));
    const failures = await step(`${snippets.length} README consumer snippets`, () =>
      runSnippets(consumer, snippets),
    );
    if (failures.length > 0) throw new PackageTestFailure(failures.join('\n'));
    passed = true;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    process.stdout.write(`package test passed: ${snippets.length} README snippets, in ${seconds} s\n`);
    return 0;
  } finally {
    if (passed) rmSync(work, { recursive: true, force: true });
    else process.stderr.write(`\nThe packed tarball and the consumer project are kept in ${work}\n`);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  const message =
    error instanceof PackageTestFailure ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`\npackage test FAILED: ${message}\n`);
  process.exitCode = 1;
}
