/**
 * The sandbox's own control API under /admin: minting access tokens for a seeded user (handy in
 * CI), the sandbox clock, fault rules (`/faults`) and the request journal (`/requests`).
 */
import { Hono } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { AdminError, echoed } from '../errors.ts';
import { jsonObject } from '../http/admin-body.ts';
import type { TokenService } from '../oauth/index.ts';
import { type Store, sageIdSubject } from '../store/index.ts';
import { type FaultRoutesDeps, faultRoutes } from './faults.ts';
import { type RequestRoutesDeps, requestRoutes } from './requests.ts';
import { type ResetRoutesDeps, resetRoutes } from './reset.ts';
import { type StateRoutesDeps, stateRoutes } from './state.ts';

export { adminBodyLimit, MAX_ADMIN_BODY_BYTES } from './body-limits.ts';

export interface AdminDeps extends FaultRoutesDeps, RequestRoutesDeps, StateRoutesDeps, ResetRoutesDeps {
  store: () => Store;
  tokens: TokenService;
  clock: SandboxClock;
  /** The `client_id` (`azp`) of minted tokens when the body names none: the tenant's confidential client. */
  defaultClientId?: string | undefined;
}

/** The scope a Sage 200 integration asks Sage ID for (https://github.com/SelectCo/magento2-module-sage200-api). */
export const DEFAULT_SCOPE = 'openid profile email offline_access';
export const DEFAULT_CLIENT_ID = 'sandbox-client';

export function adminApi(deps: AdminDeps): Hono {
  const admin = new Hono();

  admin.post('/tokens', async (c) => {
    const body = await jsonObject(c.req.raw);
    const email = body.user;
    if (typeof email !== 'string' || email === '') {
      throw new AdminError(400, 'invalid_request', 'body.user must be the email of a seeded user');
    }
    const user = deps.store().userByEmail(email);
    if (!user) {
      const known = deps
        .store()
        .users.map((u) => u.email)
        .join(', ');
      throw new AdminError(
        404,
        'unknown_user',
        `no user ${echoed(email)} in this sandbox; the users are ${known}`,
      );
    }
    const clientId = optionalString(body, 'client_id') ?? deps.defaultClientId ?? DEFAULT_CLIENT_ID;
    const scope = optionalString(body, 'scope') ?? DEFAULT_SCOPE;
    const issued = await deps.tokens.issueAccessToken({ subject: sageIdSubject(user), clientId, scope });
    return c.json(issued, 200, { 'Cache-Control': 'no-store' });
  });

  admin.get('/clock', (c) => c.json(clockBody(deps.clock)));

  admin.post('/clock/advance', async (c) => {
    const body = await jsonObject(c.req.raw);
    const seconds = body.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new AdminError(400, 'invalid_request', 'body.seconds must be a non-negative number');
    }
    deps.clock.advance(seconds);
    return c.json(clockBody(deps.clock));
  });

  admin.route('/faults', faultRoutes(deps));
  admin.route('/requests', requestRoutes(deps));
  admin.route('/state', stateRoutes(deps));
  admin.route('/reset', resetRoutes(deps));

  return admin;
}

function clockBody(clock: SandboxClock): { now: string; offset_seconds: number } {
  return { now: clock.date().toISOString(), offset_seconds: clock.offsetSeconds() };
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new AdminError(400, 'invalid_request', `body.${key} must be a non-empty string`);
  }
  return value;
}
