/**
 * `sage200-sandbox verify` and `sage200-sandbox proxy` (docs/verify.md). Tokens and the client secret come from
 * flags or, kept out of `ps`, the environment; neither command prints or writes them. Exit codes: verify 0 when
 * nothing contradicts the sandbox, 1 on a contradiction or when it cannot run, 2 for bad flags.
 */

import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { loadContract } from '../../contracts/index.ts';
import { SAGE_ID_BASE_URL, SAGE200_API_BASE_URL } from '../sage200-client.ts';
import { type FetchFunction, type Pace, pacedFetch, SYSTEM_PACE } from './http.ts';
import { createProxy, PROXY_API_PATH } from './proxy.ts';
import { reportJson, reportText } from './report.ts';
import { RowLedger } from './rows.ts';
import { refreshAccessToken, SignInError } from './sage-id.ts';
import { VerifyError, verify } from './verify.ts';

export const VERIFY_USAGE = `Usage: sage200-sandbox verify [options]

Reads every list and record path of the contract your token can read from a Sage 200 company (GET only), holds
each answer to the contract and probes the behaviours README.md's Fidelity table documents. Exit code 1 on any
contradiction.

Options:
  --base-url <url>        the API base (default ${SAGE200_API_BASE_URL})
  --access-token <token>  a Sage ID access token (or set SAGE200_ACCESS_TOKEN, which keeps it out of ps)
  --refresh-token <token> instead of an access token: a refresh token (or SAGE200_REFRESH_TOKEN) with
  --client-id <id>        your Sage ID client id, and its secret in SAGE200_CLIENT_SECRET or --client-secret <secret>
  --sage-id-url <url>     Sage ID's base for the refresh (default ${SAGE_ID_BASE_URL})
  --site <X-Site>         the site (default: the first company /sites lists)
  --company <X-Company>   the company (default: the first company /sites lists)
  --rps <n>               requests per second at most (default 4); a 429 is waited out for its Retry-After
  --sample <n>            records read from each list ($top; default 20)
  --allow-writes <path>   send one POST with an empty body to this contract path (repeatable); nothing else is written
  --json                  print the report as JSON
  -h, --help              show this help
`;

export const PROXY_USAGE = `Usage: sage200-sandbox proxy --record <file.yaml> [options]

Serves the Sage 200 API on http://127.0.0.1:<port>${PROXY_API_PATH}/, forwarding each call to the real service,
holding each answer to the contract, and recording the records it reads into a scenario file.

Options:
  --record <file.yaml>    the scenario file to write (rewritten after every recorded read)
  --base-url <url>        the API base to forward to (default ${SAGE200_API_BASE_URL})
  --port <n>              port to listen on (default 3201; 0 picks a free one)
  --name <name>           the scenario's name (default recorded)
  --company-id <n>        the X-Company the scenario serves the first recorded company under (default 901)
  --no-mask               keep personal data (names, emails, phones, addresses, VAT and bank details) unmasked
  --rps <n>               requests per second at most (default 4); a 429 is waited out for its Retry-After
  --allow-writes <path>   forward POST, PUT and DELETE to this contract path (repeatable; default none)
  -h, --help              show this help
`;

class UsageError extends Error {}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: FetchFunction;
  pace: Pace;
  /** Shows the path being read, on a terminal only (a line redrawn on stderr). */
  progress?: (text: string) => void;
  /** Resolves when the proxy should stop: Ctrl+C or SIGTERM by default. */
  stopped: () => Promise<void>;
}

function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    fetch: (request) => fetch(request),
    pace: SYSTEM_PACE,
    ...(process.stderr.isTTY
      ? { progress: (text: string) => process.stderr.write(`\r\x1b[K${text.slice(0, 100)}`) }
      : {}),
    stopped: () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

function baseUrl(raw: string | undefined, fallback: string, flag: string): string {
  const text = raw ?? fallback;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new UsageError(`${flag} must be an http(s) URL, not ${text}`);
  }
  return text.endsWith('/') ? text : `${text}/`;
}

function positive(raw: string | undefined, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > max) {
    throw new UsageError(`${flag} must be a number above 0 and at most ${max}, not ${raw}`);
  }
  return value;
}

/** `--allow-writes` paths: each a path of the contract with one of `verbs`. */
function paths(raw: string[] | undefined, verbs: readonly ('post' | 'put' | 'delete')[]): string[] {
  const doc = loadContract();
  for (const path of raw ?? []) {
    const item = doc.paths[path];
    if (!item || !verbs.some((verb) => item[verb] !== undefined)) {
      throw new UsageError(
        `--allow-writes takes a path of the contract with ${verbs.map((v) => v.toUpperCase()).join(', ')}, such as /customers, not ${path}`,
      );
    }
  }
  return raw ?? [];
}

