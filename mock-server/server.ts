/** `startSandbox()` serves a sandbox on a real socket (port 0 picks a free one) and returns its URLs and a stop. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { buildWorld } from '../fixtures/index.ts';
import { createSandbox, type SandboxApp } from './app.ts';
import { resolveOptions, type SandboxOptionsInput } from './options.ts';
import { API_BASE_PATH } from './resources/routes.ts';

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
  stop: () => Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 3200, host = '127.0.0.1', ...rest } = options;
  const resolved = resolveOptions(rest);
  const world = resolved.world ?? buildWorld({ seed: resolved.seed, scale: resolved.scale });
  // The token issuer names the origin, so with port 0 the app is built once the port is known.
  let app: SandboxApp | undefined;
  const server = serve({
    fetch: (request) => (app ? app.fetch(request) : new Response(null, { status: 503 })),
    port,
    hostname: host,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
  try {
    app = createSandbox({ ...rest, world, origin: rest.origin ?? url });
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    url,
    apiUrl: `${url}${API_BASE_PATH}/`,
    admin: `${url}/admin`,
    app,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
