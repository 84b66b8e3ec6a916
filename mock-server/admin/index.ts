/**
 * The sandbox's own control API under /admin (DESIGN section 7). For now: minting access tokens for a seeded user
 * (a sandbox convenience until the Sage ID endpoints exist, and handy in CI) and the sandbox clock.
 */
import { Hono } from 'hono';
import type { SandboxClock } from '../clock.ts';
import { AdminError } from '../errors.ts';
import type { TokenService } from '../oauth/index.ts';
import { type Store, sageIdSubject } from '../store/index.ts';

export interface AdminDeps {
  store: () => Store;
  tokens: TokenService;
  clock: SandboxClock;
}

/** The scope a Sage 200 integration asks Sage ID for (SAGE200.md section 1.1). */
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
      throw new AdminError(404, 'unknown_user', `no user ${email} in this sandbox; the users are ${known}`);
    }
    const clientId = optionalString(body, 'client_id') ?? DEFAULT_CLIENT_ID;
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

  return admin;
}

function clockBody(clock: SandboxClock): { now: string; offset_seconds: number } {
  return { now: clock.date().toISOString(), offset_seconds: clock.offsetSeconds() };
}

async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AdminError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  let parsed: unknown;
  try {
    parsed = await request.json();
  } catch {
    throw new AdminError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AdminError(400, 'invalid_request', 'the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new AdminError(400, 'invalid_request', `body.${key} must be a non-empty string`);
  }
  return value;
}
