/**
 * Writes by kind of account: a trial site refuses every create, update and delete in the contract with 403 and
 * changes nothing (the write paths come from the contract, so a new one cannot be forgotten), while its `*_new`
 * templates still answer; the sandbox site accepts writes and keeps its imbalance; the limited user's role is
 * refused every Sales Ledger path, reads and writes alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { TRIAL_WRITE_MESSAGE } from '../../mock-server/resources/write-guards.ts';
import { SANDBOX_IMBALANCE } from '../../mock-server/seed/index.ts';
import type { CompanyStore, TableName } from '../../mock-server/store/index.ts';
import { trialBalance } from '../../mock-server/world/index.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import {
  commitStamp,
  contract,
  SAVES_NOTHING,
  savesNothing,
  snapshot,
  snapshotDifferences,
  type Writer,
  writerFor,
} from '../support/writes.ts';

const WRITE_VERBS = ['post', 'put', 'delete'] as const;
const isTemplate = (path: string): boolean => /_new(\/|$)/.test(path);

/** Every write operation of the contract, as [VERB, path template, tags]. */
const writes = Object.entries(contract.paths).flatMap(([path, item]) =>
  WRITE_VERBS.flatMap((verb) => {
    const operation = item[verb];
    return operation ? [[verb.toUpperCase(), path, operation.tags ?? []] as const] : [];
  }),
);
const refusable = writes
  .filter(([, path]) => !savesNothing(path))
  .map(([verb, path]) => [verb, path] as const);
const questions = writes
  .filter(([, path]) => SAVES_NOTHING.has(path))
  .map(([verb, path]) => [verb, path] as const);
const templates = writes.filter(([, path]) => isTemplate(path)).map(([verb, path]) => [verb, path] as const);

/**
 * Fills `{Id}`, `{customerId}`... with the id of the company's first record of the collection named just before
 * (`/sop_orders_new/{Id}` takes a sales order's).
 */
function concrete(co: CompanyStore, template: string): string {
  return template.replace(/\{(\w+)\}/g, (_match, _param, offset: number) => {
    const segment = template.slice(0, offset).split('/').filter(Boolean).at(-1);
    const collection = segment?.replace(/_new$/, '') as TableName;
    const record = co.table(collection).all()[0];
    if (!record) throw new Error(`no ${collection} record to fill ${template}`);
    return String(record.id);
  });
}

/**
 * A body any template accepts: the account ids the order templates ask for; for `PUT /{path}_new/{Id}`, the stored
 * record's own account, which a write may not change.
 */
function templateRequest(co: CompanyStore, template: string): Record<string, unknown> {
  const stored = /^\/(\w+)_new\/\{Id\}$/.exec(template)?.[1];
  const record = stored ? co.table(stored as TableName).all()[0] : undefined;
  return {
    customer_id: record?.customer_id ?? co.table('customers').all()[0]?.id,
    supplier_id: record?.supplier_id ?? co.table('suppliers').all()[0]?.id,
  };
}

/**
 * A company no call of the describe block may change: each call is checked against its commit stamp, and the whole
 * snapshot is compared once after them all, which catches a change made without a commit too.
 */
function unchangedThroughout(company: () => CompanyStore): { stamp: () => string } {
  let untouched = '';
  let stamp = '';
  beforeAll(() => {
    untouched = snapshot(company());
    stamp = commitStamp(company());
  });
  afterAll(() => {
    const now = snapshot(company());
    if (now !== untouched) expect(snapshotDifferences(untouched, now), 'the company changed').toEqual([]);
  });
  return { stamp: () => stamp };
}

