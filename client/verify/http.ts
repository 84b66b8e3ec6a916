/**
 * The one way verify and the proxy reach the real service: at most `rps` requests a second, a 429 waited out for
 * its `Retry-After` (RFC 9110 section 10.2.3) and sent again, and a record of each throttle for the report. Tokens
 * pass through in headers and are never part of anything this module returns.
 */
import { parseRetryAfter } from '../retry.ts';

/** A fetch: the global one, or a sandbox's `app.request` in tests. */
export type FetchFunction = (request: Request) => Promise<Response>;

/** The clock and the wait, injected so tests neither wait nor depend on the time. */
export interface Pace {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_PACE: Readonly<Pace> = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A 429 the service answered, and what was done about it. */
export interface Throttle {
  method: string;
  /** The path and query, without the base URL. */
  path: string;
  /** The wait `Retry-After` asked for, in seconds; undefined when the header was missing or unreadable. */
  retryAfterSeconds: number | undefined;
  /** The wait taken before sending again. */
  waitedMs: number;
}

/** Waits longer than this are not taken: the exchange is reported as throttled instead. */
export const MAX_RETRY_WAIT_MS = 120_000;
/** A 429 without a usable `Retry-After` is sent again after this. */
const DEFAULT_RETRY_WAIT_MS = 5_000;
const MAX_ATTEMPTS = 4;

export interface PacedFetch {
  (request: Request): Promise<Response>;
  /** Every 429 met so far, in order. */
  readonly throttles: readonly Throttle[];
}

/** Wraps `fetch` so calls leave at most `rps` a second and 429s are waited out. */
export function pacedFetch(fetch: FetchFunction, rps: number, pace: Pace = SYSTEM_PACE): PacedFetch {
  const gapMs = 1000 / rps;
  const throttles: Throttle[] = [];
  let nextSlot = 0;
  let queue: Promise<void> = Promise.resolve();

  const slot = (): Promise<void> => {
    const taken = queue.then(async () => {
      const wait = nextSlot - pace.now();
      if (wait > 0) await pace.sleep(wait);
      nextSlot = Math.max(pace.now(), nextSlot) + gapMs;
    });
    queue = taken;
    return taken;
  };

  const paced = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    for (let attempt = 1; ; attempt += 1) {
      await slot();
      const response = await fetch(
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          ...(body === undefined ? {} : { body }),
        }),
      );
      if (response.status !== 429 || attempt === MAX_ATTEMPTS) return response;
      const asked = parseRetryAfter(response.headers.get('retry-after'), pace.now());
      const waitedMs = asked ?? DEFAULT_RETRY_WAIT_MS;
      throttles.push({
        method: request.method,
        path: `${url.pathname}${url.search}`,
        retryAfterSeconds: asked === undefined ? undefined : asked / 1000,
        waitedMs,
      });
      if (waitedMs > MAX_RETRY_WAIT_MS) return response;
      await response.body?.cancel();
      await pace.sleep(waitedMs);
    }
  };
  return Object.assign(paced, { throttles });
}
