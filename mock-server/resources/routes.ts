/**
 * The Sage 200 Standard API under /uk/sage200/accounts/v1: the gateway, then one GET route per resource path,
 * `/{Id}` and the nested collections. Unknown paths and unsupported verbs answer 404 as Sage's gateway does.
 */
import { type Context, type Handler, Hono } from 'hono';
import { loadCatalog } from '../../contracts/index.ts';
import { type Admission, type ApiEnv, type GatewayRoute, gateway } from '../gateway/index.ts';
import { searchParams } from '../http/search-params.ts';
import { project } from '../odata/index.ts';
import type { Store } from '../store/index.ts';
import type { SageRecord, SandboxUser } from '../world/model.ts';
import { registerCrudRoutes } from './crud-routes.ts';
import { customFilterOf } from './custom-filter.ts';
import { registerDespatchRoutes } from './despatch.ts';
import { answerBody, answerHeaders, type DirectRead, DirectReads } from './direct-reads.ts';
import { registerDocumentTemplateRoutes } from './document-templates.ts';
import { registerDuplicateRoutes } from './duplicates.ts';
import { registerEnquiryRoutes } from './enquiries.ts';
import { listFilterFields, listFilterOf } from './list-filter.ts';
import { nestedOwner, nestedRoute } from './nested-owner.ts';
import { registerPostingRoutes } from './posting-routes.ts';
import { registerPriceEnquiryRoutes } from './price-enquiry.ts';
import { registerProductSearchRoutes } from './product-search.ts';
import { registerPurchaseAuthorisationRoutes } from './purchase-authorisations.ts';
import { listBody, recordBody, singleObject } from './query.ts';
import {
  type ApiDeps,
  type ApiRoutes,
  JSON_TYPE,
  notFound,
  odataQuery,
  odataQueryOf,
  parseId,
  requireModule,
} from './route-helpers.ts';
import { registerStockTransferRoutes } from './stock-transfers.ts';
import { registerStocktakeStepRoutes } from './stocktake-steps.ts';
import { registerSuggestedProductRoutes } from './suggested-products.ts';
import { registerTraceableAmendRoutes } from './traceable-amend.ts';
import { registerTraceableItemsAmendRoutes } from './traceable-items-amend.ts';
import { registerTraceableOrderLineRoutes } from './traceable-order-lines.ts';
import { viewContextOf } from './view-context.ts';

/** The API's routes, and the reads among them that may be answered before the router (direct-reads.ts). */
export interface SageApi {
  routes: Hono<ApiEnv>;
  reads: DirectReads;
}

export function sageApi(deps: ApiDeps): SageApi {
  const api = new Hono<ApiEnv>();
  const reads = new DirectReads(deps);
  // The gateway matches the route before it looks at credentials: an unknown path is a 404 even without a token.
  const auth = gateway(deps, { company: false });
  const gate = (...modules: (readonly string[])[]) => gateway(deps, companyRoute(modules));
  const routes: ApiRoutes = { api, deps, auth, gate };
  registerReadRoutes(routes, reads);
  registerPostingRoutes(routes);
  registerEnquiryRoutes(routes);
  registerPriceEnquiryRoutes(routes);
  registerProductSearchRoutes(routes);
  registerSuggestedProductRoutes(routes);
  registerPurchaseAuthorisationRoutes(routes);
  registerCrudRoutes(routes);
  registerDespatchRoutes(routes);
  registerDocumentTemplateRoutes(routes);
  registerDuplicateRoutes(routes);
  registerStocktakeStepRoutes(routes);
  registerStockTransferRoutes(routes);
  registerTraceableOrderLineRoutes(routes);
  registerTraceableAmendRoutes(routes);
  registerTraceableItemsAmendRoutes(routes);
  return { routes: api, reads };
}

/** A user's `GET /sites` body and the store it was read from. */
const sitesBodies = new WeakMap<SandboxUser, { store: Store; body: Buffer<ArrayBuffer> }>();

/**
 * A user's `GET /sites` body: a row per company of each of their sites. No write changes a user, a site or its
 * companies' names (a new world is a new store), so the body is encoded once per user and store.
 */
function sitesBody(store: Store, user: SandboxUser): Buffer<ArrayBuffer> {
  const kept = sitesBodies.get(user);
  if (kept?.store === store) return kept.body;
  const rows = store.sitesOf(user).flatMap(({ site }) =>
    site.companies.map((co) => ({
      site_id: site.site_id,
      site_name: site.site_name,
      site_short_name: site.site_short_name,
      company_id: co.company_id,
      company_name: co.company_name,
    })),
  );
  const body = Buffer.from(JSON.stringify(rows));
  sitesBodies.set(user, { store, body });
  return body;
}

/** A data path's gateway: X-Site and X-Company, then the role's modules, each list in turn. */
function companyRoute(modules: (readonly string[])[]): GatewayRoute {
  return { company: true, checks: modules.map((list) => requireModule(list)) };
}

