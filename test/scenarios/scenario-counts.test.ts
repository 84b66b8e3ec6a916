/**
 * A scenario's `base: generated` company (docs/scenarios.md, "Counts"): built by the seed's own builder at the
 * file's counts, deterministic, balanced, inside the world's dates, with the file's named accounts and faults on
 * top; bad counts are refused naming the file, line and field.
 */
import { describe, expect, it } from 'vitest';
import { applyScenarios, parseScenario } from '../../mock-server/scenarios/index.ts';
import {
  buildWorld,
  serializeWorld,
  TRADER_TRANSACTION_TYPES,
  VOLUMES,
} from '../../mock-server/seed/index.ts';
import { validateWorld } from '../../mock-server/store/world-shape.ts';
import type { CompanyWorld, World } from '../../mock-server/world/model.ts';
import { smallTestWorld } from '../support/sandbox.ts';
import { problemsOf } from '../support/scenarios.ts';

const ID = 97;

function generated(companyLines: string, siteLines = '    users: [owner@example.test]\n'): string {
  return `version: 1
name: generated
sites:
  - name: Generated site
${siteLines}    companies:
      - id: ${ID}
        name: Generated Ltd
        base: generated
${companyLines}`;
}

function applied(text: string, world: World = smallTestWorld()): World {
  return applyScenarios(world, [parseScenario(text, 'g.yaml')]);
}

function companyOf(world: World): CompanyWorld {
  const company = world.sites.flatMap((s) => s.companies).find((c) => c.company_id === ID);
  if (!company) throw new Error(`no company ${ID}`);
  return company;
}

const sumPence = (company: CompanyWorld): number =>
  company.nominal_entries.reduce((sum, e) => sum + Math.round(e.value * 100), 0);

const BUSY =
  '        counts: { customers: 60, suppliers: 9, products: 7, sales_per_month: 30, purchases_per_month: 5 }\n';

describe('base: generated builds a company at the counts given', () => {
  const world = applied(generated(BUSY));
  const company = companyOf(world);

  it('has exactly the accounts and products counted, its books balanced and the world well formed', () => {
    expect(company.collections.customers).toHaveLength(60);
    expect(company.collections.suppliers).toHaveLength(9);
    expect(company.collections.products).toHaveLength(7);
    expect(sumPence(company)).toBe(0);
    expect(company.ledger_imbalance).toBe(0);
    expect(() => validateWorld(JSON.parse(serializeWorld(world)))).not.toThrow();
  });

  it('takes the small world’s volumes for the counts left out, and trades more at a higher sales count', () => {
    const plain = companyOf(applied(generated('')));
    expect(plain.collections.customers).toHaveLength(VOLUMES.small.customers);
    expect(plain.collections.suppliers).toHaveLength(VOLUMES.small.suppliers);
    expect(plain.collections.products).toHaveLength(VOLUMES.small.products);
    const invoices = (c: CompanyWorld) =>
      c.collections.sales_posted_transactions.filter(
        (t) => t.trader_transaction_type === TRADER_TRANSACTION_TYPES.invoice,
      ).length;
    expect(invoices(company)).toBeGreaterThan(invoices(plain) * 3);
  });

  it('is owned by its site’s user, whose Sage 200 user record it holds', () => {
    const owner = world.users.find((u) => u.email === 'owner@example.test')!;
    expect(company.collections.users?.some((u) => u.id === owner.id)).toBe(true);
  });

  it('gives the same bytes for the same file, seed and as-of date, and another company for another name', () => {
    expect(serializeWorld(applied(generated(BUSY)))).toBe(serializeWorld(world));
    const renamed = companyOf(applied(generated(BUSY).replace('Generated Ltd', 'Other Ltd')));
    expect(renamed.collections.customers.map((c) => c.name)).not.toEqual(
      company.collections.customers.map((c) => c.name),
    );
  });

  it('takes the file’s named accounts and faults on top', () => {
    const text = generated(`${BUSY}        customers:
          - { reference: NAMED01, name: Named Customer Ltd }
        faults:
          - { kind: unbalanced, period: { year: 0, number: 2 }, nominal_code: "1200", amount: 12.34 }
`);
    const changed = companyOf(applied(text));
    expect(changed.collections.customers.map((c) => c.reference)).toContain('NAMED01');
    expect(changed.collections.customers).toHaveLength(61);
    expect(sumPence(changed)).toBe(1234);
    expect(changed.ledger_imbalance).toBe(12.34);
  });

  it('trades inside the world’s dates: a world built in 2035 has its generated company’s current year there', () => {
    const late = buildWorld({ seed: 200, scale: 'small', asOf: '2035-03-15' });
    const current = companyOf(applied(generated(''), late))
      .collections.financial_year_period_views.filter((p) => p.year_relative_to_current_year === 0)
      .map((p) => String(p.period_start_date).slice(0, 10))
      .sort();
    expect(current[0]! <= '2035-03-15').toBe(true);
    expect(current.at(-1)! > '2035-02-15').toBe(true);
  }, 60_000);
});

describe('bad counts are refused naming the file, the line and the field', () => {
  it.each([
    [
      'too many customers',
      '        counts: { customers: 2501 }\n',
      'g.yaml:10:30: sites[0].companies[0].counts.customers: must be at most 2500',
    ],
    [
      'no suppliers',
      '        counts: { suppliers: 0 }\n',
      'sites[0].companies[0].counts.suppliers: must be at least 1',
    ],
    [
      'a fraction',
      '        counts: { products: 1.5 }\n',
      'sites[0].companies[0].counts.products: must be a whole number',
    ],
    [
      'a count the format lacks',
      '        counts: { invoices: 3 }\n',
      'sites[0].companies[0].counts.invoices: not a field of the scenario format',
    ],
  ])('%s', (_name, lines, expected) => {
    const [first] = problemsOf(() => parseScenario(generated(lines), 'g.yaml'));
    expect(first).toContain(expected);
  });

  it('counts on a company that is not generated', () => {
    const text = generated('        counts: { customers: 5 }\n').replace('base: generated', 'base: empty');
    const [first] = problemsOf(() => applied(text));
    expect(first).toMatch(
      /^g\.yaml:\d+:\d+: sites\[0\]\.companies\[0\]\.counts: counts are for base: generated$/,
    );
  });

  it('a generated company on a site no user signs in to', () => {
    const [first] = problemsOf(() => applied(generated('', '')));
    expect(first).toContain('sites[0].companies[0]: a generated company needs a user on its site');
  });
});
