/** The counts the control API answers after a world is replaced (`POST /admin/reset`, `PUT /admin/state`). */
import type { World } from '../world/model.ts';

/** A world's seed, scale and how many users, sites and companies it holds. */
export function worldSummary(world: World) {
  return {
    seed: world.seed,
    scale: world.scale,
    as_of: world.as_of ?? null,
    users: world.users.length,
    sites: world.sites.length,
    companies: world.sites.reduce((n, site) => n + site.companies.length, 0),
  };
}
