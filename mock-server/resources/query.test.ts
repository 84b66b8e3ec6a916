import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../contracts/index.ts';
import { callerFor, companyHeaders, testSandbox, USERS } from '../../test/support/sandbox.ts';
import type { SandboxApp } from '../app.ts';
import type { CompanyStore } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import { QUERY_PLAN_HEADER } from './query.ts';

type Caller = Awaited<ReturnType<typeof callerFor>>;

const expanding = loadCatalog().resources.filter(
  (resource) => resource.list && Object.keys(resource.expand).length > 0,
);

describe('$expand', () => {
  let app: SandboxApp;
  let caller: Caller;
  let company: CompanyStore;

  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
    const headers = companyHeaders(app, USERS.full);
    const found = app.sandbox.store.site(headers['X-Site']!)?.companies.get(Number(headers['X-Company']));
    if (!found) throw new Error('no company');
    company = found;
  });

  /** What the expanded body must be: each record copied, each navigation property set, stringified. */
  function expected(rows: SageRecord[], names: readonly string[], path: string): string {
    const { expand } = loadCatalog().resource(path);
    return JSON.stringify(
      rows.map((row) => {
        const copy = { ...row };
        for (const name of names) {
          const target = expand[name]!;
          const table = company.table(target.collection);
          if (target.many) {
            copy[name] = [...(table.lookup(target.foreignKey, row.id as number) ?? [])];
          } else {
            const related = table.get(row[target.foreignKey] as number);
            if (related) copy[name] = related;
          }
        }
        return copy;
      }),
    );
  }

  it.each(expanding.map((resource) => [resource.path, Object.keys(resource.expand)] as const))(
    'serves /%s with %s expanded byte for byte as the expanded records would stringify',
    async (path, names) => {
      const list = `/${path}?$top=40&$expand=${names.join(',')}`;
      const plain = await caller.json<SageRecord[]>(`/${path}?$top=40`);
      const body = await (await caller.get(list)).text();
      expect(body).toBe(expected(plain, names, path));
      if (path === 'sales_posted_transactions') expect(body).toContain('"customer":{"id":');
      const [first] = plain;
      if (first === undefined || !loadCatalog().resource(path).byId) return;
      const one = await caller.get(`/${path}/${first.id}?$expand=${names.join(',')}`);
      expect(await one.text()).toBe(expected([first], names, path).slice(1, -1));
    },
  );
});

describe(QUERY_PLAN_HEADER, () => {
  it('names the plan of a collection query and what it read', async () => {
    const app = testSandbox();
    const caller = await callerFor(app, USERS.full);
    const response = await caller.get('/sales_posted_transactions?$orderby=id desc&$top=3');
    expect(response.headers.get(QUERY_PLAN_HEADER)).toMatch(/^table key-order; examined 3 of \d+$/);
    const ranged = await caller.get(
      '/sales_posted_transactions?$filter=transaction_date ge 2099-01-01&$orderby=id&$top=3',
    );
    expect(ranged.headers.get(QUERY_PLAN_HEADER)).toMatch(/^range:transaction_date \w+; examined 0 of/);
    expect(await ranged.json()).toEqual([]);
  });
});
