/**
 * How large a body the control API reads (docs/faults-and-journal.md, "Body limits"): a world sent to
 * `PUT /admin/state` up to the sandbox's `maxStateBytes`, every other request up to MAX_ADMIN_BODY_BYTES. A larger
 * body is refused with 413 `too_large` and changes nothing.
 */
import type { Context } from 'hono';
import { AdminError } from '../errors.ts';
import type { BodyLimit } from '../http/body-limit.ts';

/** Largest body of a control API request other than a world (fault rules, tokens, tenants: a few hundred bytes). */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

const STATE_PATH = /^\/admin\/state\/?$/;

/** The limit for a control API request; paths are the tenant's own (`/admin/...`). */
export function adminBodyLimit(maxStateBytes: number): (c: Context) => BodyLimit {
  const state: BodyLimit = {
    maxBytes: maxStateBytes,
    tooLarge: (max) =>
      new AdminError(
        413,
        'too_large',
        `the world is larger than ${max} bytes, the most this sandbox reads; start it with a larger --max-state-bytes`,
      ),
  };
  const other: BodyLimit = {
    maxBytes: MAX_ADMIN_BODY_BYTES,
    tooLarge: (max) =>
      new AdminError(413, 'too_large', `the body is larger than ${max} bytes, the most this endpoint reads`),
  };
  return (c) => (c.req.method === 'PUT' && STATE_PATH.test(c.req.path) ? state : other);
}