/** The route's handler for a read it shares with the direct answer: the same body, from the context. */
function serve(read: DirectRead): Handler<ApiEnv> {
  return (c) => {
    const admission: Admission = { token: c.get('token'), user: c.get('user') };
    if (read.gate.company) Object.assign(admission, { site: c.get('site'), company: c.get('company') });
    const answer = read.answer(admission, c.req.param('Id'), searchParams(c.req.url));
    return c.body(answerBody(answer), 200, answerHeaders(answer));
  };
}

function registerReadRoutes({ api, deps, gate }: ApiRoutes, reads: DirectReads): void {
  const sites: DirectRead = {
    gate: { company: false },
    answer: ({ user }) => ({ json: sitesBody(deps.store(), user) }),
  };
  api.get('/sites', gateway(deps, sites.gate), serve(sites));
  reads.whole('sites', sites);

  // Single objects, not lists: of the query options only $select (and an $expand naming nothing) apply.
  const licenceModel = deps.models.get('Licence');
  api.get('/licence', gate(), (c) => {
    const query = singleObject(odataQuery(c, licenceModel));
    return c.body(JSON.stringify(project(c.get('company').company.licence, query.select)), 200, JSON_TYPE);
  });

  const currentUserModel = deps.models.get('CurrentUser');
  api.get('/current_user', gate(), (c) => {
    const query = singleObject(odataQuery(c, currentUserModel));
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
    if (definition.list !== false) {
      const filterFields = listFilterFields(definition, deps.models);
      const list: DirectRead = {
        gate: companyRoute([definition.modules]),
        answer: ({ user, company }, _id, search) => {
          const store = company!;
          const viewed = viewContextOf(definition, search, deps.clock);
          const { keeps, search: rest } = listFilterOf(definition, filterFields, viewed.search);
          const query = odataQueryOf(rest, model);
          const table = store.table(definition.collection, viewed.context);
          const field = definition.currentUser;
          const mine =
            field === undefined ? table : table.all().filter((record) => record[field] === user.id);
          const source = keeps
            ? (Array.isArray(mine) ? mine : mine.all()).filter((r) => keeps(r, store))
            : mine;
          const { body, plan } = listBody(source, query, model, definition, store);
          return { json: body, plan };
        },
      };
      api.get(`/${definition.path}`, gateway(deps, list.gate), serve(list));
      reads.whole(definition.path, list);
    }
    if (!definition.byId) continue;
    // Most reads by id carry no query: its (empty) options are read once.
    const noQuery = odataQueryOf(new URLSearchParams(), model);
    const one: DirectRead = {
      gate: companyRoute([definition.modules]),
      answer: ({ company }, id, search) => {
        const custom = customFilterOf(definition, search, deps.models);
        const rest = custom.search;
        const query = rest.size === 0 ? noQuery : odataQueryOf(rest, model);
        const key = parseId(id, definition);
        const record = custom.filter
          ? company!.customFiltered(definition.collection, key, custom.filter)
          : company!.table(definition.collection).get(key);
        if (!record) throw notFound(definition, id ?? '');
        return { json: recordBody(record, query, definition, company!) };
      },
    };
    api.get(`/${definition.path}/:Id`, gateway(deps, one.gate), serve(one));
    reads.byId(definition.path, one);
  }

  for (const nested of catalog.nested) {
    const child = catalog.resource(nested.child);
    const model = deps.models.get(child.schema);
    const base = nestedRoute(nested);
    const parents = nestedOwner(nested);
    const guard = gate(...parents.parents.map((p) => p.modules), child.modules);
    const owner = (c: Context<ApiEnv>): SageRecord =>
      parents.owner(c.get('company'), (name) => c.req.param(name));
    /** The children of the parents the path names. */
    const childrenOf = (c: Context<ApiEnv>): readonly SageRecord[] => {
      const store = c.get('company');
      const id = owner(c).id as number;
      const { through } = nested;
      if (through) {
        const table = store.table(child.collection);
        const ids = new Set(
          (store.table(through.collection).lookup(nested.foreignKey, id) ?? []).map((r) => r[through.key]),
        );
        return table.all().filter((r) => ids.has(r.id));
      }
      const outerIds = parents.childLinks(store, (name) => c.req.param(name));
      const owned = store.table(child.collection).lookup(nested.foreignKey, id) ?? [];
      return outerIds.length === 0
        ? owned
        : owned.filter((r) => outerIds.every(([field, value]) => r[field] === value));
    };
    api.get(base, guard, (c) => {
      const query = odataQuery(c, model);
      const store = c.get('company');
      const owned = childrenOf(c);
      const { body, plan } = listBody(owned, query, model, child, store);
      const answer = { json: body, plan };
      return c.body(answerBody(answer), 200, answerHeaders(answer));
    });
    if (!nested.byId) continue;
    api.get(`${base}/:Id`, guard, (c) => {
      const query = odataQuery(c, model);
      const store = c.get('company');
      const record = parents.child(store, (name) => c.req.param(name));
      return c.body(recordBody(record, query, child, store), 200, JSON_TYPE);
    });
  }
}
