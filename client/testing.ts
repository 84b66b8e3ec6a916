/**
 * Helpers for testing an integration against the sandbox in CI: a fetch that calls an in-process sandbox app
 * (no port), a fetch that records every request and its status, a fetch that holds each request to the contract,
 * a clock whose sleeps return at once, and a signed-in client in one call. The package exports this module as
 * `sage200-sandbox/testing`.
 */
import type { FetchFunction } from './oauth.ts';
import type { Timing } from './retry.ts';
import { Sage200Client, type Sage200ClientOptions } from './sage200-client.ts';
import { sandboxClientOptions, signInWithLoginHint } from './sandbox-sign-in.ts';

export type { ContractCheckingOptions, RequestCheck } from './request-validator.ts';
export { contractCheckingFetch } from './request-validator.ts';

/** What `createSandbox()` returns, as far as these helpers need it. */
export interface InProcessSandbox {
  request(request: Request): Response | Promise<Response>;
  readonly sandbox: { readonly options: { readonly origin: string } };
}

/** A fetch that hands each request to the app in this process (Hono's `app.request`). */
export function inProcessFetch(app: Pick<InProcessSandbox, 'request'>): FetchFunction {
  return async (request) => app.request(request);
}

export interface RecordedCall {
  method: string;
  url: URL;
  status: number | undefined;
  /** The request's headers, as sent. */
  headers: Headers;
}

/** Wraps a fetch and appends every call to `into` (status undefined when it threw). */
export function recordingFetch(inner: FetchFunction, into: RecordedCall[]): FetchFunction {
  return async (request) => {
    const call: RecordedCall = {
      method: request.method,
      url: new URL(request.url),
      status: undefined,
      headers: new Headers(request.headers),
    };
    into.push(call);
    const response = await inner(request);
    call.status = response.status;
    return response;
  };
}

export interface FakeTiming extends Timing {
  /** Every wait asked for, in milliseconds. */
  readonly sleeps: number[];
  /** Moves the clock forward without a sleep. */
  advance(ms: number): void;
}

/** A clock that starts at `startMs` and only moves when slept on or advanced; randomness fixed at `random`. */
export function fakeTiming(startMs = Date.now(), random = 0.5): FakeTiming {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => random,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A client for an in-process sandbox, signed in as `email` through the login_hint flow. */
export async function inProcessClient(
  app: InProcessSandbox,
  email: string,
  extra: Partial<Sage200ClientOptions> = {},
): Promise<Sage200Client> {
  const client = new Sage200Client(
    sandboxClientOptions(app.sandbox.options.origin, { fetch: inProcessFetch(app), ...extra }),
  );
  await signInWithLoginHint(client, email);
  return client;
}
