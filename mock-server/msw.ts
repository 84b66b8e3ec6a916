/**
 * `sage200-sandbox/msw`: Mock Service Worker handlers that serve a sandbox on the real Sage hostnames, in process.
 * `https://id.sage.com/<path>` goes to the sandbox's `/id/<path>` and
 * `https://api.columbus.sage.com/uk/sage200/accounts/v1/<path>` to the same path on the sandbox, so an integration
 * with the real base URLs baked in runs against it with no server and no URL change (docs/msw.md).
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { createSandbox, type SandboxApp } from './app.ts';
import { ConnectionReset } from './faults/index.ts';
import { SAGE_ID_BASE_URL, SAGE200_API_BASE_URL } from './http/paths.ts';
import { SandboxOptionsError, type SandboxOptionsInput } from './options.ts';

/**
 * Handlers for `setupServer(...)` that hand every request for Sage ID and the Sage 200 API to `app`. The app must
 * name the real hosts as its own (`createSandbox({ publicUrls: 'sage' })`, the default here), so the tokens' `iss`
 * and the discovery document's endpoints lead back to these handlers rather than to a port nobody listens on.
 */
export function sandboxHandlers(app: SandboxApp = createSandbox({ publicUrls: 'sage' })): HttpHandler[] {
  if (app.sandbox.options.publicUrls !== 'sage') {
    throw new SandboxOptionsError(
      `sandboxHandlers needs a sandbox created with publicUrls: 'sage': this one names ${app.sandbox.tokens.issuer} as ` +
        'its Sage ID, which the handlers do not serve',
    );
  }
  const { origin } = app.sandbox.options;
  const sageIdPath = new URL(SAGE_ID_BASE_URL).pathname;
  const forward =
    (sandboxPath: (pathname: string) => string) =>
    async ({ request }: { request: Request }): Promise<Response> => {
      const url = new URL(request.url);
      const init: RequestInit = { method: request.method, headers: request.headers, signal: request.signal };
      if (request.method !== 'GET' && request.method !== 'HEAD') init.body = await request.arrayBuffer();
      try {
        return await app.request(
          new Request(new URL(`${sandboxPath(url.pathname)}${url.search}`, origin), init),
        );
      } catch (error) {
        // A connection-reset fault: the caller's fetch rejects, as it would when a real connection drops.
        if (error instanceof ConnectionReset) return HttpResponse.error();
        throw error;
      }
    };
  return [
    http.all(
      `${SAGE_ID_BASE_URL}*`,
      forward((pathname) => `/id/${pathname.slice(sageIdPath.length)}`),
    ),
    http.all(
      `${SAGE200_API_BASE_URL}*`,
      forward((pathname) => pathname),
    ),
  ];
}

/**
 * A new sandbox that names the real Sage hosts as its own, and the handlers that serve it on them. Keep `app` to
 * reach what only the sandbox has, such as the control API: `app.request('/admin/clock/advance', ...)`.
 */
export function mockSageHosts(options: SandboxOptionsInput = {}): {
  app: SandboxApp;
  handlers: HttpHandler[];
} {
  if (options.publicUrls !== undefined && options.publicUrls !== 'sage') {
    throw new SandboxOptionsError(
      `mockSageHosts serves the sandbox on the real Sage hosts, so publicUrls must be 'sage', not ${String(options.publicUrls)}`,
    );
  }
  const app = createSandbox({ ...options, publicUrls: 'sage' });
  return { app, handlers: sandboxHandlers(app) };
}
