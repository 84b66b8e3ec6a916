/**
 * `/admin/faults`: add a fault rule (POST), list the rules with their hit counts (GET), remove all (DELETE) or
 * one (DELETE /{id}). Rules are validated when added; see mock-server/faults/rules.ts for the fields.
 */
import { type Context, Hono } from 'hono';
import { AdminError, echoed } from '../errors.ts';
import { type FaultSet, parseFaultRule } from '../faults/index.ts';
import { jsonObject } from '../http/admin-body.ts';

export interface FaultRoutesDeps {
  faults: (c: Context) => FaultSet;
  /** The tenant's path prefix (`/tenants/{id}`, or empty for the default tenant), for Location headers. */
  basePath: string;
}

/** Mount with `admin.route('/faults', faultRoutes(deps))`. */
export function faultRoutes(deps: FaultRoutesDeps): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const rule = deps.faults(c).add(parseFaultRule(await jsonObject(c.req.raw)));
    return c.json(rule, 201, { Location: `${deps.basePath}/admin/faults/${rule.id}` });
  });

  routes.get('/', (c) => c.json({ faults: deps.faults(c).list() }));

  routes.get('/:id', (c) => {
    const rule = deps.faults(c).get(c.req.param('id'));
    if (!rule) throw unknownRule(c.req.param('id'));
    return c.json(rule);
  });

  routes.delete('/', (c) => c.json({ removed: deps.faults(c).clear() }));

  routes.delete('/:id', (c) => {
    const faults = deps.faults(c);
    const rule = faults.get(c.req.param('id'));
    if (!rule) throw unknownRule(c.req.param('id'));
    faults.remove(rule.id);
    return c.json(rule);
  });

  return routes;
}

function unknownRule(id: string): AdminError {
  return new AdminError(404, 'unknown_fault', `no fault rule ${echoed(id)}; GET /admin/faults lists them`);
}
