/**
 * `/licence` and the role checks agree with what the sandbox serves: a module is reported licensed exactly when the
 * contract serves paths of it, each of those paths answers, and a role without the module gets the 403 naming it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, loadContract } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

const catalog = loadCatalog();
/** Top-level list paths (no path parameters), by the modules they need. */
const listPaths = Object.keys(loadContract().paths).filter(
  (path) => !path.includes('{') && loadContract().paths[path]?.get !== undefined,
);

describe('/licence agrees with the paths served', () => {
  let app: SandboxApp;
  let full: Caller;
  let licence: Record<string, unknown>;
  beforeAll(async () => {
    app = sharedWorldSandbox();
    full = await callerFor(app, USERS.full);
    licence = await full.json<Record<string, unknown>>('/licence');
  });

  it.each([...catalog.modules.values()])('reports $name ($licence) as the contract serves it', (module) => {
    expect(licence[module.licence]).toBe(catalog.serves(module.id));
  });

  it.each([...catalog.modules.values()].filter((m) => catalog.serves(m.id)))(
    'answers 200 on every list path of licensed $name',
    async (module) => {
      const paths = listPaths.filter((path) => catalog.pathModules(path).includes(module.id));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect((await full.get(path)).status, path).toBe(200);
    },
  );

  it('reports no module licensed that no path needs', () => {
    const needed = new Set(listPaths.flatMap((path) => catalog.pathModules(path)));
    for (const module of catalog.modules.values()) {
      if (licence[module.licence] === true) expect(needed.has(module.id), module.id).toBe(true);
    }
  });
});

describe('role checks follow the modules the contract gives each path', () => {
  it('refuses the limited user every path that needs the Sales Ledger, naming it, and serves the rest', async () => {
    const app = sharedWorldSandbox();
    const limited = await callerFor(app, USERS.limited);
    for (const path of listPaths) {
      const response = await limited.get(path);
      if (catalog.pathModules(path).includes('sales')) {
        expect(response.status, path).toBe(403);
        expect(await response.json()).toEqual({
          Message: 'Your Sage 200 role does not give access to the Sales Ledger.',
        });
      } else {
        expect(response.status, path).toBe(200);
      }
    }
  });
});

describe('query options on the single-object paths', () => {
  it('apply $select to /licence and /current_user, and refuse an $expand that names nothing', async () => {
    const caller = await callerFor(sharedWorldSandbox(), USERS.full);
    expect(await caller.json('/licence?$select=is_sales_enabled')).toEqual({ is_sales_enabled: true });
    const me = await caller.json<Record<string, unknown>>('/current_user?$select=id,logon_name');
    expect(Object.keys(me)).toEqual(['id', 'logon_name']);
    expect(me.logon_name).toBe(USERS.full);
    expect((await caller.get('/licence?$expand=modules')).status).toBe(400);
    expect((await caller.get('/current_user?$select=nonsense')).status).toBe(400);
  });
});
