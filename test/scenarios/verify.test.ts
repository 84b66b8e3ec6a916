/**
 * `sage200-sandbox verify` against a second sandbox standing in for Sage: unaltered it reports no contradiction;
 * with deliberate differences (test/scenarios/stand-in.ts) it reports each exactly once, with its path and field,
 * and nothing else. No token reaches the output.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sage200Client } from '../../client/sage200-client.ts';
import { SANDBOX_CLIENT, signInWithLoginHint } from '../../client/sandbox-sign-in.ts';
import { main } from '../../client/verify/cli.ts';
import type { Difference } from '../../client/verify/differences.ts';
import type { Pace } from '../../client/verify/http.ts';
import { VERIFIABLE_ROWS } from '../../client/verify/rows.ts';
import type { VerifyReport } from '../../client/verify/verify.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { companyHeaders, mintToken, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { LONGER_MEMBER, ORIGIN, standIn } from './stand-in.ts';

const API = `${ORIGIN}/uk/sage200/accounts/v1/`;

/** A pace that never waits, remembering each wait asked for. */
function recordedPace(): Pace & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

interface Run {
  code: number;
  out: string;
  err: string;
  waits: number[];
}

async function run(
  argv: string[],
  fetch: (r: Request) => Promise<Response>,
  env: Record<string, string> = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const pace = recordedPace();
  const code = await main(argv, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env,
    fetch,
    pace,
    stopped: async () => {},
  });
  return { code, out, err, waits: pace.waits };
}

