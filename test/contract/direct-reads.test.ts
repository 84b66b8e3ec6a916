/**
 * Plain reads are answered before the router (mock-server/resources/direct-reads.ts). A client must not be able to
 * tell: every read gets the status, headers, body and journal entry the app itself gives. Sandbox `direct` answers
 * them directly; sandbox `routed`, on the same world, holds a fault rule that never fires, which keeps every
 * request on the app's own path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../contracts/index.ts';
import type { JournalEntry, SandboxApp } from '../../mock-server/index.ts';
import { DirectReads } from '../../mock-server/resources/direct-reads.ts';
import { QUERY_PLAN_HEADER } from '../../mock-server/resources/query.ts';
import { addFault, journal } from '../faults/support.ts';
import { api, type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

interface Seen {
  status: number;
  type: string | null;
  length: string | null;
  plan: string | null;
  body: string;
  entry: Omit<JournalEntry, 'id' | 'time' | 'latency_ms'>;
}

async function seen(app: SandboxApp, caller: Caller, path: string, extra: Record<string, string> = {}) {
  const response = await caller.get(path, extra);
  const [last] = await journal(app, '?limit=1');
  const { id: _id, time: _time, latency_ms: _latency, ...entry } = last!;
  return {
    status: response.status,
    type: response.headers.get('Content-Type'),
    length: response.headers.get('Content-Length'),
    plan: response.headers.get(QUERY_PLAN_HEADER),
    body: await response.text(),
    entry,
  } satisfies Seen;
}

describe('reads answered before the router', () => {
  const answered = vi.spyOn(DirectReads.prototype, 'answer');
  let direct: SandboxApp;
  let routed: SandboxApp;
  const callers = new Map<SandboxApp, Record<string, Caller>>();

  beforeAll(async () => {
    direct = sharedWorldSandbox();
    routed = sharedWorldSandbox();
    await addFault(routed, { path: '/never/*', status: 503 });
    for (const app of [direct, routed]) {
      const full = await callerFor(app, USERS.full);
      const limited = await callerFor(app, USERS.limited);
      // The first call verifies each token's signature, which only the app does.
      await full.get('/sites');
      await limited.get('/sites');
      callers.set(app, { full, limited });
    }
  });

  afterEach(() => answered.mockClear());
  // Unit test files share modules in a worker: the spy must not outlive this file.
  afterAll(() => answered.mockRestore());

  /** The same request to both sandboxes; what each saw, and whether `direct` answered it before the router. */
  async function both(path: string, user: 'full' | 'limited' = 'full', extra: Record<string, string> = {}) {
    const fromRouted = await seen(routed, callers.get(routed)![user]!, path, extra);
    answered.mockClear();
    const fromDirect = await seen(direct, callers.get(direct)![user]!, path, extra);
    const wasDirect = answered.mock.results.some((r) => r.type === 'return' && r.value instanceof Response);
    return { fromRouted, fromDirect, wasDirect };
  }

  /** full@sandbox.test's first company, in the world both sandboxes serve. */
  const company = () => {
    const { headers } = callers.get(direct)!.full!;
    return direct.sandbox.store.site(headers['X-Site']!)!.companies.get(Number(headers['X-Company']))!;
  };
  const firstCustomer = () => company().table('customers').all()[0]!.id;
  const byId = loadCatalog()
    .resources.filter((definition) => definition.byId)
    .map((definition) => definition.collection);

  it('answers every record by id as the app does: status, headers, body and journal entry', async () => {
    const store = company();
    let checked = 0;
    for (const collection of byId) {
      const definition = loadCatalog().resource(collection);
      const [record] = store.table(definition.collection).all();
      if (!record) continue;
      const { fromRouted, fromDirect, wasDirect } = await both(
        `/${definition.path}/${String(record[definition.key])}`,
      );
      expect(fromDirect, definition.path).toEqual(fromRouted);
      expect(fromDirect.status, definition.path).toBe(200);
      expect(wasDirect, definition.path).toBe(true);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('answers every list as the app does, a refusal left to the app', async () => {
    const lists = loadCatalog().resources.filter((definition) => definition.list !== false);
    let answeredDirectly = 0;
    for (const definition of lists) {
      const { fromRouted, fromDirect, wasDirect } = await both(`/${definition.path}?$top=5`);
      expect(fromDirect, definition.path).toEqual(fromRouted);
      expect(wasDirect, definition.path).toBe(fromDirect.status === 200);
      if (wasDirect) answeredDirectly += 1;
    }
    expect(answeredDirectly).toBeGreaterThan(100);
  });

  it.each([
    ['/sites', 'full'],
    ['/sales_posted_transactions?$filter=customer_id eq {id}&$orderby=id desc&$top=100', 'full'],
    ['/sales_posted_transactions?$expand=customer&$select=id,customer.name&$top=3', 'full'],
    ['/sales_posted_transactions?$expand=customer&$orderby=id&$skip=10&$top=40', 'full'],
    ['/customers?$count=true', 'full'],
    ['/customers?$metadata=true', 'full'],
    ['/customers/{id}?$select=id,reference,balance', 'full'],
    ['/customers/{id}?$select=id&$expand=currency,default_tax_code', 'full'],
    ['/customers/{id}?$expand=contacts/salutation,main_address/address_country_code', 'full'],
    ['/customers/{id}?$expand=main_address&$select=id,main_address.postcode', 'full'],
  ] as const)('answers %s as the app does', async (template, user) => {
    const { fromRouted, fromDirect, wasDirect } = await both(
      template.replace('{id}', String(firstCustomer())),
      user,
    );
    expect(fromDirect).toEqual(fromRouted);
    expect(fromDirect.status).toBe(200);
    expect(wasDirect).toBe(true);
  });

  it.each([
    ['an unknown id', '/customers/999999999', 'full', {}, 404],
    ['an id that is not a number', '/customers/abc', 'full', {}, 404],
    ['a trailing slash', '/customers/{id}/', 'full', {}, 404],
    ['a bad $select', '/customers/{id}?$select=nope', 'full', {}, 400],
    ['a bad $filter on a list', '/customers?$filter=nope eq 1', 'full', {}, 400],
    ['a list for a role without its module', '/customers?$top=1', 'limited', {}, 403],
    ['a bad $expand', '/customers/{id}?$expand=contacts/nope', 'full', {}, 400],
    ['$metadata, which describes lists', '/customers/{id}?$metadata=true', 'full', {}, 400],
    ['a role without the Sales Ledger', '/customers/{id}', 'limited', {}, 403],
    ['another site', '/customers/{id}', 'full', { 'X-Site': '00000000-0000-0000-0000-000000000000' }, 401],
    ['no X-Company', '/customers/{id}', 'full', { 'X-Company': '' }, 401],
    ['a malformed token', '/customers/{id}', 'full', { Authorization: 'Bearer not-a-token' }, 401],
    ['an X-Sandbox-Fault header', '/customers/{id}', 'full', { 'X-Sandbox-Fault': 'status=503' }, 503],
  ] as const)(
    'leaves %s to the app, which answers it as ever',
    async (_name, template, user, extra, status) => {
      const path = template.replace('{id}', String(firstCustomer()));
      const { fromRouted, fromDirect, wasDirect } = await both(path, user, extra);
      expect(fromDirect).toEqual(fromRouted);
      expect(fromDirect.status).toBe(status);
      expect(wasDirect).toBe(false);
    },
  );

  it('journals a call refused for its role with the user, site and company the gateway accepted', async () => {
    const { fromDirect } = await both(`/customers/${firstCustomer()}`, 'limited');
    const limited = callers.get(direct)!.limited!;
    expect(fromDirect.entry).toMatchObject({
      status: 403,
      user: USERS.limited,
      site: limited.headers['X-Site'],
      company: Number(limited.headers['X-Company']),
    });
  });

  it('leaves a read to the app while a fault rule is set, even one that does not match it', async () => {
    answered.mockClear();
    const response = await callers.get(routed)!.full!.get(`/customers/${firstCustomer()}`);
    expect(response.status).toBe(200);
    expect(answered.mock.results.every((r) => r.value === undefined)).toBe(true);
    expect((await journal(routed, '?limit=1'))[0]?.path).toBe(api(`/customers/${firstCustomer()}`));
  });
});
