/**
 * `POST /admin/reset` (docs/tenants.md): a clean slate for one tenant. The world is rebuilt from a seed (the
 * current world's seed, scale and as-of date unless the body gives others: `seed`, `scale`, `as_of`), the clock's
 * offset goes back to zero (to the as-of date's start when the sandbox was given one), and fault
 * rules, the request journal, access tokens, authorization codes and refresh tokens are all dropped. The tenant's
 * registered clients stay. With a state file the new world is its snapshot.
 */
import { Hono } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { onlyFields, optionalJsonObject, worldChoice } from '../http/admin-body.ts';
import type { StateFile, Store } from '../store/index.ts';
import type { WorldChoice } from '../world/model.ts';
import { worldSummary } from './world-summary.ts';

export interface ResetRoutesDeps {
  reset: (choice: WorldChoice) => void;
  store: () => Store;
  clock: SandboxClock;
  stateFile: () => StateFile | undefined;
}

/** Mount with `admin.route('/reset', resetRoutes(deps))`. */
export function resetRoutes(deps: ResetRoutesDeps): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const body = await optionalJsonObject(c.req.raw);
    onlyFields(body, ['seed', 'scale', 'as_of']);
    deps.reset(worldChoice(body));
    const { world } = deps.store();
    return c.json({
      ...worldSummary(world),
      clock: { now: deps.clock.date().toISOString(), offset_seconds: deps.clock.offsetSeconds() },
      state_file: deps.stateFile()?.path ?? null,
    });
  });

  return routes;
}
