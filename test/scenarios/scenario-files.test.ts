/**
 * Every shipped scenario (fixtures/scenarios/) loads, passes its own checks, and the sync run against it reports
 * exactly the faults the file declares and nothing else: each declared fault's balance sheet months and amounts,
 * or its control account difference; every other data type Complete with no errors or warnings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataTypeResult } from '../../client/sync/codat-types.ts';
import { sync } from '../../client/sync/index.ts';
import { fakeTiming, inProcessClient } from '../../client/testing.ts';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import {
  type LoadedScenario,
  readScenarioFile,
  type ScenarioFault,
} from '../../mock-server/scenarios/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { TEST_DATES } from '../support/as-of.ts';
import { mintToken, smallTestWorld } from '../support/sandbox.ts';

const FOLDER = fileURLToPath(new URL('../../fixtures/scenarios/', import.meta.url));
const FILES = readdirSync(FOLDER)
  .filter((name) => /\.(ya?ml|json)$/.test(name))
  .sort();

/** Report months up to the world's "now", as an integrator syncing today sees them. */
const AS_OF = new Date(TEST_DATES.now);

const pence = (value: unknown): number => Math.round(Number(value ?? 0) * 100);

interface Target {
  companyId: number;
  email: string;
  faults: readonly ScenarioFault[];
}

/** Every company the file names, with a user who may open it and the faults it declares there. */
function targets(app: SandboxApp, scenario: LoadedScenario): Target[] {
  const { store } = app.sandbox;
  const emailFor = (companyId: number) => {
    const site = store.sites.find((s) => s.companies.some((c) => c.company_id === companyId));
    const user = store.users.find((u) => u.site_id === site?.site_id);
    if (!user) throw new Error(`no user opens company ${companyId}`);
    return user.email;
  };
  const companies = [
    ...(scenario.document.sites ?? []).flatMap((s) => s.companies ?? []),
    ...(scenario.document.companies ?? []),
  ];
  return companies.map((c) => ({ companyId: c.id, email: emailFor(c.id), faults: c.faults ?? [] }));
}

function companyOf(app: SandboxApp, companyId: number) {
  for (const site of app.sandbox.store.sites) {
    const company = site.companies.find((c) => c.company_id === companyId);
    if (company) return app.sandbox.store.site(site.site_id)!.companies.get(companyId)!;
  }
  throw new Error(`no company ${companyId}`);
}

/** The period a fault names, among the company's periods sorted by date. */
function periodIndex(periods: readonly SageRecord[], ref: { year: number; number: number }): number {
  return periods.findIndex(
    (p) => p.year_relative_to_current_year === ref.year && p.period_number === ref.number,
  );
}

/**
 * What the sync must report for the declared faults: by data type, the errors as `itemId difference` (a balance
 * sheet's month end and its difference, a control account and the accounts' difference from it).
 */
function expectedErrors(
  faults: readonly ScenarioFault[],
  periods: readonly SageRecord[],
  baseline: (codeRef: string, periodId: number) => number,
  reportedEnds: readonly string[],
): Record<string, string[]> {
  const byMonth = new Map<number, number>();
  const add = (from: number, to: number, amount: number) => {
    for (let i = from; i < to; i++) byMonth.set(i, (byMonth.get(i) ?? 0) + amount);
  };
  const errors: Record<string, string[]> = {};
  for (const fault of faults) {
    const at = periodIndex(periods, fault.period);
    switch (fault.kind) {
      case 'unbalanced':
        add(at, fault.periods === undefined ? periods.length : at + fault.periods, pence(fault.amount));
        break;
      case 'missing_period_value': {
        const code =
          typeof fault.nominal_code === 'string' ? fault.nominal_code : fault.nominal_code.reference;
        add(at, periods.length, -baseline(code, Number(periods[at]!.accounting_period_id)));
        break;
      }
      case 'control_account_mismatch': {
        const type = fault.ledger === 'sales' ? 'customers' : 'suppliers';
        const control = fault.ledger === 'sales' ? '1100' : '2100';
        errors[type] = [...(errors[type] ?? []), `${control} ${(-pence(fault.amount) / 100).toFixed(2)}`];
        break;
      }
      default:
        throw new Error('unknown fault');
    }
  }
  const sheet: string[] = [];
  for (const [i, amount] of byMonth) {
    const end = String(periods[i]!.period_end_date);
    if (amount !== 0 && reportedEnds.includes(end)) sheet.push(`${end} ${(amount / 100).toFixed(2)}`);
  }
  if (sheet.length > 0) errors.balanceSheet = sheet.sort();
  return errors;
}

