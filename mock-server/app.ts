/**
 * `createSandbox(options)` builds the whole sandbox as a Hono app and never listens: tests call `app.request()`,
 * and only the CLI (or `startSandbox`) serves it on a socket.
 */
import { Hono } from 'hono';
import { loadContract } from '../contracts/index.ts';
import { buildWorld } from '../fixtures/index.ts';
import { adminApi } from './admin/index.ts';
import { SandboxClock } from './clock.ts';
import { AdminError, GatewayError, toResponse } from './errors.ts';
import { loadSigningKey, sageIdRoutes, sandboxSigningKeyPem, TokenService } from './oauth/index.ts';
import { resolveOptions, type SandboxOptions, type SandboxOptionsInput } from './options.ts';
import { RESOURCES } from './resources/definitions.ts';
import { type ContractSchemas, ResourceModels } from './resources/models.ts';
import { API_BASE_PATH, sageApi } from './resources/routes.ts';
import { Store } from './store/index.ts';

/** Handles on a sandbox's state, for the CLI, `startSandbox` and tests. */
export interface SandboxRuntime {
  readonly options: SandboxOptions;
  readonly clock: SandboxClock;
  readonly tokens: TokenService;
  readonly store: Store;
}

export type SandboxApp = Hono & { readonly sandbox: SandboxRuntime };

export function createSandbox(input: SandboxOptionsInput = {}): SandboxApp {
  const options = resolveOptions(input);
  const clock = new SandboxClock();
  const key = loadSigningKey(options.signingKeyPem ?? sandboxSigningKeyPem());
  const tokens = new TokenService({
    issuer: `${options.origin}/id/`,
    clock,
    key,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  const store = new Store(options.world ?? buildWorld({ seed: options.seed, scale: options.scale }));
  const contract = loadContract();
  const defaultOrders = new Map(
    RESOURCES.flatMap((r) => (r.defaultOrder ? [[r.schema, r.defaultOrder]] : [])),
  );
  const models = new ResourceModels(contract as unknown as ContractSchemas, defaultOrders);
  const runtime: SandboxRuntime = { options, clock, tokens, store };

  const app = new Hono();
  app.onError((error, c) => toResponse(error, c));
  app.notFound((c) =>
    toResponse(
      c.req.path.startsWith('/admin/')
        ? new AdminError(404, 'not_found', `no admin route ${c.req.method} ${c.req.path}`)
        : new GatewayError(404, 'Resource not found'),
      c,
    ),
  );
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
  app.route('/admin', adminApi({ store: () => runtime.store, tokens, clock }));
  app.route('/id', sageIdRoutes({ tokens, signingKey: key, clock, store: () => runtime.store, options }));
  app.get('/openapi.json', (c) => c.json(contract));
  app.get('/', (c) =>
    c.json({
      name: 'sage200-sandbox',
      api: `${options.origin}${API_BASE_PATH}/`,
      contract: `${options.origin}/openapi.json`,
      mint_token: `POST ${options.origin}/admin/tokens {"user":"full@sandbox.test"}`,
      users: store.users.map((u) => ({ email: u.email, kind: u.kind, site_id: u.site_id })),
    }),
  );
  return Object.assign(app, { sandbox: runtime });
}