describe('a trial site', () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.trial);
  });
  /** The trial company as seeded. */
  const untouched = unchangedThroughout(() => writer.company);

  it('has the write paths to refuse: every create, update and delete of the contract', () => {
    const paths = refusable.map(([verb, path]) => `${verb} ${path}`);
    for (const expected of [
      'POST /customers',
      'PUT /customers/{Id}',
      'DELETE /sop_orders/{Id}',
      'PUT /departments',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(paths.length).toBeGreaterThanOrEqual(40);
  });

  it.each(refusable)('refuses %s %s with 403 and changes nothing', async (verb, template) => {
    const co = writer.company;
    const answer = await writer.send(verb, concrete(co, template), verb === 'DELETE' ? undefined : {});
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ Message: TRIAL_WRITE_MESSAGE });
    expect(commitStamp(co), 'the trial company changed').toBe(untouched.stamp());
  });

  it.each(questions)(
    'answers %s %s, a question that saves nothing, without a 403',
    async (verb, template) => {
      const co = writer.company;
      const answer = await writer.send(verb, template, {});
      expect(answer.status, JSON.stringify(answer.body)).not.toBe(403);
      expect(commitStamp(co), 'the trial company changed').toBe(untouched.stamp());
    },
  );

  it('refuses a valid create as well, before looking at the body', async () => {
    const answer = await writer.send('POST', '/customers', { reference: 'TRIAL1', name: 'Would Be Ltd' });
    expect(answer.status).toBe(403);
    expect(commitStamp(writer.company), 'the trial company changed').toBe(untouched.stamp());
  });

  it('has templates to answer, POST and PUT', () => {
    expect(templates.map(([verb, path]) => `${verb} ${path}`)).toEqual(
      expect.arrayContaining(['POST /customers_new', 'POST /sop_orders_new', 'PUT /sop_orders_new/{Id}']),
    );
  });

  it.each(templates)('still answers %s %s, which saves nothing', async (verb, template) => {
    const answer = await writer.send(
      verb,
      concrete(writer.company, template),
      templateRequest(writer.company, template),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(commitStamp(writer.company), 'the trial company changed').toBe(untouched.stamp());
  });

  it('still reads', async () => {
    expect((await writer.send('GET', '/customers?$top=1')).status).toBe(200);
  });
});

describe('the sandbox site', () => {
  it('accepts writes and keeps the imbalance of its books', async () => {
    const app = testSandbox();
    const writer = await writerFor(app, USERS.sandbox);
    const imbalance = (): number =>
      [...trialBalance(writer.company.company).values()].reduce((sum, value) => sum + value, 0);
    expect(imbalance()).toBeCloseTo(SANDBOX_IMBALANCE, 2);
    const stamp = commitStamp(writer.company);
    const customer = await writer.ok('POST', '/customers', {
      reference: 'SBOX1',
      name: 'Sandbox Customer Ltd',
    });
    // The stamp the refusals above are checked against moves with every committed write.
    expect(commitStamp(writer.company)).not.toBe(stamp);
    await writer.ok('PUT', `/customers/${customer.id}`, { credit_limit: 500 });
    await writer.ok('POST', '/nominal_codes', {
      reference: '4995',
      name: 'Sandbox sales',
      report_category_id: writer.company.table('nominal_report_categories').all()[0]?.id,
    });
    expect((await writer.send('DELETE', `/customers/${customer.id}`)).status).toBe(200);
    expect(imbalance()).toBeCloseTo(SANDBOX_IMBALANCE, 2);
  });
});

describe("the limited user's role, which lacks the Sales Ledger", () => {
  let app: SandboxApp;
  let writer: Writer;
  beforeAll(async () => {
    app = testSandbox();
    writer = await writerFor(app, USERS.limited);
  });

  const SALES_TAGS = ['Sales', 'Sales Orders'];
  const sales = writes.filter(([, , tags]) => tags.some((tag) => SALES_TAGS.includes(tag)));
  const ROLE_MESSAGE = 'Your Sage 200 role does not give access to the Sales Ledger.';

  it('has Sales Ledger write paths to refuse', () => {
    const paths = sales.map(([verb, path]) => `${verb} ${path}`);
    for (const expected of [
      'POST /customers',
      'POST /customers_new',
      'PUT /customer_contacts/{Id}',
      'POST /sop_orders',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  describe('its Sales Ledger writes', () => {
    const untouched = unchangedThroughout(() => writer.company);

    it.each(sales.map(([verb, path]) => [verb, path] as const))(
      'refuses %s %s with 403',
      async (verb, template) => {
        const co = writer.company;
        const body =
          verb === 'DELETE' ? undefined : isTemplate(template) ? templateRequest(co, template) : {};
        const answer = await writer.send(verb, concrete(co, template), body);
        expect(answer.status).toBe(403);
        expect(answer.body).toEqual({ Message: ROLE_MESSAGE });
        expect(commitStamp(co)).toBe(untouched.stamp());
      },
    );
  });

  it.each(['/customer_contacts', '/customer_delivery_addresses', '/sop_orders'])(
    'refuses to read %s with 403',
    async (path) => {
      const answer = await writer.send('GET', path);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ Message: ROLE_MESSAGE });
    },
  );

  it('writes to the ledgers the role does include', async () => {
    const supplier = await writer.ok('POST', '/suppliers', {
      reference: 'LIM1',
      name: 'Limited Supplies Ltd',
    });
    expect(supplier.reference).toBe('LIM1');
    await writer.ok('POST', '/warehouses', { name: 'LIMITED' });
  });
});
