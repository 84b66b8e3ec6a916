/**
 * The Sage 200 Standard API under /uk/sage200/accounts/v1: the gateway, then one GET route per resource path,
 * `/{Id}` and the nested collections. Unknown paths and unsupported verbs answer 404 as Sage's gateway does.
 */
import { type Context, Hono } from 'hono';
import { loadCatalog } from '../../contracts/index.ts';
import { type ApiEnv, authenticate, selectCompany } from '../gateway/index.ts';
import { project } from '../odata/index.ts';
import type { SageRecord } from '../world/model.ts';
import { registerCrudRoutes } from './crud-routes.ts';
import { registerPostingRoutes } from './posting-routes.ts';
import { listBody, QUERY_PLAN_HEADER, recordBody } from './query.ts';
import {
  type ApiDeps,
  type ApiRoutes,
  JSON_TYPE,
  notFound,
  odataQuery,
  parseId,
  requireModule,
} from './route-helpers.ts';

export function sageApi(deps: ApiDeps): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  // The gateway matches the route before it looks at credentials: an unknown path is a 404 even without a token.
  const auth = authenticate(deps);
  const company = selectCompany(deps);
  const routes: ApiRoutes = { api, deps, auth, company };
  registerReadRoutes(routes);
  registerPostingRoutes(routes);
  registerCrudRoutes(routes);
  return api;
}

function registerReadRoutes({ api, deps, auth, company }: ApiRoutes): void {
  api.get('/sites', auth, (c) => {
    const rows = deps
      .store()
      .sitesOf(c.get('user'))
      .flatMap(({ site }) =>
        site.companies.map((co) => ({
          site_id: site.site_id,
          site_name: site.site_name,
          site_short_name: site.site_short_name,
          company_id: co.company_id,
          company_name: co.company_name,
        })),
      );
    return c.body(JSON.stringify(rows), 200, JSON_TYPE);
  });

  // Single objects, not lists: of the query options only $select (and an $expand naming nothing) apply.
  const licenceModel = deps.models.get('Licence');
  api.get('/licence', auth, company, (c) => {
    const query = odataQuery(c, licenceModel);
    return c.body(JSON.stringify(project(c.get('company').company.licence, query.select)), 200, JSON_TYPE);
  });

  const currentUserModel = deps.models.get('CurrentUser');
  api.get('/current_user', auth, company, (c) => {
    const query = odataQuery(c, currentUserModel);
    const user = c.get('user');
    const body = {
      id: user.id,
      logon_name: user.email,
      friendly_name: user.name,
      email_address: user.email,
      is_web_user: true,
      last_logon_date_time: new Date(c.get('token').expiresAt * 1000 - 1).toISOString(),
    };
    return c.body(JSON.stringify(project(body, query.select)), 200, JSON_TYPE);
  });

  const catalog = loadCatalog();
  for (const definition of catalog.resources) {
    const model = deps.models.get(definition.schema);
    const guard = requireModule(definition.modules);
    if (definition.list !== false) {
      api.get(`/${definition.path}`, auth, company, guard, (c) => {
        const query = odataQuery(c, model);
        const store = c.get('company');
        const table = store.table(definition.collection);
        const field = definition.currentUser;
        const userId = c.get('user').id;
        const source = field === undefined ? table : table.all().filter((record) => record[field] === userId);
        const { body, plan } = listBody(source, query, model, definition, store);
        return c.body(body, 200, { ...JSON_TYPE, [QUERY_PLAN_HEADER]: plan });
      });
    }
    if (!definition.byId) continue;
    api.get(`/${definition.path}/:Id`, auth, company, guard, (c) => {
      const query = odataQuery(c, model);
      const store = c.get('company');
      const record = store.table(definition.collection).get(parseId(c.req.param('Id'), definition));
      if (!record) throw notFound(definition, c.req.param('Id'));
      return c.body(recordBody(record, query, definition, store), 200, JSON_TYPE);
    });
  }

  for (const nested of catalog.nested) {
    const parent = catalog.resource(nested.parent);
    const child = catalog.resource(nested.child);
    const model = deps.models.get(child.schema);
    const base = `/${nested.parent}/:${nested.param}/${nested.child}`;
    const guards = [requireModule(parent.modules), requireModule(child.modules)] as const;
    /** The parent record the path names; a 404 naming the parent when there is none. */
    const owner = (c: Context<ApiEnv>): SageRecord => {
      const raw = c.req.param(nested.param) ?? '';
      const found = c.get('company').table(parent.collection).get(parseId(raw, parent));
      if (!found) throw notFound(parent, raw);
      return found;
    };
    api.get(base, auth, company, ...guards, (c) => {
      const query = odataQuery(c, model);
      const store = c.get('company');
      const owned = store.table(child.collection).lookup(nested.foreignKey, owner(c).id as number) ?? [];
      const { body, plan } = listBody(owned, query, model, child, store);
      return c.body(body, 200, { ...JSON_TYPE, [QUERY_PLAN_HEADER]: plan });
    });
    if (!nested.byId) continue;
    api.get(`${base}/:Id`, auth, company, ...guards, (c) => {
      const query = odataQuery(c, model);
      const store = c.get('company');
      const parentRecord = owner(c);
      const raw = c.req.param('Id') ?? '';
      const record = store.table(child.collection).get(parseId(raw, child));
      if (!record || record[nested.foreignKey] !== parentRecord.id) throw notFound(child, raw);
      return c.body(recordBody(record, query, child, store), 200, JSON_TYPE);
    });
  }
}
