/**
 * A size limit on request bodies, enforced before and while a body is read, never by buffering it first: a
 * `Content-Length` over the limit is refused at once, and every body is counted as it streams, so a body sent
 * without a length, or with a length that lies, is cut off at the limit. The refusal is the caller's error (an
 * OAuth, admin or Sage body), answered with status 413; nothing the request would have done happens.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { type SandboxError, toResponse } from '../errors.ts';

/** How large a body may be, and the error that refuses a larger one. */
export interface BodyLimit {
  maxBytes: number;
  tooLarge: (maxBytes: number) => SandboxError;
}

/** The middleware; `limitOf` picks the limit for a request (undefined: no limit). */
export function limitBody(limitOf: (c: Context) => BodyLimit | undefined): MiddlewareHandler {
  return async (c, next) => {
    const limit = c.req.raw.body ? limitOf(c) : undefined;
    if (!limit) return next();
    const error = limit.tooLarge(limit.maxBytes);
    const declared = Number(c.req.header('Content-Length'));
    if (declared > limit.maxBytes) throw error;
    let size = 0;
    let exceeded = false;
    const counted = c.req.raw.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size <= limit.maxBytes) return controller.enqueue(chunk);
          exceeded = true;
          // Whoever reads the body gets this error; reading stops here and the rest is never held in memory.
          controller.error(error);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
    // A handler that caught the read error and answered something else is overruled: the body was too large.
    if (exceeded && c.res.status !== 413) c.res = toResponse(error, c);
  };
}
