/** `startSandbox()` serves a sandbox on a real socket (port 0 picks a free one) and returns its URLs and a stop. */
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { isLoopbackHost } from './admin/admin-key.ts';
import { answerPlainRead, createSandbox, type SandboxApp } from './app.ts';
import { API_BASE_PATH } from './http/paths.ts';
import { resolveOptions, SandboxOptionsError, type SandboxOptionsInput } from './options.ts';
import { asOfOfInstant } from './world/calendar.ts';
import { type SeededWorld, seededWorldApart, worldCacheDir } from './world-cache/index.ts';

export interface StartSandboxOptions extends SandboxOptionsInput {
  port?: number;
  host?: string;
}

export interface RunningSandbox {
  /** The origin, e.g. `http://127.0.0.1:3200`. */
  url: string;
  /** The Sage 200 API base URL, ending in `/`. */
  apiUrl: string;
  /** The sandbox control API base URL. */
  admin: string;
  app: SandboxApp;
  /** The listening Node server, for tools that take one (supertest's `request(server)`). */
  server: Server;
  stop: () => Promise<void>;
}

/** The answer while the world is still being built (a large one takes seconds), in the gateway's shape. */
function starting(): Response {
  return Response.json(
    { statusCode: 503, message: 'The sandbox is starting (building its world): retry in a moment.' },
    { status: 503, headers: { 'Retry-After': '1' } },
  );
}

/** What is answered while the companies are still being built: it needs only the users and sites. */
const ANSWERED_WHILE_BUILDING: readonly RegExp[] = [
  new RegExp(`^GET ${API_BASE_PATH}/sites$`),
  /^[A-Z]+ \/id\//,
  /^GET \/openapi\.json$/,
  /^POST \/admin\/tokens$/,
  /^GET \/admin\/clock$/,
  /^[A-Z]+ \/admin\/(faults|requests)(\/|$)/,
];

/** Whether a request is answered while the companies are built; the URL may be a web Request's or a Node one's. */
function answeredWhileBuilding(method: string, url: string): boolean {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?', 1)[0]!;
  const line = `${method} ${path}`;
  return ANSWERED_WHILE_BUILDING.some((pattern) => pattern.test(line));
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 3200, host = '127.0.0.1', ...rest } = options;
  const resolved = resolveOptions(rest);
  if (!isLoopbackHost(host) && resolved.adminKey === undefined) {
    throw new SandboxOptionsError(
      `listening on ${host} exposes the control API (/admin) beyond this machine: give an admin key (--admin-key, sent as X-Admin-Key), or bind to 127.0.0.1`,
    );
  }
  // The port is taken before the world is built, so a port in use is reported at once, not after the build.
  // The token issuer names the origin, so with port 0 the app is built once the port is known.
  let app: SandboxApp | undefined;
  // While a child process builds the companies (world-cache/index.ts), requests that need one wait for it here.
  let companiesBuilding: Promise<void> | undefined;
  const held = (method: string | undefined, url: string | undefined): boolean =>
    companiesBuilding !== undefined && !answeredWhileBuilding(method ?? '', url ?? '');
  // A plain node:http server, whose listener first offers each request to the app's plain reads.
  const server = serve({
    // The node bindings (incoming, outgoing) go through as c.env: the connection-reset fault needs the socket.
    fetch: (request, env) => {
      if (!app) return starting();
      const serving = app;
      const waitFor = held(request.method, request.url) ? companiesBuilding : undefined;
      return waitFor ? waitFor.then(() => serving.fetch(request, env)) : serving.fetch(request, env);
    },
    // A plain read is answered from the Node request, before the adapter makes a web Request of it (app.ts).
    createServer: ((options: ServerOptions, listener: RequestListener) =>
      createServer(options, (incoming, outgoing) => {
        if (!app || held(incoming.method, incoming.url) || !answerPlainRead(app, incoming, outgoing))
          listener(incoming, outgoing);
      })) as typeof createServer,
    port,
    hostname: host,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      const busy = new Error(
        `port ${port} on ${host} is in use: stop what holds it, or choose another with --port <n> (0 picks a free one)`,
      ) as NodeJS.ErrnoException;
      busy.code = 'EADDRINUSE';
      reject(busy);
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
  // Stops writing the world cache when the sandbox stops before the file is done.
  const stopping = new AbortController();
  let seeded: SeededWorld | undefined;
  try {
    // With a state file its snapshot, when there is one, is the world: createSandbox builds the seed only if needed.
    // Without one, a world built on a cache miss is written while the sandbox already serves; a large one is built
    // by a child process and read back, so this process never holds the build's garbage.
    if (resolved.world === undefined && resolved.stateFile === undefined) {
      seeded = await seededWorldApart({
        seed: resolved.seed,
        scale: resolved.scale,
        // The clock's date: createSandbox starts the clock on the as-of date when one is given, else on the wall clock.
        asOf: resolved.asOf ?? asOfOfInstant(Date.now()),
        cacheDir: worldCacheDir(resolved),
        write: 'background',
        onProgress: resolved.onProgress,
        signal: stopping.signal,
      });
    }
    app = createSandbox({ ...rest, world: seeded?.world ?? resolved.world, origin: rest.origin ?? url });
    if (seeded) {
      const building = seeded.ready.then(() => {
        companiesBuilding = undefined;
      });
      companiesBuilding = building;
    }
  } catch (error) {
    server.close();
    throw error;
  }
  resolved.onProgress?.({ step: 'listening', url });
  const sandbox = app.sandbox;
  return {
    url,
    apiUrl: `${url}${API_BASE_PATH}/`,
    admin: `${url}/admin`,
    app,
    server,
    stop: async () => {
      stopping.abort();
      await seeded?.written;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          // The final snapshot, once no request can write any more.
          sandbox.close();
          if (error) reject(error);
          else resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