/** The errors the sync reported, in the same `itemId difference` form. */
function reportedErrors(results: readonly DataTypeResult[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const result of results) {
    if (result.validation.errors.length === 0) continue;
    errors[result.dataType] = result.validation.errors
      .map((e) => {
        const difference = /difference (-?[\d,]+\.\d\d)\./.exec(e.message)?.[1]?.replaceAll(',', '');
        return `${e.itemId} ${difference ?? e.message}`;
      })
      .sort();
  }
  return errors;
}

describe.each(FILES)('fixtures/scenarios/%s', (file) => {
  let scenario: LoadedScenario;
  let app: SandboxApp;
  let baselineApp: SandboxApp;

  beforeAll(() => {
    scenario = readScenarioFile(join(FOLDER, file));
    app = createSandbox({ world: smallTestWorld(), scenarios: [scenario], freezeClock: true });
    baselineApp = createSandbox({ world: smallTestWorld(), freezeClock: true });
  });

  it('loads and passes its own checks', () => {
    expect(scenario.document.version).toBe(1);
    expect(file.replace(/\.(ya?ml|json)$/, '')).toBe(scenario.document.name);
  });

  it('the sync reports exactly the faults the file declares, and nothing else', async () => {
    for (const target of targets(app, scenario)) {
      const client = await inProcessClient(app, target.email, { timing: fakeTiming() });
      const company = await client.findCompany(target.companyId);
      const result = await sync(client, company, { asOf: AS_OF });
      const store = companyOf(app, target.companyId);
      const periods = [...store.table('financial_year_period_views').all()].sort((a, b) =>
        String(a.period_start_date).localeCompare(String(b.period_start_date)),
      );
      const baseline = (reference: string, periodId: number) => {
        const from = target.companyId <= 5 ? companyOf(baselineApp, target.companyId) : store;
        const code = from
          .table('nominal_codes')
          .all()
          .find((c) => c.reference === reference)!;
        const row = from
          .table('nominal_period_value_views')
          .all()
          .find((r) => r.nominal_code_id === code.id && r.accounting_period_id === periodId);
        return pence(row?.nominal_period_value_actual_value);
      };
      const sheet = result.results.find((r) => r.dataType === 'balanceSheet')?.data as
        | { reports: { date: string }[] }
        | undefined;
      const ends = (sheet?.reports ?? []).map((r) => r.date);
      const where = `company ${target.companyId}`;
      const expected = expectedErrors(target.faults, periods, baseline, ends);
      // A declared fault the sync cannot see would pass unnoticed: each file's faults must show.
      expect(Object.keys(expected).length > 0, where).toBe(target.faults.length > 0);
      expect(reportedErrors(result.results), where).toEqual(expected);
      for (const r of result.results) {
        expect(r.validation.warnings, `${where} ${r.dataType}`).toEqual([]);
        expect(r.status, `${where} ${r.dataType}`).toBe(
          r.validation.errors.length > 0 ? 'ValidationError' : 'Complete',
        );
      }
    }
  });
});

/** A signed-in caller of the in-process API as `email`, on company `companyId`. */
async function get(app: SandboxApp, email: string, companyId: number, path: string): Promise<Response> {
  const client = await inProcessClient(app, email, { timing: fakeTiming() });
  const company = await client.findCompany(companyId);
  const token = await mintToken(app, email);
  return app.request(`/uk/sage200/accounts/v1${path}`, {
    headers: {
      Authorization: `Bearer ${token}`,
      'X-Site': company.site_id,
      'X-Company': String(company.company_id),
      'Content-Type': 'application/json',
    },
  });
}

const sandboxWith = (file: string) =>
  createSandbox({ world: smallTestWorld(), scenarios: [join(FOLDER, file)], freezeClock: true });

