/**
 * What every family of API routes (reads in routes.ts, postings, create/update/delete) registers itself with,
 * and the steps they share: the JSON content type, the OData options, the role's module check and the 404.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { loadCatalog, type ResourceDefinition } from '../../contracts/index.ts';
import type { SandboxClock } from '../clock.ts';
import { SageApiError } from '../errors.ts';
import type { ApiEnv, GatewayDeps } from '../gateway/index.ts';
import { searchParams } from '../http/search-params.ts';
import { ODataError, type ODataQuery, parseQuery, type ResourceModel } from '../odata/index.ts';
import type { SandboxUser } from '../world/model.ts';
import type { ResourceModels } from './models.ts';

export interface ApiDeps extends GatewayDeps {
  models: ResourceModels;
  clock: SandboxClock;
}

export const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

/** What a family of routes needs to register itself on the API: the app, its dependencies and the gateway steps. */
export interface ApiRoutes {
  api: Hono<ApiEnv>;
  deps: ApiDeps;
  /** Subscription key and bearer token only (`/sites`). */
  auth: MiddlewareHandler<ApiEnv>;
  /**
   * The whole gateway of a data path in one step: subscription key and bearer token, X-Site and X-Company, then
   * the role's modules, each list in turn (a nested path needs its parent's and its child's).
   */
  gate: (...modules: (readonly string[])[]) => MiddlewareHandler<ApiEnv>;
}

/** The request's OData options; a malformed query is the application's 400 naming the problem. */
export function odataQuery(c: Context, model: ResourceModel): ODataQuery {
  return odataQueryOf(searchParams(c.req.url), model);
}

/** odataQuery from the query's parameters. */
export function odataQueryOf(search: URLSearchParams, model: ResourceModel): ODataQuery {
  try {
    return parseQuery(search, model);
  } catch (error) {
    if (error instanceof ODataError) throw new SageApiError(400, error.message);
    throw error;
  }
}

/** 403 when the user's Sage 200 role lacks a module the path needs, naming the first one lacking. */
export function requireModule(modules: readonly string[]): (user: SandboxUser) => void {
  const catalog = loadCatalog();
  return (user) => {
    const denied = modules.find((module) => user.denied_modules.includes(module));
    if (denied !== undefined) {
      const name = catalog.modules.get(denied)?.name ?? denied;
      throw new SageApiError(403, `Your Sage 200 role does not give access to the ${name}.`);
    }
  };
}

/** The numeric `{Id}` of a path; anything else is the 404 an unknown id gets. */
export function parseId(raw: string | undefined, definition: ResourceDefinition): number {
  if (raw === undefined || !/^\d{1,18}$/.test(raw)) throw notFound(definition, raw ?? '');
  return Number(raw);
}

export function notFound(definition: ResourceDefinition, id: string): SageApiError {
  return new SageApiError(404, `No ${definition.noun} was found with the Id '${id}'.`);
}
