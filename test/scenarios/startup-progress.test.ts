/**
 * Start-up progress: the sandbox tells `onProgress` each step of its start-up (and nothing after), and the CLI
 * draws them on one line in place on a terminal, or prints one line when it listens anywhere else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../mock-server/cli.ts';
import {
  createSandbox,
  SandboxOptionsError,
  type StartupProgress,
  startSandbox,
} from '../../mock-server/index.ts';
import { type ProgressStream, startupPrinter } from '../../mock-server/startup-progress.ts';
import { seededWorld, worldCacheKey } from '../../mock-server/world-cache/index.ts';
import { TEST_AS_OF } from '../support/as-of.ts';
import { copyOfWorld, smallTestWorld } from '../support/sandbox.ts';

const REDRAW = '\r\x1b[2K';
const COMPANIES = [
  'Sandbox Full Ltd',
  'Sandbox Full Holdings Ltd',
  'Sandbox Trial Ltd',
  'Sandbox Demo Ltd',
  'Sandbox Limited Role Ltd',
];

/** A stand-in for process.stdout that keeps what is written. */
function stream(isTTY: boolean, columns?: number): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns,
    write: (text: string) => chunks.push(text),
    text: () => chunks.join(''),
  };
}

const WORLD_STEPS: StartupProgress[] = [
  { step: 'world', seed: 200, scale: 'medium', companies: 2 },
  { step: 'company', number: 1, of: 2, company_name: 'Sandbox Full Ltd' },
  { step: 'company', number: 2, of: 2, company_name: 'Sandbox Full Holdings Ltd' },
];

describe('the start-up printer', () => {
  it('redraws one line in place on a terminal, and ends it with the URL it listens on', () => {
    const out = stream(true, 120);
    let ms = 0;
    const printer = startupPrinter(out, () => ms);
    for (const step of WORLD_STEPS) printer.report(step);
    ms = 1234;
    printer.report({ step: 'listening', url: 'http://127.0.0.1:3200' });
    expect(out.text()).toBe(
      `${REDRAW}sage200-sandbox: building the world (seed 200, scale medium, 2 companies)…` +
        `${REDRAW}sage200-sandbox: building company 1 of 2: Sandbox Full Ltd…` +
        `${REDRAW}sage200-sandbox: building company 2 of 2: Sandbox Full Holdings Ltd…` +
        `${REDRAW}sage200-sandbox: listening on http://127.0.0.1:3200 (ready in 1.2 s)\n`,
    );
  });

  it('prints a single line when not on a terminal, with no carriage return', () => {
    const out = stream(false);
    const printer = startupPrinter(out, () => 0);
    for (const step of WORLD_STEPS) printer.report(step);
    printer.report({ step: 'listening', url: 'http://127.0.0.1:3200' });
    expect(out.text()).toBe('sage200-sandbox: listening on http://127.0.0.1:3200 (ready in 0.0 s)\n');
  });

  it('cuts a step to the terminal width, so redrawing never wraps', () => {
    const out = stream(true, 30);
    startupPrinter(out).report(WORLD_STEPS[2]!);
    // 29 characters: the cursor stays on the 30-column line.
    expect(out.text()).toBe(`${REDRAW}sage200-sandbox: building co…`);
  });

  it('says whether the world cache holds the world', () => {
    const out = stream(true);
    const printer = startupPrinter(out);
    printer.report({ step: 'world-cache', path: '/c/world.ndjson', found: true });
    printer.report({ step: 'world-cache', path: '/c/world.ndjson', found: false });
    expect(out.text()).toBe(
      `${REDRAW}sage200-sandbox: reading the world from the cache /c/world.ndjson…` +
        `${REDRAW}sage200-sandbox: no cached world at /c/world.ndjson: building it…`,
    );
  });

  it('names the state file it opens', () => {
    const out = stream(true);
    startupPrinter(out).report({ step: 'state-file', path: '/tmp/world.json' });
    expect(out.text()).toBe(`${REDRAW}sage200-sandbox: opening the state file /tmp/world.json…`);
  });

  it('ends an open line when start-up fails, so the error starts on its own line; otherwise adds nothing', () => {
    const tty = stream(true);
    const printer = startupPrinter(tty);
    printer.interrupt();
    expect(tty.text()).toBe('');
    printer.report(WORLD_STEPS[0]!);
    printer.interrupt();
    expect(tty.text().endsWith('companies)…\n')).toBe(true);
    const pipe = stream(false);
    const quiet = startupPrinter(pipe);
    quiet.report(WORLD_STEPS[0]!);
    quiet.interrupt();
    expect(pipe.text()).toBe('');
  });
});

