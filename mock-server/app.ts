/**
 * `createSandbox(options)` builds the whole sandbox as a Hono app and never listens: tests call `app.request()`,
 * and only the CLI (or `startSandbox`) serves it on a socket.
 */
import { Hono } from 'hono';
import { loadContract } from '../contracts/index.ts';
import { buildWorld } from '../fixtures/index.ts';
import type { World } from '../fixtures/world.ts';
import { requireAdminKey } from './admin/admin-key.ts';
import { adminApi } from './admin/index.ts';
import { SandboxClock } from './clock.ts';
import { AdminError, GatewayError, toResponse } from './errors.ts';
import { ConnectionReset, FaultSet, injectFaults } from './faults/index.ts';
import { RequestJournal, recordRequests } from './journal/index.ts';
import { loadSigningKey, sageIdRoutes, sandboxSigningKeyPem, TokenService } from './oauth/index.ts';
import { resolveOptions, type SandboxOptions, type SandboxOptionsInput } from './options.ts';
import { RESOURCES } from './resources/definitions.ts';
import { type ContractSchemas, ResourceModels } from './resources/models.ts';
import { API_BASE_PATH, sageApi } from './resources/routes.ts';
import { StateFile, Store } from './store/index.ts';

/** Handles on a sandbox's state, for the CLI, `startSandbox` and tests. */
export interface SandboxRuntime {
  readonly options: SandboxOptions;
  readonly clock: SandboxClock;
  readonly tokens: TokenService;
  readonly store: Store;
  /** The `--state-file` persistence, when the world is kept on disk. */
  readonly stateFile: StateFile | undefined;
  /** Replaces the whole world (`PUT /admin/state`); with a state file its snapshot is on disk first. */
  replaceWorld(world: World): void;
  /** Writes the state file's final snapshot and releases it; nothing to do without one. */
  close(): void;
  /** Fault rules (`/admin/faults`, DESIGN section 7). */
  readonly faults: FaultSet;
  /** The bounded request journal (`/admin/requests`). */
  readonly journal: RequestJournal;
}

export type SandboxApp = Hono & { readonly sandbox: SandboxRuntime };

export function createSandbox(input: SandboxOptionsInput = {}): SandboxApp {
  const options = resolveOptions(input);
  const clock = new SandboxClock(Date.now, { frozen: options.freezeClock });
  const key = loadSigningKey(options.signingKeyPem ?? sandboxSigningKeyPem());
  const tokens = new TokenService({
    issuer: `${options.origin}/id/`,
    clock,
    key,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  const seeded = () => options.world ?? buildWorld({ seed: options.seed, scale: options.scale });
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : StateFile.open({ path: options.stateFile, compactEvery: options.compactEvery, initialWorld: seeded });
  let store = stateFile?.store ?? new Store(seeded());
  const contract = loadContract();
  const defaultOrders = new Map(
    RESOURCES.flatMap((r) => (r.defaultOrder ? [[r.schema, r.defaultOrder]] : [])),
  );
  const models = new ResourceModels(contract as unknown as ContractSchemas, defaultOrders);
  const faults = new FaultSet({ seed: options.seed });
  const journal = new RequestJournal({ capacity: options.journalSize });
  const runtime: SandboxRuntime = {
    options,
    clock,
    tokens,
    faults,
    journal,
    stateFile,
    get store() {
      return store;
    },
    replaceWorld(world) {
      store = stateFile ? stateFile.replace(world) : new Store(world);
    },
    close() {
      stateFile?.close();
    },
  };

  const app = new Hono();
  app.onError((error, c) => {
    // In process there is no socket to reset: the error escapes so app.request() rejects as fetch would.
    if (error instanceof ConnectionReset) throw error;
    return toResponse(error, c);
  });
  app.notFound((c) =>
    toResponse(
      c.req.path.startsWith('/admin/')
        ? new AdminError(404, 'not_found', `no admin route ${c.req.method} ${c.req.path}`)
        : new GatewayError(404, 'Resource not found'),
      c,
    ),
  );
  app.use(recordRequests({ journal: () => runtime.journal, clock: () => runtime.clock }));
  app.use('/admin/*', requireAdminKey(options.adminKey));
  app.use(injectFaults({ faults: () => runtime.faults }));
  app.route(
    API_BASE_PATH,
    sageApi({
      tokens,
      store: () => runtime.store,
      models,
      clock,
      requiredSubscriptionKey: options.requireSubscriptionKey ? options.subscriptionKey : undefined,
    }),
  );
  app.route(
    '/admin',
    adminApi({
      store: () => runtime.store,
      tokens,
      clock,
      faults: () => runtime.faults,
      journal: () => runtime.journal,
      replaceWorld: (world) => runtime.replaceWorld(world),
      stateFile: () => runtime.stateFile,
    }),
  );
  app.route('/id', sageIdRoutes({ tokens, signingKey: key, clock, store: () => runtime.store, options }));
  app.get('/openapi.json', (c) => c.json(contract));
  app.get('/', (c) =>
    c.json({
      name: 'sage200-sandbox',
      api: `${options.origin}${API_BASE_PATH}/`,
      contract: `${options.origin}/openapi.json`,
      mint_token: `POST ${options.origin}/admin/tokens {"user":"full@sandbox.test"}`,
      users: runtime.store.users.map((u) => ({ email: u.email, kind: u.kind, site_id: u.site_id })),
    }),
  );
  return Object.assign(app, { sandbox: runtime });
}