describe('what each shipped scenario reproduces', () => {
  it('sandbox-company: every balance sheet out by 2,500.00, as the seeded sandbox company', async () => {
    const app = sandboxWith('sandbox-company.yaml');
    const client = await inProcessClient(app, 'demo@example.test', { timing: fakeTiming() });
    const result = await sync(client, await client.findCompany(91), { asOf: AS_OF });
    const sheet = result.results.find((r) => r.dataType === 'balanceSheet')!;
    expect(sheet.status).toBe('ValidationError');
    expect(sheet.validation.errors.length).toBe(sheet.records);
    for (const error of sheet.validation.errors) expect(error.message).toContain('difference 2,500.00.');
  });

  it('trial-site: reads work, a create is refused with 403', async () => {
    const app = sandboxWith('trial-site.yaml');
    expect((await get(app, 'evaluator@example.test', 92, '/customers?$top=1')).status).toBe(200);
    const token = await mintToken(app, 'evaluator@example.test');
    const site = app.sandbox.store.userByEmail('evaluator@example.test')!.site_id;
    const response = await app.request('/uk/sage200/accounts/v1/customers', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Site': site,
        'X-Company': '92',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ reference: 'NEW001', name: 'New Ltd' }),
    });
    expect(response.status).toBe(403);
  });

  it('customer-on-hold-over-credit-limit: on hold, its balance above its limit', async () => {
    const app = sandboxWith('customer-on-hold-over-credit-limit.yaml');
    const response = await get(app, 'full@sandbox.test', 1, "/customers?$filter=reference eq 'HOLD001'");
    const [customer] = (await response.json()) as SageRecord[];
    expect(customer).toMatchObject({ on_hold: true, credit_limit: 1000, balance: 1800 });
    expect(Number(customer!.balance)).toBeGreaterThan(Number(customer!.credit_limit));
  });

  it('nominal-code-archived-mid-year: 7500 hidden (Archived to the sync), its postings kept', async () => {
    const app = sandboxWith('nominal-code-archived-mid-year.yaml');
    const client = await inProcessClient(app, 'full@sandbox.test', { timing: fakeTiming() });
    const result = await sync(client, await client.findCompany(1), { asOf: AS_OF });
    const accounts = result.results.find((r) => r.dataType === 'chartOfAccounts')!.data as {
      nominalCode: string;
      status: string;
    }[];
    expect(accounts.filter((a) => a.nominalCode === '7500').map((a) => a.status)).toEqual(['Archived']);
    const store = companyOf(app, 1);
    const code = store
      .table('nominal_codes')
      .all()
      .find((c) => c.reference === '7500')!;
    const baseline = companyOf(createSandbox({ world: smallTestWorld(), freezeClock: true }), 1);
    const values = (s: typeof store, number: number) =>
      s
        .table('nominal_period_value_views')
        .all()
        .filter(
          (r) =>
            r.nominal_code_id === code.id &&
            r.year_relative_to_current_year === 0 &&
            r.accounting_period_period_number === number,
        )
        .reduce((sum, r) => sum + pence(r.nominal_period_value_actual_value), 0);
    expect(values(store, 2) - values(baseline, 2)).toBe(12_000);
    expect(values(store, 5) - values(baseline, 5)).toBe(8_550);
  });

  it('three-companies-one-in-eur: one user, one site, three companies, the third in EUR', async () => {
    const app = sandboxWith('three-companies-one-in-eur.yaml');
    const user = app.sandbox.store.userByEmail('group@example.test')!;
    const site = app.sandbox.store.site(user.site_id)!.site;
    expect(site.companies.map((c) => c.company_id)).toEqual([93, 94, 95]);
    const bases: string[] = [];
    for (const id of [93, 94, 95]) {
      const client = await inProcessClient(app, user.email, { timing: fakeTiming() });
      const result = await sync(client, await client.findCompany(id), {
        asOf: AS_OF,
        dataTypes: ['balanceSheet'],
      });
      bases.push((result.results[0]!.data as { currency: string }).currency);
    }
    expect(bases).toEqual(['GBP', 'GBP', 'EUR']);
  });

  it('recorded-company: list and record GETs answer the records given, byte for byte', async () => {
    const app = sandboxWith('recorded-company.json');
    const given = readScenarioFile(join(FOLDER, 'recorded-company.json')).document.sites![0]!.companies![0]!
      .records!.customers!;
    const list = await get(app, 'recorded@example.test', 96, '/customers');
    expect(await list.text()).toBe(JSON.stringify(given));
    const one = await get(app, 'recorded@example.test', 96, `/customers/${String(given[1]!.id)}`);
    expect(await one.text()).toBe(JSON.stringify(given[1]));
  });
});

it("README's complete example is the shipped file, as it is", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const name = 'customer-on-hold-over-credit-limit.yaml';
  const start =
    readme.indexOf('```yaml\n', readme.indexOf(`A complete file, \`fixtures/scenarios/${name}\``)) + 8;
  expect(readme.slice(start, readme.indexOf('```', start))).toBe(readFileSync(join(FOLDER, name), 'utf8'));
});
