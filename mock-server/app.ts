/**
 * `createSandbox(options)` builds the whole sandbox as a Hono app and never listens: tests call `app.request()`,
 * and only the CLI (or `startSandbox`) serves it on a socket. The default tenant is served at the root; tenants
 * that `POST /admin/tenants` creates are served under `/tenants/{id}`, each by its own app built the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { requireAdminKey, requireLocalControl } from './admin/admin-key.ts';
import { adminApi, adminBodyLimit } from './admin/index.ts';
import { dashboardRoutes, openApi30Json } from './dashboard/index.ts';
import { AdminError, GatewayError, toResponse } from './errors.ts';
import { ConnectionReset, injectFaults } from './faults/index.ts';
import { limitBody } from './http/body-limit.ts';
import { API_BASE_PATH } from './http/paths.ts';
import { recordRequests } from './journal/index.ts';
import { SAGE_ID_BODY_LIMIT, sageIdRoutes } from './oauth/index.ts';
import { resolveOptions, type SandboxOptionsInput } from './options.ts';
import { sageApi } from './resources/routes.ts';
import {
  createRuntime,
  DEFAULT_IDENTITY,
  type SandboxRuntime,
  type SharedParts,
  sharedParts,
  TENANTS_PATH,
} from './runtime.ts';
import { dispatchToTenant, journalTenant, TenantRegistry, tenantRoutes } from './tenants/index.ts';

export type { SandboxRuntime } from './runtime.ts';

export type SandboxApp = Hono & {
  readonly sandbox: SandboxRuntime;
  /** The tenants: `default` (this app's own `sandbox`) and those `POST /admin/tenants` created. */
  readonly tenants: TenantRegistry;
};

export function createSandbox(input: SandboxOptionsInput = {}): SandboxApp {
  const options = resolveOptions(input);
  const shared = sharedParts(options);
  const runtime = createRuntime(options, shared, DEFAULT_IDENTITY);
  const app = new Hono();
  const tenants = new TenantRegistry({
    root: { runtime, app, created: new Date().toISOString() },
    max: options.maxTenants,
    build: (id, credentials, request) => {
      const tenantRuntime = createRuntime(
        {
          ...options,
          seed: request.seed,
          scale: request.scale,
          asOf: request.asOf ?? options.asOf,
          redirectUris: [...new Set([...options.redirectUris, ...request.redirectUris])],
          // A tenant's own scenarios, not the default tenant's.
          scenarios: request.scenarios,
          // Created tenants live in memory: --state-file, a prebuilt world and start-up progress are the default
          // tenant's.
          stateFile: undefined,
          world: undefined,
          onProgress: undefined,
        },
        shared,
        { id, credentials },
      );
      return {
        runtime: tenantRuntime,
        app: tenantApp(new Hono(), tenantRuntime, shared, undefined),
        created: new Date().toISOString(),
      };
    },
  });
  // Before any middleware: a tenant's requests are journalled, faulted and keyed by its own app, not the root's.
  const dispatch = dispatchToTenant(tenants);
  app.all(`${TENANTS_PATH}/:id`, dispatch);
  app.all(`${TENANTS_PATH}/:id/*`, dispatch);
  tenantApp(app, runtime, shared, tenants);
  app.route('/admin/tenants', tenantRoutes({ tenants, defaultSeed: options.seed }));
  return Object.assign(app, { sandbox: runtime, tenants });
}

/**
 * Wires one tenant's routes onto `app`: the Sage API, Sage ID, the control API, the contract and the pages, with
 * its journal, admin key and faults in front. The same for the default tenant (at the root, where `tenants` lets
 * `/admin/requests?tenant=` read another tenant's journal) and for every created one (paths below its prefix).
 */
function tenantApp(
  app: Hono,
  runtime: SandboxRuntime,
  shared: SharedParts,
  tenants: TenantRegistry | undefined,
): Hono {
  const { options, tokens, clock } = runtime;
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
  app.use(
    '/admin/*',
    requireLocalControl(options.adminKey),
    requireAdminKey(options.adminKey),
    limitBody(adminBodyLimit(options.maxStateBytes)),
  );
  // Sage ID needs no credentials to be reached, so its bodies are bounded before anything reads them.
  app.use(
    '/id/*',
    limitBody(() => SAGE_ID_BODY_LIMIT),
  );
  app.use(injectFaults({ faults: () => runtime.faults }));
  const api = sageApi({
    tokens,
    store: () => runtime.store,
    models: shared.models,
    clock,
    requiredSubscriptionKey: options.requireSubscriptionKey ? options.subscriptionKey : undefined,
  });
  app.route(API_BASE_PATH, api.routes);
  app.route(
    '/admin',
    adminApi({
      store: () => runtime.store,
      tokens,
      clock,
      faults: () => runtime.faults,
      basePath: runtime.basePath,
      journal: (c) => {
        const id = journalTenant(c, runtime.tenant, tenants);
        return id === runtime.tenant || !tenants ? runtime.journal : tenants.require(id).runtime.journal;
      },
      replaceWorld: (world) => runtime.replaceWorld(world),
      stateFile: () => runtime.stateFile,
      reset: (choice) => runtime.reset(choice),
      defaultClientId: runtime.sageId.clients.all.find((client) => client.type === 'confidential')?.client_id,
    }),
  );
  app.route(
    '/id',
    sageIdRoutes({
      tokens,
      signingKey: shared.signingKey,
      clock,
      store: () => runtime.store,
      options,
      grants: runtime.sageId,
    }),
  );
  app.get('/openapi.json', (c) => c.json(shared.contract));
  // What /docs gives Swagger UI: the same contract as OpenAPI 3.0, which it reads several times faster.
  app.get('/docs/openapi.json', (c) =>
    c.body(openApi30Json(shared.contract), 200, { 'Content-Type': 'application/json; charset=utf-8' }),
  );
  app.route('/', dashboardRoutes(runtime));
  // A plain read (one record by id, /sites) is answered before the router and the middleware above, through the
  // same gateway and journal (resources/direct-reads.ts); every request it declines goes through the app.
  const dispatch = app.fetch;
  const direct = { journal: runtime.journal, clock, faults: () => runtime.faults };
  app.fetch = (request, env, executionCtx) =>
    api.reads.answer(request, env, direct) ?? dispatch(request, env, executionCtx);
  nodeReads.set(app, (incoming, outgoing) => api.reads.answerNode(incoming, outgoing, direct));
  return app;
}

/** Each app's plain reads as answered from a Node request (DirectReads.answerNode). */
const nodeReads = new WeakMap<Hono, (incoming: IncomingMessage, outgoing: ServerResponse) => boolean>();

/**
 * For the listening server (server.ts): answers a plain read of the sandbox's default tenant from the Node request
 * itself, before @hono/node-server turns it into a web Request; false leaves the request to the adapter and the app.
 */
export function answerPlainRead(
  app: SandboxApp,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): boolean {
  return nodeReads.get(app)?.(incoming, outgoing) ?? false;
}
