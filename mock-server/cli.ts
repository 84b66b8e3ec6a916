/** The `sage200-sandbox` command: parse flags, serve the sandbox, print how to connect. */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ADMIN_KEY_HEADER } from './admin/admin-key.ts';
import { loadSigningKey } from './oauth/index.ts';
import {
  adminKeyProblem,
  MAX_JOURNAL_SIZE,
  MAX_TENANTS,
  redirectUriProblem,
  SandboxOptionsError,
} from './options.ts';
import { type LoadedScenario, loadScenarios, ScenarioError } from './scenarios/index.ts';
import type { RunningSandbox } from './server.ts';
import { startSandbox } from './server.ts';
import { type ProgressStream, startupPrinter } from './startup-progress.ts';
import { checkAsOf } from './world/calendar.ts';
import type { Scale } from './world/model.ts';

/** The help text; README.md's Command line section shows it as it is (test/scenarios/cli.test.ts checks). */
export const USAGE = `Usage: sage200-sandbox [options]

Serves an offline Sage 200 Standard (UK) API and Sage ID sign-in.

Options:
  --port <n>                   port to listen on (default 3200; 0 picks a free one)
  --host <address>             address to bind (default 127.0.0.1)
  --seed <n>                   seed of the generated world (default 200)
  --scale <small|medium|large> volume of the generated world (default medium)
  --as-of <YYYY-MM-DD>         the date the world's history ends on; the sandbox clock starts there (default: today)
  --access-token-ttl <seconds> lifetime of access tokens (default 3600)
  --require-subscription-key   refuse calls without Ocp-Apim-Subscription-Key, as Sage's gateway did before 6 Aug 2025
  --subscription-key <key>     the key that gateway accepts (default sandbox-subscription-key)
  --signing-key <file.pem>     RSA private key to sign tokens with (default: the sandbox's own, public key)
  --refresh-token-ttl <seconds> lifetime of refresh tokens from consent (default 7776000, 90 days)
  --refresh-token-rotation     issue a new refresh token on each refresh; reusing an old one revokes the family
  --refresh-token-sliding      renew a refresh token's lifetime on each use instead of counting from consent
  --redirect-uri <url>         register another redirect URI for the sandbox clients (repeatable)
  --scenario <file>            apply a scenario file (YAML or JSON, docs/scenarios.md) to the world (repeatable, in order)
  --state-file <path>          keep the world on disk across restarts: a snapshot at <path> and an fsynced write-ahead log
                               <path>.wal of every write; an existing snapshot wins over --seed, --scale and --scenario
  --compact-every <n>          writes logged before the snapshot is rewritten (default 1000)
  --cache-dir <path>           folder of the world cache (default $SAGE200_SANDBOX_CACHE_DIR, else the user's cache
                               directory: ~/.cache/sage200-sandbox on Linux)
  --no-cache                   build the seeded world afresh, neither reading nor writing the world cache
  --admin-key <key>            require this key as X-Admin-Key on every /admin request; needed with a --host
                               other than loopback (or set SAGE200_SANDBOX_ADMIN_KEY, which keeps it out of ps)
  --journal-size <n>           requests the request journal (/admin/requests) keeps, oldest dropped first (default 1000)
  --max-tenants <n>            tenants POST /admin/tenants may have alive at once, besides default (default 20)
  --max-state-bytes <n>        largest world PUT /admin/state reads, in bytes (default 1073741824, 1 GiB)
  -h, --help                   show this help
`;

class UsageError extends Error {}

export interface CliOptions {
  port: number;
  host: string;
  seed: number | undefined;
  scale: Scale | undefined;
  asOf: string | undefined;
  accessTokenTtlSeconds: number | undefined;
  requireSubscriptionKey: boolean;
  subscriptionKey: string | undefined;
  signingKeyPem: string | undefined;
  refreshTokenTtlSeconds: number | undefined;
  refreshTokenRotation: boolean;
  refreshTokenSliding: boolean;
  redirectUris: string[];
  /** The `--scenario` files, read and checked. */
  scenarios: LoadedScenario[];
  stateFile: string | undefined;
  compactEvery: number | undefined;
  cache: boolean;
  cacheDir: string | undefined;
  adminKey: string | undefined;
  journalSize: number | undefined;
  maxTenants: number | undefined;
  maxStateBytes: number | undefined;
}

