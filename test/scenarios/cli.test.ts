import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../mock-server/cli.ts';
import { TEST_AS_OF } from '../support/as-of.ts';
import { runCli, SANDBOX_CLI } from '../support/cli.ts';

const run = promisify(execFile);

describe('the sage200-sandbox command', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it.each([
    [['--port', 'eighty'], '--port must be a whole number'],
    [['--scale', 'huge'], '--scale must be small, medium or large'],
    [['--seed', '-3'], '--seed'],
    [['--colour'], "Unknown option '--colour'"],
    [['--signing-key', '/nonexistent.pem'], '--signing-key'],
    [['--cache-dir', ' '], '--cache-dir needs the path of a folder'],
    [['--no-cache', '--cache-dir', '/tmp/cache'], '--cache-dir and --no-cache contradict each other'],
  ])('rejects %j with a clear message, the usage and exit code 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: sage200-sandbox');
    expect(stdout).toBe('');
  });

  it('prints the usage for --help and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: sage200-sandbox');
    expect(stderr).toBe('');
  });

  it("is documented in README.md's Command line section exactly as --help prints it", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'));
    const block = section.slice(
      section.indexOf('```\n') + 4,
      section.indexOf('```', section.indexOf('```\n') + 4),
    );
    expect(block).toBe(USAGE);
  });

  it('as a process: a bad flag sets exit status 2 and writes to stderr', async () => {
    const error = await run(process.execPath, [...SANDBOX_CLI, '--colour']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain("Unknown option '--colour'");
  });

  it('prints how to connect, the world served with its as-of date, and a copy-paste curl that lists customers', async () => {
    child = spawn(
      process.execPath,
      [...SANDBOX_CLI, '--port', '0', '--scale', 'small', '--as-of', TEST_AS_OF],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output}`)), 25_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).toContain(
      `sage200-sandbox is serving a Sage 200 Standard world (seed 200, scale small, as of ${TEST_AS_OF})\n`,
    );
    for (const email of [
      'full@sandbox.test',
      'trial@sandbox.test',
      'sandbox@sandbox.test',
      'limited@sandbox.test',
    ]) {
      expect(output).toContain(email);
    }
    const tryIt = output.slice(output.indexOf('Try it:') + 'Try it:'.length, output.indexOf('Press Ctrl+C'));
    const script = tryIt
      .split('\n')
      .map((line) => line.replace(/^ {2}/, ''))
      .join('\n');
    const { stdout } = await run('sh', ['-c', script]);
    const customers = JSON.parse(stdout) as { id: number; reference: string; name: string }[];
    expect(customers).toHaveLength(3);
    expect(Object.keys(customers[0]!).sort()).toEqual(['balance', 'id', 'name', 'reference']);
  });
});
