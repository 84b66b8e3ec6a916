/**
 * The control API's key: the sandbox listens on loopback unless told otherwise, and listening
 * on any other address needs `--admin-key`. With a key set, every /admin request must send it as `X-Admin-Key`;
 * the comparison takes the same time whatever the presented value. The Sage API and Sage ID never look at it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { AdminError, echoed } from '../errors.ts';

export const ADMIN_KEY_HEADER = 'X-Admin-Key';

/** Refuses /admin requests without the key (when one is set) with a 401 AdminError. */
export function requireAdminKey(key: string | undefined): MiddlewareHandler {
  const expected = key === undefined ? undefined : digest(key);
  return async (c, next) => {
    if (expected !== undefined) {
      const presented = c.req.header(ADMIN_KEY_HEADER);
      if (presented === undefined || presented === '') {
        throw new AdminError(
          401,
          'admin_key_required',
          `this sandbox's control API needs the ${ADMIN_KEY_HEADER} header`,
        );
      }
      if (!timingSafeEqual(digest(presented), expected)) {
        throw new AdminError(
          401,
          'admin_key_invalid',
          `the ${ADMIN_KEY_HEADER} header does not match the sandbox's admin key`,
        );
      }
    }
    await next();
  };
}

/**
 * Without an admin key the control API trusts this machine only: it refuses a request addressed to a name that is
 * not loopback (a DNS-rebinding page reaching 127.0.0.1 under its own name) and a request a browser marks as coming
 * from another site (`Origin`, `Sec-Fetch-Site`), with a 403 AdminError. With a key, the key decides.
 */
export function requireLocalControl(key: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (key === undefined) {
      const host = new URL(c.req.url).hostname;
      if (!isLoopbackHost(host)) {
        throw new AdminError(
          403,
          'host_not_loopback',
          `the control API answers only requests addressed to this machine (localhost, 127.0.0.1, [::1]), not ${echoed(host)}; listening elsewhere needs --admin-key`,
        );
      }
      const origin = c.req.header('Origin');
      const originHost = origin === undefined || origin === 'null' ? undefined : safeHostname(origin);
      const crossSite =
        c.req.header('Sec-Fetch-Site') === 'cross-site' ||
        origin === 'null' ||
        (origin !== undefined && (originHost === undefined || !isLoopbackHost(originHost)));
      if (crossSite) {
        throw new AdminError(
          403,
          'cross_site',
          `the control API refuses requests from other sites (Origin ${origin === undefined ? 'none' : echoed(origin)}): call it from this machine, or from the dashboard`,
        );
      }
    }
    await next();
  };
}

function safeHostname(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** Whether an address to bind is loopback only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    const lower = bare.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

// Digests of equal length let timingSafeEqual compare keys of any length without leaking it.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