/** The environment variable the admin key may come from instead of --admin-key. */
export const ADMIN_KEY_ENV = 'SAGE200_SANDBOX_ADMIN_KEY';

/** Parses argv; throws UsageError with a message a person can act on. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliOptions | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        scale: { type: 'string' },
        'as-of': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        'require-subscription-key': { type: 'boolean' },
        'subscription-key': { type: 'string' },
        'signing-key': { type: 'string' },
        'refresh-token-ttl': { type: 'string' },
        'refresh-token-rotation': { type: 'boolean' },
        'refresh-token-sliding': { type: 'boolean' },
        'redirect-uri': { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        'state-file': { type: 'string' },
        'compact-every': { type: 'string' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean' },
        'admin-key': { type: 'string' },
        'journal-size': { type: 'string' },
        'max-tenants': { type: 'string' },
        'max-state-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const port = integerFlag(values.port, '--port', 0, 65535) ?? 3200;
  const scale = values.scale as string | undefined;
  if (scale !== undefined && !['small', 'medium', 'large'].includes(scale)) {
    throw new UsageError(`--scale must be small, medium or large, not '${scale}'`);
  }
  const asOf = values['as-of'] as string | undefined;
  if (asOf !== undefined) {
    try {
      checkAsOf(asOf);
    } catch {
      throw new UsageError(`--as-of must be a calendar date YYYY-MM-DD, not '${asOf}'`);
    }
  }
  const keyFile = values['signing-key'] as string | undefined;
  let signingKeyPem: string | undefined;
  if (keyFile !== undefined) {
    try {
      signingKeyPem = readFileSync(keyFile, 'utf8');
      loadSigningKey(signingKeyPem);
    } catch (error) {
      throw new UsageError(`--signing-key ${keyFile}: ${(error as Error).message}`);
    }
  }
  const redirectUris = (values['redirect-uri'] as string[] | undefined) ?? [];
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new UsageError(`--redirect-uri ${uri} ${problem}`);
  }
  const cacheDir = values['cache-dir'] as string | undefined;
  if (cacheDir !== undefined && cacheDir.trim() === '')
    throw new UsageError('--cache-dir needs the path of a folder');
  if (cacheDir !== undefined && values['no-cache'] === true) {
    throw new UsageError('--cache-dir and --no-cache contradict each other: give one');
  }
  const adminKey = (values['admin-key'] as string | undefined) ?? (env[ADMIN_KEY_ENV] || undefined);
  const keyProblem = adminKey === undefined ? undefined : adminKeyProblem(adminKey);
  if (keyProblem) {
    throw new UsageError(
      `${values['admin-key'] === undefined ? ADMIN_KEY_ENV : '--admin-key'} ${keyProblem}`,
    );
  }
  return {
    port,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    seed: integerFlag(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER),
    scale: scale as Scale | undefined,
    asOf,
    accessTokenTtlSeconds: integerFlag(values['access-token-ttl'], '--access-token-ttl', 1, 10 * 365 * 86400),
    requireSubscriptionKey: values['require-subscription-key'] === true,
    subscriptionKey: values['subscription-key'] as string | undefined,
    signingKeyPem,
    refreshTokenTtlSeconds: integerFlag(
      values['refresh-token-ttl'],
      '--refresh-token-ttl',
      1,
      10 * 365 * 86400,
    ),
    refreshTokenRotation: values['refresh-token-rotation'] === true,
    refreshTokenSliding: values['refresh-token-sliding'] === true,
    redirectUris,
    // Read and checked here, so a bad file stops the command before any world is built.
    scenarios: loadScenarios((values.scenario as string[] | undefined) ?? []),
    stateFile: stateFileFlag(values['state-file']),
    compactEvery: integerFlag(values['compact-every'], '--compact-every', 1, Number.MAX_SAFE_INTEGER),
    cache: values['no-cache'] !== true,
    cacheDir,
    adminKey,
    journalSize: integerFlag(values['journal-size'], '--journal-size', 1, MAX_JOURNAL_SIZE),
    maxTenants: integerFlag(values['max-tenants'], '--max-tenants', 0, MAX_TENANTS),
    maxStateBytes: integerFlag(values['max-state-bytes'], '--max-state-bytes', 1, Number.MAX_SAFE_INTEGER),
  };
}

function stateFileFlag(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (String(raw).trim() === '') throw new UsageError('--state-file needs the path of a file');
  return String(raw);
}

function integerFlag(raw: unknown, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}

/** What start-up told of the world cache: where its file is and whether it held the world. */
export interface WorldCacheUse {
  path: string;
  found: boolean;
}

