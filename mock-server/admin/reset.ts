/**
 * `POST /admin/reset` (docs/tenants.md): a clean slate for one tenant. The world is rebuilt from a seed (the
 * current world's seed and scale unless the body gives others), the clock's offset goes back to zero, and fault
 * rules, the request journal, access tokens, authorization codes and refresh tokens are all dropped. The tenant's
 * registered clients stay. With a state file the new world is its snapshot.
 */
import { Hono } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { AdminError } from '../errors.ts';
import type { StateFile, Store } from '../store/index.ts';
import { SCALES, type Scale } from '../world/model.ts';
import { optionalJsonObject } from './json-body.ts';
import { worldSummary } from './world-summary.ts';

/** What a reset (or a new tenant) is built from; an absent field keeps the current value. */
export interface WorldChoice {
  seed?: number;
  scale?: Scale;
}

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
    onlyFields(body, ['seed', 'scale']);
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

/** The `seed` and `scale` of a control API body, checked. */
export function worldChoice(body: Record<string, unknown>): WorldChoice {
  const choice: WorldChoice = {};
  const { seed, scale } = body;
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw invalid('body.seed must be a non-negative whole number');
    }
    choice.seed = seed;
  }
  if (scale !== undefined) {
    if (typeof scale !== 'string' || !(SCALES as readonly string[]).includes(scale)) {
      throw invalid(`body.scale must be one of ${SCALES.join(', ')}`);
    }
    choice.scale = scale as Scale;
  }
  return choice;
}

/** Refuses a body field the endpoint does not take, so a typo is caught rather than ignored. */
export function onlyFields(body: Record<string, unknown>, fields: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) {
      throw invalid(`body.${key} is not a field of this request; the fields are ${fields.join(', ')}`);
    }
  }
}

function invalid(message: string): AdminError {
  return new AdminError(400, 'invalid_request', message);
}
