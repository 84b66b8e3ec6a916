/**
 * Every GET path of the contract, for every kind of user: the sandbox answers it, and every answer (success and
 * error) validates against contracts/sage200.openapi.yaml. The cases come from the contract, so a new path is
 * covered as soon as it is added there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createResponseValidator, loadCatalog, loadContract } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { TableName } from '../../mock-server/store/index.ts';
import type { SandboxUser } from '../../mock-server/world/model.ts';
import { api, callerFor, testSandbox, USERS, userOf } from '../support/sandbox.ts';

const contract = loadContract();
const { nested } = loadCatalog();
const validator = createResponseValidator(contract);
const getPaths = Object.entries(contract.paths)
  .filter(([, item]) => item.get !== undefined)
  .map(([template]) => template);

/** Paths whose data belongs to the Sales Ledger, which the limited user's role lacks. */
const SALES = new RegExp(
  `^/(${loadCatalog()
    .resources.filter((r) => r.modules.includes('sales'))
    .map((r) => r.path)
    .join('|')})(/|$)`,
);

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** An id no company record has: what `{Id}` gets where the company's collection is empty. */
const MISSING_ID = '999999999';

/**
 * Fills `{Id}`, `{customerId}`… with ids of real records, or MISSING_ID where the company has none (a company that
 * consolidates nothing has no consolidated nominal codes). The last parameter names the first record of the
 * collection before it; each earlier one, where the contract nests the later collection under it, that record's
 * parent (`/customers/{customerId}/customer_contacts/{CustomerContactId}/customer_emails/{Id}` names an email, its
 * contact and the contact's customer), else the first record of its own collection.
 */
function concretePath(app: SandboxApp, user: SandboxUser, template: string): string {
  const site = app.sandbox.store.site(user.site_id)!;
  const company = [...site.companies.values()][0]!;
  const parts = template.split('/');
  let child: { collection: string; record: Record<string, unknown> | undefined } | undefined;
  for (let i = parts.length - 1; i > 0; i--) {
    if (!/^\{\w+\}$/.test(parts[i]!)) continue;
    const collection = parts[i - 1] as TableName;
    const link = child && nested.find((n) => n.parent === collection && n.child === child?.collection);
    const parentId = link && child?.record?.[link.foreignKey];
    const record =
      link && typeof parentId === 'number'
        ? company.table(collection).get(parentId)
        : company.table(collection).all()[0];
    // A record is named by its key: `id`, or the product's id for a product's trading figures.
    const key = loadCatalog().resources.find((r) => r.collection === collection)?.key ?? 'id';
    parts[i] = record ? String(record[key]) : MISSING_ID;
    child = { collection, record };
  }
  return parts.join('/');
}

function check(template: string, status: number, body: unknown): void {
  const result = validator.validateResponse('get', template, status, body);
  if (!result.ok) throw new Error(`GET ${template} ${status} does not match the contract: ${result.errors}`);
}

describe('every contract path answers as the contract says', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = testSandbox();
  });

  it('lists at least the paths the read API needs', () => {
    for (const path of ['/sites', '/customers/{Id}', '/customers/{customerId}/sales_posted_transactions']) {
      expect(getPaths).toContain(path);
    }
    expect(getPaths.length).toBeGreaterThanOrEqual(35);
  });

  describe.each(Object.entries(USERS))('for the %s user', (kind, email) => {
    it.each(getPaths)('GET %s', async (template) => {
      const caller = await callerFor(app, email);
      const path = concretePath(app, userOf(app, email), template);
      const response = await caller.get(path);
      const body = await bodyOf(response);
      const expected =
        kind === 'limited' && SALES.test(template) ? 403 : path.includes(MISSING_ID) ? 404 : 200;
      expect(response.status, JSON.stringify(body)?.slice(0, 300)).toBe(expected);
      check(template, response.status, body);
    });
  });

  describe('error answers', () => {
    it.each(getPaths)('GET %s without a token: 401, empty body', async (template) => {
      const path = concretePath(app, userOf(app, USERS.full), template);
      const response = await app.request(api(path));
      expect(response.status).toBe(401);
      check(template, 401, await bodyOf(response));
    });

    it.each(getPaths.filter((p) => p.includes('{')))('GET %s with an unknown id: 404', async (template) => {
      const caller = await callerFor(app, USERS.full);
      const response = await caller.get(template.replace(/\{\w+\}/g, '987654321'));
      expect(response.status).toBe(404);
      check(template, 404, await bodyOf(response));
    });

    const collections = getPaths.filter((p) => contract.paths[p]?.get?.parameters?.some(isTopParameter));
    it.each(collections)('GET %s with $top=5001: 400', async (template) => {
      const caller = await callerFor(app, USERS.full);
      const path = concretePath(app, userOf(app, USERS.full), template);
      const response = await caller.get(`${path}?$top=5001`);
      expect(response.status).toBe(400);
      check(template, 400, await bodyOf(response));
    });
  });
});

function isTopParameter(parameter: unknown): boolean {
  const p = parameter as { $ref?: string; name?: string };
  return p.name === '$top' || (p.$ref?.endsWith('/top') ?? false) || (p.$ref?.endsWith('Top') ?? false);
}