/** What the CLI prints once the sandbox listens: URLs, users with their site and company ids, and a curl to try. */
export function connectionText(running: RunningSandbox, cache?: WorldCacheUse): string {
  const { store, options, stateFile } = running.app.sandbox;
  const full = store.users.find((u) => u.kind === 'full') ?? store.users[0]!;
  const fullSite = store.site(full.site_id)!.site;
  const firstCompany = fullSite.companies[0]!;
  // A world from an old state file may record no as-of date.
  const asOf = store.world.as_of === undefined ? '' : `, as of ${store.world.as_of}`;
  const lines = [
    `sage200-sandbox is serving a Sage 200 Standard world (seed ${store.world.seed}, scale ${store.world.scale}${asOf})`,
    '',
    `  Sage 200 API   ${running.apiUrl}`,
    `  Dashboard      ${running.url}/   (API reference ${running.url}/docs)`,
    `  Contract       ${running.url}/openapi.json`,
    `  Token issuer   ${running.url}/id/`,
    `  Sage ID        ${running.url}/id/.well-known/openid-configuration (clients sandbox-client / sandbox-secret, sandbox-public-client with PKCE)`,
    `  Admin API      ${running.admin}   (POST /admin/tokens mints an access token for a user)`,
    `  Tenants        POST ${running.admin}/tenants makes an isolated world under ${running.url}/tenants/{id}/ (at most ${options.maxTenants})`,
    options.adminKey === undefined
      ? '  Admin key      none (listening on loopback only, so only this machine reaches /admin)'
      : `  Admin key      required: send it as ${ADMIN_KEY_HEADER} on every /admin request`,
    options.requireSubscriptionKey
      ? `  Subscription   Ocp-Apim-Subscription-Key: ${options.subscriptionKey} (required)`
      : '  Subscription   Ocp-Apim-Subscription-Key is accepted and ignored, as at Sage since 6 Aug 2025',
    stateFile
      ? `  State          persisted: snapshot ${stateFile.path}, write-ahead log ${stateFile.walPath} (fsynced before each write is answered)`
      : '  State          in memory only: lost when the sandbox stops (--state-file <path> keeps it)',
    worldCacheLine(cache, options.cache, stateFile !== undefined),
    '',
    'Users (any password) and what they can open, as X-Site / X-Company:',
  ];
  for (const user of store.users) {
    store.sitesOf(user).forEach(({ site }, i) => {
      const companies = site.companies.map((c) => `${c.company_id} ${c.company_name}`).join('; ');
      const who = i === 0 ? `${user.email.padEnd(22)} ${user.kind.padEnd(8)}` : ' '.repeat(31);
      lines.push(`  ${who} X-Site ${site.site_id}  X-Company ${companies}`);
    });
  }
  const key = options.requireSubscriptionKey
    ? ` -H 'Ocp-Apim-Subscription-Key: ${options.subscriptionKey}'`
    : '';
  lines.push(
    '',
    'Try it:',
    `  TOKEN=$(curl -s -X POST ${running.admin}/tokens -H 'Content-Type: application/json'${options.adminKey === undefined ? '' : ` -H "${ADMIN_KEY_HEADER}: $${ADMIN_KEY_ENV}"`} \\`,
    `    -d '{"user":"${full.email}"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s '${running.apiUrl}customers?$top=3&$select=id,reference,name,balance' \\`,
    `    -H "Authorization: Bearer $TOKEN" -H 'X-Site: ${fullSite.site_id}' -H 'X-Company: ${firstCompany.company_id}'${key}`,
    '',
    'Press Ctrl+C to stop.',
  );
  return lines.join('\n');
}

