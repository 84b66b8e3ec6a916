/** `GET /admin/state` and `PUT /admin/state`: the whole world out and back in (docs/durability.md). */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import { serializeWorld } from '../../mock-server/seed/index.ts';
import type { World } from '../../mock-server/world/model.ts';
import { TEST_AS_OF } from '../support/as-of.ts';
import {
  callerFor,
  copyOfWorld,
  mintToken,
  sharedWorldSandbox,
  smallTestWorld,
  USERS,
} from '../support/sandbox.ts';

const NDJSON = 'application/x-ndjson';
const root = mkdtempSync(join(tmpdir(), 'sage200-admin-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function exportState(app: SandboxApp, accept = 'application/json'): Promise<Response> {
  return app.request('/admin/state', { headers: { Accept: accept } });
}

async function importState(app: SandboxApp, body: string, type = 'application/json'): Promise<Response> {
  return app.request('/admin/state', { method: 'PUT', headers: { 'Content-Type': type }, body });
}

/** A copy of the small world with `change` applied, for bodies to import. */
function worldWith(change: (world: World) => void): World {
  const world = copyOfWorld(smallTestWorld());
  change(world);
  return world;
}

function fullCompany(world: World) {
  return world.sites.find((s) => s.kind === 'full')!.companies[0]!;
}

describe('GET /admin/state', () => {
  it('exports the whole world as JSON: the same bytes as the world the sandbox serves', async () => {
    const app = sharedWorldSandbox();
    const response = await exportState(app);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe(serializeWorld(app.sandbox.store.world));
  });

  it('exports the state file framing, a JSON line per chunk of records, when asked for application/x-ndjson', async () => {
    const response = await exportState(sharedWorldSandbox(), NDJSON);
    expect(response.headers.get('Content-Type')).toBe(NDJSON);
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({
      format: 'sage200-sandbox/snapshot',
      version: 1,
      seed: 200,
      scale: 'small',
    });
    const world = smallTestWorld();
    const companies = world.sites.reduce((count, site) => count + site.companies.length, 0);
    expect(lines.at(-1)).toEqual({ end: expect.objectContaining({ sites: world.sites.length, companies }) });
    expect(lines.filter((line) => 'company' in line)).toHaveLength(companies);
  });

  it('exports a point in time: a write committed while the export is being read is not in it', async () => {
    const app = createSandbox({ world: copyOfWorld(smallTestWorld()) });
    const response = await exportState(app);
    const store = app.sandbox.store;
    // The last company's last customer: bytes the export has certainly not produced yet.
    const site = store.sites.at(-1)!;
    const company = store.site(site.site_id)!.companies.get(site.companies.at(-1)!.company_id)!;
    const last = company.table('customers').all().at(-1)!;
    store.commit(company, [
      { kind: 'put', table: 'customers', record: { ...last, name: 'Written Meanwhile' } },
    ]);
    const exported = (await response.json()) as World;
    expect(exported.sites.at(-1)!.companies.at(-1)!.collections.customers.at(-1)!.name).toBe(last.name);
    expect(company.table('customers').get(last.id as number)?.name).toBe('Written Meanwhile');
  });
});

describe('PUT /admin/state', () => {
  it('imports a world, which the API then serves', async () => {
    const app = sharedWorldSandbox();
    const exported = JSON.parse(await (await exportState(app)).text()) as World;
    const customer = fullCompany(exported).collections.customers[0]!;
    customer.name = 'Imported Trading Ltd';
    exported.seed = 4242;
    const response = await importState(app, JSON.stringify(exported));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      seed: 4242,
      scale: 'small',
      as_of: TEST_AS_OF,
      users: exported.users.length,
      sites: exported.sites.length,
      companies: exported.sites.reduce((count, site) => count + site.companies.length, 0),
      state_file: null,
    });
    const caller = await callerFor(app, USERS.full);
    expect(await caller.json(`/customers/${String(customer.id)}`)).toMatchObject({
      name: 'Imported Trading Ltd',
    });
    expect(await (await exportState(app)).text()).toBe(JSON.stringify(exported));
  });

  it('imports the application/x-ndjson framing it exports', async () => {
    const source = createSandbox({
      world: worldWith((w) => (fullCompany(w).company_name = 'From NDJSON Ltd')),
    });
    const target = sharedWorldSandbox();
    const body = await (await exportState(source, NDJSON)).text();
    expect((await importState(target, body, NDJSON)).status).toBe(200);
    expect(await (await exportState(target)).text()).toBe(await (await exportState(source)).text());
  });

  it("makes the imported world's users the ones who can sign in", async () => {
    const app = sharedWorldSandbox();
    const world = worldWith((w) => {
      w.users[0]!.email = 'imported@sandbox.test';
    });
    expect((await importState(app, JSON.stringify(world))).status).toBe(200);
    await expect(mintToken(app, 'imported@sandbox.test')).resolves.toMatch(/^ey/);
    await expect(mintToken(app, USERS.full)).rejects.toThrow('404');
  });

  const small = () => smallTestWorld();
  const json = 'application/json';
  const customersOf = (w: World) => w.sites[0]!.companies[0]!.collections.customers;
  it.each<{
    refused: string;
    status: number;
    error: string;
    message: string;
    type: string;
    body: () => string;
  }>([
    {
      refused: 'a body that is not JSON',
      status: 400,
      error: 'invalid_json',
      message: 'not valid JSON',
      type: json,
      body: () => '{"seed":',
    },
    {
      refused: 'an empty body',
      status: 400,
      error: 'invalid_json',
      message: 'the body is empty',
      type: json,
      body: () => '',
    },
    {
      refused: 'an array',
      status: 400,
      error: 'invalid_world',
      message: 'the world must be a JSON object',
      type: json,
      body: () => '[]',
    },
    {
      refused: 'a world without users',
      status: 400,
      error: 'invalid_world',
      message: 'users must be an array',
      type: json,
      body: () => JSON.stringify({ ...small(), users: undefined }),
    },
    {
      refused: 'an unknown scale',
      status: 400,
      error: 'invalid_world',
      message: 'scale must be one of small, medium, large',
      type: json,
      body: () => JSON.stringify({ ...small(), scale: 'huge' }),
    },
    {
      refused: 'a company without its customers',
      status: 400,
      error: 'invalid_world',
      message: 'sites[0].companies[0].collections.customers is missing',
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            delete (w.sites[0]!.companies[0]!.collections as Partial<Record<string, unknown>>).customers;
          }),
        ),
    },
    {
      refused: 'a collection the sandbox does not keep',
      status: 400,
      error: 'invalid_world',
      message: 'collections.invoices is not a collection the sandbox keeps',
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            (w.sites[0]!.companies[0]!.collections as Record<string, unknown>).invoices = [];
          }),
        ),
    },
    {
      refused: 'two customers with one id',
      status: 400,
      error: 'invalid_world',
      message: 'sites[0].companies[0].collections.customers[1].id repeats id',
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            customersOf(w)[1] = { ...customersOf(w)[1]!, id: customersOf(w)[0]!.id! };
          }),
        ),
    },
    {
      refused: 'a record id the company would hand out again',
      status: 400,
      error: 'invalid_world',
      message: "not below the company's next_id",
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            customersOf(w)[0]!.id = w.sites[0]!.companies[0]!.next_id;
          }),
        ),
    },
    {
      refused: 'a user of a site that is not in the world',
      status: 400,
      error: 'invalid_world',
      message: 'users[0].site_id names no site of this world',
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            w.users[0]!.site_id = 'no-such-site';
          }),
        ),
    },
    {
      refused: 'a nominal entry from an unknown ledger',
      status: 400,
      error: 'invalid_world',
      message: 'nominal_entries[0].source must be one of SL, PL, CB, NL',
      type: json,
      body: () =>
        JSON.stringify(
          worldWith((w) => {
            (w.sites[0]!.companies[0]!.nominal_entries[0] as { source: string }).source = 'XX';
          }),
        ),
    },
    {
      refused: 'a body sent as text/plain',
      status: 415,
      error: 'unsupported_media_type',
      message: 'application/json',
      type: 'text/plain',
      body: () => 'seed=1',
    },
    {
      refused: 'a snapshot cut short',
      status: 400,
      error: 'invalid_snapshot',
      message: 'stops before its end line',
      type: NDJSON,
      body: () =>
        '{"format":"sage200-sandbox/snapshot","version":1,"seq":0,"seed":1,"scale":"small","users":[]}\n',
    },
  ])('refuses $refused with $status $error naming the problem, and changes nothing', async (row) => {
    const app = sharedWorldSandbox();
    const before = app.sandbox.store;
    const response = await importState(app, row.body(), row.type);
    expect(response.status).toBe(row.status);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe(row.error);
    expect(answer.message).toContain(row.message);
    expect(app.sandbox.store).toBe(before);
  });

  it('with a state file, has the imported world on disk before it answers', async () => {
    const path = join(root, 'import', 'world.state');
    const app = createSandbox({ stateFile: path, world: copyOfWorld(smallTestWorld()) });
    try {
      const world = worldWith((w) => (w.seed = 777));
      const response = await importState(app, JSON.stringify(world));
      expect(await response.json()).toMatchObject({ seed: 777, state_file: path });
      const header = JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0]!) as { seed: number };
      expect(header.seed).toBe(777);
      expect(statSync(`${path}.wal`).size).toBe(0);
    } finally {
      app.sandbox.close();
    }
    const reopened = createSandbox({ stateFile: path });
    try {
      expect(reopened.sandbox.store.world.seed).toBe(777);
    } finally {
      reopened.sandbox.close();
    }
  });
});
