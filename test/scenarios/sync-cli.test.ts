/**
 * `npm run sync`: the table of data types, records, statuses and timings, the balance sheet's totals and
 * difference, and the exit codes (0 when the sync ran, validation errors included; 1 when it could not run; 2 for
 * bad flags). Run in-process through `main()` (the small world keeps it quick), plus once as a real process.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../client/cli.ts';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { smallTestWorld } from '../support/sandbox.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The table row of a data type: name, records, status. */
function row(out: string, dataType: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(`${dataType} `));
  return (line ?? '').trim().split(/\s+/).slice(0, 3);
}

describe('npm run sync', () => {
  it('as the sandbox user: balanceSheet ValidationError with its 2,500.00 difference, exit 0', async () => {
    const { code, out } = await run('--user', 'sandbox@sandbox.test', '--scale', 'small');
    expect(code).toBe(0);
    expect(row(out, 'balanceSheet').slice(2)).toEqual(['ValidationError']);
    for (const dataType of [
      'chartOfAccounts',
      'customers',
      'invoices',
      'bills',
      'taxRates',
      'profitAndLoss',
    ]) {
      expect(row(out, dataType)[2], dataType).toBe('Complete');
    }
    expect(out).toMatch(/^ {2}difference +2,500\.00$/m);
    expect(out).toMatch(/^ {2}net assets +-?[\d,]+\.\d\d$/m);
    expect(out).toContain('sync.balanceSheet.netAssetsEqualEquity');
  });

  it('as the full user: every data type Complete, difference 0.00', async () => {
    const { code, out } = await run('--user', 'full@sandbox.test', '--scale', 'small', '--company', '2');
    expect(code).toBe(0);
    expect(out).toContain('Sandbox Full Holdings Ltd (X-Company 2');
    const statuses = out
      .split('\n')
      .filter((l) => /^[a-zA-Z]+ +\d+ +\w+ +\d+ ms/.test(l))
      .map((l) => l.split(/\s+/)[2]);
    expect(statuses).toEqual(Array(10).fill('Complete'));
    expect(out).toMatch(/^ {2}difference +0\.00$/m);
  });

  it('prints JSON for CI with --json: statuses, counts and validation, no records', async () => {
    const { code, out } = await run('--user', 'sandbox@sandbox.test', '--scale', 'small', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { results: { dataType: string; status: string; data?: unknown }[] };
    expect(parsed.results.find((r) => r.dataType === 'balanceSheet')?.status).toBe('ValidationError');
    expect(parsed.results.every((r) => r.data === undefined)).toBe(true);
  });

  it.each([
    [['--company', '1'], '--user <email> is required'],
    [['--user', 'full@sandbox.test', '--company', 'one'], '--company must be a company id'],
    [['--user', 'full@sandbox.test', '--url', 'ftp://x'], '--url must be an http(s) URL'],
    [['--user', 'full@sandbox.test', '--scale', 'huge'], '--scale must be small, medium or large'],
    [['--user', 'full@sandbox.test', '--colour'], "Unknown option '--colour'"],
    [
      ['--user', 'full@sandbox.test', '--url', 'http://127.0.0.1:1', '--scale', 'small'],
      'only to the in-process',
    ],
  ])('refuses %j with exit code 2 and the usage', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('Usage: npm run sync');
  });

  it.each([
    [['--user', 'nobody@sandbox.test', '--scale', 'small'], 'is nobody@sandbox.test a user of this sandbox?'],
    [['--user', 'full@sandbox.test', '--company', '4', '--scale', 'small'], 'cannot open company 4'],
    [['--user', 'full@sandbox.test', '--url', 'http://127.0.0.1:9'], 'could not run'],
  ])('exits 1 when the sync cannot run: %j', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  describe('with --url, against a running sandbox', () => {
    let running: RunningSandbox;
    beforeAll(async () => {
      running = await startSandbox({ port: 0, world: smallTestWorld() });
    });
    afterAll(async () => {
      await running?.stop();
    });

    it('signs in there and syncs', async () => {
      const { code, out } = await run('--user', 'limited@sandbox.test', '--url', running.url);
      expect(code).toBe(0);
      expect(out).toContain(`the sandbox at ${running.url}`);
      expect(row(out, 'customers')).toEqual(['customers', '0', 'PermissionsError']);
      expect(row(out, 'suppliers')[2]).toBe('Complete');
    });
  });

  it('exits 1 naming the URL and the cause when nothing listens there', async () => {
    const holder = await startSandbox({ port: 0, world: smallTestWorld() });
    const url = holder.url;
    await holder.stop();
    const { code, err } = await run('--user', 'full@sandbox.test', '--url', url);
    expect(code).toBe(1);
    expect(err).toContain(
      `sync: could not run against the sandbox at ${url}: fetch failed: connect ECONNREFUSED`,
    );
  });

  it('as a process: bad flags exit 2', async () => {
    const cli = fileURLToPath(new URL('../../client/cli.ts', import.meta.url));
    const error = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, '--nope']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain("Unknown option '--nope'");
  });
});
