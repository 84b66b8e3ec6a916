/**
 * `npm run sync -- --user <email> [--company <id>] [--url <sandbox url>]`: signs in to a sandbox as a seeded user
 * (Sage ID's authorization-code flow, with the sandbox's login_hint shortcut standing in for the login page), runs
 * the Codat-style sync for one company and prints each data type's records, status and time, and the balance sheet.
 * Without --url it starts a sandbox in this process on a free port. Exit code 0 when the sync ran (validation
 * errors are a result, not a failure), 1 when it could not run, 2 for bad flags.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { balanceSheetSummary, dataTypeTable, problems, resultJson } from './report.ts';
import { Sage200Client } from './sage200-client.ts';
import { sandboxClientOptions, signInWithLoginHint } from './sandbox-sign-in.ts';
import type { BalanceSheet } from './sync/codat-types.ts';
import { sync } from './sync/index.ts';

export const USAGE = `Usage: npm run sync -- --user <email> [--company <id>] [--url <sandbox url>]
                       [--scale small|medium|large] [--seed <n>] [--scenario <file>]... [--json]

  --user     a Sage ID user of the sandbox, e.g. full@sandbox.test or sandbox@sandbox.test
  --company  the X-Company to sync (default: the user's first company)
  --url      a running sandbox's origin, e.g. http://127.0.0.1:3200 (default: start one in this process)
  --scale    world size of the in-process sandbox (default medium, as npm start serves)
  --seed     seed of the in-process sandbox (default 200)
  --scenario a scenario file (YAML or JSON, docs/scenarios.md) applied to the in-process sandbox's world (repeatable)
  --json     print the result as JSON (statuses, counts, validation; no records) instead of the table`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

interface Flags {
  user: string;
  company: number | undefined;
  url: string | undefined;
  scale: 'small' | 'medium' | 'large';
  seed: number;
  scenarios: string[];
  json: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        user: { type: 'string' },
        company: { type: 'string' },
        url: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const user = values.user;
  if (typeof user !== 'string' || !user.includes('@')) throw new UsageError('--user <email> is required');
  const company = values.company;
  if (company !== undefined && !/^\d{1,9}$/.test(String(company))) {
    throw new UsageError(`--company must be a company id (a whole number), not ${String(company)}`);
  }
  const url = values.url;
  if (
    url !== undefined &&
    (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
  ) {
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:3200, not ${String(url)}`);
  }
  const scale = values.scale ?? 'medium';
  if (scale !== 'small' && scale !== 'medium' && scale !== 'large') {
    throw new UsageError(`--scale must be small, medium or large, not ${String(scale)}`);
  }
  const seed = values.seed ?? '200';
  if (!/^\d{1,9}$/.test(String(seed)))
    throw new UsageError(`--seed must be a whole number, not ${String(seed)}`);
  const scenarios = Array.isArray(values.scenario) ? values.scenario : [];
  if (
    url !== undefined &&
    (values.scale !== undefined || values.seed !== undefined || scenarios.length > 0)
  ) {
    throw new UsageError(
      '--scale, --seed and --scenario apply only to the in-process sandbox; leave them out with --url',
    );
  }
  return {
    user,
    company: company === undefined ? undefined : Number(company),
    url: typeof url === 'string' ? url : undefined,
    scale,
    seed: Number(seed),
    scenarios,
    json: values.json === true,
  };
}

/** An error's message with its causes (`fetch failed: connect ECONNREFUSED 127.0.0.1:3200`). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 4) {
    parts.push(current.message);
    current = current.cause;
  }
  if (current !== undefined && !(current instanceof Error)) parts.push(String(current));
  return parts.join(': ') || String(error);
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) io.err(`sync: ${error.message}`);
    io.err(USAGE);
    return error.message ? 2 : 0;
  }

  let stop: (() => Promise<void>) | undefined;
  let where = 'an in-process sandbox';
  try {
    let origin: string;
    if (flags.url === undefined) {
      const { startSandbox } = await import('../mock-server/index.ts');
      const running = await startSandbox({
        port: 0,
        scale: flags.scale,
        seed: flags.seed,
        scenarios: flags.scenarios,
      });
      stop = running.stop;
      origin = running.url;
      where = `an in-process sandbox at ${origin} (${flags.scale} world, seed ${flags.seed})`;
    } else {
      origin = new URL(flags.url).origin;
      where = `the sandbox at ${origin}`;
    }
    const client = new Sage200Client(sandboxClientOptions(origin));
    await signInWithLoginHint(client, flags.user);
    const company = await client.findCompany(flags.company);
    if (!flags.json) {
      io.out(
        `Syncing ${company.company_name ?? 'company'} (X-Company ${company.company_id}, X-Site ${company.site_id})\n` +
          `as ${flags.user} on ${where}.\n`,
      );
    }
    const result = await sync(client, company);
    if (flags.json) {
      io.out(JSON.stringify(resultJson(result), null, 2));
      return 0;
    }
    io.out(dataTypeTable(result.results));
    const balanceSheet = result.results.find((r) => r.dataType === 'balanceSheet');
    if (balanceSheet?.data) io.out(`\n${balanceSheetSummary(balanceSheet.data as BalanceSheet)}`);
    const found = problems(result.results);
    if (found.length > 0) io.out(`\n${found.join('\n')}`);
    io.out(
      `\n${result.results.length} data types in ${Math.round(result.durationMs)} ms, ${client.stats.requests} API requests` +
        (client.stats.retries > 0 ? `, ${client.stats.retries} retries` : '') +
        '.',
    );
    return 0;
  } catch (error) {
    io.err(`sync: could not run against ${where}: ${describeError(error)}`);
    return 1;
  } finally {
    await stop?.();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const code = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
  process.exitCode = code;
}