describe('sage200-sandbox verify', () => {
  let app: SandboxApp;
  let token: string;
  let site: string;
  let company: string;
  beforeAll(async () => {
    app = sharedWorldSandbox();
    token = await mintToken(app, USERS.full);
    const headers = companyHeaders(app, USERS.full);
    site = headers['X-Site']!;
    company = headers['X-Company']!;
  }, 120_000);

  it('reports no contradiction and no difference against an unaltered sandbox, and exits 0', async () => {
    const writes: string[] = [];
    const unaltered = standIn(app);
    const result = await run(
      ['verify', '--base-url', API, '--site', site, '--company', company, '--json', '--rps', '1000'].concat([
        '--allow-writes',
        '/customers',
      ]),
      async (request) => {
        if (request.method !== 'GET') writes.push(`${request.method} ${new URL(request.url).pathname}`);
        return unaltered(request);
      },
      { SAGE200_ACCESS_TOKEN: token },
    );
    // The one write --allow-writes names, with an empty body the contract says is refused (its 400 checked too).
    expect(writes).toEqual(['POST /uk/sage200/accounts/v1/customers']);
    expect(result.err).toBe('');
    const report = JSON.parse(result.out) as VerifyReport;
    expect(report.differences).toEqual([]);
    expect(report.throttles).toEqual([]);
    expect(report.rows.filter((row) => row.status === 'contradicted')).toEqual([]);
    const confirmed = report.rows.filter((row) => row.status === 'confirmed').map((row) => row.id);
    // Every row but the two that need a 429 or a refresh token is settled by a run on the small world.
    expect(confirmed.sort()).toEqual(
      Object.keys(VERIFIABLE_ROWS)
        .filter((id) => id !== 'throttle-429' && id !== 'token-response')
        .sort(),
    );
    expect(report.read.lists).toBeGreaterThan(250);
    expect(report.read.records).toBeGreaterThan(100);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain(token);
  }, 120_000);

  describe('against a stand-in with five deliberate differences, signed in with a refresh token', () => {
    let result: Run;
    let report: VerifyReport;
    let secrets: string[];
    beforeAll(async () => {
      const client = new Sage200Client({
        ...SANDBOX_CLIENT,
        sageIdBaseUrl: 'http://localhost/id/',
        apiBaseUrl: 'http://localhost/uk/sage200/accounts/v1/',
        fetch: (request) => Promise.resolve(app.fetch(request)),
      });
      const tokens = await signInWithLoginHint(client, USERS.full);
      secrets = [tokens.refreshToken!, SANDBOX_CLIENT.clientSecret];
      const altered = standIn(app, {
        renamedField: true,
        longerEnumMember: true,
        topDefault: 100,
        bodyOn401: true,
        throttleOnce: true,
      });
      result = await run(
        [
          'verify',
          '--base-url',
          API,
          '--sage-id-url',
          `${ORIGIN}/id/`,
          '--client-id',
          SANDBOX_CLIENT.clientId,
          '--site',
          site,
          '--company',
          company,
          '--json',
          '--rps',
          '1000',
        ],
        altered,
        { SAGE200_REFRESH_TOKEN: tokens.refreshToken!, SAGE200_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret },
      );
      report = JSON.parse(result.out) as VerifyReport;
      secrets.push(token);
    }, 120_000);

    it('exits 1', () => {
      expect(result.code).toBe(1);
      expect(result.err).toBe('');
    });

    it('reports the renamed field and the longer enum member once each, with path and field, and no other difference', () => {
      const differences: Difference[] = report.differences;
      expect(differences).toHaveLength(2);
      expect(differences[0]).toMatchObject({
        resource: 'customers',
        field: 'name',
        paths: ['GET /customers', 'GET /customers/{Id}'],
      });
      expect(differences[0]!.problems).toHaveLength(1);
      expect(differences[0]!.problems[0]).toMatch(/^missing; `customer_name`.*renamed/);
      expect(differences[1]).toMatchObject({
        resource: 'suppliers',
        field: 'account_status_type',
        paths: ['GET /suppliers', 'GET /suppliers/{Id}'],
      });
      expect(differences[1]!.problems.join('\n')).toContain(
        `"${LONGER_MEMBER}" is not a member of the contract's enum`,
      );
    });

    it("contradicts exactly the Fidelity rows of the differences: record schemas, the $top default and the 401's body", () => {
      const contradicted = report.rows.filter((row) => row.status === 'contradicted');
      expect(contradicted.map((row) => row.id).sort()).toEqual([
        'gateway-401-body',
        'record-schemas',
        'top-default-max',
      ]);
      const top = contradicted.find((row) => row.id === 'top-default-max')!;
      expect(top.evidence.filter((line) => line.startsWith('CONTRADICTS'))).toEqual([
        expect.stringMatching(/^CONTRADICTS: without \$top, GET \/\w+ \(\d+ records\) answered 100 of them$/),
      ]);
    });

    it('waits out the 429 for its Retry-After, sends the read again and reports the throttle once', () => {
      expect(report.throttles).toEqual([
        {
          method: 'GET',
          path: '/uk/sage200/accounts/v1/currencies?$top=20',
          retryAfterSeconds: 1,
          waitedMs: 1000,
        },
      ]);
      expect(result.waits).toContain(1000);
      expect(report.rows.find((row) => row.id === 'throttle-429')?.status).toBe('confirmed');
      expect(report.notRead.map((entry) => entry.path)).not.toContain('/currencies');
    });

    it('signs in through Sage ID with the refresh token and checks the token response', () => {
      expect(report.rows.find((row) => row.id === 'token-response')?.status).toBe('confirmed');
    });

    it('never prints a token or the client secret', () => {
      for (const secret of secrets) {
        expect(result.out).not.toContain(secret);
        expect(result.err).not.toContain(secret);
      }
      // The access token the refresh gave is a JWT too: none is printed.
      expect(result.out).not.toMatch(/eyJ[\w-]{20,}/);
    });
  });

  it('prints the text report grouped by resource, with the contradicted rows', async () => {
    const result = await run(
      ['verify', '--base-url', API, '--site', site, '--company', company, '--rps', '1000'],
      standIn(app, { longerEnumMember: true }),
      { SAGE200_ACCESS_TOKEN: token },
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('CONTRADICTED record-schemas');
    expect(result.out).toMatch(
      new RegExp(
        `\\n  suppliers\\n    account_status_type: "${LONGER_MEMBER}" is not a member[^\\n]*\\n      seen on GET /suppliers, GET /suppliers/\\{Id\\}\\n`,
      ),
    );
    expect(result.out).not.toContain(token);
  }, 120_000);

  it('names the URL it could not reach and exits 1, without the token', async () => {
    const result = await run(
      ['verify', '--base-url', API],
      async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
      { SAGE200_ACCESS_TOKEN: token },
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `sage200-sandbox verify: GET ${ORIGIN}/uk/sage200/accounts/v1/sites could not be sent: ECONNREFUSED\n`,
    );
  });

  it.each([
    [['verify'], 'give an access token'],
    [['verify', '--rps', '0'], '--rps must be a number above 0'],
    [['verify', '--base-url', 'ftp://x'], '--base-url must be an http(s) URL'],
    [
      ['verify', '--allow-writes', '/customer_views'],
      '--allow-writes takes a path of the contract with POST',
    ],
    [['proxy'], '--record <file.yaml> is required'],
    [['proxy', '--record', 'x.yaml', '--name', 'Not Kebab'], '--name must be kebab-case'],
    [['nonsense'], 'unknown command nonsense'],
  ])('refuses %j with exit 2 and says why', async (argv, message) => {
    const result = await run(
      argv,
      standIn(app),
      argv.length > 1 && argv[0] === 'verify' ? { SAGE200_ACCESS_TOKEN: 't' } : {},
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it("marks in README.md's Fidelity table exactly the rows a run can settle, by their ids", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const fidelity = readme.slice(readme.indexOf('## Fidelity'), readme.indexOf('## Benchmark'));
    const rows = fidelity.split('\n').filter((line) => line.startsWith('|'));
    const marked = rows.flatMap((row) =>
      [...row.matchAll(/verify: `([a-z0-9-]+)`/g)].map((match) => match[1]),
    );
    expect(marked.sort()).toEqual(Object.keys(VERIFIABLE_ROWS).sort());
  });
});