/** `argv` without the command name: `['verify', '--json', ...]`. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const usage = command === 'proxy' ? PROXY_USAGE : VERIFY_USAGE;
  try {
    if (command === 'verify') return await runVerify(rest, io);
    if (command === 'proxy') return await runProxy(rest, io);
    throw new UsageError(`unknown command ${command ?? '(none)'}: verify or proxy`);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message === '') {
        io.out(usage);
        return 0;
      }
      io.err(`sage200-sandbox ${command ?? ''}: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof VerifyError || error instanceof SignInError) {
      io.err(`sage200-sandbox ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | string[] | undefined
    >;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function runVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parse(argv, {
    'base-url': { type: 'string' },
    'access-token': { type: 'string' },
    'refresh-token': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'sage-id-url': { type: 'string' },
    site: { type: 'string' },
    company: { type: 'string' },
    rps: { type: 'string' },
    sample: { type: 'string' },
    'allow-writes': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) throw new UsageError('');
  const apiBaseUrl = baseUrl(values['base-url'] as string | undefined, SAGE200_API_BASE_URL, '--base-url');
  const accessToken = (values['access-token'] as string | undefined) ?? io.env.SAGE200_ACCESS_TOKEN;
  const refreshToken = (values['refresh-token'] as string | undefined) ?? io.env.SAGE200_REFRESH_TOKEN;
  const clientId = values['client-id'] as string | undefined;
  if (accessToken === undefined && (refreshToken === undefined || clientId === undefined)) {
    throw new UsageError(
      'give an access token (--access-token or SAGE200_ACCESS_TOKEN), or a refresh token with --client-id',
    );
  }
  const rps = positive(values.rps as string | undefined, '--rps', 4, 1000);
  const sample = positive(values.sample as string | undefined, '--sample', 20, 5000);
  const fetch = pacedFetch(io.fetch, rps, io.pace);
  const rows = new RowLedger();
  const token =
    accessToken ??
    (await refreshAccessToken(
      fetch,
      {
        sageIdBaseUrl: baseUrl(
          values['sage-id-url'] as string | undefined,
          SAGE_ID_BASE_URL,
          '--sage-id-url',
        ),
        clientId: clientId!,
        clientSecret: (values['client-secret'] as string | undefined) ?? io.env.SAGE200_CLIENT_SECRET,
        refreshToken: refreshToken!,
      },
      rows,
    ));
  const report = await verify({
    apiBaseUrl,
    accessToken: token,
    site: values.site as string | undefined,
    company: values.company as string | undefined,
    fetch,
    sample: Math.round(sample),
    allowWrites: paths(values['allow-writes'] as string[] | undefined, ['post']),
    rows,
    ...(io.progress === undefined ? {} : { onProgress: io.progress }),
  });
  io.progress?.('');
  io.out(values.json ? reportJson(report) : reportText(report));
  return report.contradicted ? 1 : 0;
}

async function runProxy(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parse(argv, {
    record: { type: 'string' },
    'base-url': { type: 'string' },
    port: { type: 'string' },
    name: { type: 'string' },
    'company-id': { type: 'string' },
    'no-mask': { type: 'boolean' },
    rps: { type: 'string' },
    'allow-writes': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) throw new UsageError('');
  const file = values.record as string | undefined;
  if (file === undefined || file.trim() === '') throw new UsageError('--record <file.yaml> is required');
  const name = (values.name as string | undefined) ?? 'recorded';
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new UsageError(`--name must be kebab-case, not ${name}`);
  const portText = (values.port as string | undefined) ?? '3201';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535)
    throw new UsageError(`--port must be 0 to 65535, not ${portText}`);
  const companyText = (values['company-id'] as string | undefined) ?? '901';
  if (!/^[1-9]\d{0,8}$/.test(companyText))
    throw new UsageError(`--company-id must be a whole number, not ${companyText}`);
  const apiBaseUrl = baseUrl(values['base-url'] as string | undefined, SAGE200_API_BASE_URL, '--base-url');
  const mask = values['no-mask'] !== true;
  const proxy = createProxy({
    apiBaseUrl,
    fetch: pacedFetch(io.fetch, positive(values.rps as string | undefined, '--rps', 4, 1000), io.pace),
    allowWrites: paths(values['allow-writes'] as string[] | undefined, ['post', 'put', 'delete']),
    recorder: {
      name,
      description: `Recorded from ${new URL(apiBaseUrl).host} by sage200-sandbox proxy${mask ? ', personal data masked' : ''}.`,
      mask,
      firstCompanyId: Number(companyText),
    },
    scenarioFile: file,
    onExchange: (line) => io.out(`${line}\n`),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: proxy.app.fetch, port: Number(portText), hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : Number(portText);
  io.out(
    `sage200-sandbox proxy: forwarding http://127.0.0.1:${port}${PROXY_API_PATH}/ to ${apiBaseUrl}\n` +
      `  recording into ${file}${mask ? ' (personal data masked)' : ' (NOT masked)'}; press Ctrl+C to stop.\n`,
  );
  await io.stopped();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const differences = proxy.differences();
  io.out(`sage200-sandbox proxy: stopped; ${differences.length} difference(s) from the contract seen.\n`);
  for (const d of differences)
    io.out(`  ${d.resource}.${d.field}: ${d.problems.join('; ')} (${d.paths.join(', ')})\n`);
  return 0;
}

// `npm run verify` and `npm run proxy` run this file through tsx; the installed command reaches it through bin/.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