describe('the sage200-sandbox command', () => {
  async function run(stdout: ProgressStream, argv: string[]) {
    const stderr = stream(false);
    const code = await main(argv, { stdout, stderr, stopped: async () => {} });
    expect(stderr.text()).toBe('');
    return code;
  }

  /** A fresh world cache folder for one test, and the path its small seed-200 world is cached at. */
  function cacheFolder(): { dir: string; path: string; [Symbol.dispose](): void } {
    const dir = mkdtempSync(join(tmpdir(), 'sage200-progress-cache-'));
    return {
      dir,
      path: join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName),
      [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  it('on a terminal shows the world, then where it listens, and how to connect', async () => {
    using cache = cacheFolder();
    const out = stream(true, 400);
    expect(
      await run(out, ['--port', '0', '--scale', 'small', '--cache-dir', cache.dir, '--as-of', TEST_AS_OF]),
    ).toBe(0);
    const text = out.text();
    const progress = text.slice(0, text.indexOf('\n\n'));
    const banner = text.slice(progress.length + 2);
    expect(progress.split(REDRAW)).toEqual([
      '',
      `sage200-sandbox: no cached world at ${cache.path}: building it…`,
      // Its companies are built while it serves, so they are not shown (--no-cache without the cache, below).
      `sage200-sandbox: building the world (seed 200, scale small, ${COMPANIES.length} companies)…`,
      expect.stringMatching(
        /^sage200-sandbox: listening on http:\/\/127\.0\.0\.1:\d+ \(ready in \d+\.\d s\)$/,
      ),
    ]);
    expect(banner).toMatch(
      /^sage200-sandbox is serving a Sage 200 Standard world \(seed 200, scale small, as of \d{4}-\d{2}-\d{2}\)\n/,
    );
    expect(banner).toContain(`saving it to ${cache.path} for the next start`);
    expect(banner).toContain('Press Ctrl+C to stop.');
  });

  it('reads a cached world rather than building it, and says where from', async () => {
    using cache = cacheFolder();
    seededWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF, cacheDir: cache.dir, write: 'sync' });
    const out = stream(true, 400);
    expect(
      await run(out, ['--port', '0', '--scale', 'small', '--cache-dir', cache.dir, '--as-of', TEST_AS_OF]),
    ).toBe(0);
    const text = out.text();
    expect(text.slice(0, text.indexOf('\n\n')).split(REDRAW)).toEqual([
      '',
      `sage200-sandbox: reading the world from the cache ${cache.path}…`,
      expect.stringMatching(/^sage200-sandbox: listening on /),
    ]);
    expect(text).toContain(
      `World cache    read from ${cache.path} (a company's records on its first request)`,
    );
  });

  it('with --no-cache builds the world and says the cache is off', async () => {
    const out = stream(true, 400);
    expect(await run(out, ['--port', '0', '--scale', 'small', '--no-cache'])).toBe(0);
    const text = out.text();
    expect(text).not.toContain('cache…');
    expect(text).toContain(`building the world (seed 200, scale small, ${COMPANIES.length} companies)…`);
    expect(text).toContain(
      'World cache    off (--no-cache): the world is built at every start, each company on its first request',
    );
  });

  it('in a pipe prints one line for start-up, then how to connect', async () => {
    const out = stream(false);
    expect(await run(out, ['--port', '0', '--scale', 'small', '--seed', '7'])).toBe(0);
    const text = out.text();
    expect(text).not.toContain('\r');
    expect(text).not.toContain('sage200-sandbox: building');
    const [first, blank, third] = text.split('\n');
    expect(first).toMatch(/^sage200-sandbox: listening on http:\/\/127\.0\.0\.1:\d+ \(ready in \d+\.\d s\)$/);
    expect(blank).toBe('');
    expect(third).toMatch(
      /^sage200-sandbox is serving a Sage 200 Standard world \(seed 7, scale small, as of \d{4}-\d{2}-\d{2}\)$/,
    );
  });
});

describe('onProgress', () => {
  it('startSandbox tells whether the cache had the world, the world, then listening with the URL', async () => {
    const steps: StartupProgress[] = [];
    const cacheDir = mkdtempSync(join(tmpdir(), 'sage200-progress-cache-'));
    const running = await startSandbox({
      port: 0,
      seed: 9,
      scale: 'small',
      asOf: TEST_AS_OF,
      cacheDir,
      onProgress: (step) => steps.push(step),
    });
    try {
      expect(steps).toEqual([
        {
          step: 'world-cache',
          path: join(cacheDir, worldCacheKey(9, 'small', TEST_AS_OF).fileName),
          found: false,
        },
        { step: 'world', seed: 9, scale: 'small', companies: COMPANIES.length },
        // The companies are built once it listens, while it serves.
        { step: 'listening', url: running.url },
      ]);
    } finally {
      await running.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('with a world given builds nothing, so tells only that it listens', async () => {
    const steps: StartupProgress[] = [];
    const running = await startSandbox({
      port: 0,
      world: copyOfWorld(smallTestWorld()),
      onProgress: (step) => steps.push(step),
    });
    await running.stop();
    expect(steps).toEqual([{ step: 'listening', url: running.url }]);
  });

  it('with a state file names it first, seeds it from the world cache only when there is no snapshot yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage200-progress-'));
    const stateFile = join(dir, 'world.json');
    try {
      const first: StartupProgress[] = [];
      const made = await startSandbox({
        port: 0,
        scale: 'small',
        stateFile,
        cacheDir: join(dir, 'cache'),
        onProgress: (s) => first.push(s),
      });
      await made.stop();
      expect(first.map((s) => s.step)).toEqual([
        'state-file',
        'world-cache',
        'world',
        ...COMPANIES.map(() => 'company'),
        'listening',
      ]);
      expect(first[0]).toEqual({ step: 'state-file', path: stateFile });
      const again: StartupProgress[] = [];
      // The snapshot wins: the world cache is not even looked at.
      const restored = await startSandbox({
        port: 0,
        stateFile,
        cacheDir: join(dir, 'cache'),
        onProgress: (s) => again.push(s),
      });
      await restored.stop();
      expect(again).toEqual([
        { step: 'state-file', path: stateFile },
        { step: 'listening', url: restored.url },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is not told of a reset or a tenant's build: it reports start-up only", async () => {
    const steps: StartupProgress[] = [];
    const app = createSandbox({
      world: copyOfWorld(smallTestWorld()),
      onProgress: (step) => steps.push(step),
    });
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/admin/tenants', { scale: 'small' })).status).toBe(201);
    expect((await post('/admin/reset', { scale: 'small' })).status).toBe(200);
    expect(steps).toEqual([]);
  });

  it('must be a function', () => {
    expect(() => createSandbox({ onProgress: 'yes' as never })).toThrow(
      new SandboxOptionsError('onProgress must be a function'),
    );
  });
});
