/**
 * `/admin/tenants` at the root (docs/tenants.md): create a tenant (POST), list them (GET), describe one
 * (GET /{id}) and drop one (DELETE /{id}). A tenant's description is everything a CI job needs to use it: its base
 * URLs, its own client credentials and redirect URIs, its users with their sites and companies, and its clock.
 */
import { Hono } from 'hono';
import { AdminError } from '../errors.ts';
import { onlyFields, optionalJsonObject, worldChoice } from '../http/admin-body.ts';
import { redirectUriProblem } from '../options.ts';
import { baseUrls } from '../runtime.ts';
import { type LoadedScenario, parseScenario, ScenarioError, scenarioFromObject } from '../scenarios/index.ts';
import type { Scale } from '../world/model.ts';
import type { Tenant, TenantRegistry } from './registry.ts';

/** A created tenant's scale when the body gives none: small builds in a fraction of a second. */
export const DEFAULT_TENANT_SCALE: Scale = 'small';

/** Most redirect URIs one `POST /admin/tenants` may register. */
const MAX_REDIRECT_URIS = 20;

const FIELDS = ['seed', 'scale', 'as_of', 'redirect_uris', 'scenarios'] as const;

/** Most scenarios one `POST /admin/tenants` may apply. */
const MAX_SCENARIOS = 20;

export interface TenantRoutesDeps {
  tenants: TenantRegistry;
  /** The seed a tenant gets when the body gives none (the sandbox's `--seed`). */
  defaultSeed: number;
}

/** Mount on the root app only, with `app.route('/admin/tenants', tenantRoutes(deps))`. */
export function tenantRoutes(deps: TenantRoutesDeps): Hono {
  const { tenants } = deps;
  const routes = new Hono();

  routes.post('/', async (c) => {
    const body = await optionalJsonObject(c.req.raw);
    onlyFields(body, FIELDS);
    const choice = worldChoice(body);
    const request = {
      seed: choice.seed ?? deps.defaultSeed,
      scale: choice.scale ?? DEFAULT_TENANT_SCALE,
      asOf: choice.asOf,
      redirectUris: redirectUris(body.redirect_uris),
      scenarios: scenarios(body.scenarios),
    };
    const tenant = refusingBadScenarios(() => tenants.create(request));
    return c.json(describeTenant(tenant), 201, {
      Location: `/admin/tenants/${tenant.runtime.tenant}`,
      'Cache-Control': 'no-store',
    });
  });

  routes.get('/', (c) =>
    c.json(
      { max_tenants: tenants.max, count: tenants.size, tenants: tenants.list().map(describeTenant) },
      200,
      { 'Cache-Control': 'no-store' },
    ),
  );

  routes.get('/:id', (c) =>
    c.json(describeTenant(tenants.require(c.req.param('id'))), 200, { 'Cache-Control': 'no-store' }),
  );

  routes.delete('/:id', (c) => {
    const tenant = tenants.delete(c.req.param('id'));
    return c.json({ id: tenant.runtime.tenant, deleted: true });
  });

  return routes;
}

/** A tenant as the control API shows it. */
export interface TenantDescription {
  id: string;
  seed: number;
  scale: Scale;
  /** The date the tenant's world was built as of (its history ends there); null for a world that records none. */
  as_of: string | null;
  created: string;
  base_urls: ReturnType<typeof baseUrls>;
  clients: { client_id: string; client_secret?: string; type: 'confidential' | 'public' }[];
  redirect_uris: string[];
  users: {
    email: string;
    kind: string;
    site_id: string;
    companies: { company_id: number; company_name: string }[];
  }[];
  clock: { now: string; offset_seconds: number };
}

export function describeTenant(tenant: Tenant): TenantDescription {
  const { runtime } = tenant;
  const { store, clock } = runtime;
  const clients = runtime.sageId.clients.all;
  return {
    id: runtime.tenant,
    seed: store.world.seed,
    scale: store.world.scale,
    as_of: store.world.as_of ?? null,
    created: tenant.created,
    base_urls: baseUrls(runtime),
    clients: clients.map((client) => ({
      client_id: client.client_id,
      ...(client.client_secret === undefined ? {} : { client_secret: client.client_secret }),
      type: client.type,
    })),
    redirect_uris: [...(clients[0]?.redirect_uris ?? [])],
    users: store.users.map((user) => ({
      email: user.email,
      kind: user.kind,
      site_id: user.site_id,
      // Every site the user may open, their own first (a group user has two).
      companies: store.sitesOf(user).flatMap(({ site }) =>
        site.companies.map((company) => ({
          company_id: company.company_id,
          company_name: company.company_name,
        })),
      ),
    })),
    clock: { now: clock.date().toISOString(), offset_seconds: clock.offsetSeconds() },
  };
}

function redirectUris(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('body.redirect_uris must be an array of absolute URLs');
  if (value.length > MAX_REDIRECT_URIS) {
    throw invalid(`body.redirect_uris may hold at most ${MAX_REDIRECT_URIS} URLs`);
  }
  return value.map((uri, index) => {
    const problem = redirectUriProblem(uri);
    if (problem) throw invalid(`body.redirect_uris[${index}] ${problem}`);
    return uri as string;
  });
}

/**
 * `scenarios`: each a scenario as JSON (an object) or a scenario file's text (YAML or JSON, whose problems name its
 * line); each problem is a 400 `invalid_scenario` naming `scenarios[i]`, the line and the field.
 */
function scenarios(value: unknown): LoadedScenario[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalid('body.scenarios must be an array of scenarios (objects or file text)');
  if (value.length > MAX_SCENARIOS)
    throw invalid(`body.scenarios may hold at most ${MAX_SCENARIOS} scenarios`);
  return refusingBadScenarios(() =>
    value.map((item: unknown, i) =>
      typeof item === 'string'
        ? parseScenario(item, `scenarios[${i}]`)
        : scenarioFromObject(item, `scenarios[${i}]`),
    ),
  );
}

/** Runs `work`, turning a refused scenario into the control API's 400. */
function refusingBadScenarios<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ScenarioError) throw new AdminError(400, 'invalid_scenario', error.message);
    throw error;
  }
}

function invalid(message: string): AdminError {
  return new AdminError(400, 'invalid_request', message);
}