function worldCacheLine(cache: WorldCacheUse | undefined, on: boolean, stateFile: boolean): string {
  if (cache?.found)
    return `  World cache    read from ${cache.path} (a company's records on its first request)`;
  if (cache)
    return `  World cache    building the world while serving (a company first asked for first); saving it to ${cache.path} for the next start (--no-cache skips it)`;
  if (stateFile) return "  World cache    not used: the state file's snapshot is the world";
  return on
    ? '  World cache    not used: the world was given'
    : '  World cache    off (--no-cache): the world is built at every start, each company on its first request';
}

/** Where the command writes, and what stops it: the process's own unless a test gives others. */
export interface CliIo {
  stdout: ProgressStream;
  stderr: Pick<ProgressStream, 'write'>;
  /** Resolves when the sandbox should stop; by default on SIGINT (Ctrl+C) or SIGTERM. */
  stopped: () => Promise<void>;
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stopped: () =>
      new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
  };
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let cli: CliOptions | 'help';
  try {
    cli = parseCli(argv);
  } catch (error) {
    if (error instanceof ScenarioError) {
      io.stderr.write(`sage200-sandbox: scenario refused:\n${error.message}\n`);
      return 2;
    }
    io.stderr.write(`sage200-sandbox: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cli === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const progress = startupPrinter(io.stdout);
  let cache: WorldCacheUse | undefined;
  let running: RunningSandbox;
  try {
    running = await startSandbox({
      onProgress: (step) => {
        if (step.step === 'world-cache') cache = { path: step.path, found: step.found };
        progress.report(step);
      },
      port: cli.port,
      host: cli.host,
      seed: cli.seed,
      scale: cli.scale,
      asOf: cli.asOf,
      accessTokenTtlSeconds: cli.accessTokenTtlSeconds,
      requireSubscriptionKey: cli.requireSubscriptionKey,
      subscriptionKey: cli.subscriptionKey,
      signingKeyPem: cli.signingKeyPem,
      refreshTokenTtlSeconds: cli.refreshTokenTtlSeconds,
      refreshTokenRotation: cli.refreshTokenRotation,
      refreshTokenSliding: cli.refreshTokenSliding,
      redirectUris: cli.redirectUris,
      scenarios: cli.scenarios,
      stateFile: cli.stateFile,
      compactEvery: cli.compactEvery,
      cache: cli.cache,
      cacheDir: cli.cacheDir,
      adminKey: cli.adminKey,
      journalSize: cli.journalSize,
      maxTenants: cli.maxTenants,
      maxStateBytes: cli.maxStateBytes,
    });
  } catch (error) {
    progress.interrupt();
    const known =
      error instanceof SandboxOptionsError ||
      error instanceof ScenarioError ||
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const refused = error instanceof ScenarioError ? 'scenario refused:\n' : '';
    io.stderr.write(`sage200-sandbox: ${refused}${(error as Error).message}\n`);
    return known ? 2 : 1;
  }
  io.stdout.write(`\n${connectionText(running, cache)}\n`);
  await io.stopped();
  await running.stop();
  return 0;
}

// `npm start` runs this file through tsx; the installed command runs the compiled copy from bin/.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
