/**
 * Loading scenario files: every problem names the file, the line and the field; a refused file changes nothing;
 * and the three ways in (the --scenario flag, createSandbox({ scenarios }) and POST /admin/tenants) apply the
 * same file to the world.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../mock-server/cli.ts';
import { createSandbox } from '../../mock-server/index.ts';
import { parseScenario, scenarioFromObject } from '../../mock-server/scenarios/index.ts';
import { serializeWorld } from '../../mock-server/seed/build.ts';
import { runCli } from '../support/cli.ts';
import { copyOfWorld, smallTestWorld } from '../support/sandbox.ts';
import { problemsOf } from '../support/scenarios.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/scenarios/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scenario-loading-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD = `version: 1
name: one-more-customer
companies:
  - id: 1
    customers:
      - reference: NEW001
        name: Newcomer Ltd
`;

describe('a bad scenario names the file, the line and the field', () => {
  it.each([
    [
      'a field of the wrong type',
      'version: 1\nname: typo\ncompanies:\n  - id: one\n',
      'x.yaml:4:9: companies[0].id: Invalid input: expected number, received string',
    ],
    [
      'a field the format lacks',
      'version: 1\nname: typo\ncompanies:\n  - id: 1\n    custmers: []\n',
      'x.yaml:5:15: companies[0].custmers: not a field of the scenario format (docs/scenarios.md): custmers',
    ],
    [
      'a record field the contract lacks',
      'version: 1\nname: typo\ncompanies:\n  - id: 1\n    customers:\n      - reference: A1\n        nmae: X\n',
      'x.yaml:7:15: companies[0].customers[0].nmae: not a field of this record in the contract',
    ],
    [
      'a collection the contract does not store',
      'version: 1\nname: typo\ncompanies:\n  - id: 1\n    records:\n      widgets: []\n',
      'x.yaml:6:16: companies[0].records.widgets: widgets is not a collection the contract stores',
    ],
    [
      'an amount of three decimals',
      'version: 1\nname: typo\ncompanies:\n  - id: 1\n    faults:\n      - kind: unbalanced\n        period: { year: 0, number: 3 }\n        nominal_code: "0030"\n        amount: 0.001\n',
      'x.yaml:9:17: companies[0].faults[0].amount: must have at most two decimal places',
    ],
    [
      'YAML that does not parse',
      'version: 1\nname: [unclosed\n',
      'x.yaml:3:1: (the file): not valid YAML or JSON',
    ],
  ])('%s', (_name, text, expected) => {
    const [first] = problemsOf(() => parseScenario(text, 'x.yaml'));
    expect(first).toContain(expected);
  });

  it('JSON files too, by line', () => {
    const [first] = problemsOf(() =>
      parseScenario('{\n  "version": 1,\n  "name": "Not Kebab"\n}\n', 'x.json'),
    );
    expect(first).toContain('x.json:3:11: name: must be kebab-case');
  });

  it('a scenario given as an object names its place and the field', () => {
    const [first] = problemsOf(() => scenarioFromObject({ version: 2, name: 'x' }, 'scenarios[0]'));
    expect(first).toMatch(/^scenarios\[0\]: version: /);
  });

  it('a problem found while applying names its line too: a posting the engine refuses', () => {
    const path = file(
      'refused.yaml',
      `version: 1
name: refused-posting
companies:
  - id: 1
    postings:
      - endpoint: sales_invoices
        body:
          customer_id: 999999999
          document_goods_value: 10
          document_tax_value: 0
`,
    );
    const [first] = problemsOf(() => createSandbox({ world: smallTestWorld(), scenarios: [path] }));
    expect(first).toContain(`${path}:8:11: companies[0].postings[0].body: POST /sales_invoices refused it:`);
  });
});

describe('a bad scenario changes nothing', () => {
  it('refuses every scenario when a later one fails, leaving the world given as it was', () => {
    const world = copyOfWorld(smallTestWorld());
    const before = serializeWorld(world);
    const bad = file(
      'late-failure.yaml',
      `${GOOD}    postings:\n      - endpoint: bank_payment\n        body: { bank_id: { lookup: banks, code: NOPE } }\n`,
    );
    expect(() => createSandbox({ world, scenarios: [file('good.yaml', GOOD), bad] })).toThrow(
      /late-failure\.yaml:\d+:\d+: companies\[0\]\.postings\[0\]\.body\.bank_id: 0 banks records have code "NOPE"/,
    );
    expect(serializeWorld(world)).toBe(before);
  });

  it('POST /admin/tenants answers 400 invalid_scenario naming the line, and creates no tenant', async () => {
    const app = createSandbox({ world: smallTestWorld(), freezeClock: true });
    const response = await app.request('/admin/tenants', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenarios: ['version: 1\nname: bad\ncompanies:\n  - id: 77\n'] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_scenario',
      message: 'scenarios[0]:4:9: companies[0].id: no company has X-Company 77',
    });
    expect(app.tenants.size).toBe(0);
  });

  it('--scenario with a bad file exits 2 with file:line:column: field, before any world is built', async () => {
    const bad = file('cli-bad.yaml', 'version: 1\nname: cli-bad\nsites:\n  - kind: royal\n');
    const { code, stderr, stdout } = await runCli(['--port', '0', '--scale', 'small', '--scenario', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain(`sage200-sandbox: scenario refused:\n${bad}:4:11: sites[0].kind: `);
    expect(stdout).toBe('');
  });
});

describe('opening balances', () => {
  const scenario = (credit: number) => ({
    version: 1,
    name: 'opening',
    companies: [
      {
        id: 1,
        opening_balances: [
          { nominal_code: '0020', debit: 1000 },
          { nominal_code: '3000', credit },
        ],
      },
    ],
  });

  it('post one balanced journal on the first day of the current year, with the period values it moves', () => {
    const app = createSandbox({ world: smallTestWorld(), scenarios: [scenario(1000)] });
    const before = createSandbox({ world: smallTestWorld() });
    const value = (store: typeof app.sandbox.store, reference: string) => {
      const company = store.sites[0]!.companies[0]!;
      const code = company.collections.nominal_codes.find((c) => c.reference === reference)!;
      return company.collections.nominal_period_value_views
        .filter(
          (r) =>
            r.nominal_code_id === code.id &&
            r.year_relative_to_current_year === 0 &&
            r.accounting_period_period_number === 1,
        )
        .reduce((sum, r) => sum + Math.round(Number(r.nominal_period_value_actual_value) * 100), 0);
    };
    expect(value(app.sandbox.store, '0020') - value(before.sandbox.store, '0020')).toBe(100_000);
    expect(value(app.sandbox.store, '3000') - value(before.sandbox.store, '3000')).toBe(-100_000);
  });

  it('refuses opening balances that do not balance, naming the field', () => {
    const [first] = problemsOf(() =>
      createSandbox({ world: smallTestWorld(), scenarios: [scenario(999.99)] }),
    );
    expect(first).toBe(
      'scenarios[0]: companies[0].opening_balances: debits and credits differ by 0.01; declare an imbalance as a fault (kind: unbalanced)',
    );
  });
});

describe('the three ways to load a scenario apply the same file', () => {
  const trial = join(FIXTURES, 'trial-site.yaml');

  it('createSandbox({ scenarios }) takes file paths and parsed objects', () => {
    const byPath = createSandbox({ world: smallTestWorld(), scenarios: [trial] });
    const byObject = createSandbox({
      world: smallTestWorld(),
      scenarios: [
        {
          version: 1,
          name: 'as-object',
          companies: [{ id: 1, customers: [{ reference: 'OBJ001', name: 'Object Ltd' }] }],
        },
      ],
    });
    expect(byPath.sandbox.store.userByEmail('evaluator@example.test')?.kind).toBe('trial');
    const customers = byObject.sandbox.store.sites[0]!.companies[0]!.collections.customers;
    expect(customers.filter((c) => c.reference === 'OBJ001').map((c) => c.name)).toEqual(['Object Ltd']);
  });

  it('POST /admin/tenants applies scenarios (objects or file text) to the new tenant only', async () => {
    const app = createSandbox({ world: smallTestWorld(), freezeClock: true });
    const response = await app.request('/admin/tenants', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scale: 'small', scenarios: [GOOD] }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const references = (store: typeof app.sandbox.store) =>
      store.sites[0]!.companies[0]!.collections.customers.map((c) => c.reference);
    expect(references(app.tenants.require(id).runtime.store)).toContain('NEW001');
    expect(references(app.sandbox.store)).not.toContain('NEW001');
    // A reset rebuilds the tenant's world with its scenarios.
    app.tenants.require(id).runtime.reset();
    expect(references(app.tenants.require(id).runtime.store)).toContain('NEW001');
  });

  it('--scenario (repeatable) serves the world with each file applied, in order', async () => {
    const out: string[] = [];
    const code = await main(
      [
        '--port',
        '0',
        '--scale',
        'small',
        '--no-cache',
        '--scenario',
        trial,
        '--scenario',
        file('cli-good.yaml', GOOD),
      ],
      {
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => out.push(text) },
        stopped: () => Promise.resolve(),
      },
    );
    expect(code).toBe(0);
    expect(out.join('')).toMatch(
      /evaluator@example\.test +trial +X-Site [0-9a-f-]+ +X-Company 92 Evaluation Ltd/,
    );
  });
});
